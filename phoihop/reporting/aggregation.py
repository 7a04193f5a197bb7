"""The single source of every figure shown in pages, API and documents.

`results()` aggregates per program × content area × indicator × organisation (and the total),
optionally per year, with each indicator's rule:

- over time, per organisation: sum | average | last (latest period) | max;
- across organisations (the total): sum for sum and last, average for average, max for max;
- ratio: numerator and denominator aggregated first, then divided — never an average of ratios.

Figures of activities (`ActivityValue`) are stored once and credited to every organisation that
ran the activity; the total counts each activity once and says how much of it was joint.

Which periods count: those whose window ends inside [date_from, date_to]. An organisation that
reported an indicator monthly is counted from its months; one that reported it only quarterly
(or yearly) from those, so a quarter never adds to the months it contains.

Only approved data counts unless `include_unapproved=True` (the draft mode, marked as such).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, Sum

from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.reporting import periods
from phoihop.reporting.models import (
    ActivityValue,
    DataValue,
    Indicator,
    Submission,
    SubmissionStatus,
    Target,
)

TYPE_RANK = {periods.MONTH: 0, periods.QUARTER: 1, periods.HALF: 2, periods.NINE_MONTHS: 3, periods.YEAR: 4, periods.PHASE: 5}
A = Indicator.Aggregation
HUNDRED = Decimal(100)


@dataclass
class ResultRow:
    program: str
    content_area: str
    indicator: str
    indicator_name: str
    unit: str
    organization: int | None
    organization_name: str | None
    value: Decimal | None
    target: Decimal | None
    achieved_pct: Decimal | None
    previous_value: Decimal | None
    joint_value: Decimal | None
    year: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class Acc:
    """One indicator's figures for one organisation (or the total) over the window."""

    total: Decimal = Decimal(0)
    count: int = 0
    maximum: Decimal | None = None
    last: Decimal | None = None
    last_end: dt.date | None = None
    joint: Decimal = Decimal(0)
    activity: Decimal = Decimal(0)
    seen: bool = False

    def add(self, value: Decimal, end: dt.date) -> None:
        self.seen = True
        self.total += value
        self.count += 1
        self.maximum = value if self.maximum is None else max(self.maximum, value)
        if self.last_end is None or end >= self.last_end:
            self.last, self.last_end = value, end

    def value(self, rule: str) -> Decimal | None:
        if not self.seen:
            return None
        if rule == A.SUM:
            return self.total + self.activity
        if rule == A.AVERAGE:
            return (self.total / self.count).quantize(Decimal("0.01")) if self.count else None
        if rule == A.MAX:
            return self.maximum
        if rule == A.LAST:
            return self.last
        return None


def _approved(qs, include_unapproved: bool):
    if include_unapproved:
        return qs
    approved = Submission.objects.filter(
        organization_id=OuterRef("organization_id"), period_id=OuterRef("period_id"), status=SubmissionStatus.APPROVED
    )
    return qs.filter(Exists(approved))


def data_figures(org_ids, indicator_ids, date_from, date_to, *, include_unapproved=False, year=None) -> dict[tuple, Acc]:
    """{(organization_id, indicator_id): Acc} from DataValues, grouped in the database."""
    qs = DataValue.objects.filter(
        organization_id__in=org_ids, indicator_id__in=indicator_ids, value__isnull=False,
        period__end__gte=date_from, period__end__lte=date_to,
    )
    if year is not None:
        qs = qs.filter(period__end__year=year)
    qs = _approved(qs, include_unapproved)
    grouped = (
        qs.values("organization_id", "indicator_id", "period__type", "period__end")
        .annotate(v=Sum("value"))
        .order_by()
    )
    by_key: dict[tuple, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for row in grouped:
        by_key[(row["organization_id"], row["indicator_id"])][row["period__type"]].append((row["period__end"], row["v"]))
    result: dict[tuple, Acc] = {}
    for key, types in by_key.items():
        finest = min(types, key=lambda t: TYPE_RANK.get(t, 9))
        acc = Acc()
        for end, value in types[finest]:
            acc.add(value, end)
        result[key] = acc
    return result


@dataclass
class ActivityFigures:
    per_org: dict[tuple, Decimal] = field(default_factory=dict)  # (org, indicator) → credited value
    joint_per_org: dict[tuple, Decimal] = field(default_factory=dict)
    total: dict[int, Decimal] = field(default_factory=dict)  # indicator → each activity once
    joint_total: dict[int, Decimal] = field(default_factory=dict)


def activity_figures(program: Program | None, org_ids, indicator_ids, date_from, date_to, *,
                     include_unapproved=False, year=None) -> ActivityFigures:
    """Figures of activities ended in the window, credited to lead and co-organisers."""
    qs = ActivityValue.objects.filter(
        indicator_id__in=indicator_ids, activity__status="done",
        activity__end_date__gte=date_from, activity__end_date__lte=date_to,
    ).filter(Q(activity__lead_organization_id__in=org_ids) | Q(activity__co_organizers__in=org_ids))
    if program is not None:
        qs = qs.filter(Q(activity__program=program) | Q(activity__program__isnull=True))
    if year is not None:
        qs = qs.filter(activity__end_date__year=year)
    if not include_unapproved:
        approved = Submission.objects.filter(
            organization_id=OuterRef("activity__lead_organization_id"), status=SubmissionStatus.APPROVED,
            period__type=periods.MONTH,
            period__start__lte=OuterRef("activity__end_date"), period__end__gte=OuterRef("activity__end_date"),
        )
        qs = qs.filter(Exists(approved))
    rows = list(qs.distinct().values_list("pk", "activity_id", "activity__lead_organization_id", "indicator_id", "value"))
    from phoihop.reporting.models import Activity

    co = defaultdict(set)
    for activity_id, org_id in Activity.co_organizers.through.objects.filter(
        activity_id__in={r[1] for r in rows}
    ).values_list("activity_id", "organization_id"):
        co[activity_id].add(org_id)
    figures = ActivityFigures()
    org_set = set(org_ids)
    for _pk, activity_id, lead_id, indicator_id, value in rows:
        credited = ({lead_id} | co[activity_id]) & org_set
        joint = bool(co[activity_id])
        figures.total[indicator_id] = figures.total.get(indicator_id, Decimal(0)) + value
        if joint:
            figures.joint_total[indicator_id] = figures.joint_total.get(indicator_id, Decimal(0)) + value
        for org_id in credited:
            key = (org_id, indicator_id)
            figures.per_org[key] = figures.per_org.get(key, Decimal(0)) + value
            if joint:
                figures.joint_per_org[key] = figures.joint_per_org.get(key, Decimal(0)) + value
    return figures


# ------------------------------------------------------------------ combining

def _combine(indicator: Indicator, per_org: dict[int, Acc], activity_total: Decimal) -> Decimal | None:
    """The total across organisations for a non-ratio indicator."""
    values = [acc.value(indicator.aggregation) for acc in per_org.values()]
    values = [v for v in values if v is not None]
    rule = indicator.aggregation
    if rule == A.SUM:
        own = sum((acc.total for acc in per_org.values() if acc.seen), Decimal(0))
        seen = any(acc.seen for acc in per_org.values()) or activity_total
        return own + activity_total if seen else None
    if not values:
        return None
    if rule == A.LAST:
        return sum(values, Decimal(0))
    if rule == A.MAX:
        return max(values)
    if rule == A.AVERAGE:
        total = sum((acc.total for acc in per_org.values() if acc.count), Decimal(0))
        count = sum(acc.count for acc in per_org.values())
        return (total / count).quantize(Decimal("0.01")) if count else None
    return None


def _ratio(numerator: Decimal | None, denominator: Decimal | None, scale: int) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator / denominator * scale).quantize(Decimal("0.01"))


@dataclass
class Figures:
    """Computed values of every indicator, per organisation and total."""

    per_org: dict[tuple, Decimal | None]  # (org, indicator) → value
    total: dict[int, Decimal | None]
    joint_per_org: dict[tuple, Decimal]
    joint_total: dict[int, Decimal]


def compute(program: Program | None, org_ids: list[int], indicators: list[Indicator], date_from, date_to, *,
            include_unapproved=False, year=None) -> Figures:
    base = [i for i in indicators if i.aggregation != A.RATIO]
    ratio = [i for i in indicators if i.aggregation == A.RATIO]
    needed = {i.pk for i in base} | {i.numerator_id for i in ratio} | {i.denominator_id for i in ratio}
    by_id = {i.pk: i for i in Indicator.objects.filter(pk__in=needed)}
    raw = data_figures(org_ids, needed, date_from, date_to, include_unapproved=include_unapproved, year=year)
    acts = activity_figures(program, org_ids, needed, date_from, date_to, include_unapproved=include_unapproved, year=year)
    per_org: dict[tuple, Decimal | None] = {}
    total: dict[int, Decimal | None] = {}
    for indicator_id in needed:
        indicator = by_id[indicator_id]
        accs = {}
        for org_id in org_ids:
            acc = raw.get((org_id, indicator_id), Acc())
            credited = acts.per_org.get((org_id, indicator_id))
            if credited is not None and indicator.aggregation == A.SUM:
                acc.activity = credited
                acc.seen = True
            accs[org_id] = acc
            per_org[(org_id, indicator_id)] = acc.value(indicator.aggregation)
        activity_total = acts.total.get(indicator_id, Decimal(0)) if indicator.aggregation == A.SUM else Decimal(0)
        total[indicator_id] = _combine(indicator, accs, activity_total)
    for indicator in ratio:
        for org_id in org_ids:
            per_org[(org_id, indicator.pk)] = _ratio(
                per_org.get((org_id, indicator.numerator_id)), per_org.get((org_id, indicator.denominator_id)), indicator.ratio_scale
            )
        total[indicator.pk] = _ratio(total.get(indicator.numerator_id), total.get(indicator.denominator_id), indicator.ratio_scale)
    return Figures(per_org, total, acts.joint_per_org, acts.joint_total)


# ------------------------------------------------------------------ targets

def targets(program: Program, indicators, org_ids, date_from, date_to, year=None) -> tuple[dict, dict]:
    """(per (org, indicator), total per indicator) targets for the window.

    Yearly targets of the years the window touches are added (for sum indicators; for other
    rules the latest year's target stands); a phase target (year empty) applies when the window
    covers the whole phase. The total is the program-wide target, else the sum of organisations'.
    """
    years = {year} if year else set(range(date_from.year, date_to.year + 1))
    covers_phase = date_from <= program.start and (program.end is None or date_to >= program.end)
    rows = Target.objects.filter(program=program, indicator__in=indicators).filter(
        Q(year__in=years) | Q(year__isnull=True)
    ).values_list("organization_id", "indicator_id", "year", "value")
    phase: dict[tuple, Decimal] = {}
    yearly: dict[tuple, list[tuple[int, Decimal]]] = defaultdict(list)
    for org_id, indicator_id, target_year, value in rows:
        key = (org_id, indicator_id)
        if target_year is None:
            phase[key] = value
        else:
            yearly[key].append((target_year, value))
    rules = {i.pk: i.aggregation for i in indicators}
    result: dict[tuple, Decimal] = {}
    for key in set(phase) | set(yearly):
        if covers_phase and key in phase and not year:
            result[key] = phase[key]
        elif yearly.get(key):
            values = sorted(yearly[key])
            result[key] = sum(v for _y, v in values) if rules.get(key[1]) == A.SUM else values[-1][1]
    per_org = {k: v for k, v in result.items() if k[0] is not None and k[0] in org_ids}
    total: dict[int, Decimal] = {}
    for (org_id, indicator_id), value in result.items():
        if org_id is None:
            total[indicator_id] = value
    program_wide = {k[1] for k in result if k[0] is None}
    for (_org_id, indicator_id), value in per_org.items():
        if indicator_id not in program_wide and rules.get(indicator_id) in (A.SUM, A.LAST):
            total[indicator_id] = total.get(indicator_id, Decimal(0)) + value
    return per_org, total


# ------------------------------------------------------------------ the public entry points

def _pct(value, target) -> Decimal | None:
    if value is None or not target:
        return None
    return (Decimal(value) / Decimal(target) * HUNDRED).quantize(Decimal("0.1"))


def program_indicators(program: Program) -> list[Indicator]:
    return list(
        Indicator.objects.filter(content_area__programs=program)
        .exclude(value_type=Indicator.ValueType.TEXT)
        .select_related("content_area").order_by("content_area__order", "order", "code")
    )


def previous_window(program: Program, date_from: dt.date, date_to: dt.date):
    """The phase before (predecessors) when the window is the whole phase; else a year earlier."""
    covers_phase = date_from <= program.start and (program.end is None or date_to >= program.end)
    predecessors = list(program.predecessors.all())
    if covers_phase and predecessors:
        start = min(p.start for p in predecessors)
        end = max(p.end or date_to for p in predecessors)
        return predecessors, start, end
    try:
        return [program], date_from.replace(year=date_from.year - 1), date_to.replace(year=date_to.year - 1)
    except ValueError:  # 29/02
        return [program], date_from - dt.timedelta(days=365), date_to - dt.timedelta(days=365)


def results(program_codes: list[str], date_from: dt.date, date_to: dt.date, *, include_unapproved=False,
            by_year=False, programs: list[Program] | None = None) -> list[ResultRow]:
    """Rows per program × content area × indicator × organisation (None = the total)."""
    programs = programs if programs is not None else list(Program.objects.filter(code__in=program_codes).order_by("start", "code"))
    rows: list[ResultRow] = []
    for program in programs:
        org_ids = list(program.parties.values_list("organization_id", flat=True))
        names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
        indicators = program_indicators(program)
        prev_programs, prev_from, prev_to = previous_window(program, date_from, date_to)
        prev_orgs = sorted({o for p in prev_programs for o in p.parties.values_list("organization_id", flat=True)} | set(org_ids))
        previous = compute(None, prev_orgs, indicators, prev_from, prev_to, include_unapproved=include_unapproved)
        years = list(range(date_from.year, date_to.year + 1)) if by_year else [None]
        for year in years:
            figures = compute(program, org_ids, indicators, date_from, date_to, include_unapproved=include_unapproved, year=year)
            org_targets, total_targets = targets(program, indicators, org_ids, date_from, date_to, year)
            for indicator in indicators:
                for org_id in [*org_ids, None]:
                    if org_id is None:
                        value = figures.total.get(indicator.pk)
                        target = total_targets.get(indicator.pk)
                        joint = figures.joint_total.get(indicator.pk)
                        prev = previous.total.get(indicator.pk)
                    else:
                        value = figures.per_org.get((org_id, indicator.pk))
                        target = org_targets.get((org_id, indicator.pk))
                        joint = figures.joint_per_org.get((org_id, indicator.pk))
                        prev = previous.per_org.get((org_id, indicator.pk))
                    rows.append(ResultRow(
                        program=program.code, content_area=indicator.content_area.code,
                        indicator=indicator.code, indicator_name=indicator.name, unit=indicator.unit,
                        organization=org_id, organization_name=names.get(org_id) if org_id else None,
                        value=value, target=target, achieved_pct=_pct(value, target),
                        previous_value=prev, joint_value=joint, year=year,
                    ))
    return rows


def missing_reports(program: Program, date_from: dt.date, date_to: dt.date) -> list[tuple[int, str]]:
    """(organisation id, period code) pairs with no approved report in the window (month periods)."""
    org_ids = list(program.parties.values_list("organization_id", flat=True))
    codes = periods.months_between(max(date_from, program.start), min(date_to, program.end or date_to))
    approved = set(
        Submission.objects.filter(
            organization_id__in=org_ids, period__code__in=codes, period__convention=program.period_convention,
            status=SubmissionStatus.APPROVED,
        ).values_list("organization_id", "period__code")
    )
    return [(o, c) for o in org_ids for c in codes if (o, c) not in approved]


def joint_values_for(organization: Organization, period) -> dict[int, Decimal]:
    """Figures of joint activities credited to an organisation in a period (shown in the grid)."""
    ids = list(Indicator.objects.values_list("pk", flat=True))
    acts = activity_figures(None, [organization.pk], ids, period.start, period.end, include_unapproved=True)
    return {ind: v for (org, ind), v in acts.per_org.items()}
