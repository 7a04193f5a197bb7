"""Report states shared by the reporting pages and the dashboards: my periods, the approval
queue, the completeness and timeliness heat map. One computation for every page that shows them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.organizations.models import Organization
from phoihop.reporting import access as reporting_access
from phoihop.reporting import periods
from phoihop.reporting import services as reporting
from phoihop.reporting.models import Period, Submission, SubmissionStatus

DONE = (SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED, SubmissionStatus.APPROVED)
OPEN = (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED)


# ------------------------------------------------------------------ periods and their states

def recent_month_codes(today: dt.date, count: int = 12) -> list[str]:
    """The Decree 09 month containing today and the `count - 1` months before it, latest first
    (from the 15th a day belongs to next month's period)."""
    y, m = today.year, today.month
    if today.day >= 15:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    codes = []
    for _i in range(count):
        codes.append(periods.month_code(y, m))
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
    return codes


@dataclass
class PeriodRow:
    """One organisation's report for one period, as a reporter sees it."""

    organization: Organization
    period: Period
    submission: Submission | None
    status: str
    status_code: str
    late: bool

    @property
    def return_reason(self) -> str:
        return self.submission.return_reason if self.submission and self.status_code == SubmissionStatus.RETURNED else ""


def period_row(organization: Organization, period: Period, submission: Submission | None, today: dt.date) -> PeriodRow:
    """Not sent (no report, a draft or a returned one) after the deadline is late."""
    status_code = submission.status if submission else "none"
    return PeriodRow(
        organization=organization, period=period, submission=submission,
        status=submission.get_status_display() if submission else _("Chưa nhập"),
        status_code=status_code,
        late=(submission is None or submission.status in OPEN) and today > period.deadline,
    )


def period_rows(organization: Organization, codes: Sequence[str], today: dt.date) -> list[PeriodRow]:
    """The organisation's report for each period code, in the order of `codes`."""
    convention = reporting.convention_for(organization)
    found = [reporting.find_period(code, convention) for code in codes]  # computed, not created, when never used
    stored = [p.pk for p in found if p.pk is not None]
    subs = {s.period_id: s for s in Submission.objects.filter(organization=organization, period_id__in=stored)}
    return [period_row(organization, p, subs.get(p.pk) if p.pk is not None else None, today) for p in found]


def recent_period_rows(organization: Organization, today: dt.date, count: int = 6) -> list[PeriodRow]:
    """The organisation's `count` latest months that matter: those of a program in force for it,
    and those it already has a report for (so an ended program shows its last reports, not a
    row of empty months nobody has to fill in). Latest first."""
    convention = reporting.convention_for(organization)
    codes = [c for c in recent_month_codes(today, count)
             if reporting.programs_of(organization, periods.parse(c, convention).end).exists()]
    reported = list(
        Submission.objects.filter(organization=organization, period__type=periods.MONTH)
        .order_by("-period__start").values_list("period__code", flat=True)[:count]
    )
    chosen = sorted(set(codes) | set(reported), reverse=True)[:count]
    return period_rows(organization, chosen, today)


def returned_reports(org_ids: Iterable[int]) -> QuerySet[Submission]:
    """Reports sent back for changes, with their reason, latest period first."""
    return (Submission.objects.filter(organization_id__in=list(org_ids), status=SubmissionStatus.RETURNED)
            .select_related("organization", "period").order_by("-period__start", "organization__name"))


def open_reports(org_ids: Iterable[int], today: dt.date) -> list[Submission]:
    """Drafts that can still be entered (before the period closes, or reopened)."""
    drafts = (Submission.objects.filter(organization_id__in=list(org_ids), status=SubmissionStatus.DRAFT)
              .select_related("organization", "period").order_by("period__start", "organization__name"))
    return [s for s in drafts if s.entry_open(today)]


# ------------------------------------------------------------------ the approval queue and the heat map

@dataclass
class QueueItem:
    """A waiting report and the user's part in it (`services.approval_decision`)."""

    submission: Submission
    decision: reporting.ApprovalDecision


@dataclass
class ApprovalQueue:
    """The waiting reports the user sees: those whose next step (confirm or approve) is theirs,
    and the others, each with why not and who can (one's own report, sent by the user, is among
    the others: they may still return it from its page)."""

    actionable: list[QueueItem]
    others: list[QueueItem]


def approval_queue(user) -> ApprovalQueue:
    """Sent reports (submitted or confirmed) of the organisations the user sees before approval,
    oldest period first, split by `services.approval_decision`: the one computation behind the
    queue page, the office dashboard's count and the grid's approval block."""
    org_ids = reporting_access.supervised_org_ids(user)
    waiting = (Submission.objects.filter(organization_id__in=org_ids, status__in=reporting.WAITING)
               .select_related("organization", "period", "submitted_by").order_by("period__start", "organization__name"))
    cache: dict = {}
    actionable, others = [], []
    for submission in waiting:
        decision = reporting.approval_decision(user, submission, cache)
        (actionable if decision.step else others).append(QueueItem(submission, decision))
    return ApprovalQueue(actionable, others)


def approvable_submissions(user) -> list[Submission]:
    """Reports whose next step (confirm or approve) the user may take now, oldest period first."""
    return [item.submission for item in approval_queue(user).actionable]


@dataclass
class HeatCell:
    code: str
    period: Period
    sub: Submission | None
    on_time: bool  # sent no later than the deadline
    late: bool  # not sent (none, draft or returned) and the deadline has passed

    @property
    def status_code(self) -> str:
        return self.sub.status if self.sub else "none"

    @property
    def status(self) -> str:
        return self.sub.get_status_display() if self.sub else _("Chưa nhập")

    @property
    def short(self) -> str:
        """A few letters for the heat map's cell (the full state is in its title and for screen readers)."""
        return {
            SubmissionStatus.APPROVED: _("duyệt"), SubmissionStatus.SUBMITTED: _("chờ"), SubmissionStatus.CONFIRMED: _("xác nhận"),
            SubmissionStatus.RETURNED: _("trả lại"), SubmissionStatus.DRAFT: _("nhập"),
        }.get(self.status_code, "—")


@dataclass
class HeatRow:
    organization: Organization
    cells: list[HeatCell]
    completeness: int  # % of the months sent or approved
    timeliness: int  # % of the months sent on time


def completeness_matrix(organizations: Iterable[Organization], codes: Sequence[str], today: dt.date) -> list[HeatRow]:
    """Organisation × month: the report's state, whether it was on time; per organisation the
    share of months sent or approved (completeness) and sent by the deadline (timeliness)."""
    organizations = list(organizations)
    subs = {(s.organization_id, s.period.code): s for s in Submission.objects.filter(
        organization__in=organizations, period__code__in=list(codes)).select_related("period")}
    matrix = []
    for org in organizations:
        convention = reporting.convention_for(org)
        cells = []
        for code in codes:
            period = reporting.find_period(code, convention)
            sub = subs.get((org.pk, code))
            on_time = sub is not None and sub.submitted_at is not None and timezone.localdate(sub.submitted_at) <= period.deadline
            late = (sub is None or sub.status in OPEN) and today > period.deadline
            cells.append(HeatCell(code, period, sub, on_time, late))
        count = len(cells) or 1
        done = sum(1 for c in cells if c.sub and c.sub.status in DONE)
        timely = sum(1 for c in cells if c.on_time)
        matrix.append(HeatRow(org, cells, round(100 * done / count), round(100 * timely / count)))
    return matrix


