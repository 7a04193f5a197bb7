"""Excel import is all or nothing: every bad file or cell gets a clear Vietnamese message and
nothing is written (one value stored beforehand must stay exactly as it was)."""

import datetime as dt
import io
import os
import time
import zipfile

import openpyxl
import pytest

from phoihop.audit import workflow
from phoihop.reporting import excel, services
from phoihop.reporting.models import DataValue, SubmissionStatus
from phoihop.reporting.tests import test_excel_helpers as helpers
from phoihop.reporting.tests.test_excel_helpers import (
    D,
    edit,
    fill,
    load,
    rows_by_key,
    save,
    stored,
    to_bytes,
)

pytestmark = pytest.mark.django_db

# Shared fixtures (pytest finds them by name in this module).
program = helpers.program
period = helpers.period
template = helpers.template


def refused(source, user, org, period, *, contains: str, **kwargs) -> excel.ImportResult:
    before = stored(org, period)
    count = DataValue.objects.count()
    result = excel.import_workbook(source, user, **kwargs)
    assert not result.ok
    reasons = [str(p) for p in result.problems]
    assert any(contains in r for r in reasons), reasons
    assert DataValue.objects.count() == count
    assert stored(org, period) == before
    return result


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def _members(content: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# ---------------------------------------------------------------- files refused before parsing

def test_random_bytes_named_xlsx_are_not_an_excel_file(org_a, period, reporter, template, tmp_path):
    path = tmp_path / "so-lieu.xlsx"
    path.write_bytes(os.urandom(4096).replace(b"PK", b"pk"))
    refused(path, reporter, org_a, period, contains="không phải là tệp Excel .xlsx")


def test_an_empty_file_is_refused(org_a, period, reporter, template):
    refused(b"", reporter, org_a, period, contains="Tệp rỗng")


def test_an_old_xls_file_is_named_as_such(org_a, period, reporter, template):
    refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 2000, reporter, org_a, period, contains="97-2003 (.xls)")


def test_a_truncated_zip_is_a_corrupt_file(org_a, period, reporter, template):
    refused(template[: len(template) // 2], reporter, org_a, period, contains="bị hỏng")


def test_a_zip_member_with_a_bad_checksum_is_a_corrupt_file(org_a, period, reporter, template):
    members = _members(template)
    data = bytearray(_zip(members, zipfile.ZIP_STORED))
    marker = data.find(b"<sheetData>")
    data[marker + 1] ^= 0x20  # flip one byte inside a stored member: its CRC no longer matches
    refused(bytes(data), reporter, org_a, period, contains="bị hỏng")


def test_a_zip_bomb_is_refused_before_openpyxl_reads_it(org_a, period, reporter, template):
    members = _members(template)
    members["xl/media/bom.xml"] = b"0" * (excel.MAX_UNCOMPRESSED_BYTES + 1024)
    bomb = _zip(members)
    assert len(bomb) < 1024 * 1024  # small on disk, huge once inflated
    refused(bomb, reporter, org_a, period, contains="bom nén")


def test_a_file_of_50_mb_is_refused_quickly_without_reading_it(org_a, period, reporter, template, tmp_path):
    path = tmp_path / "qua-lon.xlsx"
    with path.open("wb") as handle:
        handle.seek(50 * 1024 * 1024)
        handle.write(b"\0")
    started = time.monotonic()
    refused(path, reporter, org_a, period, contains="Tệp quá lớn")
    assert time.monotonic() - started < 1
    with path.open("rb") as handle:  # an open file object is measured, not read
        refused(handle, reporter, org_a, period, contains="chỉ nhận tệp đến 10 MB")


def test_a_workbook_with_macros_is_refused(org_a, period, reporter, template):
    members = _members(template)
    members["xl/vbaProject.bin"] = b"\0" * 100
    refused(_zip(members), reporter, org_a, period, contains="macro")


def test_an_xml_part_with_a_doctype_is_refused(org_a, period, reporter, template):
    members = _members(template)
    workbook = members["xl/workbook.xml"]
    if workbook.startswith(b"<?xml"):
        workbook = workbook.split(b"?>", 1)[1]
    members["xl/workbook.xml"] = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a SYSTEM "file:///etc/passwd">]>' + workbook
    refused(_zip(members), reporter, org_a, period, contains="DOCTYPE")


def test_a_zip_that_is_not_a_workbook_is_refused(org_a, period, reporter, template):
    refused(_zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), reporter, org_a, period,
            contains="không phải là bảng tính Excel")


# ---------------------------------------------------------------- workbooks that are not our template

def test_a_plain_workbook_is_not_our_template(org_a, period, reporter, template):
    wb = openpyxl.Workbook()
    wb.active.append(["Mã chỉ số", "Giá trị kỳ này"])
    wb.active.append(["propaganda_sessions", 12])
    refused(to_bytes(wb), reporter, org_a, period, contains="không phải mẫu nhập số liệu của Phối Hợp")


def test_a_workbook_from_another_phoihop_template_is_refused(org_a, period, reporter, template):
    wb = load(template)
    wb[excel.META_SHEET]["B1"] = "phoihop.reviews.report"
    refused(to_bytes(wb), reporter, org_a, period, contains="không phải mẫu nhập số liệu kỳ báo cáo")


def test_an_old_template_version_is_refused(org_a, period, reporter, template):
    wb = load(template)
    wb[excel.META_SHEET]["B2"] = 0
    refused(to_bytes(wb), reporter, org_a, period, contains="tải mẫu mới")


def test_moved_columns_are_refused(org_a, period, reporter, template):
    def swap(ws, rows):
        ws[f"H{excel.HEADER_ROW}"] = "Ghi chú"
        ws[f"I{excel.HEADER_ROW}"] = "Giá trị kỳ này"

    result = refused(edit(template, swap), reporter, org_a, period, contains="các cột đã bị thay đổi")
    assert result.problems[0].where == f"Số liệu!H{excel.HEADER_ROW}"


# ---------------------------------------------------------------- bad cells: each one named, nothing written

def test_text_in_a_number_cell_names_the_cell(org_a, period, reporter, template):
    r = rows_by_key(load(template)[excel.DATA_SHEET])[("propaganda_sessions", None)]
    content = fill(template, {"propaganda_sessions": "mười hai", "recruit_called": 300})
    result = refused(content, reporter, org_a, period, contains="“mười hai” không phải là số")
    assert [p.where for p in result.problems] == [f"Số liệu!H{r}"]
    assert (result.problems[0].sheet, result.problems[0].cell) == ("Số liệu", f"H{r}")


def test_a_negative_count_is_refused(org_a, period, reporter, template):
    refused(fill(template, {"recruit_called": -3, "propaganda_sessions": 4}), reporter, org_a, period, contains="không được âm")


def test_a_decimal_in_an_integer_cell_is_refused(org_a, period, reporter, template):
    refused(fill(template, {"recruit_called": 2.5}), reporter, org_a, period, contains="phải là số nguyên")


def test_a_formula_is_refused_even_in_a_comment(org_a, period, reporter, template):
    rows = rows_by_key(load(template)[excel.DATA_SHEET])
    r = rows[("propaganda_sessions", None)]

    def formulas(ws, rows):
        ws[f"H{r}"] = "=1+1"
        ws[f"I{rows[('recruit_called', None)]}"] = "=HYPERLINK(\"http://x\")"

    result = refused(edit(template, formulas), reporter, org_a, period, contains=f"ô H{r} chứa công thức")
    assert any("chứa công thức" in p.reason and p.cell.startswith("I") for p in result.problems)


def test_a_date_in_a_number_cell_is_refused(org_a, period, reporter, template):
    refused(fill(template, {"recruit_called": dt.datetime(2019, 7, 9)}), reporter, org_a, period, contains="là ngày tháng")


def test_an_unknown_indicator_in_an_added_row_is_refused(org_a, period, reporter, template):
    def add_row(ws, rows):
        r = ws.max_row + 1
        ws[f"B{r}"], ws[f"H{r}"] = "chi_so_khong_co", 5

    refused(edit(template, add_row), reporter, org_a, period, contains="không có chỉ số “chi_so_khong_co”")


def test_an_indicator_of_another_content_area_is_refused(org_a, period, reporter, template):
    def add_row(ws, rows):
        r = ws.max_row + 1
        ws[f"B{r}"], ws[f"H{r}"] = "blood_units", 5

    refused(edit(template, add_row), reporter, org_a, period, contains="không thuộc các chỉ số tổ chức này báo cáo")


def test_a_changed_indicator_code_is_refused(org_a, period, reporter, template):
    def rename(ws, rows):
        r = rows[("propaganda_sessions", None)]
        ws[f"B{r}"], ws[f"H{r}"] = "recruit_called", 5

    refused(edit(template, rename), reporter, org_a, period, contains="mã chỉ số đã bị sửa")


def test_a_duplicated_row_is_refused(org_a, period, reporter, template):
    def duplicate(ws, rows):
        source = rows[("propaganda_listeners", "Nữ")]
        ws[f"H{source}"] = 10
        r = ws.max_row + 1
        for letter in "BCDH":
            ws[f"{letter}{r}"] = ws[f"{letter}{source}"].value
        ws[f"H{r}"] = 11

    result = refused(edit(template, duplicate), reporter, org_a, period, contains="bị nhập hai lần")
    assert result.problems[0].cell == f"H{load(template)[excel.DATA_SHEET].max_row + 1}"


def test_an_unknown_option_is_refused(org_a, period, reporter, template):
    def add_row(ws, rows):
        r = ws.max_row + 1
        ws[f"B{r}"], ws[f"D{r}"], ws[f"H{r}"] = "propaganda_listeners", "Khác", 5

    refused(edit(template, add_row), reporter, org_a, period, contains="không có nhóm phân tổ “Khác”")


def test_a_value_without_an_indicator_code_is_refused(org_a, period, reporter, template):
    def add_row(ws, rows):
        ws[f"H{ws.max_row + 2}"] = 5

    refused(edit(template, add_row), reporter, org_a, period, contains="không có mã chỉ số")


def test_every_problem_is_reported_at_once(org_a, period, reporter, template):
    content = fill(template, {"propaganda_sessions": "abc", "recruit_called": -1, "gratitude_houses": "=2*3"})
    result = refused(content, reporter, org_a, period, contains="không phải là số")
    assert len(result.problems) == 3
    rows = [int(p.cell[1:]) for p in result.problems]
    assert rows == sorted(rows)


# ---------------------------------------------------------------- concurrency, locks and permissions

def test_a_stale_template_is_a_conflict_naming_both_values(org_a, period, reporter, approver, template):
    save(org_a, period, approver, {"recruit_quota": 70}, version=1)  # someone saved after the download
    content = fill(template, {"recruit_quota": 60, "propaganda_sessions": 9})
    result = refused(content, reporter, org_a, period, contains="vừa được approver sửa thành 70 trong khi bạn nhập 60")
    conflict = next(p for p in result.problems if p.kind == "conflict")
    assert conflict.cell == f"H{rows_by_key(load(template)[excel.DATA_SHEET])[('recruit_quota', None)]}"
    assert stored(org_a, period)[("recruit_quota", None)] == D(70)
    assert ("propaganda_sessions", None) not in stored(org_a, period)


def test_an_approved_report_is_locked(org_a, period, reporter, template):
    submission = services.submission_for(org_a, period)
    workflow.move(submission, SubmissionStatus.SUBMITTED)
    workflow.move(submission, SubmissionStatus.APPROVED)
    refused(fill(template, {"propaganda_sessions": 9}), reporter, org_a, period, contains="đã được duyệt nên số liệu đã khóa")


def test_a_closed_period_is_locked(org_a, period, reporter, template):
    later = period.closes_on + dt.timedelta(days=1)
    refused(fill(template, {"propaganda_sessions": 9}), reporter, org_a, period, contains="đã khóa nhập liệu", today=later)


def test_a_viewer_may_not_import(org_a, period, viewer, template):
    result = refused(fill(template, {"propaganda_sessions": 9}), viewer, org_a, period, contains="chỉ được xem")
    assert result.denied == "403"


def test_another_organisations_member_may_not_import(org_a, period, outsider, template):
    result = refused(fill(template, {"propaganda_sessions": 9}), outsider, org_a, period, contains="Không có quyền")
    assert result.denied == "404"
    assert org_a.name not in str(result.problems[0])


def test_a_template_of_another_organisation_is_refused_where_one_is_expected(org_a, org_b, period, reporter, template):
    refused(fill(template, {"propaganda_sessions": 9}), reporter, org_a, period, contains="không phải của",
            organization=org_b, check_permission=False)
