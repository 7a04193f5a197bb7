"""Targets by Excel: a workbook of one program and year (indicators × parties), and its import,
checked in full before anything is written."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter

from phoihop.programs.models import Program
from phoihop.reporting import exports, services
from phoihop.reporting.excel.reader import Refused, open_safely
from phoihop.reporting.models import Target
from phoihop.reporting.targets import TargetCells, target_indicators

KIND = "phoihop-targets-1"
SHEET = "Chỉ tiêu"
FIRST_ROW = 6  # data rows start here; row 4 holds organisation ids (hidden), row 5 the headers
INPUT = PatternFill("solid", fgColor="FFF9E5")


def _cell(ws, row: int, column: int, value):
    """A cell whose text stays text, never a formula (titles and names are typed by users)."""
    cell = ws.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
        if exports.is_dangerous(value):
            cell.quotePrefix = True
    return cell


def build(program: Program, year: int) -> bytes:
    parties = list(program.parties.select_related("organization"))
    indicators = target_indicators(program)
    existing = {(t.organization_id, t.indicator_id): t.value for t in Target.objects.filter(program=program, year=year)}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    font = Font(name="Times New Roman", size=12)
    ws["A1"] = f"CHỈ TIÊU NĂM {year}"
    ws["A1"].font = Font(name="Times New Roman", size=14, bold=True)
    _cell(ws, 2, 1, program.title)
    ws["A2"].font = Font(name="Times New Roman", size=12, italic=True)
    ws["A3"] = _("Chỉ nhập vào các ô màu vàng; để trống nếu không giao chỉ tiêu. Không sửa cột mã và hàng tiêu đề.")
    ws["A3"].font = Font(name="Times New Roman", size=11, italic=True)
    headers = ["Mã chỉ số", "Chỉ số", "Đơn vị tính"] + [p.organization.short_name or p.organization.name for p in parties]
    for col, text in enumerate(headers, start=1):
        cell = _cell(ws, 5, col, text)
        cell.font = Font(name="Times New Roman", size=12, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for col, party in enumerate(parties, start=4):
        ws.cell(row=4, column=col, value=party.organization_id)
    ws.row_dimensions[4].hidden = True
    for r, indicator in enumerate(indicators, start=FIRST_ROW):
        for col, value in enumerate([indicator.code, indicator.name, indicator.unit], start=1):
            _cell(ws, r, col, value).font = font
        for col, party in enumerate(parties, start=4):
            value = existing.get((party.organization_id, indicator.pk))
            cell = ws.cell(row=r, column=col, value=float(value) if value is not None else None)
            cell.font = font
            cell.fill = INPUT
            cell.number_format = "#,##0.##"
            cell.protection = Protection(locked=False)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 48
    ws.column_dimensions["C"].width = 12
    for col in range(4, 4 + len(parties)):
        ws.column_dimensions[get_column_letter(col)].width = 14
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=4)
    ws.protection.sheet = True
    meta = wb.create_sheet("_phoihop")
    meta.append(["kind", KIND])
    meta.append(["program", program.code])
    meta.append(["year", year])
    meta.sheet_state = "veryHidden"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@dataclass
class TargetImport:
    problems: list[str] = field(default_factory=list)
    saved: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


def import_targets(source, program: Program, user) -> TargetImport:
    """Read a targets workbook of `program` and save all its targets, or none."""
    result = TargetImport()
    try:
        workbook = open_safely(source)
    except Refused as exc:
        result.problems.append(str(exc))
        return result
    try:
        meta = {row[0]: row[1] for row in workbook["_phoihop"].iter_rows(values_only=True)} if "_phoihop" in workbook.sheetnames else {}
        if meta.get("kind") != KIND or SHEET not in workbook.sheetnames:
            result.problems.append(_("Tệp không phải mẫu chỉ tiêu của Phối Hợp; hãy tải mẫu từ trang chỉ tiêu."))
            return result
        if meta.get("program") != program.code:
            result.problems.append(_("Mẫu này của chương trình “%(c)s”, không phải “%(p)s”.") % {"c": meta.get("program"), "p": program.code})
            return result
        year = meta.get("year")
        if isinstance(year, bool) or not isinstance(year, int):
            result.problems.append(_("Mẫu chỉ tiêu đã bị sửa (không đọc được năm); hãy tải mẫu mới từ trang chỉ tiêu."))
            return result
        rows = list(workbook[SHEET].iter_rows(min_row=4, values_only=False))
    finally:
        workbook.close()
    parties = set(program.parties.values_list("organization_id", flat=True))
    org_row = rows[0] if rows else ()
    columns = {}
    for cell in org_row[3:]:
        if cell.value in (None, ""):
            continue
        if not isinstance(cell.value, int) or cell.value not in parties:
            result.problems.append(f"{SHEET}!{cell.coordinate}: " + _("cột tổ chức không thuộc chương trình (mẫu đã bị sửa)"))
            continue
        columns[cell.column] = cell.value
    batch = TargetCells(program)  # the one rule for targets (reporting.targets), as on the page and in the API
    coordinates: dict[tuple[int, int], str] = {}
    for row in rows[2:]:
        code = row[0].value if row else None
        if code in (None, ""):
            continue
        for cell in row[3:]:
            if cell.column not in columns:
                continue
            if cell.data_type == "f":
                result.problems.append(f"{SHEET}!{cell.coordinate}: " + _("ô chứa công thức; hãy nhập số"))
                continue
            problem = batch.add(columns[cell.column], str(code), year, cell.value)
            if problem is not None:
                result.problems.append(f"{SHEET}!{cell.coordinate}: {problem.message}")
                if problem.field == "indicator":
                    break  # one message for the row, not one per organisation
                continue
            coordinates[(columns[cell.column], batch.cells[-1][2])] = cell.coordinate
    if not result.problems and all(cell[4] is None for cell in batch.cells):
        # Emptied (rows deleted, or every cell blank): importing it would remove every target of the year.
        result.problems.append(_("Trang tính “%(s)s” không có chỉ tiêu nào để nhập (mọi ô đều trống hoặc các dòng đã bị xóa); "
                                 "không chỉ tiêu nào được lưu hay xóa. Muốn xóa chỉ tiêu, hãy xóa trên trang chỉ tiêu.") % {"s": SHEET})
    if result.problems:
        return result
    try:
        result.saved = services.save_targets(program, batch.cells, user)
    except services.TargetsRefused as refused:
        # The whole file is refused; each cell that would change another organisation's target is named.
        for _program_id, org_id, indicator_id, _year in refused.cells:
            result.problems.append(f"{SHEET}!{coordinates[(org_id, indicator_id)]}: " + _(
                "chỉ tiêu của tổ chức khác; bạn chỉ được đặt chỉ tiêu của tổ chức mình (không ô nào được lưu)"))
    return result
