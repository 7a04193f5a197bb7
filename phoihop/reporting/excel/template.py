"""The protected values template of one organisation × period (see the package's docstring)."""

from __future__ import annotations

import datetime as dt
import io
import math
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from phoihop.core.formatting import number_vi
from phoihop.core.vietnamese import fold
from phoihop.organizations.models import Organization
from phoihop.reporting import exports, services
from phoihop.reporting.excel.layout import (
    COLUMNS,
    COMMENT_COL,
    DATA_SHEET,
    FIRST_DATA_ROW,
    FONT_NAME,
    HEADER_ROW,
    META_COLUMNS,
    META_SHEET,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    VALUE_COL,
)
from phoihop.reporting.models import Indicator, Period

_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
          "XVI", "XVII", "XVIII", "XIX", "XX"]
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_AREA_FILL = PatternFill("solid", fgColor="EDEDED")


def _font(size: int = 12, bold: bool = False, italic: bool = False, color: str | None = None) -> Font:
    return Font(name=FONT_NAME, size=size, bold=bold, italic=italic, color=color)


def _date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


# ---------------------------------------------------------------- the template

@dataclass
class TemplateFile:
    content: bytes
    filename: str
    rows: int  # input rows (indicator × option)


def build_template(organization: Organization, period: Period) -> bytes:
    """The workbook to fill in for `organization` and `period` (.xlsx bytes)."""
    return make_template(organization, period).content


def template_filename(organization: Organization, period: Period) -> str:
    name = slugify(fold(organization.short_name or organization.name))[:40] or f"to-chuc-{organization.pk}"
    return f"mau-so-lieu-{name}-{period.code.lower()}.xlsx"


def make_template(organization: Organization, period: Period) -> TemplateFile:
    grid = services.build_grid(organization, period)
    previous = services.previous_period(period)
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    _write_header_block(ws, grid, previous)
    for letter, header, width in COLUMNS:
        ws.column_dimensions[letter].width = width
        cell = ws[f"{letter}{HEADER_ROW}"]
        cell.value = header
        if letter == "F" and previous is not None:
            cell.value = f"{header}\n({previous.label})"
        if letter == "G":
            cell.value = f"{header} {period.year}"
        cell.font = _font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.row_dimensions[HEADER_ROW].height = 36

    meta_rows: list[list] = []
    validations: dict[tuple, DataValidation] = {}
    r = FIRST_DATA_ROW
    area_id = None
    area_no = 0
    for number, row in enumerate(grid.rows, start=1):
        indicator = row.indicator
        if indicator.content_area_id != area_id:
            area_id = indicator.content_area_id
            area_no += 1
            _write_area_row(ws, r, area_no, indicator.content_area.name)
            r += 1
        number_format = _number_format(indicator)
        for position, cell in enumerate(row.cells):
            first = position == 0
            values = {
                "A": number if first else None,
                "B": indicator.code,
                "C": indicator.name,
                "D": cell.option.name if cell.option else None,
                "E": indicator.unit,
                "F": _display(cell.previous, indicator),
                "G": _display(row.target, indicator) if first else None,
                "H": _display(cell.value, indicator),
                "I": cell.comment or None,
            }
            for letter, value in values.items():
                target = ws[f"{letter}{r}"]
                _put(target, value)
                target.border = _BORDER
                target.font = _font(color=None if first or letter not in "BC" else "595959")
                if letter in "AE":
                    target.alignment = Alignment(horizontal="center", vertical="top")
                elif letter in "FGH":
                    target.number_format = number_format
                    target.alignment = Alignment(horizontal="right", vertical="top")
                else:
                    target.alignment = Alignment(vertical="top", wrap_text=True)
                if letter in (VALUE_COL, COMMENT_COL):
                    target.protection = Protection(locked=False)
                    target.fill = _INPUT_FILL
            ws.row_dimensions[r].height = _height(values)
            _validation_for(indicator, validations).add(f"{VALUE_COL}{r}")
            meta_rows.append([r, indicator.code, cell.option.code if cell.option else "", cell.version,
                              values["H"], cell.comment or None])
            r += 1
    if not grid.rows:
        ws[f"C{r}"] = _("Tổ chức này chưa tham gia chương trình nào có chỉ số cần báo cáo.")
        ws[f"C{r}"].font = _font(italic=True)
    comments = DataValidation(type="textLength", operator="lessThanOrEqual", formula1="500", allow_blank=True,
                              showErrorMessage=True, errorTitle=_("Ghi chú quá dài"),
                              error=_("Ghi chú tối đa 500 ký tự."))
    if meta_rows:
        comments.add(f"{COMMENT_COL}{FIRST_DATA_ROW}:{COMMENT_COL}{r - 1}")
        ws.add_data_validation(comments)
    for validation in validations.values():
        ws.add_data_validation(validation)

    ws.freeze_panes = f"A{FIRST_DATA_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = _("Trang &P/&N")
    # Sheet protection guards against accidents, not against people: no password.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    _write_metadata(wb, grid, meta_rows)
    wb.security = WorkbookProtection(lockStructure=True)
    wb.properties.title = _("Mẫu nhập số liệu %(p)s — %(o)s") % {"p": period.label, "o": organization.name}
    wb.properties.creator = "Phối Hợp"
    wb.active = 0
    out = io.BytesIO()
    wb.save(out)
    return TemplateFile(out.getvalue(), template_filename(organization, period), len(meta_rows))


def _write_header_block(ws, grid: services.Grid, previous: Period | None) -> None:
    period, submission = grid.period, grid.submission
    ws.merge_cells("A1:I1")
    ws["A1"] = _("BIỂU NHẬP SỐ LIỆU CHƯƠNG TRÌNH PHỐI HỢP")
    ws["A1"].font = _font(14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    status = submission.get_status_display()
    if submission.is_locked:
        status = _("%(s)s — số liệu đã khóa, tệp này chỉ để xem") % {"s": status}
    lines = [
        (_("Tổ chức:"), grid.organization.name),
        (_("Kỳ báo cáo:"), _("%(label)s (số liệu từ %(start)s đến %(end)s)") % {
            "label": period.label, "start": _date(period.start), "end": _date(period.end)}),
        (_("Hạn gửi báo cáo:"), _("%(d)s; khóa nhập liệu sau ngày %(c)s") % {
            "d": _date(period.deadline), "c": _date(period.closes_on)}),
        (_("Trạng thái:"), status),
        (_("Hướng dẫn:"), _(
            "Chỉ nhập vào các ô nền vàng (cột “Giá trị kỳ này” và “Ghi chú”); nhập số, không nhập công thức. "
            "Không thêm, xóa hay đổi thứ tự dòng. Cột “Kỳ trước” là số liệu %(prev)s. Lập lúc %(now)s."
        ) % {"prev": previous.label if previous else "—",
             "now": timezone.localtime().strftime("%d/%m/%Y %H:%M")}),
    ]
    for offset, (label, text) in enumerate(lines, start=2):
        ws.merge_cells(f"A{offset}:B{offset}")
        ws.merge_cells(f"C{offset}:I{offset}")
        _put(ws[f"A{offset}"], label)
        ws[f"A{offset}"].font = _font(bold=True)
        ws[f"A{offset}"].alignment = Alignment(vertical="top")
        _put(ws[f"C{offset}"], text)
        ws[f"C{offset}"].font = _font(bold=offset == 2, italic=offset == 6)
        ws[f"C{offset}"].alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[6].height = 36


_WIDTHS = {letter: width for letter, _header, width in COLUMNS}


def _height(values: dict) -> float:
    """Row height for wrapped text (Excel and LibreOffice do not size rows written by openpyxl)."""
    lines = 1
    for letter in "CDI":
        text = str(values.get(letter) or "")
        lines = max(lines, math.ceil(len(text) / (_WIDTHS[letter] * 1.3)))
    return 16.5 * lines


def _put(cell, value) -> None:
    """Set a cell; text is always written as text, never as a formula (see exports.py)."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"
        if exports.is_dangerous(value):
            cell.quotePrefix = True


def _write_area_row(ws, r: int, number: int, name: str) -> None:
    ws[f"A{r}"] = _ROMAN[number - 1] if number <= len(_ROMAN) else str(number)
    _put(ws[f"C{r}"], name)
    for letter, _header, _width in COLUMNS:
        cell = ws[f"{letter}{r}"]
        cell.font = _font(bold=True)
        cell.fill = _AREA_FILL
        cell.border = _BORDER
    ws[f"A{r}"].alignment = Alignment(horizontal="center")


def _write_metadata(wb: Workbook, grid: services.Grid, meta_rows: list[list]) -> None:
    meta = wb.create_sheet(META_SHEET)
    pairs = [
        ("kind", TEMPLATE_KIND),
        ("version", TEMPLATE_VERSION),
        ("organization", grid.organization.pk),
        ("organization_name", grid.organization.name),
        ("period", grid.period.code),
        ("convention", grid.period.convention),
        ("sheet", DATA_SHEET),
        ("header_row", HEADER_ROW),
        ("generated_at", timezone.now().isoformat(timespec="seconds")),
    ]
    table = [[key, value] for key, value in pairs] + [[], list(META_COLUMNS)] + meta_rows
    for r, values in enumerate(table, start=1):
        for c, value in enumerate(values, start=1):
            _put(meta.cell(r, c), value)
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def _number_format(indicator: Indicator) -> str:
    if indicator.value_type == Indicator.ValueType.INTEGER:
        return "#,##0"
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        return "@"
    return "#,##0.00"


def _display(value: Decimal | None, indicator: Indicator):
    """A stored value as the template shows it: int for integers, có/không for booleans."""
    if value is None:
        return None
    if indicator.value_type == Indicator.ValueType.BOOLEAN:
        return _("có") if value else _("không")
    if value == value.to_integral_value():
        return int(value)
    return value


def _validation_for(indicator: Indicator, cache: dict[tuple, DataValidation]) -> DataValidation:
    vtype = indicator.value_type
    low = indicator.min_value
    high = indicator.max_value
    if vtype == Indicator.ValueType.PERCENT:
        low = max(low, Decimal(0)) if low is not None else Decimal(0)
        high = min(high, Decimal(100)) if high is not None else Decimal(100)
    key = (vtype, low, high)
    if key in cache:
        return cache[key]
    if vtype == Indicator.ValueType.BOOLEAN:
        validation = DataValidation(type="list", formula1=f'"{_("có")},{_("không")}"', allow_blank=True)
        message = _("Chọn “có” hoặc “không”.")
    else:
        kind = "whole" if vtype == Indicator.ValueType.INTEGER else "decimal"
        words = _("số nguyên") if kind == "whole" else _("số")
        if low is not None and high is not None:
            validation = DataValidation(type=kind, operator="between", formula1=_num(low), formula2=_num(high), allow_blank=True)
            message = _("Nhập %(w)s từ %(a)s đến %(b)s.") % {"w": words, "a": number_vi(low), "b": number_vi(high)}
        elif low is not None:
            validation = DataValidation(type=kind, operator="greaterThanOrEqual", formula1=_num(low), allow_blank=True)
            message = _("Nhập %(w)s từ %(a)s trở lên.") % {"w": words, "a": number_vi(low)}
        elif high is not None:
            validation = DataValidation(type=kind, operator="lessThanOrEqual", formula1=_num(high), allow_blank=True)
            message = _("Nhập %(w)s không quá %(b)s.") % {"w": words, "b": number_vi(high)}
        else:
            validation = DataValidation(type=kind, operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True)
            message = _("Nhập %(w)s.") % {"w": words}
    validation.showErrorMessage = True
    validation.errorTitle = _("Giá trị không hợp lệ")
    validation.error = message
    cache[key] = validation
    return validation


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f")

