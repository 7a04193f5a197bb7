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
from phoihop.reporting import obligations, periods
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


NOT_OWED = "not_owed"  # the status code of a period the organisation owes no report for (obligations)


@dataclass
class PeriodRow:
    """One organisation's report for one period, as a reporter sees it."""

    organization: Organization
    period: Period
    submission: Submission | None
    status: str
    status_code: str
    late: bool
    owed: bool = True  # obligations: the organisation exists and a program in force covers the period

    @property
    def return_reason(self) -> str:
        return self.submission.return_reason if self.submission and self.status_code == SubmissionStatus.RETURNED else ""


def period_row(organization: Organization, period: Period, submission: Submission | None, today: dt.date,
               owed: bool = True) -> PeriodRow:
    """Late: a report owed (`obligations`) and not sent (none, a draft or a returned one) after
    the deadline. A period not owed and never written for says so."""
    status_code = submission.status if submission else ("none" if owed else NOT_OWED)
    return PeriodRow(
        organization=organization, period=period, submission=submission,
        status=submission.get_status_display() if submission else (_("Chưa nhập") if owed else _("Không phải báo cáo")),
        status_code=status_code,
        late=owed and (submission is None or submission.status in OPEN) and today > period.deadline,
        owed=owed,
    )


def period_rows(organization: Organization, codes: Sequence[str], today: dt.date, *, owed_only: bool = False) -> list[PeriodRow]:
    """The organisation's report for each period code, in the order of `codes`; with `owed_only`
    only the periods it owes a report for (`obligations`) or already has one for."""
    convention = reporting.convention_for(organization)
    found = [reporting.find_period(code, convention) for code in codes]  # computed, not created, when never used
    stored = [p.pk for p in found if p.pk is not None]
    subs = {s.period_id: s for s in Submission.objects.filter(organization=organization, period_id__in=stored)}
    rule = obligations.Obligations([organization])
    rows = [period_row(organization, p, subs.get(p.pk) if p.pk is not None else None, today, rule.owes(organization, p))
            for p in found]
    return [r for r in rows if r.owed or r.submission is not None] if owed_only else rows


def recent_period_rows(organization: Organization, today: dt.date, count: int = 6) -> list[PeriodRow]:
    """The organisation's `count` latest months that matter: those it owes a report for
    (`obligations`: it exists and a program in force covers them), and those it already has a
    report for (so an ended program shows its last reports, not a row of empty months nobody
    has to fill in). Latest first."""
    convention = reporting.convention_for(organization)
    rule = obligations.Obligations([organization])
    codes = [c for c in recent_month_codes(today, count) if rule.owes(organization, periods.parse(c, convention))]
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
    late: bool  # owed, not sent (none, draft or returned) and the deadline has passed
    owed: bool = True  # obligations: the organisation exists and a program in force covers the month

    @property
    def status_code(self) -> str:
        return self.sub.status if self.sub else ("none" if self.owed else NOT_OWED)

    @property
    def status(self) -> str:
        return self.sub.get_status_display() if self.sub else (_("Chưa nhập") if self.owed else _("Không phải báo cáo"))

    @property
    def short(self) -> str:
        """A few letters for the heat map's cell (the full state is in its title and for screen readers)."""
        return {
            SubmissionStatus.APPROVED: _("duyệt"), SubmissionStatus.SUBMITTED: _("chờ"), SubmissionStatus.CONFIRMED: _("xác nhận"),
            SubmissionStatus.RETURNED: _("trả lại"), SubmissionStatus.DRAFT: _("nhập"),
        }.get(self.status_code, "—" if self.owed else "")


@dataclass
class HeatRow:
    organization: Organization
    cells: list[HeatCell]
    completeness: int | None  # % of the months owed that were sent or approved (None: none owed)
    timeliness: int | None  # % of the months owed that were sent on time


def completeness_matrix(organizations: Iterable[Organization], codes: Sequence[str], today: dt.date) -> list[HeatRow]:
    """Organisation × month: the report's state, whether it was on time; per organisation the
    share of the months it owes (`obligations`) sent or approved (completeness) and sent by the
    deadline (timeliness). A month it owes nothing for (before it existed, after it ended, under
    no program in force) is never late and counts in neither share."""
    organizations = list(organizations)
    rule = obligations.Obligations(organizations)
    subs = {(s.organization_id, s.period.code): s for s in Submission.objects.filter(
        organization__in=organizations, period__code__in=list(codes)).select_related("period")}
    matrix = []
    for org in organizations:
        convention = reporting.convention_for(org)
        cells = []
        for code in codes:
            period = reporting.find_period(code, convention)
            sub = subs.get((org.pk, code))
            owed = rule.owes(org, period)
            on_time = sub is not None and sub.submitted_at is not None and timezone.localdate(sub.submitted_at) <= period.deadline
            late = owed and (sub is None or sub.status in OPEN) and today > period.deadline
            cells.append(HeatCell(code, period, sub, on_time, late, owed))
        owed_cells = [c for c in cells if c.owed]
        done = sum(1 for c in owed_cells if c.sub and c.sub.status in DONE)
        timely = sum(1 for c in owed_cells if c.on_time)
        count = len(owed_cells)
        matrix.append(HeatRow(org, cells, round(100 * done / count) if count else None,
                              round(100 * timely / count) if count else None))
    return matrix


