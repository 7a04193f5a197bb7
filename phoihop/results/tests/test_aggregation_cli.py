"""`phoihop results`: JSON and Vietnamese table from aggregation.results(), clear errors."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from phoihop import factories as f
from phoihop.programs.models import ContentArea
from phoihop.reporting import services
from phoihop.reporting.models import DataValue, Indicator, Submission, Target

D = dt.date


def put(org, code, indicator, value, status="approved"):
    period = services.get_period(code)
    Submission.objects.update_or_create(organization=org, period=period, defaults={"status": status})
    DataValue.objects.create(organization=org, indicator=Indicator.objects.get(code=indicator), period=period, value=value)


@pytest.fixture
def program(org_a, org_b):
    program = f.ProgramFactory(code="ct-cli", title="Chương trình phối hợp thử dòng lệnh", start=D(2019, 7, 9), end=D(2020, 12, 31))
    f.PartyFactory(program=program, organization=org_a, order=0)
    f.PartyFactory(program=program, organization=org_b, order=1)
    program.content_areas.set(ContentArea.objects.filter(code__in=["humanitarian_charity", "recruitment"]))
    put(org_a, "2019-08", "blood_units", 1200)
    put(org_b, "2019-08", "blood_units", 34)
    put(org_b, "2019-09", "blood_units", 5, status="draft")
    put(org_a, "2020-03", "recruit_enlisted", 9)
    put(org_a, "2020-03", "recruit_quota", 10)
    put(org_b, "2020-03", "recruit_enlisted", 1)
    put(org_b, "2020-03", "recruit_quota", 10)
    Target.objects.create(program=program, organization=org_a, indicator=Indicator.objects.get(code="blood_units"), year=2019, value=1000)
    return program


def results_json(capsys, *args):
    call_command("results", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def find(rows, indicator, org=None, year=None):
    org_id = org.pk if org else None
    (row,) = [r for r in rows if r["indicator"] == indicator and r["organization"] == org_id and r["year"] == year]
    return row


def test_json_rows_carry_numbers_not_strings(program, org_a, org_b, capsys):
    rows = results_json(capsys, "--program", "ct-cli", "--from", "2019-07-09", "--to", "2020-12-31")
    total = find(rows, "blood_units")
    assert total["value"] == 1234 and isinstance(total["value"], int)
    assert total["organization"] is None and total["organization_name"] is None
    a = find(rows, "blood_units", org_a)
    assert a["target"] == 1000 and a["achieved_pct"] == 120
    assert a["organization_name"] == org_a.name
    assert set(a) >= {"program", "content_area", "indicator", "unit", "organization", "value", "target",
                      "achieved_pct", "previous_value"}
    assert find(rows, "recruit_quota_pct")["value"] == 50
    assert find(rows, "recruit_quota_pct", org_a)["value"] == 90
    assert find(rows, "volunteer_satisfaction")["value"] is None
    assert a["approved_only"] is True


def test_json_keeps_vietnamese_letters(program, capsys):
    call_command("results", "--program", "ct-cli", "--from", "2019-07-09", "--to", "2020-12-31", "--format", "json")
    out = capsys.readouterr().out
    assert "Đơn vị máu hiến" in out and "\\u" not in out


def test_draft_mode_adds_unapproved_figures(program, org_b, capsys):
    rows = results_json(capsys, "--program", "ct-cli", "--from", "2019-07-09", "--to", "2020-12-31", "--draft")
    assert find(rows, "blood_units", org_b)["value"] == 39
    assert find(rows, "blood_units", org_b)["approved_only"] is False


def test_by_year_splits_the_rows(program, org_a, capsys):
    rows = results_json(capsys, "--program", "ct-cli", "--from", "2019-07-09", "--to", "2020-12-31", "--by-year")
    assert {r["year"] for r in rows} == {2019, 2020}
    assert find(rows, "blood_units", year=2019)["value"] == 1234
    assert find(rows, "recruit_enlisted", org_a, year=2020)["value"] == 9


def test_the_window_defaults_to_the_phase(program, capsys):
    rows = results_json(capsys, "--program", "ct-cli")
    assert find(rows, "blood_units")["value"] == 1234


def test_several_programs_come_in_the_order_given(program, org_a, capsys):
    other = f.ProgramFactory(code="ct-cli-2")
    f.PartyFactory(program=other, organization=org_a)
    other.content_areas.set(ContentArea.objects.filter(code="humanitarian_charity"))
    rows = results_json(capsys, "--program", "ct-cli-2", "--program", "ct-cli", "--from", "2019-07-09", "--to", "2020-12-31")
    assert [r["program"] for r in rows][0] == "ct-cli-2"
    assert {r["program"] for r in rows} == {"ct-cli", "ct-cli-2"}


def test_text_is_a_vietnamese_table(program, capsys):
    call_command("results", "--program", "ct-cli", "--from", "2019-07-09", "--to", "2020-12-31")
    out = capsys.readouterr().out
    assert "KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP từ 09/07/2019 đến 31/12/2020" in out
    assert "Đơn vị máu hiến (đơn vị)" in out
    assert "TỔNG CỘNG" in out
    assert "1.234" in out and "1.200" in out and "120,0" in out
    assert "chỉ tính số liệu đã duyệt" in out


def test_text_marks_the_draft_mode(program, capsys):
    call_command("results", "--program", "ct-cli", "--from", "2019-07-09", "--to", "2020-12-31", "--draft")
    assert "CHƯA DUYỆT" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--program", "khong-co"], "Không có chương trình “khong-co”"),
    (["--program", "ct-cli", "--from", "2019-13-01"], "Ngày bắt đầu “2019-13-01” không hợp lệ"),
    (["--program", "ct-cli", "--to", "hôm qua"], "Ngày kết thúc “hôm qua” không hợp lệ"),
    (["--program", "ct-cli", "--from", "2020-01-01", "--to", "2019-01-01"], "phải sau hoặc bằng ngày bắt đầu"),
])
def test_bad_input_fails_with_a_vietnamese_message(program, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("results", *args)


def test_a_dd_mm_yyyy_date_is_understood_too(program, capsys):
    rows = results_json(capsys, "--program", "ct-cli", "--from", "09/07/2019", "--to", "31/12/2020")
    assert find(rows, "blood_units")["value"] == 1234


def test_an_error_exits_non_zero_from_the_command_line(program, capsys):
    from phoihop.results.management.commands.results import Command

    with pytest.raises(SystemExit) as exit_:
        Command().run_from_argv(["phoihop", "results", "--program", "khong-co", "--skip-checks"])
    assert exit_.value.code != 0
    assert "Không có chương trình “khong-co”" in capsys.readouterr().err
