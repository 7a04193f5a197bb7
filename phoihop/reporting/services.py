"""Reporting workflows: periods, the entry grid, saving values, validation, approval.

Every function that writes runs in one transaction and checks everything before writing: a
batch either lands whole or not at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.audit import workflow
from phoihop.audit.models import AuditEntry
from phoihop.core.formatting import number_vi
from phoihop.core.vietnamese import number_text
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program, ProgramParty
from phoihop.reporting import obligations, periods
from phoihop.reporting.credits import joint_values_for
from phoihop.reporting.models import (
    REOPENED,
    DataValue,
    DisaggregationOption,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
    Target,
    ValidationRule,
)

ENTRY_GRACE_DAYS = 10  # entry stays open this long after the deadline, then needs reopening


# ---------------------------------------------------------------- periods

def _computed_period(window: periods.Window, convention: str) -> Period:
    deadline = periods.default_deadline(window)
    return Period(
        convention=convention, code=window.code, type=window.type, label=window.label, year=window.year,
        start=window.start, end=window.end, deadline=deadline, closes_on=deadline + dt.timedelta(days=ENTRY_GRACE_DAYS),
    )


def _window_vi(code: str, convention: str) -> periods.Window:
    from django.utils import translation

    with translation.override("vi"):  # the stored label is Vietnamese, whoever opens the period first
        return periods.parse(code, convention)


def find_period(code: str, convention: str = periods.DECREE_09) -> Period:
    """The Period of a code for reading: the stored row, or (never written for yet) an unsaved
    one computed from the convention's window (`pk` None). A read never creates a row; only
    writes do, through `get_period` / `stored_period`. PeriodCodeError for a bad code."""
    window = _window_vi(code, convention)
    existing = Period.objects.filter(convention=convention, code=window.code).first()
    return existing or _computed_period(window, convention)


def get_period(code: str, convention: str = periods.DECREE_09) -> Period:
    """The stored Period row for a code, created on first use from the convention's window.
    For writes only (saving values, submitting, reopening, an activity's report); reads use
    `find_period`."""
    window = _window_vi(code, convention)
    existing = Period.objects.filter(convention=convention, code=window.code).first()
    if existing:
        return existing
    computed = _computed_period(window, convention)
    period, _created = Period.objects.get_or_create(
        convention=convention, code=window.code,
        defaults={f: getattr(computed, f) for f in ("type", "label", "year", "start", "end", "deadline", "closes_on")},
    )
    return period


def stored_period(period: Period) -> Period:
    """`period` itself when stored, else its row (created): a write's step from `find_period`."""
    return period if period.pk is not None else get_period(period.code, period.convention)


def convention_for(organization: Organization) -> str:
    """The period convention of the organisation's programs (Decree 09 unless they agree on another)."""
    return conventions_for([organization])[organization.pk]


def conventions_for(organizations) -> dict[int, str]:
    """`convention_for` of many organisations in one query: {organisation id: convention}."""
    found: dict[int, set[str]] = {org.pk: set() for org in organizations}
    rows = ProgramParty.objects.filter(organization_id__in=found).values_list("organization_id", "program__period_convention")
    for org_id, convention in rows:
        found[org_id].add(convention)
    return {pk: next(iter(c)) if len(c) == 1 else periods.DECREE_09 for pk, c in found.items()}


def previous_period(period: Period) -> Period | None:
    """The period of the same type just before this one (None for the first one)."""
    window = periods.parse(period.code, period.convention)
    if window.type == periods.MONTH:
        y, m = window.year, int(period.code[5:7])
        y, m = (y - 1, 12) if m == 1 else (y, m - 1)
        code = periods.month_code(y, m)
    elif window.type == periods.QUARTER:
        q = int(period.code[-1])
        code = f"{window.year - 1}-Q4" if q == 1 else f"{window.year}-Q{q - 1}"
    else:
        code = period.code.replace(str(window.year), str(window.year - 1), 1)
    return find_period(code, period.convention)


# ---------------------------------------------------------------- who reports what

def programs_of(organization: Organization, day: dt.date | None = None):
    qs = Program.objects.filter(parties__organization=organization)
    if day:
        qs = qs.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
    return qs.distinct()


def indicators_for(organization: Organization, period: Period | None = None):
    """Indicators an organisation reports: those of the content areas of its programs in force."""
    programs = programs_of(organization, period.end if period else None)
    if period is not None and not programs.exists():
        programs = programs_of(organization)
    return (
        Indicator.objects.filter(content_area__programs__in=programs)
        .exclude(aggregation=Indicator.Aggregation.RATIO)
        .exclude(value_type=Indicator.ValueType.TEXT)
        .select_related("content_area", "disaggregation")
        .distinct()
        .order_by("content_area__order", "order", "code")
    )


def submission_for(organization: Organization, period: Period) -> Submission:
    """The stored report of an organisation for a period, created on first use (writes only)."""
    submission, _created = Submission.objects.get_or_create(organization=organization, period=stored_period(period))
    return submission


def find_submission(organization: Organization, period: Period) -> Submission:
    """The report of an organisation for a period for reading: the stored one, or an unsaved
    draft (`pk` None) when nothing was ever written for it. Never creates a row."""
    existing = Submission.objects.filter(organization=organization, period=period).first() if period.pk is not None else None
    if existing is not None:
        existing.organization, existing.period = organization, period
        return existing
    return Submission(organization=organization, period=period, status=SubmissionStatus.DRAFT)


def stored_submission(submission: Submission) -> Submission:
    """`submission` itself when stored, else its row (created, with its period): a write's step
    from `find_submission`."""
    return submission if submission.pk is not None else submission_for(submission.organization, submission.period)


# ---------------------------------------------------------------- the grid

@dataclass
class Cell:
    indicator: Indicator
    option: DisaggregationOption | None
    value: Decimal | None = None
    comment: str = ""
    version: int = 0
    previous: Decimal | None = None
    entered: str | None = None  # what was typed, shown back as typed when a save was refused
    entered_comment: str | None = None
    error: str = ""  # why this cell was refused, shown beside it

    @property
    def key(self) -> str:
        return f"{self.indicator.pk}:{self.option.pk if self.option else 0}"


@dataclass
class Row:
    indicator: Indicator
    cells: list[Cell]
    target: Decimal | None = None
    previous_total: Decimal | None = None
    joint: Decimal | None = None


@dataclass
class Grid:
    organization: Organization
    period: Period
    submission: Submission
    rows: list[Row]


def build_grid(organization: Organization, period: Period) -> Grid:
    submission = find_submission(organization, period)
    indicators = list(indicators_for(organization, period))
    values = {
        (v.indicator_id, v.option_id): v
        for v in DataValue.objects.filter(organization=organization, period_id=period.pk, indicator__in=indicators)
    } if period.pk is not None else {}
    prev = previous_period(period)
    previous = {
        (v.indicator_id, v.option_id): v.value
        for v in DataValue.objects.filter(organization=organization, period_id=prev.pk, indicator__in=indicators)
    } if prev is not None and prev.pk is not None else {}
    targets = _targets_for(organization, period, indicators)
    joint = joint_values_for(organization, period)
    rows = []
    for indicator in indicators:
        options = list(indicator.disaggregation.options.all()) if indicator.disaggregation_id else [None]
        cells = []
        for option in options:
            existing = values.get((indicator.pk, option.pk if option else None))
            cells.append(Cell(
                indicator, option,
                value=existing.value if existing else None,
                comment=existing.comment if existing else "",
                version=existing.version if existing else 0,
                previous=previous.get((indicator.pk, option.pk if option else None)),
            ))
        prev_values = [c.previous for c in cells if c.previous is not None]
        rows.append(Row(indicator, cells, targets.get(indicator.pk), sum(prev_values) if prev_values else None, joint.get(indicator.pk)))
    return Grid(organization, period, submission, rows)


def _targets_for(organization, period, indicators) -> dict[int, Decimal]:
    """The organisation's yearly target for each indicator (monthly periods show the year's)."""
    rows = Target.objects.filter(
        organization=organization, indicator__in=indicators, year=period.year,
        program__in=programs_of(organization),
    ).values_list("indicator_id", "value")
    result: dict[int, Decimal] = {}
    for indicator_id, value in rows:
        result[indicator_id] = result.get(indicator_id, Decimal(0)) + value
    return result


# ---------------------------------------------------------------- saving values

@dataclass
class CellInput:
    indicator: int | str  # id or code
    value: str | Decimal | int | float | None
    option: int | str | None = None  # id or code
    comment: str = ""
    version: int | None = None  # the version the user started from; None = do not check


@dataclass
class Problem:
    where: str
    message: str
    severity: str = "error"
    field: str = ""  # indicator | disaggregation | value | period, when known


@dataclass
class Conflict:
    indicator: Indicator
    option: DisaggregationOption | None
    yours: Decimal | None
    theirs: Decimal | None
    by: str

    def message(self) -> str:
        return _(
            "“%(ind)s”%(opt)s vừa được %(by)s sửa thành %(theirs)s trong khi bạn nhập %(yours)s. "
            "Giá trị của bạn chưa được lưu; hãy xem lại và lưu lần nữa."
        ) % {
            "ind": self.indicator.name, "opt": f" ({self.option.name})" if self.option else "",
            "by": self.by or _("người khác"), "theirs": _fmt(self.theirs), "yours": _fmt(self.yours),
        }


@dataclass
class SaveResult:
    saved: int = 0
    unchanged: int = 0
    errors: list[Problem] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.conflicts


def _fmt(value) -> str:
    return "—" if value is None else number_vi(value)


SHOWN_CHARS = 40  # of what was typed, quoted back in a message


def shown(raw) -> str:
    """What was typed, as a message quotes it: at most SHOWN_CHARS characters, then "…"."""
    text = str(raw)
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…"


def parse_number(raw, indicator: Indicator) -> Decimal | None:
    """Read a number typed the Vietnamese way (1.234,5) or the machine way (1234.5)."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        return Decimal(int(raw))
    if isinstance(raw, (int, Decimal)):
        value = Decimal(raw)
    elif isinstance(raw, float):
        value = Decimal(str(raw))
    else:
        text = str(raw).strip().replace(" ", "").replace("\u00a0", "")
        if text == "":
            return None
        if indicator.value_type == Indicator.ValueType.BOOLEAN:
            lowered = text.lower()
            if lowered in {"có", "co", "1", "x", "yes", "true"}:
                return Decimal(1)
            if lowered in {"không", "khong", "0", "no", "false"}:
                return Decimal(0)
            raise ValueError(_("chỉ nhận “có” hoặc “không”"))
        text = number_text(text)
        try:
            value = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(_("“%(raw)s” không phải là số") % {"raw": shown(raw)}) from exc
    if not value.is_finite():
        raise ValueError(_("giá trị không hợp lệ"))
    if indicator.value_type == Indicator.ValueType.INTEGER and value != value.to_integral_value():
        raise ValueError(_("phải là số nguyên"))
    if abs(value) >= Decimal("1e15"):
        raise ValueError(_("số quá lớn"))
    return value.quantize(Decimal("0.01"))


def check_range(value: Decimal | None, indicator: Indicator) -> str | None:
    if value is None:
        return None
    if indicator.min_value is not None and value < indicator.min_value:
        if indicator.min_value == 0:
            return _("không được âm")
        return _("phải từ %(min)s trở lên") % {"min": _fmt(indicator.min_value)}
    if indicator.max_value is not None and value > indicator.max_value:
        return _("không được vượt quá %(max)s") % {"max": _fmt(indicator.max_value)}
    if indicator.value_type == Indicator.ValueType.PERCENT and not (0 <= value <= 100):
        return _("tỷ lệ phải từ 0 đến 100")
    return None


def ensure_may_report(user, organization: Organization) -> None:
    perms.ensure(user, organization if perms.is_related(user, {organization.pk}) else None, perms.REPORT,
                 owners=lambda o: {o.pk}, denied=_("Vai trò của bạn không được nhập số liệu cho tổ chức này."))


def entry_horizon(today: dt.date | None = None) -> dt.date:
    """The last day a period may start on to take values or a report today
    (`PHOIHOP_ENTRY_HORIZON_DAYS` after today)."""
    from django.conf import settings

    return (today or timezone.localdate()) + dt.timedelta(days=settings.PHOIHOP_ENTRY_HORIZON_DAYS)


def beyond_horizon(period: Period, today: dt.date | None = None) -> str | None:
    """The Vietnamese refusal when `period` starts too far ahead to be reported yet, else None."""
    limit = entry_horizon(today)
    if period.start <= limit:
        return None
    return _("Kỳ %(p)s bắt đầu ngày %(s)s, chưa đến lúc báo cáo: chỉ nhập và gửi được số liệu cho kỳ bắt đầu "
             "từ ngày %(d)s trở về trước. Hãy kiểm tra lại mã kỳ báo cáo.") % {
        "p": period.name, "s": period.start.strftime("%d/%m/%Y"), "d": limit.strftime("%d/%m/%Y")}


def locked_message(submission: Submission) -> str:
    if submission.status == SubmissionStatus.APPROVED:
        return _("Báo cáo %(p)s của %(o)s đã được duyệt nên số liệu đã khóa. Muốn sửa, đề nghị cơ quan thường trực mở lại kỳ báo cáo.") % {
            "p": submission.period.name, "o": submission.organization.name}
    if submission.status in (SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED):
        return _("Báo cáo %(p)s đã gửi và đang chờ duyệt nên không sửa được. Nếu cần sửa, đề nghị người duyệt trả lại báo cáo.") % {
            "p": submission.period.name}
    return _("Kỳ %(p)s đã khóa nhập liệu từ sau ngày %(d)s. Đề nghị cơ quan thường trực mở lại kỳ báo cáo nếu cần bổ sung.") % {
        "p": submission.period.name, "d": submission.period.closes_on.strftime("%d/%m/%Y")}


# ---------------------------------------------------------------- validation before submitting

def validate(organization: Organization, period: Period) -> list[Problem]:
    """Required values and cross-indicator rules; errors block submission, warnings do not."""
    problems: list[Problem] = []
    indicators = list(indicators_for(organization, period))
    totals: dict[int, Decimal] = {}
    present: set[int] = set()
    stored = DataValue.objects.filter(organization=organization, period_id=period.pk) if period.pk is not None else DataValue.objects.none()
    for indicator_id, value in stored.values_list("indicator_id", "value"):
        if value is not None:
            present.add(indicator_id)
            totals[indicator_id] = totals.get(indicator_id, Decimal(0)) + value
    for indicator in indicators:
        if indicator.required and indicator.pk not in present:
            problems.append(Problem(indicator.code, _("“%(n)s” bắt buộc phải nhập.") % {"n": indicator.name}))
    ids = {i.pk for i in indicators}
    for rule in ValidationRule.objects.filter(active=True, left__in=ids, right__in=ids).select_related("left", "right"):
        if rule.left_id in totals and rule.right_id in totals and not rule.holds(totals[rule.left_id], totals[rule.right_id]):
            problems.append(Problem(
                rule.left.code,
                f"{rule.message} ({rule.left.name}: {_fmt(totals[rule.left_id])}; {rule.right.name}: {_fmt(totals[rule.right_id])})",
                rule.severity,
            ))
    return problems


# ---------------------------------------------------------------- approval workflow

def _lock(submission: Submission) -> Submission:
    if submission.pk is None:  # never written: a draft, nothing to lock
        return submission
    return Submission.objects.select_for_update().select_related("period", "organization").get(pk=submission.pk)


def submit(submission: Submission, user) -> list[Problem]:
    """Send the report for approval; refused (nothing changes) while an error remains. Records
    who sent it (`submitted_by`, see `approve`)."""
    ensure_may_report(user, submission.organization)
    too_far = beyond_horizon(submission.period) or obligations.life_refusal(submission.organization, submission.period)
    if too_far:
        raise ValidationError(too_far)
    with transaction.atomic():
        submission = _lock(stored_submission(submission))
        if submission.status not in (SubmissionStatus.DRAFT, SubmissionStatus.RETURNED):
            raise ValidationError(_("Chỉ gửi được báo cáo đang nhập hoặc bị trả lại (hiện: %(s)s).") % {"s": submission.get_status_display()})
        problems = validate(submission.organization, submission.period)
        if any(p.severity == "error" for p in problems):
            return problems
        workflow.move(submission, SubmissionStatus.SUBMITTED, submitted_by=user if getattr(user, "pk", None) else None)
        return problems


# The rule of who acts on a sent report (issue 14 point 2), in one place: `approval_decision`.
#
# - The programs a report counts for are those of its organisation in force at the period's end
#   (all of its programs when none is), as `indicators_for` chooses them. Its standing offices are
#   those of the committees steering any of the organisation's programs (`_office_ids`).
# - One level (no program it counts for has `Program.two_level_approval`): SUBMITTED → APPROVED by
#   an approver (or committee administrator) of the organisation itself, or of one of its
#   standing offices.
# - Two levels (one of them has it): SUBMITTED → CONFIRMED by an approver of the organisation
#   itself; CONFIRMED → APPROVED by an approver of a standing office. Each level acts only on its
#   own step (the office does not skip the organisation's confirmation; the organisation does not
#   approve in the office's place). Whoever may take the step may also return the report.
# - Segregation of duties at both levels: the person who sent the report neither confirms nor
#   approves it unless a program it counts for allows self-approval; they may still return it.
CONFIRM_STEP = "confirm"
APPROVE_STEP = "approve"
WAITING = (SubmissionStatus.SUBMITTED, SubmissionStatus.CONFIRMED)  # sent, someone has to act


class ApprovalRefused(PermissionDenied):
    """The user may not take this approval step on this report now; the message says why and who can."""


class SelfApprovalRefused(ApprovalRefused):
    """The approver sent the report themselves (segregation of duties)."""


def _office_ids(submission: Submission) -> set[int]:
    return set(
        Program.objects.filter(parties__organization=submission.organization)
        .exclude(steering_committees__standing_office=None)
        .values_list("steering_committees__standing_office", flat=True)
    )


def counted_programs(submission: Submission):
    """The programs the report counts for: the organisation's programs in force at the period's
    end, or all of its programs when none is (as `indicators_for` chooses them)."""
    programs = programs_of(submission.organization, submission.period.end)
    if not programs.exists():
        programs = programs_of(submission.organization)
    return programs


def self_approval_allowed(submission: Submission) -> bool:
    """Whether one of the programs the report counts for lets the person who sent a report
    approve it too (`Program.self_approval_allowed`, for a one-person office)."""
    return counted_programs(submission).filter(self_approval_allowed=True).exists()


def two_level(submission: Submission) -> bool:
    """Whether one of the programs the report counts for asks the organisation's own approver to
    confirm it before the standing office approves (`Program.two_level_approval`)."""
    return counted_programs(submission).filter(two_level_approval=True).exists()


@dataclass(frozen=True)
class ApprovalFacts:
    """What the rule needs to know of a report besides the user; the same for every user."""

    offices: frozenset[int]
    office_names: str
    two_level: bool
    self_approval: bool


def approval_facts(submission: Submission, cache: dict | None = None) -> ApprovalFacts:
    """The report's standing offices, levels and self-approval leave; `cache` (a dict the caller
    keeps for one page or request) saves the queries for reports of the same organisation and
    period end."""
    key = (submission.organization_id, submission.period.end)
    if cache is not None and key in cache:
        return cache[key]
    offices = frozenset(_office_ids(submission))
    names = ", ".join(Organization.objects.filter(pk__in=offices).order_by("name").values_list("name", flat=True))
    facts = ApprovalFacts(offices, names or _("cơ quan thường trực"), two_level(submission), self_approval_allowed(submission))
    if cache is not None:
        cache[key] = facts
    return facts


def approvers_may(user, submission: Submission, facts: ApprovalFacts | None = None) -> bool:
    """Whether the user approves this organisation's reports at some level: an approver (or
    committee administrator) of the organisation itself or of a standing office of a committee
    steering one of its programs. Which step they may take now is `approval_decision`'s answer."""
    if perms.can(user, perms.APPROVE, {submission.organization_id}):
        return True
    offices = facts.offices if facts is not None else _office_ids(submission)
    return perms.can(user, perms.APPROVE, offices)


@dataclass(frozen=True)
class ApprovalDecision:
    """The user's part in a report's approval now: the step they may take (`CONFIRM_STEP`,
    `APPROVE_STEP` or None), whether they may return it, and, when they may not take the step,
    why (`reason`) and who can (`who`). `waiting` says whose step it is, for everyone."""

    step: str | None = None
    may_return: bool = False
    reason: str = ""
    who: str = ""
    waiting: str = ""
    own_report: bool = False

    @property
    def may_act(self) -> bool:
        return self.step is not None or self.may_return


def approval_decision(user, submission: Submission, cache: dict | None = None) -> ApprovalDecision:
    """May this user confirm, approve or return this report now, and if not, why and who can?
    The one answer used by the grid page, the queue, the office dashboard, the API and the
    services that take the steps (see the rule above `CONFIRM_STEP`)."""
    if submission.pk is None or submission.status not in WAITING:
        return ApprovalDecision()
    facts = approval_facts(submission, cache)
    org = submission.organization.name
    office = facts.office_names
    if submission.status == SubmissionStatus.SUBMITTED and facts.two_level:
        step = CONFIRM_STEP
        allowed = perms.can(user, perms.APPROVE, {submission.organization_id})
        who = _("người duyệt của %(o)s") % {"o": org}
        waiting = _("Báo cáo này chờ người duyệt của %(o)s xác nhận, sau đó cơ quan thường trực (%(c)s) duyệt.") % {
            "o": org, "c": office}
    elif submission.status == SubmissionStatus.SUBMITTED:
        step = APPROVE_STEP
        allowed = approvers_may(user, submission, facts)
        who = _("người duyệt của %(o)s hoặc của cơ quan thường trực (%(c)s)") % {"o": org, "c": office}
        waiting = _("Báo cáo này chờ người duyệt của %(o)s hoặc của cơ quan thường trực (%(c)s) duyệt.") % {"o": org, "c": office}
    else:
        step = APPROVE_STEP
        allowed = perms.can(user, perms.APPROVE, facts.offices)
        who = _("người duyệt của cơ quan thường trực (%(c)s)") % {"c": office}
        waiting = _("Báo cáo này đã được %(o)s xác nhận, chờ người duyệt của cơ quan thường trực (%(c)s) duyệt.") % {
            "o": org, "c": office}
    if not allowed:
        return ApprovalDecision(reason=waiting, who=who, waiting=waiting)
    own = submission.submitted_by_id is not None and submission.submitted_by_id == getattr(user, "pk", None)
    if own and not facts.self_approval:
        verb = _("xác nhận") if step == CONFIRM_STEP else _("duyệt")
        reason = _(
            "Bạn là người đã gửi báo cáo %(p)s của %(o)s nên không tự %(v)s được: báo cáo phải do một người khác có "
            "quyền duyệt (%(w)s) %(v)s. Bạn vẫn có thể trả lại báo cáo để sửa."
        ) % {"p": submission.period.name, "o": org, "v": verb, "w": who}
        return ApprovalDecision(may_return=True, reason=reason, who=who, waiting=waiting, own_report=True)
    return ApprovalDecision(step=step, may_return=True, who=who, waiting=waiting)


def may_approve_now(user, submission: Submission) -> bool:
    """May this user take the next approval step (confirm or approve) of this report now?"""
    return approval_decision(user, submission).step is not None


def _ensure_may_approve(user, submission: Submission) -> None:
    related = perms.is_related(user, {submission.organization_id} | _office_ids(submission))
    perms.ensure(user, submission if related else None, perms.APPROVE, may=lambda s: approvers_may(user, s),
                 denied=_("Bạn không có quyền duyệt báo cáo này."))


def _ensure_step(user, submission: Submission, step: str) -> None:
    """Refuse (nothing written) unless `step` is the user's step on the locked report now."""
    if submission.status not in WAITING:
        message = (_("Chỉ xác nhận được báo cáo đã gửi (hiện: %(s)s).") if step == CONFIRM_STEP
                   else _("Chỉ duyệt được báo cáo đã gửi (hiện: %(s)s)."))
        raise ValidationError(message % {"s": submission.get_status_display()})
    decision = approval_decision(user, submission)
    if decision.step == step:
        return
    if decision.own_report:
        raise SelfApprovalRefused(decision.reason)
    if decision.step == CONFIRM_STEP:
        raise ApprovalRefused(_("Chương trình của báo cáo này duyệt hai cấp: bạn xác nhận báo cáo, sau đó cơ quan thường "
                                "trực duyệt."))
    if decision.step == APPROVE_STEP and submission.status == SubmissionStatus.CONFIRMED:
        raise ValidationError(_("Báo cáo này đã được xác nhận, đang chờ cơ quan thường trực duyệt."))
    if decision.step == APPROVE_STEP:
        raise ValidationError(_("Báo cáo này chỉ cần một cấp duyệt: hãy duyệt báo cáo (không cần xác nhận)."))
    raise ApprovalRefused(decision.reason)


def confirm(submission: Submission, user) -> Submission:
    """The organisation's own approver confirms a sent report of a two-level program; it then waits
    for the standing office (CONFIRMED). Never by the person who sent it (SelfApprovalRefused)."""
    _ensure_may_approve(user, submission)
    with transaction.atomic():
        submission = _lock(submission)
        _ensure_step(user, submission, CONFIRM_STEP)
        workflow.move(submission, SubmissionStatus.CONFIRMED)
    return submission


def approve(submission: Submission, user) -> Submission:
    """Approve a report waiting for the user's approval (see the rule above `CONFIRM_STEP`);
    never by the person who sent it, unless a program it counts for allows self-approval
    (SelfApprovalRefused); at the wrong level ApprovalRefused, with who can."""
    _ensure_may_approve(user, submission)
    with transaction.atomic():
        submission = _lock(submission)
        _ensure_step(user, submission, APPROVE_STEP)
        workflow.move(submission, SubmissionStatus.APPROVED)
    return submission


def return_for_changes(submission: Submission, user, reason: str) -> Submission:
    """Send a waiting report back for changes, by whoever may take its current step. Allowed to
    the approver who sent it too: it gives no effect to the figures, it only unlocks them for a
    correction; the corrected report is sent again and approved by someone else."""
    _ensure_may_approve(user, submission)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do trả lại để đơn vị biết cần sửa gì."))
    with transaction.atomic():
        submission = _lock(submission)
        if submission.status not in WAITING:
            raise ValidationError(_("Chỉ trả lại được báo cáo đã gửi (hiện: %(s)s).") % {"s": submission.get_status_display()})
        decision = approval_decision(user, submission)
        if not decision.may_return:
            raise ApprovalRefused(decision.reason)
        workflow.move(submission, SubmissionStatus.RETURNED, reason[:2000])
    return submission


@dataclass
class StepOutcome:
    """One report of `approve_many`: the step taken (None when refused) and the message."""

    submission: Submission
    step: str | None
    message: str

    @property
    def ok(self) -> bool:
        return self.step is not None


def approve_many(submissions, user) -> list[StepOutcome]:
    """Take the user's step (confirm or approve, per `approval_decision`) on each report, one
    service call per report, in the order given. Each report moves whole or not at all, in its
    own transaction: a report that cannot be taken (someone acted first, the wrong level, one's
    own report) does not hold back the others, and its outcome says why. Every report gets an
    outcome; nothing is skipped silently."""
    outcomes = []
    for submission in submissions:
        step = approval_decision(user, submission).step or APPROVE_STEP
        run = confirm if step == CONFIRM_STEP else approve
        label = _("%(o)s — %(p)s") % {"o": submission.organization.name, "p": submission.period.name}
        try:
            run(submission, user)
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else (str(exc) or _("Bạn không có quyền duyệt báo cáo này."))
            outcomes.append(StepOutcome(submission, None, f"{label}: {text}"))
        else:
            done = _("đã xác nhận") if step == CONFIRM_STEP else _("đã duyệt")
            outcomes.append(StepOutcome(submission, step, f"{label}: {done}"))
    return outcomes


@dataclass
class ValueChange:
    """A value of a report changed after its last approval: old → new, by whom, when."""

    indicator: str
    option: str
    old: str
    new: str
    who: str
    at: dt.datetime


def _shown_change(raw) -> str:
    if raw in (None, ""):
        return "—"
    try:
        return number_vi(Decimal(str(raw)))
    except (InvalidOperation, ValueError):
        return str(raw)


def changes_since_approval(submission: Submission) -> list[ValueChange]:
    """The values of a report that was approved and is no longer (reopened, then possibly sent
    again) changed since its last approval (`approved_at`), from their audit history, oldest
    first, numbers written the Vietnamese way. Empty for a report never approved or approved now."""
    if submission.pk is None or submission.approved_at is None or submission.status == SubmissionStatus.APPROVED:
        return []
    values = {str(v.pk): v for v in DataValue.objects.filter(organization_id=submission.organization_id, period_id=submission.period_id)
              .select_related("indicator", "option")}
    entries = (AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(DataValue), object_id__in=list(values),
                                         at__gt=submission.approved_at)
               .select_related("actor").order_by("at", "id"))
    changes = []
    for entry in entries:
        value = values[entry.object_id]
        for name in ("value", "text_value"):
            pair = (entry.changes or {}).get(name)
            if not pair or len(pair) != 2:
                continue
            who = (entry.actor.get_full_name() or entry.actor.username) if entry.actor else (entry.actor_label or _("hệ thống"))
            changes.append(ValueChange(value.indicator.name, value.option.name if value.option else "",
                                       _shown_change(pair[0]), _shown_change(pair[1]), who, entry.at))
    return changes


def reopen(submission: Submission, user, until: dt.date, reason: str) -> Submission:
    """The standing office reopens entry (also for an approved report); recorded with its reason."""
    offices = _office_ids(submission)
    related = perms.is_related(user, offices | {submission.organization_id})
    perms.ensure(user, submission if related else None, perms.MANAGE, owners=lambda _s: offices,
                 denied=_("Chỉ cơ quan thường trực Ban chỉ đạo được mở lại kỳ báo cáo."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Hãy ghi lý do mở lại kỳ báo cáo."))
    if until < timezone.localdate():
        raise ValidationError(_("Ngày mở lại đến phải từ hôm nay trở đi."))
    with transaction.atomic():
        submission = _lock(stored_submission(submission))
        workflow.move(submission, REOPENED, f"{reason} (đến {until:%d/%m/%Y})", reopened_until=until)
    return submission


# ---------------------------------------------------------------- targets

class TargetsRefused(PermissionDenied):
    """Cells that would change targets the user may not set; `cells` holds their
    (program id, organisation id or None, indicator id, year) keys. Nothing was written."""

    def __init__(self, message: str, cells: list[tuple]):
        super().__init__(message)
        self.cells = cells


def target_organizations_for(user, program: Program) -> set[int] | None:
    """Whose targets of `program` the user may set: None for everyone's (the manage role in the
    standing office of a committee steering the program, or a system administrator), else the
    parties where the user is committee administrator — each party sets only its own. The
    program's overall targets (no organisation) are the standing office's."""
    if perms.is_system_admin(user):
        return None
    offices = set(program.steering_committees.exclude(standing_office=None).values_list("standing_office_id", flat=True))
    if perms.can(user, perms.MANAGE, offices):
        return None
    return set(program.parties.values_list("organization_id", flat=True)) & perms.org_ids_with(user, perms.MANAGE)


def save_targets(program: Program, cells: list[tuple], user) -> int:
    """Set targets of `program` from cells checked by `targets.TargetCells` (the page and the
    Excel import); one transaction; how many targets changed."""
    if not perms.can(user, perms.MANAGE, program.related_organization_ids()):
        raise PermissionDenied(_("Chỉ quản trị của một bên tham gia được giao chỉ tiêu."))
    counts = apply_targets(cells, user)
    return counts["saved"] + counts["deleted"]


def apply_targets(cells: list[tuple], user) -> dict[str, int]:
    """Write targets: each cell (program, organisation id or None, indicator id, year or None,
    value or None to remove), in one transaction, the stored ones locked first. The counts of
    saved, unchanged and deleted targets.

    The one place the targets rule is enforced (page, Excel import, API): a cell that would change
    a target of an organisation the user may not set (`target_organizations_for`) refuses the
    whole batch (TargetsRefused, a PermissionDenied) and nothing is written; a cell equal to the
    stored target is unchanged, whoever sends it (a page or workbook carries every party's column),
    except a draft target (copied from the predecessor) sent back by someone who may set it: that
    is its review, and it stops being a draft."""
    from phoihop.reporting.models import Target

    counts = {"saved": 0, "unchanged": 0, "deleted": 0}
    with transaction.atomic():
        wanted = Q()
        for program, _org_id, _indicator_id, year, _value in cells:
            wanted |= Q(program=program, year=year)
        existing = {
            (t.program_id, t.organization_id, t.indicator_id, t.year): t
            for t in Target.objects.select_for_update().filter(wanted)
        } if cells else {}
        settable: dict[int, set[int] | None] = {}
        refused = []
        for program, org_id, indicator_id, year, value in cells:
            current = existing.get((program.pk, org_id, indicator_id, year))
            if (current.value if current is not None else None) == value:
                continue
            if program.pk not in settable:
                settable[program.pk] = target_organizations_for(user, program)
            allowed = settable[program.pk]
            if allowed is not None and (org_id is None or org_id not in allowed):
                refused.append((program.pk, org_id, indicator_id, year))
        if refused:
            raise TargetsRefused(
                _("Bạn chỉ được đặt chỉ tiêu của tổ chức mình; chỉ tiêu của tổ chức khác và chỉ tiêu chung "
                  "của chương trình do cơ quan thường trực Ban Chỉ đạo đặt. Không chỉ tiêu nào được lưu."),
                refused,
            )
        for program, org_id, indicator_id, year, value in cells:
            current = existing.get((program.pk, org_id, indicator_id, year))
            if value is None:
                if current is not None:
                    current.delete()
                    counts["deleted"] += 1
                else:
                    counts["unchanged"] += 1
            elif current is None:
                Target.objects.create(program=program, organization_id=org_id, indicator_id=indicator_id, year=year, value=value)
                counts["saved"] += 1
            elif current.value != value or (current.is_draft and _may_set(settable, user, program, org_id)):
                # A draft copied from the predecessor (Target.is_draft) and sent back by someone
                # who may set it has been reviewed: saved as a target like any other.
                current.value, current.is_draft = value, False
                current.save()
                counts["saved"] += 1
            else:
                counts["unchanged"] += 1
    return counts


def _may_set(settable: dict, user, program: Program, org_id: int | None) -> bool:
    if program.pk not in settable:
        settable[program.pk] = target_organizations_for(user, program)
    allowed = settable[program.pk]
    return allowed is None or (org_id is not None and org_id in allowed)
