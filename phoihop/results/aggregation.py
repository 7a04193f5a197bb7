"""The single source of every figure shown in pages, API and documents (see docs/aggregation.md).

`results()` aggregates per program × content area × indicator × organisation (and the total),
optionally per year, with each indicator's rule:

- over time, per organisation: sum | average | last (latest period) | max;
- across organisations (the total), from the organisations' values: sum for sum and last,
  the mean of the organisations' averages for average, the largest for max;
- ratio: numerator and denominator aggregated first (per organisation, and for the total), then
  divided — never an average of ratios;
- an organisation with no figure has the value None (not 0); so has a total nobody reported.

Figures of activities (`ActivityValue`) are stored once and credited to every organisation that
ran the activity (the lead and the co-organisers); they count for sum indicators only. Each
organisation's figure includes them, the total counts each activity once, and `joint_value` says
how much of a figure came from joint activities.

Which periods count: those whose window ends inside [date_from, date_to]; an activity counts when
its end date is inside. Per organisation and indicator, only the finest period type reported is
used (months if there are months, else quarters…), so a quarter never adds to the months it
contains; for `last` the latest period of any type wins (the finer one on a tie).

Only approved data counts unless `include_unapproved=True` (the draft mode, marked as such): a
value counts when its organisation's report for that period is approved; an activity's figure
when the lead's report for a period containing the activity's end date is approved.

Targets: yearly targets of the years the window touches (added up for sum indicators, each pro
rata by days for the part of its year that the window and the phase cover — `target_shares()`;
the latest otherwise); a phase target (no year) when the window covers the whole phase; the
total's target is the program-wide one, else the sum of the organisations' targets (sum and last
indicators).
Previous value, like for like (`comparison()`): the same months of the predecessors'
corresponding year(s) (the window moved back by the years between the phases' first years), else
— no predecessor — the same window a year earlier inside the phase; each party's figure from
itself or its predecessors/successors (organisation succession) among the previous parties, the
total over those only; no previous value when no such window or organisation exists (per year in
by-year mode: the year before).

All the heavy lifting is done by the database: values are grouped per period cell, then per
organisation × indicator × period type in one SQL statement, so the number of rows read into
Python does not grow with the number of periods or values.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict, defaultdict
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import connections
from django.db.models import Q

from phoihop.core.formatting import json_number
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.reporting import obligations, periods
from phoihop.reporting.credits import ActivityFigures, activity_figures
from phoihop.reporting.models import (
    DataValue,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
    Target,
)
from phoihop.results import rollup

TYPE_RANK = {periods.MONTH: 0, periods.QUARTER: 1, periods.HALF: 2, periods.NINE_MONTHS: 3, periods.YEAR: 4, periods.PHASE: 5}
A = Indicator.Aggregation
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


_FIGURES = ("value", "target", "achieved_pct", "previous_value", "joint_value")
# The JSON form of a result row, field by field with its JSON type: what `ResultRow.as_json` gives,
# `phoihop results --format json` prints and `GET /api/results` declares (results/api.py).
JSON_FIELDS: dict[str, object] = {
    "program": str, "content_area": str, "indicator": str, "indicator_name": str, "unit": str,
    "organization": int | None, "organization_name": str | None, "year": int | None,
    **dict.fromkeys(_FIGURES, int | float | None),
    "approved_only": bool,
}


@dataclass(slots=True, frozen=True)  # ~400 000 rows for a nation-wide phase; shared by the cache
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

    def as_json(self, approved_only: bool = True) -> dict:
        """The row as JSON-ready values (`JSON_FIELDS`, in that order)."""
        row = {name: getattr(self, name) for name in JSON_FIELDS if name != "approved_only"}
        for name in _FIGURES:
            row[name] = json_number(row[name])
        return {**row, "approved_only": approved_only}


@dataclass(slots=True)
class Acc:
    """One indicator's figures for one organisation over the window."""

    total: Decimal = Decimal(0)
    count: int = 0
    maximum: Decimal | None = None
    last: Decimal | None = None
    last_end: dt.date | None = None
    activity: Decimal = Decimal(0)  # credited figures of activities (sum indicators only)
    seen: bool = False  # the organisation reported a value
    credited: bool = False  # an activity figure is credited to it

    def add(self, value: Decimal, end: dt.date) -> None:
        """Add one period's value (kept for callers that feed values one by one)."""
        self.seen = True
        self.total += value
        self.count += 1
        self.maximum = value if self.maximum is None else max(self.maximum, value)
        if self.last_end is None or end >= self.last_end:
            self.last, self.last_end = value, end

    def mean(self) -> Decimal | None:
        return self.total / self.count if self.seen and self.count else None

    def value(self, rule: str) -> Decimal | None:
        if rule == A.SUM:
            if not (self.seen or self.credited):
                return None
            return self.total + self.activity
        if not self.seen:
            return None
        if rule == A.AVERAGE:
            mean = self.mean()
            return mean.quantize(CENT) if mean is not None else None
        if rule == A.MAX:
            return self.maximum
        if rule == A.LAST:
            return self.last
        return None


# One statement: values summed per period cell (options added up), then per organisation ×
# indicator × period type: total, number of periods, largest period value, latest period and its
# value. Written by hand so that PostgreSQL always sees plain joins on indexed keys: the periods
# of the range as a list of ids (the (period, organization) index), the approval as a join on the
# report's unique (organization, period) key. (A correlated EXISTS and an IN subquery let it plan
# a nested loop that ran for minutes when its statistics were off; a self-join on the CTE did too,
# hence the window function for the latest period.)
_GROUPED_SQL = """
WITH cell AS (
    SELECT v.organization_id AS o, v.indicator_id AS i, p.type AS pt, p."end" AS pe, SUM(v.value) AS v
    FROM reporting_datavalue v
    JOIN reporting_period p ON p.id = v.period_id
    {approved}
    WHERE v.value IS NOT NULL AND v.period_id IN ({periods}) AND v.organization_id IN ({orgs})
      AND v.indicator_id IN ({indicators})
    GROUP BY v.organization_id, v.indicator_id, v.period_id, p.type, p."end"
),
ranked AS (
    SELECT o, i, pt, v, pe, MAX(pe) OVER (PARTITION BY o, i, pt) AS last_end FROM cell
)
SELECT o, i, pt, SUM(v) AS total, COUNT(*) AS n, MAX(v) AS top, MAX(last_end) AS last_end,
       SUM(CASE WHEN pe = last_end THEN v ELSE 0 END) AS last_value
FROM ranked GROUP BY o, i, pt
"""
_APPROVED_JOIN = (
    "JOIN reporting_submission s ON s.organization_id = v.organization_id AND s.period_id = v.period_id AND s.status = %s"
)


def _value_rows(org_ids: list[int], indicator_ids: list[int], date_from: dt.date, date_to: dt.date,
                include_unapproved: bool):
    """The grouped figures of the periods ending in [date_from, date_to], read from the values."""
    period_ids = list(Period.objects.filter(end__gte=date_from, end__lte=date_to).values_list("pk", flat=True))
    if not period_ids:
        return
    indicators = sorted(indicator_ids)
    using = DataValue.objects.db
    with connections[using].cursor() as cursor:
        for i in range(0, len(org_ids), 10_000):
            chunk = org_ids[i:i + 10_000]
            sql = _GROUPED_SQL.format(
                approved="" if include_unapproved else _APPROVED_JOIN, periods=", ".join(["%s"] * len(period_ids)),
                orgs=", ".join(["%s"] * len(chunk)), indicators=", ".join(["%s"] * len(indicators)),
            )
            params = [*([] if include_unapproved else [SubmissionStatus.APPROVED]), *period_ids, *chunk, *indicators]
            cursor.execute(sql, params)
            yield from cursor.fetchall()


def _split_window(date_from: dt.date, date_to: dt.date, year: int | None):
    """(first, last, edges): the whole calendar years inside the window (read from the rollup)
    and the date ranges left at either end (read from the data values)."""
    lo, hi = date_from, date_to
    if year is not None:
        lo, hi = max(lo, dt.date(year, 1, 1)), min(hi, dt.date(year, 12, 31))
    if lo > hi:
        return None, None, []
    first = lo.year if (lo.month, lo.day) == (1, 1) else lo.year + 1
    last = hi.year if (hi.month, hi.day) == (12, 31) else hi.year - 1
    if first > last:
        return None, None, [(lo, hi)]
    edges = []
    if lo < dt.date(first, 1, 1):
        edges.append((lo, dt.date(first - 1, 12, 31)))
    if hi > dt.date(last, 12, 31):
        edges.append((dt.date(last + 1, 1, 1), hi))
    return first, last, edges


# The rollup's rows of whole years, combined per organisation × indicator × period type exactly
# as `_GROUPED_SQL` combines periods: totals and counts added, the largest kept, the latest
# period's value taken from the year holding it.
_ROLLUP_SQL = """
WITH part AS (
    SELECT organization_id AS o, indicator_id AS i, period_type AS pt, total, "count" AS n, top, last_end, last_value
    FROM reporting_rollup
    WHERE year >= %s AND year <= %s {approved} AND organization_id IN ({orgs}) AND indicator_id IN ({indicators})
),
ranked AS (SELECT o, i, pt, total, n, top, last_end, last_value, MAX(last_end) OVER (PARTITION BY o, i, pt) AS le FROM part)
SELECT o, i, pt, SUM(total), SUM(n), MAX(top), MAX(le), SUM(CASE WHEN last_end = le THEN last_value ELSE 0 END)
FROM ranked GROUP BY o, i, pt
"""


def _rollup_rows(org_ids, indicator_ids, first: int, last: int, include_unapproved: bool):
    using = DataValue.objects.db
    rollup.refresh(using)
    approved = "" if include_unapproved else "AND approved = %s"
    indicators = sorted(indicator_ids)
    with connections[using].cursor() as cursor:
        for i in range(0, len(org_ids), rollup.CHUNK * 20):
            chunk = org_ids[i:i + rollup.CHUNK * 20]
            sql = _ROLLUP_SQL.format(
                approved=approved, orgs=", ".join(["%s"] * len(chunk)), indicators=", ".join(["%s"] * len(indicators)),
            )
            params = [first, last, *([] if include_unapproved else [True]), *chunk, *indicators]
            cursor.execute(sql, params)
            yield from cursor.fetchall()


def _merge(into: Acc | None, part: Acc) -> Acc:
    """Two partial figures of the same organisation × indicator × period type as one."""
    if into is None:
        return part
    into.total += part.total
    into.count += part.count
    into.maximum = part.maximum if into.maximum is None else max(into.maximum, part.maximum)
    if into.last_end is None or part.last_end > into.last_end:
        into.last, into.last_end = part.last, part.last_end
    elif part.last_end == into.last_end:
        into.last += part.last
    return into


def data_figures(org_ids, indicator_ids, date_from, date_to, *, include_unapproved=False, year=None,
                 rules: dict[int, str] | None = None, from_values: bool = False) -> dict[tuple, Acc]:
    """{(organization_id, indicator_id): Acc} from DataValues, grouped in the database.

    Whole calendar years come from the rollup (`results/rollup.py`), kept right by triggers;
    the part of the window outside whole years is grouped from the data values themselves.
    `from_values=True` reads every period from the data values (the reference the rollup is
    tested against).
    """
    org_ids, indicator_ids = list(org_ids), list(indicator_ids)
    if not org_ids or not indicator_ids:
        return {}
    first, last, edges = _split_window(date_from, date_to, year)
    if from_values and first is not None:
        edges = [(max(date_from, dt.date(year or 1, 1, 1)), min(date_to, dt.date(year or 9999, 12, 31)))]
        first = last = None
    rows = []
    if first is not None:
        rows.append(_rollup_rows(org_ids, indicator_ids, first, last, include_unapproved))
    for edge_from, edge_to in edges:
        rows.append(_value_rows(org_ids, indicator_ids, edge_from, edge_to, include_unapproved))
    if rules is None:
        rules = dict(Indicator.objects.filter(pk__in=indicator_ids).values_list("pk", "aggregation"))
    by_key: dict[tuple, dict[str, Acc]] = defaultdict(dict)
    for source in rows:
        for o, i, pt, total, n, top, last_end, last_value in source:
            part = Acc(total=rollup.decimal_of(total), count=int(n), maximum=rollup.decimal_of(top), last=rollup.decimal_of(last_value),
                       last_end=rollup.date_of(last_end), seen=True)
            by_key[(o, i)][pt] = _merge(by_key[(o, i)].get(pt), part)
    result: dict[tuple, Acc] = {}
    for key, types in by_key.items():
        if rules.get(key[1]) == A.LAST:
            chosen = max(types, key=lambda t: (types[t].last_end, -TYPE_RANK.get(t, 9)))
        else:
            chosen = min(types, key=lambda t: TYPE_RANK.get(t, 9))
        result[key] = types[chosen]
    return result


# ------------------------------------------------------------------ combining

def _combine(indicator: Indicator, per_org: dict[int, Acc], activity_total: Decimal | None) -> Decimal | None:
    """The total across organisations for a non-ratio indicator (None when nobody reported)."""
    rule = indicator.aggregation
    if rule == A.SUM:
        if not any(acc.seen for acc in per_org.values()) and activity_total is None:
            return None
        own = sum((acc.total for acc in per_org.values() if acc.seen), Decimal(0))
        return own + (activity_total or Decimal(0))
    if rule == A.AVERAGE:
        means = [m for m in (acc.mean() for acc in per_org.values()) if m is not None]
        return (sum(means, Decimal(0)) / len(means)).quantize(CENT) if means else None
    values = [v for v in (acc.value(rule) for acc in per_org.values()) if v is not None]
    if not values:
        return None
    if rule == A.LAST:
        return sum(values, Decimal(0))
    if rule == A.MAX:
        return max(values)
    return None


def _ratio(numerator: Decimal | None, denominator: Decimal | None, scale: int) -> Decimal | None:
    if numerator is None or not denominator:
        return None
    return (numerator / denominator * scale).quantize(CENT)


@dataclass
class Figures:
    """Computed values of every indicator, per organisation and total."""

    per_org: dict[tuple, Decimal | None]  # (org, indicator) → value
    total: dict[int, Decimal | None]
    joint_per_org: dict[tuple, Decimal]
    joint_total: dict[int, Decimal]
    own: set[tuple] = field(default_factory=set)  # (org, indicator) pairs with values of their own


def compute(program: Program | None, org_ids: list[int], indicators: list[Indicator], date_from, date_to, *,
            include_unapproved=False, year=None, programs: list[Program] | None = None) -> Figures:
    """Values of `indicators` per organisation and in total over the window.

    Activities are limited to `program`'s (or to `programs`'), plus activities of no program;
    with neither, every activity of the organisations counts.
    """
    org_ids = list(org_ids)
    ratio = [i for i in indicators if i.aggregation == A.RATIO]
    needed = {i.pk for i in indicators if i.aggregation != A.RATIO}
    needed |= {i.numerator_id for i in ratio} | {i.denominator_id for i in ratio}
    needed.discard(None)
    by_id = {i.pk: i for i in Indicator.objects.filter(pk__in=needed)}
    rules = {pk: i.aggregation for pk, i in by_id.items()}
    raw = data_figures(org_ids, needed, date_from, date_to, include_unapproved=include_unapproved, year=year, rules=rules)
    sum_ids = {pk for pk, rule in rules.items() if rule == A.SUM}
    acts = activity_figures(program, org_ids, sum_ids, date_from, date_to, include_unapproved=include_unapproved,
                            year=year, programs=programs) if sum_ids else ActivityFigures()
    per_org: dict[tuple, Decimal | None] = {}
    total: dict[int, Decimal | None] = {}
    for indicator_id, indicator in by_id.items():
        accs = {}
        for org_id in org_ids:
            acc = raw.get((org_id, indicator_id)) or Acc()
            credited = acts.per_org.get((org_id, indicator_id))
            if credited is not None:
                acc.activity, acc.credited = credited, True
            accs[org_id] = acc
            per_org[(org_id, indicator_id)] = acc.value(indicator.aggregation)
        total[indicator_id] = _combine(indicator, accs, acts.total.get(indicator_id))
    for indicator in ratio:
        for org_id in org_ids:
            per_org[(org_id, indicator.pk)] = _ratio(
                per_org.get((org_id, indicator.numerator_id)), per_org.get((org_id, indicator.denominator_id)),
                indicator.ratio_scale,
            )
        total[indicator.pk] = _ratio(total.get(indicator.numerator_id), total.get(indicator.denominator_id), indicator.ratio_scale)
    own = {key for key, acc in raw.items() if acc.seen}
    return Figures(per_org, total, acts.joint_per_org, acts.joint_total, own)


# ------------------------------------------------------------------ targets

def covers_phase(program: Program, date_from: dt.date, date_to: dt.date) -> bool:
    return date_from <= program.start and (program.end is None or date_to >= program.end)


def targets(program: Program, indicators, org_ids, date_from, date_to, year=None, *,
            reported: set[tuple] | None = None) -> tuple[dict, dict]:
    """(per (org, indicator), total per indicator) targets for the window.

    Yearly targets of the years the window touches are added (for sum indicators; for other
    rules the latest year's target stands); a phase target (year empty) applies when the window
    covers the whole phase. The total is the program-wide target, else the sum of organisations'
    (sum and last indicators) — and only when every organisation in `reported` (the (org,
    indicator) pairs with values of their own) has a target, so the total is never compared with
    the targets of only some of the organisations that produced it.
    """
    years = {year} if year else set(target_years(program, date_from, date_to))
    whole_phase = covers_phase(program, date_from, date_to) and not year
    shares = {y: Decimal(part) / Decimal(whole) if whole else Decimal(0)
              for y, (part, whole) in _shares(program, date_from, date_to).items() if part < whole or not whole}
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
        if whole_phase and key in phase:
            result[key] = phase[key]
        elif yearly.get(key):
            values = sorted(yearly[key])
            if rules.get(key[1]) == A.SUM:
                result[key] = sum(_share(v, shares.get(y)) for y, v in values)
            else:
                result[key] = values[-1][1]
    org_set = set(org_ids)
    per_org = {k: v for k, v in result.items() if k[0] is not None and k[0] in org_set}
    total: dict[int, Decimal] = {k[1]: v for k, v in result.items() if k[0] is None}
    summed: dict[int, Decimal] = {}
    for (_org_id, indicator_id), value in per_org.items():
        if indicator_id not in total and rules.get(indicator_id) in (A.SUM, A.LAST):
            summed[indicator_id] = summed.get(indicator_id, Decimal(0)) + value
    for indicator_id, value in summed.items():
        uncovered = reported is not None and any(
            (org_id, indicator_id) not in per_org for org_id, ind in reported if ind == indicator_id
        )
        if not uncovered:
            total[indicator_id] = value
    return per_org, total


def _year_part(program: Program, year: int, date_from: dt.date | None = None, date_to: dt.date | None = None) -> int:
    """Days of the reporting year `year` (its window under the program's convention: 15/12 → 14/12
    under Decree 09) inside the program's phase, and inside [date_from, date_to] when given."""
    window = periods.parse(str(year), program.period_convention)
    lo = max(d for d in (window.start, program.start, date_from) if d is not None)
    hi = min(d for d in (window.end, program.end, date_to) if d is not None)
    return max((hi - lo).days + 1, 0)


def target_years(program: Program, date_from: dt.date, date_to: dt.date) -> list[int]:
    """The reporting years the window touches (under Decree 09, 20/12/2025 is in the year 2026)."""
    first, last = (int(periods.covering(d, periods.YEAR, program.period_convention)) for d in (date_from, date_to))
    return list(range(first, last + 1))


def counted_span(program: Program, date_from: dt.date, date_to: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose figures the window counts: from the start of the month holding `date_from`
    to the end of the last month ending by `date_to` (a period counts when its window ends inside
    the window; under Decree 09, 01/01 – 08/12/2026 counts 15/12/2025 – 14/11/2026)."""
    convention = program.period_convention
    first = periods.parse(periods.covering(date_from, periods.MONTH, convention), convention)
    last = periods.parse(periods.covering(date_to, periods.MONTH, convention), convention)
    return first.start, (last.end if last.end == date_to else last.start - dt.timedelta(days=1))


def _shares(program: Program, date_from: dt.date, date_to: dt.date) -> dict[int, tuple[int, int]]:
    """year → (days counted, days of the year in the phase), for every year the window touches."""
    lo, hi = counted_span(program, date_from, date_to)
    return {y: (_year_part(program, y, lo, hi) if lo <= hi else 0, _year_part(program, y))
            for y in target_years(program, date_from, date_to)}


def target_shares(program: Program, date_from: dt.date, date_to: dt.date) -> list[tuple[int, int, int]]:
    """(year, days counted, days of the year in the phase) for each year whose target counts only
    in part: a yearly target of a sum indicator is for the program's part of that year, so over
    a window it counts pro rata by days — the days of the year that both the window and the
    phase cover (`counted_span`), over the days of the year the phase covers. Years counted whole
    are left out."""
    return [(y, part, whole) for y, (part, whole) in _shares(program, date_from, date_to).items() if 0 < part < whole]


def _share(value: Decimal, share: Decimal | None) -> Decimal:
    if share is None:
        return value
    return (value * share).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


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


def _years_earlier(day: dt.date, years: int = 1) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29/02
        return day.replace(year=day.year - years, day=28)


def _year_earlier(day: dt.date) -> dt.date:
    return _years_earlier(day, 1)


@dataclass(frozen=True)
class Comparison:
    """What the previous figures of a window are compared with, like for like.

    kind "phase": the same months of the predecessors' corresponding year(s) — the window moved
    back by the years between the phases' first years (a window from the phase's start whose
    moved start falls before the previous phase began: the same length from the previous phase's
    start); "year": the same window a year earlier,
    inside the same program's phase (a program without predecessors); "none": no comparison,
    `reason` says why ("outside_previous_phase", "before_phase", "no_common_organizations").
    `counterparts`: each party of the program → the organisations whose figures are its previous
    figure (itself or its predecessors/successors by organisation succession, among the
    previous parties); `left_out`: previous parties with no counterpart (not counted anywhere)."""

    kind: str
    programs: tuple = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    counterparts: dict = field(default_factory=dict)
    left_out: tuple = ()
    reason: str = ""

    @property
    def possible(self) -> bool:
        return self.kind != "none"


def _succession_closure(org_ids: set[int]) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """(successors, predecessors) of every organisation reachable from `org_ids`, transitively."""
    from phoihop.organizations.models import OrganizationSuccession

    up: dict[int, set[int]] = defaultdict(set)
    down: dict[int, set[int]] = defaultdict(set)
    seen, frontier = set(), set(org_ids)
    while frontier:
        seen |= frontier
        links = OrganizationSuccession.objects.filter(Q(predecessor_id__in=frontier) | Q(successor_id__in=frontier))
        found = set()
        for before, after in links.values_list("predecessor_id", "successor_id"):
            down[before].add(after)
            up[after].add(before)
            found |= {before, after}
        frontier = found - seen
    return down, up


def _reach(start: int, links: dict[int, set[int]]) -> set[int]:
    found, stack = set(), [start]
    while stack:
        for nxt in links.get(stack.pop(), ()):
            if nxt not in found:
                found.add(nxt)
                stack.append(nxt)
    return found


def comparison(program: Program, date_from: dt.date, date_to: dt.date, org_ids: list[int] | None = None) -> Comparison:
    """The like-for-like comparison of a window (see `Comparison`): the same length of time at the
    same position of the previous phase, the same organisations or their predecessors/successors."""
    if org_ids is None:
        org_ids = list(program.parties.values_list("organization_id", flat=True))
    predecessors = sorted(program.predecessors.all(), key=lambda p: (p.start, p.code))
    if predecessors:
        first = predecessors[0].start
        years = max(program.start.year - first.year, 1)
        lo, hi = _years_earlier(date_from, years), _years_earlier(date_to, years)
        if lo < first and date_from <= program.start:
            # From the phase's start (the phase to date, the whole phase) while the previous phase
            # began later in its year: the same length from the previous phase's start.
            lo, hi = first, first + (date_to - max(date_from, program.start))
        last = max((p.end or hi) for p in predecessors)
        if lo < first or hi > last:
            return Comparison("none", tuple(predecessors), lo, hi, reason="outside_previous_phase")
        previous_parties = {o for p in predecessors for o in p.parties.values_list("organization_id", flat=True)}
        kind, programs = "phase", tuple(predecessors)
    else:
        lo, hi = _year_earlier(date_from), _year_earlier(date_to)
        if lo < program.start:
            return Comparison("none", (program,), lo, hi, reason="before_phase")
        previous_parties, kind, programs = set(org_ids), "year", (program,)
    down, up = _succession_closure(set(org_ids))
    counterparts = {o: sorted(({o} | _reach(o, up) | _reach(o, down)) & previous_parties) for o in org_ids}
    # A previous party counted for two current parties (one body split in two) would count twice
    # in the rows and once in the total: it is left out of both.
    uses: dict[int, int] = defaultdict(int)
    for members in counterparts.values():
        for member in members:
            uses[member] += 1
    counterparts = {o: [m for m in members if uses[m] == 1] for o, members in counterparts.items()}
    counted = {m for members in counterparts.values() for m in members}
    if not counted:
        return Comparison("none", programs, lo, hi, reason="no_common_organizations")
    return Comparison(kind, programs, lo, hi, counterparts, tuple(sorted(previous_parties - counted)))


def previous_window(program: Program, date_from: dt.date, date_to: dt.date):
    """(programs, from, to) of `comparison()` (programs empty when no comparison can be made)."""
    found = comparison(program, date_from, date_to)
    return (list(found.programs) if found.possible else []), found.date_from, found.date_to


def _group_value(indicator_id: int, members: list[int], per_org: dict, rules: dict) -> Decimal | None:
    """The previous figure of one party from its counterparts' (its own, or its predecessors'
    combined as across organisations: sum for sum and last, mean for average, the largest for
    max; a ratio from its combined numerator and denominator)."""
    rule, numerator, denominator, scale = rules[indicator_id]
    if rule == A.RATIO:
        if len(members) == 1:
            return per_org.get((members[0], indicator_id))
        if numerator is None or denominator is None:
            return None
        return _ratio(_group_value(numerator, members, per_org, rules), _group_value(denominator, members, per_org, rules), scale)
    values = [v for v in (per_org.get((m, indicator_id)) for m in members) if v is not None]
    if not values:
        return None
    if rule in (A.SUM, A.LAST):
        return sum(values, Decimal(0))
    if rule == A.AVERAGE:
        return (sum(values, Decimal(0)) / len(values)).quantize(CENT)
    return max(values)


def previous_figures(program: Program, org_ids: list[int], indicators: list[Indicator], found: Comparison, *,
                     include_unapproved: bool) -> tuple[dict, dict]:
    """(per (party, indicator), total per indicator) previous figures under `found`: each party's
    from its counterparts, the total over all the counterparts (each joint activity once)."""
    if not found.possible:
        return {}, {}
    members = sorted({m for ms in found.counterparts.values() for m in ms})
    previous = compute(None, members, indicators, found.date_from, found.date_to,
                       include_unapproved=include_unapproved, programs=list(found.programs))
    ids = {i.pk for i in indicators} | {i.numerator_id for i in indicators} | {i.denominator_id for i in indicators}
    rules = {pk: (rule, num, den, scale) for pk, rule, num, den, scale in Indicator.objects.filter(pk__in=ids - {None})
             .values_list("pk", "aggregation", "numerator_id", "denominator_id", "ratio_scale")}
    per_org = {(o, i.pk): _group_value(i.pk, found.counterparts.get(o, []), previous.per_org, rules)
               for o in org_ids for i in indicators}
    return per_org, {i.pk: previous.total.get(i.pk) for i in indicators}


class _ResultCache:
    """The last few `results()` of this process, each under the version tokens of the figures it
    read (results/rollup.py): any write that could change a figure replaces a token first, so
    an entry is only found while its figures are still exactly right. Rows are frozen."""

    def __init__(self, size: int = 8, max_rows: int = 100_000):
        self.size, self.max_rows = size, max_rows
        self.entries: OrderedDict[tuple, list[ResultRow]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> list[ResultRow] | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple, rows: list[ResultRow]) -> None:
        if len(rows) > self.max_rows:
            return
        with self.lock:
            self.entries[key] = rows
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


result_cache = _ResultCache()


def results(program_codes: list[str], date_from: dt.date, date_to: dt.date, *, include_unapproved=False,
            by_year=False, programs: list[Program] | None = None) -> list[ResultRow]:
    """Rows per program × content area × indicator × organisation (None = the total).

    Served from `result_cache` while the version tokens of the figures are unchanged."""
    programs = programs if programs is not None else list(Program.objects.filter(code__in=program_codes).order_by("start", "code"))
    using = DataValue.objects.db
    rollup.refresh(using)
    stamp = rollup.stamp(include_unapproved, using)
    key = (connections[using].settings_dict["NAME"], tuple(p.pk for p in programs), date_from, date_to,
           include_unapproved, by_year, stamp)
    if stamp is not None and (cached := result_cache.get(key)) is not None:
        return list(cached)
    rows = _results(programs, date_from, date_to, include_unapproved=include_unapproved, by_year=by_year)
    if stamp is not None:
        result_cache.put(key, rows)
    return list(rows)


def _year_figures(memo: dict, program, org_ids, indicators, lo: dt.date, hi: dt.date, year: int,
                  include_unapproved: bool) -> Figures:
    """compute() of one year of a window, once per range it really reads (by-year results ask for
    each year twice: as itself and as the next year's previous year)."""
    key = (max(lo, dt.date(year, 1, 1)), min(hi, dt.date(year, 12, 31)))
    if key not in memo:
        memo[key] = compute(program, org_ids, indicators, lo, hi, include_unapproved=include_unapproved, year=year)
    return memo[key]


def _results(programs: list[Program], date_from: dt.date, date_to: dt.date, *, include_unapproved: bool,
             by_year: bool) -> list[ResultRow]:
    rows: list[ResultRow] = []
    for program in programs:
        org_ids = list(program.parties.order_by("order", "id").values_list("organization_id", flat=True))
        names = dict(Organization.objects.filter(pk__in=org_ids).values_list("pk", "name"))
        indicators = program_indicators(program)
        found = None if by_year else comparison(program, date_from, date_to, org_ids)
        years = list(range(date_from.year, date_to.year + 1)) if by_year else [None]
        by_range: dict[tuple, Figures] = {}  # by year: a year's figures are also the next year's "previous"
        for year in years:
            if year is None:
                figures = compute(program, org_ids, indicators, date_from, date_to, include_unapproved=include_unapproved)
                prev_per_org, prev_total = previous_figures(program, org_ids, indicators, found,
                                                            include_unapproved=include_unapproved)
            else:
                figures, previous = (
                    _year_figures(by_range, program, org_ids, indicators, lo, hi, y, include_unapproved)
                    for lo, hi, y in ((date_from, date_to, year), (_year_earlier(date_from), _year_earlier(date_to), year - 1))
                )
                prev_per_org, prev_total = previous.per_org, previous.total
            org_targets, total_targets = targets(program, indicators, org_ids, date_from, date_to, year, reported=figures.own)
            for indicator in indicators:
                area_code = indicator.content_area.code
                for org_id in [*org_ids, None]:
                    if org_id is None:
                        value = figures.total.get(indicator.pk)
                        target = total_targets.get(indicator.pk)
                        joint = figures.joint_total.get(indicator.pk)
                        prev = prev_total.get(indicator.pk)
                    else:
                        value = figures.per_org.get((org_id, indicator.pk))
                        target = org_targets.get((org_id, indicator.pk))
                        joint = figures.joint_per_org.get((org_id, indicator.pk))
                        prev = prev_per_org.get((org_id, indicator.pk))
                    rows.append(ResultRow(
                        program=program.code, content_area=area_code,
                        indicator=indicator.code, indicator_name=indicator.name, unit=indicator.unit,
                        organization=org_id, organization_name=names.get(org_id) if org_id else None,
                        value=value, target=target, achieved_pct=_pct(value, target),
                        previous_value=prev, joint_value=joint, year=year,
                    ))
    return rows


def missing_reports(program: Program, date_from: dt.date, date_to: dt.date) -> list[tuple[int, str]]:
    """(organisation id, month code) pairs with no approved monthly report, for the months of the
    program's convention whose window ends inside both the window and the program's phase and that
    the party owes the program (`reporting.obligations.owed_under`: a draft program is owed
    nothing, an organisation nothing before it existed or after it ended)."""
    org_ids = list(program.parties.values_list("organization_id", flat=True))
    by_id = Organization.objects.in_bulk(org_ids)
    parties = [by_id[o] for o in org_ids]
    lo, hi = max(date_from, program.start), min(date_to, program.end or date_to)
    convention = program.period_convention
    candidates = periods.months_between(lo, hi + dt.timedelta(days=31)) if lo <= hi else []
    windows = [w for w in (periods.parse(c, convention) for c in candidates) if lo <= w.end <= hi]
    approved = set(
        Submission.objects.filter(
            organization_id__in=org_ids, period__code__in=[w.code for w in windows], period__convention=convention,
            status=SubmissionStatus.APPROVED,
        ).values_list("organization_id", "period__code")
    )
    return [(o.pk, w.code) for o in parties for w in windows
            if (o.pk, w.code) not in approved and obligations.owed_under(program, o, w)]
