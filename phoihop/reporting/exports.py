"""Exports of data tables to .xlsx and .csv, safe against formula injection.

Any text cell that begins with = + - @, a tab or a carriage return (also after leading spaces)
could be run as a formula by a spreadsheet (e.g. `=cmd|'/C calc'!A0`). In CSV such text gets a
leading single quote; in .xlsx it is written as a string cell (never a formula) with the "quote
prefix" style, so Excel keeps it as text even when the cell is edited. Numbers stay numbers.

CSV: UTF-8 with a byte-order mark (so Excel opens Vietnamese correctly), comma-separated,
CRLF line ends, numbers with a decimal point (1234.5), dates as ISO 8601 (2019-07-09).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Iterable
from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

from phoihop.core.vietnamese import fold
from phoihop.reporting.models import DataValue

FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
DANGEROUS_STARTS = ("=", "+", "-", "@", "\t", "\r")
FONT_NAME = "Times New Roman"
_SHEET_TITLE_FORBIDDEN = str.maketrans({c: " " for c in "[]:*?/\\'"})


def is_dangerous(text: str) -> bool:
    """Would a spreadsheet read this text as the start of a formula?"""
    return text.startswith(DANGEROUS_STARTS) or text.lstrip(" \u00a0").startswith(DANGEROUS_STARTS)


def csv_safe(text: str) -> str:
    return f"'{text}" if is_dangerous(text) else text


def export_table(headers: list[str], rows: Iterable[list], fmt: str, title: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of a table as .xlsx or .csv."""
    if fmt not in FORMATS:
        raise ValueError(_("Định dạng xuất phải là xlsx hoặc csv."))
    filename = f"{slugify(fold(title).replace('/', '-'))[:80] or 'bang-du-lieu'}.{fmt}"
    content = _xlsx(headers, rows, title) if fmt == "xlsx" else _csv(headers, rows)
    return content, CONTENT_TYPES[fmt], filename


# ---------------------------------------------------------------- CSV

def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("có") if value else _("không")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else ""
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="minutes")
    if isinstance(value, dt.date):
        return value.isoformat()
    return csv_safe(str(value))


def _csv(headers: list[str], rows: Iterable[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=",", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([_csv_value(h) for h in headers])
    for row in rows:
        writer.writerow([_csv_value(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


# ---------------------------------------------------------------- xlsx

def _xlsx(headers: list[str], rows: Iterable[list], title: str) -> bytes:
    rows = iter(rows)
    head = list(itertools.islice(rows, 200))  # enough to size the columns
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_sheet_title(title))
    for i, header in enumerate(headers):
        longest = max([len(str(header))] + [len(_shown(r[i])) for r in head if i < len(r)])
        ws.column_dimensions[_letter(i)].width = min(max(longest + 2, 8), 60)
    ws.freeze_panes = "A2"
    header_font = Font(name=FONT_NAME, bold=True)
    fill = PatternFill("solid", fgColor="D9E1F2")
    ws.append([_cell(ws, h, font=header_font, fill=fill) for h in headers])
    body_font = Font(name=FONT_NAME)
    count = 0
    for row in itertools.chain(head, rows):
        ws.append([_cell(ws, v, font=body_font) for v in row])
        count += 1
    if headers:
        ws.auto_filter.ref = f"A1:{_letter(len(headers) - 1)}{count + 1}"
    wb.properties.title = title
    wb.properties.creator = "Phối Hợp"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cell(ws, value, font: Font, fill: PatternFill | None = None) -> WriteOnlyCell:
    if isinstance(value, bool):
        value = _("có") if value else _("không")
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, Decimal) and not value.is_finite():
        value = None
    if value is not None and not isinstance(value, (int, float, Decimal, dt.date, dt.datetime, str)):
        value = str(value)
    cell = WriteOnlyCell(ws, value=value)
    cell.font = font
    if fill is not None:
        cell.fill = fill
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text starts with
        if is_dangerous(value):
            cell.quotePrefix = True
        if "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    elif isinstance(value, (int, Decimal, float)):
        whole = isinstance(value, int) or (isinstance(value, Decimal) and value == value.to_integral_value()) \
            or (isinstance(value, float) and value.is_integer())
        cell.number_format = "#,##0" if whole else "#,##0.00"
    elif isinstance(value, dt.datetime):
        cell.number_format = "dd/mm/yyyy hh:mm"
    elif isinstance(value, dt.date):
        cell.number_format = "dd/mm/yyyy"
    return cell


def _shown(value) -> str:
    return "" if value is None else str(value)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _sheet_title(title: str) -> str:
    cleaned = " ".join(title.translate(_SHEET_TITLE_FORBIDDEN).split())[:31].strip()
    return cleaned or "Bang"


VALUE_HEADERS = ["STT", "Mã chỉ số", "Chỉ số", "Phân tổ", "Đơn vị tính", "Giá trị", "Ghi chú", "Cập nhật lúc"]


def value_rows(values: QuerySet[DataValue]) -> list[list]:
    """Rows of the data-values table (headers: VALUE_HEADERS), in catalogue order."""
    values = values.select_related("indicator", "option").order_by(
        "indicator__content_area__order", "indicator__order", "indicator__code", "option__order", "option__id")
    rows = []
    for number, v in enumerate(values, start=1):
        shown = v.value if v.value is not None else (v.text_value or None)
        if isinstance(shown, Decimal) and shown == shown.to_integral_value():
            shown = int(shown)
        rows.append([number, v.indicator.code, v.indicator.name, v.option.name if v.option else "", v.indicator.unit,
                     shown, v.comment, v.updated_at])
    return rows
