"""Access helpers for reporting objects (404 for strangers, 403 for a role too low, decided by
`accounts.permissions.ensure`): the report of an organisation for a period
(`get_report_for_user`), its data values (`values_visible_to`), activities, and the leave to see
unapproved figures (`DraftScope`, handed out only by `draft_scope` after the check)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from phoihop.accounts import permissions as perms
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.reporting import periods
from phoihop.reporting.models import Activity, DataValue, Submission, SubmissionStatus
from phoihop.reporting.services import approvers_may, convention_for, find_period, find_submission


def steering_offices_of(organization: Organization | int) -> set[int]:
    """Standing offices of the committees steering the organisation's programs (they supervise
    its reports: see them before approval, approve, reopen)."""
    organization_id = getattr(organization, "pk", organization)
    return set(
        Program.objects.filter(parties__organization_id=organization_id)
        .exclude(steering_committees__standing_office=None)
        .values_list("steering_committees__standing_office", flat=True)
    )


def supervised_org_ids(user) -> set[int]:
    """Organisations whose reports the user may see before approval: own ones, and the parties of
    programs steered by a committee whose standing office the user belongs to."""
    if perms.is_system_admin(user):
        return set(Organization.objects.values_list("pk", flat=True))
    mine = perms.org_ids(user)
    steered = set(
        Program.objects.filter(steering_committees__standing_office__in=mine).values_list("parties__organization", flat=True)
    )
    return mine | {o for o in steered if o}


def may_see_unapproved(user, organization_id: int) -> bool:
    """Unapproved values and reports of an organisation: its own people and the standing offices
    supervising it (and a system administrator)."""
    return organization_id in supervised_org_ids(user)


def _may_act_on_report(user, action: str, submission: Submission) -> bool:
    if action == perms.APPROVE:
        return approvers_may(user, submission)
    if action == perms.MANAGE:
        return perms.can(user, perms.MANAGE, steering_offices_of(submission.organization_id))
    return perms.can(user, action, {submission.organization_id})


def get_report_for_user(user, organization_id: int, period_code: str, action: str = perms.VIEW) -> Submission:
    """The report (submission) of an organisation for a period, if the user may see it: its own
    people and its supervising standing offices (anyone else → 404); submitting needs "report"
    for the organisation, approving `services.approvers_may`, reopening "manage" for a
    supervising office (→ 403). Nothing is created: a period or report never written for is
    computed, unsaved (`pk` None); `submission.organization` and `.period` are set."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or not may_see_unapproved(user, organization.pk):
        raise Http404("Không tìm thấy báo cáo.")
    try:
        period = find_period(period_code, convention_for(organization))
    except periods.PeriodCodeError as exc:
        raise Http404(str(exc)) from exc
    return perms.ensure(user, find_submission(organization, period), action, not_found="Không tìm thấy báo cáo.",
                        may=lambda submission: _may_act_on_report(user, action, submission))


def values_visible_to(user, *, unapproved: bool = True) -> QuerySet[DataValue]:
    """Data values the user may see: any organisation's once its report for the period is
    approved; unapproved ones only of the user's own and supervised organisations
    (`may_see_unapproved`), and only when `unapproved` (else approved values alone). Nobody
    logged out sees any."""
    qs = DataValue.objects.all()
    if not user or not user.is_authenticated:
        return qs.none()
    approved = Exists(Submission.objects.filter(
        organization_id=OuterRef("organization_id"), period_id=OuterRef("period_id"), status=SubmissionStatus.APPROVED,
    ))
    if not unapproved:
        return qs.filter(approved)
    if perms.is_system_admin(user):
        return qs
    return qs.filter(Q(organization_id__in=supervised_org_ids(user)) | approved)


def activities_visible_to(user) -> QuerySet[Activity]:
    """Own and supervised organisations' activities in any state; others' once the lead
    organisation's month report covering the activity is approved."""
    qs = Activity.objects.all()
    if perms.is_system_admin(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()
    mine = supervised_org_ids(user)
    approved_months = Submission.objects.filter(status=SubmissionStatus.APPROVED, period__type=periods.MONTH)
    approved = approved_months.filter(
        organization_id=OuterRef("lead_organization_id"),
        period__start__lte=OuterRef("end_date"), period__end__gte=OuterRef("end_date"),
    )
    return qs.filter(Q(lead_organization_id__in=mine) | Q(co_organizers__in=mine) | Exists(approved)).distinct()


def get_activity_for_user(user, pk: int, action: str = perms.VIEW) -> Activity:
    return perms.get_for_user(user, activities_visible_to(user), action, pk=pk, not_found="Không tìm thấy hoạt động.",
                              owners=lambda a: {a.lead_organization_id})


def may_see_drafts(user, program: Program, supervised: set[int] | None = None) -> bool:
    """Unapproved figures only for someone who supervises every party of the program (its own
    organisation alone, or the standing office of its steering committee): a total never carries
    another organisation's unapproved figures. `supervised`: the user's `supervised_org_ids`,
    when the caller has it already."""
    parties = set(program.parties.values_list("organization_id", flat=True))
    return bool(parties) and parties <= (supervised_org_ids(user) if supervised is None else supervised)


_GRANTED = object()


class DraftScope:
    """Leave to compute figures that include unapproved values, for these programs only. Only
    `draft_scope` (after `may_see_drafts`) and `operator_draft_scope` (commands run on the
    server) make one; code that computes draft figures (the review report, the figures pages,
    the dashboards, the results API) takes one instead of a boolean, so draft figures cannot be
    asked for without the check having been passed."""

    __slots__ = ("program_ids",)

    def __init__(self, program_ids: Iterable[int], *, _grant: object = None):
        if _grant is not _GRANTED:
            raise TypeError("DraftScope is handed out by reporting.access.draft_scope only.")
        self.program_ids = frozenset(program_ids)

    def __repr__(self) -> str:
        return f"DraftScope({sorted(self.program_ids)})"


def draft_scope(user, programs: Iterable[Program]) -> DraftScope | None:
    """The leave to see unapproved figures of all these programs, or None when the user does not
    supervise every party of each (`may_see_drafts`)."""
    programs = list(programs)
    supervised = supervised_org_ids(user)  # once for every program
    if not programs or not all(may_see_drafts(user, p, supervised) for p in programs):
        return None
    return DraftScope({p.pk for p in programs}, _grant=_GRANTED)


def operator_draft_scope(programs: Iterable[Program]) -> DraftScope:
    """For commands run on the server by its operator (trusted: `phoihop review-report`)."""
    return DraftScope({p.pk for p in programs}, _grant=_GRANTED)


def includes_unapproved(scope: DraftScope | None, programs: Iterable[Program]) -> bool:
    """The `include_unapproved` of an aggregation call over `programs`: true only for a real
    DraftScope covering every one of them."""
    ids = {p.pk for p in programs}
    return isinstance(scope, DraftScope) and bool(ids) and ids <= scope.program_ids
