"""What the dashboards show, computed once for every page that shows it.

- Report states (my periods, the completeness and timeliness heat map, the approval queue) come
  from `Submission` rows; the functions here are also meant for `reporting.views.my_periods` and
  `reporting.views.approval_queue`, so the same state never gets two computations.
- Every figure of a program comes from `results.aggregation` (`results()` once per request and
  program, `missing_reports()`); nothing here reads `DataValue`s. Percentages against the previous
  phase and differences are arithmetic on those rows, nothing more.

See docs/dashboards.md.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.core.formatting import number_vi, short_date
from phoihop.organizations.models import Organization
from phoihop.programs.access import programs_visible_to
from phoihop.programs.models import Program, ProgramParty, ProgramStatus
from phoihop.reporting import access as reporting_access
from phoihop.reporting import periods
from phoihop.reporting.models import Indicator, Submission
from phoihop.reporting.overview import (  # noqa: F401 - shared with the reporting pages
    HeatCell,
    HeatRow,
    PeriodRow,
    approvable_submissions,
    completeness_matrix,
    open_reports,
    period_row,
    period_rows,
    recent_month_codes,
    recent_period_rows,
    returned_reports,
)
from phoihop.results import aggregation

HUNDRED = Decimal(100)
TENTH = Decimal("0.1")

# ------------------------------------------------------------------ who sees which dashboard

def may_use_office(user) -> bool:
    """The standing-office dashboard: approvers and committee administrators (and system admins)."""
    return perms.is_system_admin(user) or bool(perms.org_ids_with(user, perms.APPROVE))


def may_use_reporter(user) -> bool:
    """The reporter's dashboard: anyone who reports for an organisation (and system admins)."""
    return perms.is_system_admin(user) or bool(perms.org_ids_with(user, perms.REPORT))


def dashboards_for(user) -> list[str]:
    """The dashboards this user may open, most relevant first ("office", "reporter", "leader")."""
    names = []
    if may_use_office(user):
        names.append("office")
    if may_use_reporter(user):
        names.append("reporter")
    names.append("leader")
    return names




def reporting_organizations(org_ids: Iterable[int]) -> QuerySet[Organization]:
    """Of these organisations, those that are a party of a program (the ones that report)."""
    return (Organization.objects.filter(pk__in=list(org_ids), program_parties__isnull=False)
            .distinct().order_by("name"))


def heat_map_months(org_ids: Iterable[int], today: dt.date, year: int | None = None) -> tuple[list[str], int | None]:
    """The months of the heat map, oldest first, and the year shown when it is a whole year.

    A chosen year: its 12 months. Otherwise the last 12 months; when none of the organisations
    has a report in them (a finished program, the demo), the latest year that has reports."""
    if year:
        return [periods.month_code(year, m) for m in range(1, 13)], year
    codes = list(reversed(recent_month_codes(today, 12)))
    ids = list(org_ids)
    if Submission.objects.filter(organization_id__in=ids, period__code__in=codes).exists():
        return codes, None
    latest = Submission.objects.filter(organization_id__in=ids, period__type=periods.MONTH).aggregate(y=Max("period__year"))["y"]
    if latest:
        return [periods.month_code(latest, m) for m in range(1, 13)], latest
    return codes, None


def reported_years(org_ids: Iterable[int]) -> list[int]:
    return sorted(set(Submission.objects.filter(organization_id__in=list(org_ids), period__type=periods.MONTH)
                      .values_list("period__year", flat=True)), reverse=True)


@dataclass
class MissingLine:
    program: Program
    organizations: list[tuple[Organization, list[str]]]  # organisation, month codes

    @property
    def count(self) -> int:
        return sum(len(codes) for _org, codes in self.organizations)


def missing_monthly_reports(org_ids: set[int], date_from: dt.date, date_to: dt.date) -> list[MissingLine]:
    """Per program with a party among `org_ids` and a phase overlapping the window: the months
    without an approved report (aggregation.missing_reports), for those organisations only."""
    programs = (Program.objects.filter(parties__organization_id__in=org_ids, start__lte=date_to)
                .exclude(end__lt=date_from).exclude(status=ProgramStatus.DRAFT).distinct().order_by("-start", "code"))
    lines = []
    for program in programs:
        missing = [(o, c) for o, c in aggregation.missing_reports(program, date_from, date_to) if o in org_ids]
        if not missing:
            continue
        orgs = {o.pk: o for o in Organization.objects.filter(pk__in={o for o, _c in missing})}
        by_org: dict[int, list[str]] = {}
        for org_id, code in missing:
            by_org.setdefault(org_id, []).append(code)
        lines.append(MissingLine(program, sorted(((orgs[o], c) for o, c in by_org.items()), key=lambda x: x[0].name)))
    return lines


# ------------------------------------------------------------------ the leader's figures

def default_program(user, today: dt.date | None = None) -> Program | None:
    """The program the leader's dashboard opens on: one in force today (signed or in force, its
    phase covering today), else the latest signed one (signed, in force or ended, latest phase
    first), a draft only when the user can see nothing else; on a tie, one of the user's
    organisations' programs first."""
    today = today or timezone.localdate()
    visible = list(programs_visible_to(user).order_by("-start", "code"))
    if not visible:
        return None
    party_of = set(ProgramParty.objects.filter(organization_id__in=perms.org_ids(user)).values_list("program_id", flat=True))

    def rank(p: Program) -> tuple:
        if p.status == ProgramStatus.DRAFT:
            tier = 2
        elif p.status in (ProgramStatus.SIGNED, ProgramStatus.IN_FORCE) and p.start <= today and (p.end is None or p.end >= today):
            tier = 0
        else:
            tier = 1
        return tier, p.pk not in party_of, -p.start.toordinal(), p.code

    return min(visible, key=rank)


def phase_end(program: Program, today: dt.date | None = None) -> dt.date:
    return program.end or today or timezone.localdate()


def default_window(program: Program, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """The phase to date: from its start to today, or to its end once it has ended (the whole
    phase of a program that has not started yet)."""
    today = today or timezone.localdate()
    end = phase_end(program, today)
    if program.start <= today < end:
        return program.start, today
    return program.start, end


@dataclass
class QuickWindow:
    """One of the leader's quick choices: a link, no date to type."""

    key: str
    label: str
    date_from: dt.date | None
    date_to: dt.date | None
    note: str = ""  # why it is not offered

    @property
    def available(self) -> bool:
        return self.date_from is not None


def _clip(program: Program, lo: dt.date, hi: dt.date, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    lo, hi = max(lo, program.start), min(hi, phase_end(program, today))
    return (lo, hi) if lo <= hi else (None, None)


def _months_back(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def quick_windows(program: Program, today: dt.date | None = None) -> list[QuickWindow]:
    """This year, last year, the whole phase, the last 6 months (each inside the phase; one the
    phase does not reach says so), then each year of the phase."""
    today = today or timezone.localdate()
    outside = _("ngoài giai đoạn của chương trình")
    choices = []
    for key, label, lo, hi in (
        ("this-year", _("Năm nay (%(y)s)") % {"y": today.year}, dt.date(today.year, 1, 1), today),
        ("last-year", _("Năm trước (%(y)s)") % {"y": today.year - 1}, dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31)),
        ("phase", _("Cả giai đoạn"), program.start, phase_end(program, today)),
        ("6-months", _("6 tháng gần đây"), _months_back(today, 6) + dt.timedelta(days=1), today),
    ):
        a, b = (lo, hi) if key == "phase" else _clip(program, lo, hi, today)
        choices.append(QuickWindow(key, label, a, b, "" if a else outside))
    for year in range(program.start.year, phase_end(program, today).year + 1):
        if year in (today.year, today.year - 1):
            continue
        a, b = _clip(program, dt.date(year, 1, 1), dt.date(year, 12, 31), today)
        if a:
            choices.append(QuickWindow(str(year), _("Năm %(y)s") % {"y": year}, a, b))
    return choices


may_see_drafts = reporting_access.may_see_drafts


def _pct(value: Decimal | None, base: Decimal | None) -> Decimal | None:
    if value is None or not base:
        return None
    return (Decimal(value) / Decimal(base) * HUNDRED).quantize(TENTH)


@dataclass
class Figure:
    """One aggregation row as shown on the leader's dashboard."""

    row: aggregation.ResultRow
    short_name: str = ""

    def __getattr__(self, name):  # value, target, achieved_pct, previous_value, indicator_name…
        row = self.__dict__.get("row")
        if row is None or name.startswith("__"):
            raise AttributeError(name)
        return getattr(row, name)

    @property
    def reached(self) -> bool:
        return self.row.achieved_pct is not None and self.row.achieved_pct >= HUNDRED

    @property
    def change(self) -> Decimal | None:
        """Difference with the previous figure (the same months of the previous phase, or a
        year earlier: `aggregation.comparison`)."""
        if self.row.value is None or self.row.previous_value is None:
            return None
        return self.row.value - self.row.previous_value

    @property
    def change_pct(self) -> Decimal | None:
        """This figure as a percentage of the previous one."""
        return _pct(self.row.value, self.row.previous_value)


@dataclass
class AreaBlock:
    code: str
    name: str
    figures: list[Figure]

    @property
    def with_target(self) -> list[Figure]:
        return [f for f in self.figures if f.target is not None]

    @property
    def reached(self) -> int:
        return sum(1 for f in self.with_target if f.reached)


@dataclass
class OrganizationProgress:
    organization_id: int
    name: str
    short_name: str
    with_target: int = 0
    reached: int = 0
    unmet: list[Figure] = field(default_factory=list)  # a target, a value below it
    no_value: list[Figure] = field(default_factory=list)  # a target, no figure yet


@dataclass
class LeaderFigures:
    program: Program
    date_from: dt.date
    date_to: dt.date
    draft: bool
    rows: list[aggregation.ResultRow]
    areas: list[AreaBlock]
    organizations: list[OrganizationProgress]
    indicators: list[tuple[str, str]]  # (code, name) of the indicators with figures per organisation
    indicator: str | None
    indicator_figures: list[Figure]  # per organisation, for `indicator`
    indicator_total: Figure | None
    previous_label: str
    comparison: aggregation.Comparison | None = None
    indicator_rule: str = ""  # the chosen indicator's aggregation rule (sum, average, last, max, ratio)
    comparison_notes: list[str] = field(default_factory=list)
    target_notes: list[str] = field(default_factory=list)

    @property
    def targets(self) -> list[Figure]:
        return [f for a in self.areas for f in a.with_target]

    @property
    def comparable(self) -> list[Figure]:
        """The main indicators (a common target) that also have a previous figure: the chart
        against the previous phase (the table below it lists every indicator)."""
        return [f for f in self.targets if f.change_pct is not None]

    @property
    def has_values(self) -> bool:
        return any(r.value is not None for r in self.rows)

    @property
    def has_targets(self) -> bool:
        return any(r.target is not None for r in self.rows)

    @property
    def overlap(self) -> dict | None:
        """For a sum indicator, what the rows count more than once (joint activities credited to
        each of their organisations, counted once in the total): the row that makes the
        per-organisation table add up to its total — value and previous figure, negative."""
        total = self.indicator_total
        if total is None or self.indicator_rule != "sum":
            return None
        found = {}
        for name in ("value", "previous_value"):
            rows = [getattr(f, name) for f in self.indicator_figures if getattr(f, name) is not None]
            extra = sum(rows, Decimal(0)) - (getattr(total, name) or Decimal(0)) if rows else Decimal(0)
            found[name] = -extra if extra else None
        return found if any(found.values()) else None

    @property
    def common_target(self) -> bool:
        """The total's target of the chosen indicator is the program-wide one, not the sum of the
        organisations' targets in the rows above it (the page says so)."""
        total = self.indicator_total
        if total is None or total.target is None:
            return False
        return total.target != sum((f.target for f in self.indicator_figures if f.target is not None), Decimal(0))


def previous_label(program: Program, date_from: dt.date, date_to: dt.date,
                   found: aggregation.Comparison | None = None) -> str:
    """The name of the previous figures' column: the same months of the previous phase, the same
    months a year earlier, or — no comparison — "Kỳ trước"."""
    found = found or aggregation.comparison(program, date_from, date_to)
    if found.kind == "phase":
        return _("Cùng kỳ giai đoạn trước")
    if found.kind == "year":
        return _("Cùng kỳ năm trước")
    return _("Kỳ trước")


def comparison_notes(program: Program, found: aggregation.Comparison) -> list[str]:
    """What the previous figures are, in words — or why there are none."""
    span = {"a": short_date(found.date_from), "b": short_date(found.date_to)}
    if found.kind == "phase":
        titles = "; ".join(p.title for p in found.programs)
        notes = [_("So sánh cùng kỳ: từ %(a)s đến %(b)s của giai đoạn trước (%(t)s) — cùng độ dài, cùng vị trí "
                   "trong giai đoạn, của cùng các tổ chức hoặc tổ chức tiền thân/kế thừa của chúng.") % {**span, "t": titles}]
    elif found.kind == "year":
        notes = [_("So sánh cùng kỳ năm trước: từ %(a)s đến %(b)s, cùng chương trình, cùng các tổ chức.") % span]
    elif found.reason == "outside_previous_phase":
        first = min(p.start for p in found.programs)
        last = max((p.end or found.date_to) for p in found.programs)
        return [_("Không so sánh được với giai đoạn trước: khoảng tương ứng (%(a)s – %(b)s) nằm ngoài giai đoạn "
                  "trước (%(c)s – %(d)s).") % {**span, "c": short_date(first), "d": short_date(last)}]
    elif found.reason == "before_phase":
        return [_("Không so sánh được: chương trình không có giai đoạn trước, và cùng kỳ năm trước (%(a)s – %(b)s) "
                  "bắt đầu trước chương trình (%(s)s).") % {**span, "s": short_date(program.start)}]
    else:
        return [_("Không so sánh được: không bên nào của giai đoạn trước là bên tham gia chương trình này hay "
                  "tổ chức tiền thân/kế thừa của một bên.")]
    if found.left_out:
        names = Organization.objects.filter(pk__in=found.left_out).order_by("name").values_list("name", flat=True)
        notes.append(_("Không tính vào kỳ trước (không tương ứng với bên nào của chương trình này): %(n)s.")
                     % {"n": "; ".join(names)})
    return notes


def target_notes(program: Program, date_from: dt.date, date_to: dt.date) -> list[str]:
    """One line per year whose target counts only in part (`aggregation.target_shares`)."""
    return [_("Chỉ tiêu năm %(y)s tính theo %(p)s/%(w)s ngày (%(pct)s%%) của năm: phần năm mà khoảng xem và "
              "giai đoạn cùng phủ.") % {"y": year, "p": part, "w": whole,
                                         "pct": number_vi((Decimal(part) / Decimal(whole) * HUNDRED).quantize(TENTH))}
            for year, part, whole in aggregation.target_shares(program, date_from, date_to)]


def leader_figures(program: Program, date_from: dt.date, date_to: dt.date, *,
                   drafts: reporting_access.DraftScope | None = None, indicator: str | None = None) -> LeaderFigures:
    """Everything on the leader's dashboard from one call of aggregation.results(); with
    unapproved values only under `drafts` (`reporting.access.draft_scope`, after the check)."""
    draft = reporting_access.includes_unapproved(drafts, [program])
    rows = aggregation.results([program.code], date_from, date_to, include_unapproved=draft, programs=[program])
    found = aggregation.comparison(program, date_from, date_to)
    short = {o.pk: o.short_name or o.name for o in Organization.objects.filter(pk__in={r.organization for r in rows if r.organization})}
    names = {a.code: a.name for a in program.content_areas.all()}
    areas: dict[str, AreaBlock] = {}
    progress: dict[int, OrganizationProgress] = {}
    per_indicator: dict[str, list[Figure]] = {}
    totals: dict[str, Figure] = {}
    indicator_names: dict[str, str] = {}
    for row in rows:
        figure = Figure(row, short.get(row.organization, "") if row.organization else _("Tổng cộng"))
        if row.organization is None:
            totals[row.indicator] = figure
            areas.setdefault(row.content_area, AreaBlock(row.content_area, names.get(row.content_area, row.content_area), []))
            areas[row.content_area].figures.append(figure)
            continue
        per_indicator.setdefault(row.indicator, []).append(figure)
        indicator_names.setdefault(row.indicator, row.indicator_name)
        org = progress.setdefault(row.organization, OrganizationProgress(row.organization, row.organization_name or "", figure.short_name))
        if row.target is not None:
            org.with_target += 1
            if row.value is None:
                org.no_value.append(figure)
            elif figure.reached:
                org.reached += 1
            else:
                org.unmet.append(figure)
    # The indicators worth a per-organisation chart: a target or a figure for some organisation.
    useful = [code for code, figures in per_indicator.items() if any(f.value is not None or f.target is not None for f in figures)]
    chosen = indicator if indicator in useful else next(
        (c for c in useful if any(f.target is not None for f in per_indicator[c])), useful[0] if useful else None)
    return LeaderFigures(
        program=program, date_from=date_from, date_to=date_to, draft=draft, rows=rows,
        areas=list(areas.values()), organizations=list(progress.values()),
        indicators=[(c, indicator_names[c]) for c in useful], indicator=chosen,
        indicator_figures=per_indicator.get(chosen, []) if chosen else [],
        indicator_total=totals.get(chosen) if chosen else None,
        previous_label=previous_label(program, date_from, date_to, found), comparison=found,
        comparison_notes=comparison_notes(program, found), target_notes=target_notes(program, date_from, date_to),
        indicator_rule=Indicator.objects.filter(code=chosen).values_list("aggregation", flat=True).first() or "" if chosen else "",
    )


# ------------------------------------------------------------------ charts (documents.charts, cached by content)

def _compact(png: bytes) -> bytes:
    """The same picture with a 256-colour palette: about a third of the size, which matters on a
    phone (the charts have a few flat colours and anti-aliased text)."""
    try:
        from PIL import Image

        image = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
        out = io.BytesIO()
        image.save(out, format="PNG", optimize=True)
    except Exception:  # Pillow missing or failing: the original is still a good chart
        return png
    return out.getvalue() if out.tell() < len(png) else png


def _cached_png(kind: str, args: tuple, draw) -> str:
    """A chart as a data: URI. Charts depend only on their inputs, so they are cached by a hash
    of them: the same figures are never drawn twice, changed figures always are."""
    key = "dashboards:chart:" + hashlib.sha256(repr((kind, args)).encode()).hexdigest()
    uri = cache.get(key)
    if uri is None:
        uri = "data:image/png;base64," + base64.b64encode(_compact(draw())).decode()
        cache.set(key, uri, 60 * 60)
    return uri


def achievement_chart(figures: Sequence[Figure], title: str) -> str | None:
    """Totals against their targets (value / target × 100 %)."""
    from phoihop.documents import charts

    if not figures:
        return None
    labels = tuple(f.indicator_name for f in figures)
    values = tuple(f.value for f in figures)
    targets = tuple(f.target for f in figures)
    return _cached_png("achievement", (labels, values, targets, title),
                       lambda: charts.achievement_chart(labels, values, targets, title=title))


def organization_chart(figures: Sequence[Figure], unit: str, previous: str) -> str | None:
    """One indicator per organisation: the figure, the target and the previous figure (no title
    in the picture: indicator names are long, the page's heading names it)."""
    from phoihop.documents import charts

    if not figures or not any(f.value is not None or f.target is not None for f in figures):
        return None
    categories = tuple(f.short_name for f in figures)
    series = {
        _("Kết quả"): tuple(f.value for f in figures),
        _("Chỉ tiêu"): tuple(f.target for f in figures),
    }
    if any(f.previous_value is not None for f in figures):
        series[previous] = tuple(f.previous_value for f in figures)
    args = (categories, tuple(series.items()), unit)
    return _cached_png("organizations", args, lambda: charts.bar_chart(categories, series, unit=unit))


def comparison_chart(figures: Sequence[Figure], title: str, label: str) -> str | None:
    """Totals as a percentage of the previous phase's (one unit, so one chart for all indicators)."""
    from phoihop.documents import charts

    if not figures:
        return None
    categories = tuple(f.indicator_name for f in figures)
    values = tuple(f.change_pct for f in figures)
    return _cached_png("comparison", (categories, values, title, label),
                       lambda: charts.bar_chart(categories, {label: values}, title=title, unit="%"))
