"""The Excel round trip of reporting: a protected template per organisation × period, and its import.

`build_template(organization, period)` writes the organisation's indicators (one row per indicator
and disaggregation option), last period's values, the year's targets and the values stored so far
into a workbook whose only unlocked cells are "Giá trị kỳ này" and "Ghi chú". A very hidden sheet
carries what the import needs: template kind and version, organisation, period, convention, and per
row the indicator code, option code and the version of the stored value the user started from.

`import_workbook(file, user)` refuses a bad file before parsing it (size, not a zip, corrupt zip,
zip bomb, DTDs, macros), refuses a workbook that is not ours, then hands every input row to
`bulk.save_batches`: all values are written or none, and every problem is labelled with its
sheet and cell. See docs/excel.md.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from phoihop.core.formatting import number_vi
from phoihop.core.vietnamese import fold, nfc
from phoihop.organizations.models import Organization
from phoihop.reporting import bulk, exports, periods, services
from phoihop.reporting.models import Indicator, Period

TEMPLATE_KIND = "phoihop.reporting.values"
TEMPLATE_VERSION = 1
DATA_SHEET = "Số liệu"
META_SHEET = "_phoihop"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MAX_IMPORT_BYTES = 10 * 1024 * 1024  # the file as uploaded
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all zip members together, as declared in the zip
MAX_ZIP_MEMBERS = 500
MAX_DATA_ROWS = 5000

FONT_NAME = "Times New Roman"  # has every Vietnamese glyph on Windows, macOS and LibreOffice
HEADER_ROW = 8
FIRST_DATA_ROW = HEADER_ROW + 1

# (column letter, header, width); H and I are the only unlocked columns.
COLUMNS = [
    ("A", "STT", 6),
    ("B", "Mã chỉ số", 22),
    ("C", "Chỉ số", 46),
    ("D", "Phân tổ", 18),
    ("E", "Đơn vị tính", 12),
    ("F", "Kỳ trước", 14),
    ("G", "Chỉ tiêu năm", 14),
    ("H", "Giá trị kỳ này", 16),
    ("I", "Ghi chú", 26),
]
CODE_COL, OPTION_COL, VALUE_COL, COMMENT_COL = "B", "D", "H", "I"
META_COLUMNS = ("row", "indicator", "option", "version", "value", "comment")
# Headers the import checks to know the columns were not moved.
CHECKED_HEADERS = {"B": "Mã chỉ số", "D": "Phân tổ", "H": "Giá trị kỳ này", "I": "Ghi chú"}

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


# ---------------------------------------------------------------- the import

@dataclass
class ImportProblem:
    sheet: str
    cell: str
    reason: str
    kind: str = "error"  # "error" or "conflict"

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell

    def __str__(self) -> str:
        return f"{self.where}: {self.reason}" if self.where else self.reason


@dataclass
class ImportResult:
    organization: Organization | None = None
    period: Period | None = None
    saved: int = 0
    unchanged: int = 0
    rows: int = 0  # edited rows handed to bulk.save_batches
    untouched: int = 0  # rows left as the template showed them (not written, never a conflict)
    problems: list[ImportProblem] = field(default_factory=list)
    denied: str = ""  # "404" or "403" when the user may not report for the workbook's organisation

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "organization": self.organization.pk if self.organization else None,
            "period": self.period.code if self.period else None,
            "saved": self.saved,
            "unchanged": self.unchanged,
            "rows": self.rows,
            "untouched": self.untouched,
            "problems": [{"sheet": p.sheet, "cell": p.cell, "reason": p.reason, "kind": p.kind} for p in self.problems],
        }


class Refused(Exception):
    """The file is refused as a whole (before or while opening it)."""


def import_workbook(
    file_or_bytes, user, *, check_permission: bool = True, organization: Organization | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Check a filled-in template and save its values: all of them or none.

    `file_or_bytes`: bytes, a path, or a file object (an UploadedFile). `organization`, when
    given, is the organisation the caller expects (the upload page's); another organisation's
    template is refused. Nothing is written when any problem is found.
    """
    result = ImportResult()
    try:
        workbook = open_safely(file_or_bytes)
    except Refused as exc:
        result.problems.append(ImportProblem("", "", str(exc)))
        return result
    try:
        _import_open_workbook(workbook, user, result, check_permission, organization, today)
    finally:
        workbook.close()
    return result


def open_safely(source):
    """Open an uploaded workbook after every safety check (size, zip, zip bomb, macros);
    raises Refused with a Vietnamese message. Used by every Excel import of the project."""
    data = _read_limited(source)
    _inspect_zip(data)
    workbook = _open_workbook(data)
    try:
        _read_every_sheet(workbook)
    except Refused:
        workbook.close()
        raise
    return workbook


# What openpyxl raises while reading a sheet whose XML is broken (cut short, a number cell
# holding text, a shared string that does not exist, a bad cell reference…).
_UNREADABLE = (SyntaxError, ValueError, IndexError, KeyError, TypeError, AttributeError, EOFError, zipfile.BadZipFile)


def _read_every_sheet(workbook) -> None:
    """Read-only sheets are parsed lazily: parse each one now (as far as an import ever reads),
    so a broken sheet is refused here instead of failing half-way through an import."""
    try:
        for sheet in workbook.worksheets:
            if hasattr(sheet, "reset_dimensions"):
                sheet.reset_dimensions()
            for _row in sheet.iter_rows(max_row=FIRST_DATA_ROW + MAX_DATA_ROWS + 1, values_only=True):
                pass
    except _UNREADABLE as exc:
        raise Refused(_("Tệp .xlsx bị hỏng (một trang tính không đọc được: %(e)s). Hãy lưu lại tệp trong Excel "
                        "hoặc tải mẫu mới.") % {"e": exc.__class__.__name__}) from exc


def _read_limited(source) -> bytes:
    too_big = _("Tệp quá lớn (%(size)s MB); chỉ nhận tệp đến %(max)s MB. Hãy dùng mẫu tải từ Phối Hợp.")

    def refuse_size(size: int):
        raise Refused(too_big % {"size": number_vi(round(Decimal(size) / 1024 / 1024, 1)),
                                 "max": MAX_IMPORT_BYTES // (1024 * 1024)})

    if isinstance(source, (bytes, bytearray, memoryview)):
        if len(source) > MAX_IMPORT_BYTES:
            refuse_size(len(source))
        return bytes(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise Refused(_("Không tìm thấy tệp “%(f)s”.") % {"f": path})
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            refuse_size(size)
        return path.read_bytes()
    size = getattr(source, "size", None)
    if size is None and hasattr(source, "seek") and hasattr(source, "tell"):
        position = source.tell()
        source.seek(0, os.SEEK_END)
        size = source.tell() - position
        source.seek(position)
    if size is not None and size > MAX_IMPORT_BYTES:
        refuse_size(size)
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        refuse_size(len(data))
    return data


def _inspect_zip(data: bytes) -> None:
    """Refuse what is not a plain .xlsx before openpyxl sees it."""
    if not data:
        raise Refused(_("Tệp rỗng."))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise Refused(_(
            "Tệp là bảng tính Excel 97-2003 (.xls) hoặc tệp Excel có đặt mật khẩu; Phối Hợp chỉ nhận mẫu .xlsx "
            "không đặt mật khẩu. Hãy tải mẫu mới và nhập lại."))
    if not data.startswith(b"PK"):
        raise Refused(_("Tệp không phải là tệp Excel .xlsx. Hãy tải mẫu từ Phối Hợp và nhập lại."))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise Refused(_("Tệp .xlsx bị hỏng (không đọc được cấu trúc tệp nén). Hãy lưu lại tệp trong Excel hoặc tải mẫu mới.")) from exc
    with archive:
        if len(members) > MAX_ZIP_MEMBERS:
            raise Refused(_("Tệp có quá nhiều thành phần (%(n)s); đây không phải mẫu của Phối Hợp.") % {"n": len(members)})
        total = sum(info.file_size for info in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise Refused(_(
                "Tệp giải nén ra quá lớn (%(size)s MB, tối đa %(max)s MB); có thể là “bom nén”. Không nhập tệp này.")
                % {"size": total // (1024 * 1024), "max": MAX_UNCOMPRESSED_BYTES // (1024 * 1024)})
        names = {info.filename for info in members}
        if any(name.lower().endswith("vbaproject.bin") for name in names):
            raise Refused(_("Tệp có macro (.xlsm); Phối Hợp không nhận tệp có macro. Hãy dùng mẫu .xlsx tải từ Phối Hợp."))
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise Refused(_("Tệp không phải là bảng tính Excel .xlsx (có thể là tệp Word, tệp nén khác…)."))
        try:
            for info in members:
                _check_member(archive, info)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, RuntimeError, ValueError, OSError, EOFError) as exc:
            raise Refused(_("Tệp .xlsx bị hỏng (một phần của tệp không giải nén được). Hãy lưu lại tệp trong Excel hoặc tải mẫu mới.")) from exc


def _check_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read a member whole (checks its CRC); refuse DTDs, which .xlsx never has (XXE, entity bombs)."""
    xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    tail = b""
    first = True
    with archive.open(info) as stream:
        while chunk := stream.read(1 << 16):
            if xml:
                if first and chunk[:2] in (b"\xff\xfe", b"\xfe\xff"):
                    raise Refused(_("Tệp có thành phần XML không ở dạng UTF-8; đây không phải mẫu của Phối Hợp."))
                window = (tail + chunk).lower()
                if b"<!doctype" in window or b"<!entity" in window:
                    raise Refused(_("Tệp có khai báo XML không được phép (DOCTYPE/ENTITY); không nhập tệp này."))
                tail = chunk[-16:]
            first = False


def _open_workbook(data: bytes):
    if b"macroEnabled" in _content_types(data):
        raise Refused(_("Tệp có macro (.xlsm); Phối Hợp không nhận tệp có macro. Hãy dùng mẫu .xlsx tải từ Phối Hợp."))
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on a broken file
        raise Refused(_("Không đọc được tệp Excel (tệp bị hỏng hoặc không đúng định dạng .xlsx): %(e)s") % {
            "e": exc.__class__.__name__}) from exc


def _content_types(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("[Content_Types].xml")


@dataclass(frozen=True)
class _Planned:
    """What the template said about one input row when it was made."""

    row: int
    version: int
    value: object  # the value shown in column H
    comment: str


def _int(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdecimal():
        return int(value.strip())
    return None


def _read_metadata(workbook) -> tuple[dict, dict[tuple[str, str], _Planned]]:
    """({key: value}, {(indicator code, option code): planned row}) from the hidden sheet."""
    sheet = workbook[META_SHEET]
    width = len(META_COLUMNS)
    meta: dict = {}
    rows: dict[tuple[str, str], _Planned] = {}
    table = False
    for count, values in enumerate(sheet.iter_rows(max_col=width, values_only=True)):
        if count > MAX_DATA_ROWS + 20:
            break
        values = tuple(values) + (None,) * (width - len(values))
        if not table:
            if values[0] == META_COLUMNS[0]:
                table = True
            elif values[0]:
                meta[str(values[0])] = values[1]
            continue
        row, code, option, version, value, comment = values[:width]
        if _int(row) and code:
            rows[(str(code), str(option or ""))] = _Planned(_int(row), _int(version) or 0, value, _text(comment))
    return meta, rows


def _import_open_workbook(workbook, user, result: ImportResult, check_permission: bool,
                          expected: Organization | None, today: dt.date | None) -> None:
    def fail(reason: str, sheet: str = "", cell: str = "") -> None:
        result.problems.append(ImportProblem(sheet, cell, reason))

    not_ours = _("Tệp này không phải mẫu nhập số liệu của Phối Hợp (không có phần thông tin của mẫu). "
                 "Hãy tải mẫu của tổ chức và kỳ báo cáo từ Phối Hợp, điền vào đó rồi nhập lại.")
    if META_SHEET not in workbook.sheetnames:
        return fail(not_ours)
    meta, meta_rows = _read_metadata(workbook)
    if meta.get("kind") != TEMPLATE_KIND:
        if str(meta.get("kind", "")).startswith("phoihop."):
            return fail(_("Tệp này là mẫu “%(k)s” của Phối Hợp, không phải mẫu nhập số liệu kỳ báo cáo.") % {"k": meta.get("kind")})
        return fail(not_ours)
    if _int(meta.get("version")) != TEMPLATE_VERSION:
        return fail(_("Mẫu phiên bản %(v)s không còn dùng được; hãy tải mẫu mới từ Phối Hợp.") % {"v": meta.get("version")})
    org_id = _int(meta.get("organization"))
    organization = Organization.objects.filter(pk=org_id).first() if org_id else None
    if organization is None:
        return fail(_("Mẫu ghi một tổ chức không có trong Phối Hợp; hãy tải mẫu mới."))
    convention = str(meta.get("convention") or periods.DECREE_09)
    if convention not in (periods.DECREE_09, periods.CALENDAR):
        return fail(_("Mẫu ghi cách chốt số liệu không hợp lệ; hãy tải mẫu mới."))
    try:
        period = services.find_period(str(meta.get("period") or ""), convention)  # stored by save_batches, if saved
    except periods.PeriodCodeError as exc:
        return fail(str(exc))
    result.organization, result.period = organization, period
    if check_permission:
        try:
            services.ensure_may_report(user, organization)
        except Http404:
            result.denied = "404"
            return fail(_("Không có quyền: bạn không thuộc tổ chức của mẫu này nên không nhập được số liệu cho tổ chức đó."))
        except PermissionDenied:
            result.denied = "403"
            return fail(_("Không có quyền: vai trò của bạn ở “%(o)s” chỉ được xem, không được nhập số liệu.") % {"o": organization.name})
    if expected is not None and expected.pk != organization.pk:
        return fail(_("Tệp này là mẫu của “%(other)s”, không phải của “%(this)s”. Hãy tải đúng mẫu của tổ chức.") % {
            "other": organization.name, "this": expected.name})
    sheet_name = str(meta.get("sheet") or DATA_SHEET)
    if sheet_name not in workbook.sheetnames:
        return fail(_("Tệp thiếu trang tính “%(s)s”; hãy tải mẫu mới.") % {"s": sheet_name})
    sheet = workbook[sheet_name]
    if hasattr(sheet, "reset_dimensions"):
        sheet.reset_dimensions()  # do not trust the declared size; we stop at MAX_DATA_ROWS ourselves
    try:
        cells, places, keys, content = _read_rows(sheet, sheet_name, meta_rows, result)
    except _StopReading:
        return None
    if not result.problems:
        emptied = _emptied(sheet_name, meta_rows, content)
        if emptied:
            return fail(emptied, sheet_name)
    result.rows = len(cells)
    with transaction.atomic():
        batch = bulk.Batch(organization, period, cells, where=lambda i, cell: places[i])
        saved = bulk.save_batches([batch], user, check_permission=False, today=today)[0]
        for problem in saved.errors:
            sheet_part, _bang, cell_part = problem.where.partition("!")
            result.problems.append(ImportProblem(sheet_part if cell_part else "", cell_part, problem.message))
        for conflict in saved.conflicts:
            key = (conflict.indicator.code, conflict.option.code if conflict.option else "")
            place = keys.get(key, "")
            sheet_part, _bang, cell_part = place.partition("!")
            result.problems.append(ImportProblem(sheet_part if cell_part else "", cell_part, conflict.message(), "conflict"))
        if result.problems:
            transaction.set_rollback(True)  # our own problems too: nothing is written
            result.problems.sort(key=_reading_order)
            return None
        result.saved, result.unchanged = saved.saved, saved.unchanged
        result.period = batch.period  # stored now
    return None


def _reading_order(problem: ImportProblem) -> tuple:
    """File-level problems first, then by row and column as the eye reads the sheet."""
    match = re.fullmatch(r"([A-Z]+)(\d+)", problem.cell)
    if not match:
        return (0, problem.sheet, 0, "")
    return (1, problem.sheet, int(match.group(2)), match.group(1))


class _StopReading(Exception):
    """A problem after which the rows cannot be read sensibly (it is already in the result)."""


@dataclass
class _Content:
    """What the data sheet still holds: rows with an indicator code, and those of them with a
    value or a comment."""

    coded: int = 0
    filled: int = 0


def _emptied(sheet_name: str, meta_rows: dict, content: _Content) -> str | None:
    """The refusal of an emptied template, else None. A template comes back to be imported, so
    one without a single value or comment is a mistake (the wrong file, an unsaved one, rows
    deleted), never "nothing to report": that needs no file, and clearing every value is done on
    the entry grid. A template whose rows still show values (even unchanged ones) is not empty."""
    if meta_rows and not content.coded:
        return _("Trang tính “%(s)s” không còn dòng chỉ số nào (mẫu có %(n)s dòng): các dòng số liệu đã bị xóa. "
                 "Hãy tải mẫu mới từ Phối Hợp và điền lại.") % {"s": sheet_name, "n": len(meta_rows)}
    if not content.filled:
        return _("Tệp không có giá trị nào để nhập: mọi ô “Giá trị kỳ này” và “Ghi chú” trên trang tính “%(s)s” đều để "
                 "trống. Nếu kỳ này chưa có số liệu thì không cần nhập tệp; nếu đã điền, hãy kiểm tra đã lưu tệp và "
                 "chọn đúng tệp. Muốn xóa hết số liệu đã nhập, hãy xóa trên bảng nhập liệu.") % {"s": sheet_name}
    return None


def _read_rows(sheet, sheet_name: str, planned: dict[tuple[str, str], _Planned], result: ImportResult):
    """The input rows as CellInputs, their places ("Số liệu!H12"), {(code, option): place} and
    what the sheet still holds (`_Content`, for `_emptied`)."""
    def fail(cell: str, reason: str) -> None:
        result.problems.append(ImportProblem(sheet_name, cell, reason))

    expected_at = {plan.row: key for key, plan in planned.items()}
    columns = [letter for letter, _header, _width in COLUMNS]
    index = {letter: i for i, letter in enumerate(columns)}
    cells: list[services.CellInput] = []
    places: list[str] = []
    keys: dict[tuple[str, str], str] = {}
    content = _Content()
    indicators = _indicators_named({code for code, _option in planned})
    for r, row in enumerate(sheet.iter_rows(min_row=HEADER_ROW, max_col=len(columns)), start=HEADER_ROW):
        row = tuple(row) + (None,) * (len(columns) - len(row))

        def at(letter: str, row=row):
            return row[index[letter]]

        if r == HEADER_ROW:
            for letter, header in CHECKED_HEADERS.items():
                found = _text(_value(at(letter)))
                if fold(found) != fold(header):
                    fail(f"{letter}{r}", _("tiêu đề cột là “%(f)s”, mẫu ghi “%(h)s”: các cột đã bị thay đổi. Hãy tải mẫu mới.") % {
                        "f": found, "h": header})
                    raise _StopReading
            continue
        if r >= FIRST_DATA_ROW + MAX_DATA_ROWS:
            fail(f"A{r}", _("bảng có quá %(n)s dòng; đây không phải mẫu của Phối Hợp.") % {"n": MAX_DATA_ROWS})
            raise _StopReading
        code = _text(_value(at(CODE_COL)))
        option_text = _text(_value(at(OPTION_COL)))
        value_cell, comment_cell = at(VALUE_COL), at(COMMENT_COL)
        bad = False
        for letter, cell in ((VALUE_COL, value_cell), (COMMENT_COL, comment_cell)):
            kind = _data_type(cell)
            if kind == "f":
                formula = str(_value(cell))[:60]
                fail(f"{letter}{r}", _("ô %(c)s chứa công thức “%(f)s”; hãy nhập giá trị (số), không nhập công thức.") % {
                    "c": f"{letter}{r}", "f": formula})
                bad = True
            elif kind == "e":
                fail(f"{letter}{r}", _("ô %(c)s có lỗi “%(v)s”; hãy nhập giá trị.") % {"c": f"{letter}{r}", "v": _value(cell)})
                bad = True
        raw = _value(value_cell)
        comment = _text(_value(comment_cell))
        if isinstance(raw, str):
            raw = nfc(raw).strip() or None
        if not code:
            if (raw is not None or comment) and not bad:
                fail(f"{CODE_COL}{r}", _("dòng có số liệu nhưng không có mã chỉ số; không thêm dòng vào mẫu."))
            continue
        content.coded += 1
        if raw is not None or comment or bad:
            content.filled += 1
        indicator = _indicator(code, indicators)
        option_code = _option_code(indicator, option_text)
        expected = expected_at.get(r)
        if expected is not None and expected != (code, option_code):
            exp_code, exp_option = expected
            if exp_code != code:
                fail(f"{CODE_COL}{r}", _("mã chỉ số đã bị sửa thành “%(c)s” (mẫu ghi “%(e)s”); không sửa các cột khóa của mẫu.") % {
                    "c": code, "e": exp_code})
            else:
                fail(f"{OPTION_COL}{r}", _("phân tổ đã bị sửa thành “%(c)s”; không sửa các cột khóa của mẫu.") % {"c": option_text})
            continue
        if bad:
            continue
        if isinstance(raw, (dt.datetime, dt.date, dt.time, dt.timedelta)):
            fail(f"{VALUE_COL}{r}", _("ô %(c)s là ngày tháng, không phải số.") % {"c": f"{VALUE_COL}{r}"})
            continue
        key = (code, option_code)
        plan = planned.get(key)
        version = plan.version if plan else 0
        if plan is not None and _same(raw, plan.value) and comment == plan.comment:
            result.untouched += 1
            continue  # as it was in the template: not an edit, so never a conflict
        if plan is None and raw is None and not comment:
            continue
        place = f"{sheet_name}!{VALUE_COL}{r}"
        keys.setdefault(key, place)
        cells.append(services.CellInput(
            indicator=code, option=option_code or (option_text or None), value=raw,
            comment=comment[:500], version=version,
        ))
        places.append(place)
    return cells, places, keys, content


def _same(raw, original) -> bool:
    """Is the cell's value the one the template showed?"""
    if raw is None or original is None:
        return raw is None and original is None
    numbers = (int, float, Decimal)
    if isinstance(raw, numbers) and isinstance(original, numbers) and not isinstance(raw, bool):
        return Decimal(str(raw)) == Decimal(str(original))
    return _text(raw) == _text(original)


def _value(cell):
    return getattr(cell, "value", None) if cell is not None else None


def _data_type(cell) -> str:
    if cell is None:
        return "n"
    value = getattr(cell, "value", None)
    if value is not None and value.__class__.__name__ in ("ArrayFormula", "DataTableFormula"):
        return "f"
    return getattr(cell, "data_type", "n") or "n"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return nfc(str(value)).strip()


def _indicators_named(codes: set[str]) -> dict[str, Indicator | None]:
    """The template's indicators with their disaggregation options, in two queries (not one per
    row); a code typed into the sheet that the template did not have is looked up by `_indicator`."""
    found = Indicator.objects.select_related("disaggregation").prefetch_related("disaggregation__options")
    return {i.code: i for i in found.filter(code__in=codes)}


def _indicator(code: str, cache: dict[str, Indicator | None]) -> Indicator | None:
    if code not in cache:
        cache[code] = Indicator.objects.select_related("disaggregation").filter(code=code).first()
    return cache[code]


def _option_code(indicator: Indicator | None, text: str) -> str:
    """The option code for the option shown in the sheet (its name, or its code)."""
    if not text or indicator is None or not indicator.disaggregation_id:
        return "" if not text else text
    folded = fold(text)
    for option in indicator.disaggregation.options.all():
        if fold(option.name) == folded or option.code == text:
            return option.code
    return text

