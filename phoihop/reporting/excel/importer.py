"""Importing a filled-in values template: every row checked, then all values saved or none."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from phoihop.core.vietnamese import fold, nfc
from phoihop.organizations.models import Organization
from phoihop.reporting import bulk, periods, services
from phoihop.reporting.excel.layout import (
    CHECKED_HEADERS,
    CODE_COL,
    COLUMNS,
    COMMENT_COL,
    DATA_SHEET,
    FIRST_DATA_ROW,
    HEADER_ROW,
    MAX_DATA_ROWS,
    META_COLUMNS,
    META_SHEET,
    OPTION_COL,
    TEMPLATE_KIND,
    TEMPLATE_VERSION,
    VALUE_COL,
)
from phoihop.reporting.excel.reader import Refused, open_safely
from phoihop.reporting.models import Indicator, Period


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
            comment=comment, version=version,
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

