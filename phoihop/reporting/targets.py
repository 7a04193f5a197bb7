"""Targets: the one rule for reading them, at every door.

Which indicators of a program take a target, how a typed target is read, and which cells may be
set are decided here, for the targets page, the Excel import of targets and `PUT /api/targets`
alike; `services.apply_targets` then writes them (who may set whose target, in one transaction).
A door only finds its cells (a form field, a worksheet cell, a JSON row) and says where a problem
is; the problem's words are this module's.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from phoihop.programs.models import Program
from phoihop.reporting import services
from phoihop.reporting.models import Indicator


def target_indicators(program: Program) -> list[Indicator]:
    """The indicators of `program` that take a target: every number indicator of its content
    areas, but not ratios (computed from two others) nor text."""
    return list(Indicator.objects.filter(content_area__programs=program).exclude(aggregation=Indicator.Aggregation.RATIO)
                .exclude(value_type=Indicator.ValueType.TEXT).select_related("content_area")
                .order_by("content_area__order", "order", "code"))


def read_target(raw, indicator: Indicator) -> Decimal | None:
    """A typed target as a number (None: no target), or ValueError with the reason: not a
    number, not whole for a count, negative, beyond the indicator's range."""
    value = services.parse_number(raw, indicator)
    if value is None:
        return None
    if value < 0:
        raise ValueError(_("không được âm"))
    problem = services.check_range(value, indicator)
    if problem:
        raise ValueError(problem)
    return value


@dataclass
class Problem:
    field: str | None  # "indicator", "organization", "year", "value" or None (the cell as a whole)
    message: str


@dataclass
class TargetCells:
    """The cells of one batch of targets of `program`, each checked as it is added; `cells`
    holds those that passed, ready for `services.apply_targets`."""

    program: Program
    cells: list[tuple] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.indicators = {i.code: i for i in target_indicators(self.program)}
        self.parties = set(self.program.parties.values_list("organization_id", flat=True))
        self._seen: set[tuple] = set()

    def add(self, organization_id: int | None, indicator: str | Indicator, year: int | None, raw) -> Problem | None:
        """Check one cell (organisation None: the program's overall target; year None: the whole
        phase; raw None or blank: remove the target) and keep it, or say what is wrong."""
        code = indicator.code if isinstance(indicator, Indicator) else str(indicator).strip()
        found = self.indicators.get(code)
        if found is None:
            known = Indicator.objects.filter(code=code).first()
            if known is not None:  # named by its name: the code is not for users
                return Problem("indicator", _("Chỉ số “%(code)s” không thuộc các nội dung phối hợp của chương trình "
                                              "(hoặc là chỉ số tỷ lệ, tự tính).") % {"code": known.name})
            return Problem("indicator", _("Không có chỉ số “%(code)s”.") % {"code": code})
        if organization_id is not None and organization_id not in self.parties:
            return Problem("organization", _("Tổ chức mã số %(id)s không phải là một bên của chương trình.")
                           % {"id": organization_id})
        last_year = self.program.end.year if self.program.end else None
        if year is not None and (year < self.program.start.year or (last_year is not None and year > last_year)):
            return Problem("year", _("Năm %(year)s nằm ngoài giai đoạn %(phase)s của chương trình.")
                           % {"year": year, "phase": self.program.phase_label})
        key = (organization_id, found.pk, year)
        if key in self._seen:
            return Problem(None, _("Chỉ tiêu “%(code)s” bị nhập hai lần.") % {"code": found.name})
        try:
            value = read_target(raw, found)
        except ValueError as exc:
            return Problem("value", f"{found.name}: {exc}")
        self._seen.add(key)
        self.cells.append((self.program, organization_id, found.pk, year, value))
        return None
