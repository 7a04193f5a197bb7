"""Access helpers for reporting objects (404 for strangers, 403 for a role too low)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from phoihop.accounts import permissions as perms
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.reporting import periods
from phoihop.reporting.models import Activity, Period, Submission, SubmissionStatus
from phoihop.reporting.services import convention_for, find_period, find_submission


def office_org_ids_for(organization_id: int) -> set[int]:
    """Standing offices of the committees steering the organisation's programs."""
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


def get_organization_period(user, organization_id: int, period_code: str, action: str = perms.VIEW) -> tuple[Organization, Period, Submission]:
    """The submission of an organisation for a period, if the user may see it. Nothing is
    created: a period or report never written for is computed, unsaved (`pk` None)."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or organization.pk not in supervised_org_ids(user):
        raise Http404("Không tìm thấy báo cáo.")
    try:
        period = find_period(period_code, convention_for(organization))
    except periods.PeriodCodeError as exc:
        raise Http404(str(exc)) from exc
    submission = find_submission(organization, period)
    if action == perms.VIEW:
        return organization, period, submission
    if action == perms.REPORT and not perms.can(user, perms.REPORT, {organization.pk}):
        raise PermissionDenied
    if action == perms.APPROVE:
        from phoihop.reporting.services import approvers_may

        if not approvers_may(user, submission):
            raise PermissionDenied
    if action == perms.MANAGE and not perms.can(user, perms.MANAGE, office_org_ids_for(organization.pk)):
        raise PermissionDenied
    return organization, period, submission


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
    from django.db.models import Exists, OuterRef

    approved = approved_months.filter(
        organization_id=OuterRef("lead_organization_id"),
        period__start__lte=OuterRef("end_date"), period__end__gte=OuterRef("end_date"),
    )
    return qs.filter(Q(lead_organization_id__in=mine) | Q(co_organizers__in=mine) | Exists(approved)).distinct()


def get_activity_for_user(user, pk: int, action: str = perms.VIEW) -> Activity:
    activity = activities_visible_to(user).filter(pk=pk).first()
    if activity is None:
        raise Http404("Không tìm thấy hoạt động.")
    if action != perms.VIEW and not perms.can(user, action, {activity.lead_organization_id}):
        raise PermissionDenied
    return activity


def may_see_drafts(user, program: Program) -> bool:
    """Unapproved figures only for someone who supervises every party of the program (its own
    organisation alone, or the standing office of its steering committee): a total never carries
    another organisation's unapproved figures."""
    parties = set(program.parties.values_list("organization_id", flat=True))
    return bool(parties) and parties <= supervised_org_ids(user)
