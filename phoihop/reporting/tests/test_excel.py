"""The Excel template and its round trip: template → fill in → import → values stored and audited."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.reporting import excel, services
from phoihop.reporting.models import DataValue, Target
from phoihop.reporting.tests import test_excel_helpers as helpers
from phoihop.reporting.tests.test_excel_helpers import D, fill, load, rows_by_key, save, stored

pytestmark = pytest.mark.django_db

# Shared fixtures (pytest finds them by name in this module).
program = helpers.program
period = helpers.period


def test_the_template_has_a_vietnamese_header_block_and_columns(org_a, period):
    ws = load(excel.build_template(org_a, period))[excel.DATA_SHEET]
    assert ws["A1"].value == "BIỂU NHẬP SỐ LIỆU CHƯƠNG TRÌNH PHỐI HỢP"
    assert ws["C2"].value == org_a.name
    assert period.label in ws["C3"].value
    assert period.start.strftime("%d/%m/%Y") in ws["C3"].value
    assert period.end.strftime("%d/%m/%Y") in ws["C3"].value
    assert period.deadline.strftime("%d/%m/%Y") in ws["C4"].value
    headers = [ws.cell(excel.HEADER_ROW, c).value for c in range(1, 10)]
    assert headers[:5] == ["STT", "Mã chỉ số", "Chỉ số", "Phân tổ", "Đơn vị tính"]
    assert headers[5].startswith("Kỳ trước") and headers[6].startswith("Chỉ tiêu năm")
    assert headers[7:] == ["Giá trị kỳ này", "Ghi chú"]
    assert ws["C2"].font.name == "Times New Roman"


def test_the_template_lists_one_row_per_indicator_and_option(org_a, period):
    template = excel.make_template(org_a, period)
    rows = rows_by_key(load(template.content)[excel.DATA_SHEET])
    expected = {i.code for i in services.indicators_for(org_a, period)}
    assert {code for code, _option in rows} == expected
    assert ("propaganda_listeners", "Nam") in rows and ("propaganda_listeners", "Nữ") in rows
    assert ("gratitude_gifts", "Gia đình liệt sĩ") in rows
    assert ("hcm_study_sessions", None) not in rows  # not a content area of org_a's program
    assert template.rows == len(rows)


def test_the_template_shows_last_periods_values_the_target_and_what_is_stored(org_a, period, program, reporter):
    previous = services.previous_period(period)
    save(org_a, previous, reporter, {"propaganda_sessions": 7, ("propaganda_listeners", "nu"): 120})
    save(org_a, period, reporter, {"gratitude_houses": 3})
    Target.objects.create(program=program, organization=org_a, indicator_id=_indicator("propaganda_sessions"),
                          year=period.year, value=D(40))
    ws = load(excel.build_template(org_a, period))[excel.DATA_SHEET]
    rows = rows_by_key(ws)
    assert ws[f"F{rows[('propaganda_sessions', None)]}"].value == 7
    assert ws[f"F{rows[('propaganda_listeners', 'Nữ')]}"].value == 120
    assert ws[f"G{rows[('propaganda_sessions', None)]}"].value == 40
    assert ws[f"H{rows[('gratitude_houses', None)]}"].value == 3
    assert ws[f"H{rows[('propaganda_sessions', None)]}"].value is None


def test_only_the_input_cells_are_unlocked_on_a_protected_sheet(org_a, period):
    wb = load(excel.build_template(org_a, period))
    ws = wb[excel.DATA_SHEET]
    r = rows_by_key(ws)[("propaganda_sessions", None)]
    assert ws.protection.sheet is True
    assert wb.security.lockStructure is True
    assert ws[f"H{r}"].protection.locked is False
    assert ws[f"I{r}"].protection.locked is False
    for letter in "ABCDEFG":
        assert ws[f"{letter}{r}"].protection.locked is True
    assert ws[f"H{r}"].number_format == "#,##0"
    money = rows_by_key(ws)[("gratitude_gift_value", None)]
    assert ws[f"H{money}"].number_format == "#,##0.00"


def test_input_cells_carry_data_validation(org_a, period):
    ws = load(excel.build_template(org_a, period))[excel.DATA_SHEET]
    r = rows_by_key(ws)[("propaganda_sessions", None)]
    money = rows_by_key(ws)[("gratitude_gift_value", None)]
    found = {}
    for validation in ws.data_validations.dataValidation:
        for cell_range in validation.sqref.ranges:
            for row in range(cell_range.min_row, cell_range.max_row + 1):
                found.setdefault((cell_range.min_col, row), validation)
    whole = found[(8, r)]
    assert (whole.type, whole.operator, whole.formula1) == ("whole", "greaterThanOrEqual", "0")
    assert whole.showErrorMessage and "số nguyên" in whole.error
    assert found[(8, money)].type == "decimal"


def test_a_hidden_sheet_carries_the_metadata_and_each_rows_version(org_a, period, reporter):
    save(org_a, period, reporter, {"gratitude_houses": 3})
    save(org_a, period, reporter, {"gratitude_houses": 4}, version=1)
    wb = load(excel.build_template(org_a, period))
    meta = wb[excel.META_SHEET]
    assert meta.sheet_state == "veryHidden"
    pairs = {row[0]: row[1] for row in meta.iter_rows(max_row=9, max_col=2, values_only=True)}
    assert pairs["kind"] == excel.TEMPLATE_KIND and pairs["version"] == excel.TEMPLATE_VERSION
    assert pairs["organization"] == org_a.pk and pairs["period"] == period.code
    assert pairs["convention"] == period.convention
    table = {(code, option): (row, version) for row, code, option, version in meta.iter_rows(min_row=12, max_col=4, values_only=True)}
    r = rows_by_key(wb[excel.DATA_SHEET])[("gratitude_houses", None)]
    assert table[("gratitude_houses", None)] == (r, 2)
    assert table[("propaganda_listeners", "nam")][1] == 0


def test_a_filled_template_round_trips_into_the_database_with_audit_entries(org_a, period, reporter):
    content = fill(excel.build_template(org_a, period), {
        "propaganda_sessions": 12,
        ("propaganda_listeners", "Nam"): 1500,
        ("propaganda_listeners", "Nữ"): "1.234",  # typed the Vietnamese way, as text
        "gratitude_gift_value": 12.5,
    }, comments={"propaganda_sessions": "Tuyên truyền lưu động"})
    with acting_as(reporter):
        result = excel.import_workbook(content, reporter)
    assert result.ok, result.problems
    assert (result.saved, result.unchanged) == (4, 0)
    assert stored(org_a, period) == {
        ("propaganda_sessions", None): D(12), ("propaganda_listeners", "nam"): D(1500),
        ("propaganda_listeners", "nu"): D(1234), ("gratitude_gift_value", None): D("12.5"),
    }
    value = DataValue.objects.get(organization=org_a, period=period, indicator__code="propaganda_sessions")
    assert value.comment == "Tuyên truyền lưu động" and value.updated_by == reporter
    entries = AuditEntry.objects.filter(content_type__model="datavalue", action="create")
    assert entries.count() == 4
    assert {e.actor_id for e in entries} == {reporter.pk}


def test_importing_the_same_file_twice_changes_nothing(org_a, period, reporter):
    content = fill(excel.build_template(org_a, period), {"propaganda_sessions": 12})
    assert excel.import_workbook(content, reporter).saved == 1
    again = excel.import_workbook(content, reporter)
    assert again.ok and (again.saved, again.unchanged) == (0, 1)
    assert DataValue.objects.get(indicator__code="propaganda_sessions").version == 1


def test_a_fresh_template_can_update_and_clear_stored_values(org_a, period, reporter):
    save(org_a, period, reporter, {"propaganda_sessions": 5, "gratitude_houses": 2})
    content = fill(excel.build_template(org_a, period), {"propaganda_sessions": 6, "gratitude_houses": None})
    result = excel.import_workbook(content, reporter)
    assert result.ok, result.problems
    assert stored(org_a, period) == {("propaganda_sessions", None): D(6), ("gratitude_houses", None): None}


def test_a_cell_left_as_the_template_showed_it_never_overwrites_a_newer_value(org_a, period, reporter, approver):
    save(org_a, period, reporter, {"recruit_quota": 5})
    content = excel.build_template(org_a, period)
    save(org_a, period, approver, {"recruit_quota": 8}, version=1)  # changed after the download
    result = excel.import_workbook(fill(content, {"propaganda_sessions": 3}), reporter)
    assert result.ok, result.problems
    assert result.saved == 1 and result.untouched >= 1
    assert stored(org_a, period) == {("recruit_quota", None): D(8), ("propaganda_sessions", None): D(3)}


def test_an_untouched_blank_template_is_refused_as_empty(org_a, period, reporter):
    result = excel.import_workbook(excel.build_template(org_a, period), reporter)
    assert not result.ok
    assert [(p.sheet, p.cell) for p in result.problems] == [(excel.DATA_SHEET, "")]
    assert "Tệp không có giá trị nào để nhập" in result.problems[0].reason and excel.DATA_SHEET in result.problems[0].reason
    assert not DataValue.objects.exists()


def test_a_template_showing_stored_values_unchanged_writes_nothing(org_a, period, reporter):
    save(org_a, period, reporter, {"recruit_quota": 5})
    versions = list(DataValue.objects.values_list("pk", "version"))
    result = excel.import_workbook(excel.build_template(org_a, period), reporter)
    assert result.ok and result.saved == 0 and result.untouched >= 1
    assert list(DataValue.objects.values_list("pk", "version")) == versions


def test_a_template_with_every_stored_value_cleared_is_refused(org_a, period, reporter):
    save(org_a, period, reporter, {"recruit_quota": 5})
    content = excel.build_template(org_a, period)
    result = excel.import_workbook(fill(content, {"recruit_quota": None}), reporter)
    assert not result.ok and "Tệp không có giá trị nào để nhập" in result.problems[0].reason
    assert stored(org_a, period) == {("recruit_quota", None): D(5)}


def test_a_comment_alone_is_something_to_import(org_a, period, reporter):
    content = excel.build_template(org_a, period)
    result = excel.import_workbook(fill(content, {}, {"recruit_quota": "Chưa có số liệu tháng này"}), reporter)
    assert result.ok, result.problems


# ---------------------------------------------------------------- the commands

def test_the_template_command_writes_the_file_and_reports_it_as_json(org_a, period, tmp_path):
    out = io.StringIO()
    target = tmp_path / "mau.xlsx"
    call_command("template", "--org", str(org_a.pk), "--period", period.code, "-o", str(target), "--format", "json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["file"] == str(target) and report["organization"] == org_a.pk and report["period"] == period.code
    assert report["rows"] == len(rows_by_key(load(target.read_bytes())[excel.DATA_SHEET]))
    assert zipfile.is_zipfile(target)


def test_the_template_command_refuses_a_bad_period_or_organisation(org_a, tmp_path):
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("template", "--org", str(org_a.pk), "--period", "2019-Q5", "-o", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match="Không có tổ chức"):
        call_command("template", "--org", "999999", "--period", "2019-Q3", "-o", str(tmp_path / "x.xlsx"))


def test_the_import_command_saves_and_attributes_the_change_to_itself(org_a, period, tmp_path):
    path = tmp_path / "da-dien.xlsx"
    path.write_bytes(fill(excel.build_template(org_a, period), {"propaganda_sessions": 12, "recruit_called": 300}))
    out = io.StringIO()
    call_command("import", str(path), stdout=out)
    assert "lưu 2 giá trị" in out.getvalue()
    assert stored(org_a, period) == {("propaganda_sessions", None): D(12), ("recruit_called", None): D(300)}
    assert set(AuditEntry.objects.filter(content_type__model="datavalue").values_list("actor_label", flat=True)) == {"phoihop import"}


def test_the_import_command_prints_each_problem_and_exits_non_zero(org_a, period, tmp_path):
    content = fill(excel.build_template(org_a, period), {"propaganda_sessions": "mười hai", "recruit_called": -3, "recruit_quota": 5})
    path = tmp_path / "loi.xlsx"
    path.write_bytes(content)
    rows = rows_by_key(load(content)[excel.DATA_SHEET])
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 lỗi"):
        call_command("import", str(path), stdout=out)
    lines = out.getvalue().splitlines()
    assert f"Số liệu!H{rows[('propaganda_sessions', None)]}: " in lines[0] and "không phải là số" in lines[0]
    assert f"Số liệu!H{rows[('recruit_called', None)]}: " in lines[1] and "không được âm" in lines[1]
    assert not DataValue.objects.exists()


def test_the_import_command_exits_with_status_1_from_the_shell(org_a, period, tmp_path, capsys):
    from django.core.management import ManagementUtility

    path = tmp_path / "loi.xlsx"
    path.write_bytes(fill(excel.build_template(org_a, period), {"propaganda_sessions": -1}))
    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["phoihop", "import", str(path), "--format", "json", "--skip-checks"]).execute()
    assert exit_info.value.code == 1
    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert report["ok"] is False and report["problems"][0]["sheet"] == "Số liệu"
    assert "chưa ghi giá trị nào" in captured.err


def test_the_import_command_checks_the_named_users_permission(org_a, period, viewer, outsider, reporter, tmp_path):
    path = tmp_path / "mau.xlsx"
    path.write_bytes(fill(excel.build_template(org_a, period), {"propaganda_sessions": 12}))
    for user, reason in ((viewer, "chỉ được xem"), (outsider, "Không có quyền")):
        out = io.StringIO()
        with pytest.raises(CommandError):
            call_command("import", str(path), "--user", user.username, stdout=out)
        assert reason in out.getvalue()
    assert not DataValue.objects.exists()
    call_command("import", str(path), "--user", reporter.username, stdout=io.StringIO())
    entry = AuditEntry.objects.get(content_type__model="datavalue")
    assert entry.actor_id == reporter.pk


def test_the_import_command_refuses_an_unknown_user_or_a_missing_file(tmp_path, db):
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("import", str(tmp_path / "x.xlsx"), "--user", "khong-ai", stdout=io.StringIO())
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path / "khong-co.xlsx"), stdout=out)
    assert "Không tìm thấy tệp" in out.getvalue()


def _indicator(code: str) -> int:
    from phoihop.reporting.models import Indicator

    return Indicator.objects.get(code=code).pk


def test_stored_text_that_looks_like_a_formula_stays_text_in_the_template(org_a, period, reporter):
    save(org_a, period, reporter, {"propaganda_sessions": 4}, comment="=cmd|'/C calc'!A0")
    content = excel.build_template(org_a, period)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name), name
    ws = load(content)[excel.DATA_SHEET]
    cell = ws[f"I{rows_by_key(ws)[('propaganda_sessions', None)]}"]
    assert (cell.value, cell.data_type) == ("=cmd|'/C calc'!A0", "s")
    result = excel.import_workbook(fill(content, {"recruit_called": 1}), reporter)
    assert result.ok, result.problems
    assert DataValue.objects.get(indicator__code="propaganda_sessions").comment == "=cmd|'/C calc'!A0"
