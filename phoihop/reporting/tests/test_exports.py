"""Exports: .xlsx and .csv safe against formula injection; nobody exports another organisation's
unapproved values."""

import csv
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from phoihop.audit import workflow
from phoihop.reporting import access, exports, services
from phoihop.reporting.models import SubmissionStatus
from phoihop.reporting.tests import test_excel_helpers as helpers
from phoihop.reporting.tests.test_excel_helpers import save

# Shared fixtures (pytest finds them by name in this module).
program = helpers.program
period = helpers.period

ATTACKS = ["=cmd|'/C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "  =HYPERLINK(\"http://x\")"]


def _csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def _xml_parts(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml")}


# ---------------------------------------------------------------- the table writer

def test_csv_neutralises_every_formula_start_with_a_quote():
    content, content_type, filename = exports.export_table(["Ghi chú"], [[a] for a in ATTACKS], "csv", "Thử")
    assert content_type.startswith("text/csv") and filename == "thu.csv"
    cells = [row[0] for row in _csv_rows(content)[1:]]
    assert cells == [f"'{a}" for a in ATTACKS]


def test_csv_is_utf8_with_a_bom_comma_separated_and_keeps_numbers_as_numbers():
    rows = [["Hội Liên hiệp Phụ nữ, thành phố", 1234, Decimal("12.50"), -5, None, dt.date(2019, 7, 9), True]]
    content, _type, _name = exports.export_table(["Tổ chức", "a", "b", "c", "d", "e", "f"], rows, "csv", "Số liệu")
    assert content.startswith(b"\xef\xbb\xbf") and b"\r\n" in content
    assert _csv_rows(content)[1] == ["Hội Liên hiệp Phụ nữ, thành phố", "1234", "12.5", "-5", "", "2019-07-09", "có"]


def test_xlsx_writes_dangerous_text_as_plain_strings_never_formulas():
    content, content_type, filename = exports.export_table(["Ghi chú", "Số"], [[a, 7] for a in ATTACKS], "xlsx", "Số liệu Quý I/2020")
    assert content_type == exports.CONTENT_TYPES["xlsx"]
    assert filename == "so-lieu-quy-i-2020.xlsx"
    for name, xml in _xml_parts(content).items():
        assert not re.search(r"<(\w+:)?f[ >/]", xml), f"a formula element in {name}"
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    for r, attack in enumerate(ATTACKS, start=2):
        cell = ws.cell(r, 1)
        assert (cell.value, cell.data_type) == (attack, "s")
        assert cell.quotePrefix is True
        assert ws.cell(r, 2).value == 7 and ws.cell(r, 2).data_type == "n"


def test_xlsx_keeps_vietnamese_numbers_and_dates():
    rows = [["Nhà tình nghĩa", 1234, Decimal("12.5"), dt.datetime(2019, 7, 9, 8, 30, tzinfo=dt.UTC)]]
    content, _type, _name = exports.export_table(["Chỉ số", "Giá trị", "Tiền", "Lúc"], rows, "xlsx", "Thử")
    ws = openpyxl.load_workbook(io.BytesIO(content)).active
    assert [c.value for c in ws[1]] == ["Chỉ số", "Giá trị", "Tiền", "Lúc"]
    assert ws["B2"].value == 1234 and ws["B2"].number_format == "#,##0"
    assert ws["C2"].value == 12.5 and ws["C2"].number_format == "#,##0.00"
    assert ws["D2"].value == dt.datetime(2019, 7, 9, 15, 30)  # Vietnam time
    assert ws["A1"].font.name == "Times New Roman"


def test_an_unknown_format_is_refused():
    with pytest.raises(ValueError, match="xlsx hoặc csv"):
        exports.export_table(["a"], [], "pdf", "Thử")


# ---------------------------------------------------------------- who sees which values

@pytest.fixture
def values(org_a, org_b, period, reporter, outsider):
    save(org_a, period, reporter, {"propaganda_sessions": 12}, comment="=cmd|'/C calc'!A0")
    save(org_b, period, outsider, {"propaganda_sessions": 99})
    return period


def _approve(submission) -> None:
    workflow.move(submission, SubmissionStatus.SUBMITTED)
    workflow.move(submission, SubmissionStatus.APPROVED)


@pytest.mark.django_db
def test_a_reporter_sees_their_own_values_in_any_state_and_others_only_when_approved(org_a, org_b, values, reporter, outsider):
    assert set(access.values_visible_to(reporter).values_list("organization_id", flat=True)) == {org_a.pk}
    assert set(access.values_visible_to(outsider).values_list("organization_id", flat=True)) == {org_b.pk}
    _approve(services.submission_for(org_a, values))
    assert set(access.values_visible_to(outsider).values_list("organization_id", flat=True)) == {org_a.pk, org_b.pk}


@pytest.mark.django_db
def test_a_submitted_but_unapproved_report_stays_hidden_from_others(org_a, values, outsider):
    workflow.move(services.submission_for(org_a, values), SubmissionStatus.SUBMITTED)
    assert not access.values_visible_to(outsider).filter(organization=org_a).exists()


@pytest.mark.django_db
def test_sysadmins_see_everything_and_anonymous_people_nothing(values, sysadmin):
    from django.contrib.auth.models import AnonymousUser

    assert access.values_visible_to(sysadmin).count() == 2
    assert not access.values_visible_to(AnonymousUser()).exists()


# ---------------------------------------------------------------- the export page

def _export(org, code, fmt="csv"):
    return f"{reverse('reporting:export', args=[org.pk])}?period={code}&format={fmt}"


@pytest.mark.django_db
def test_a_reporter_exports_their_organisations_values_safely(client, org_a, values, reporter):
    client.force_login(reporter)
    response = client.get(_export(org_a, values.code))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv_rows(response.content)
    assert rows[0] == exports.VALUE_HEADERS
    assert rows[1][1:3] == ["propaganda_sessions", "Buổi tuyên truyền đường lối, chính sách, pháp luật"]
    assert rows[1][5] == "12" and rows[1][6] == "'=cmd|'/C calc'!A0"


@pytest.mark.django_db
def test_the_xlsx_export_has_no_formula(client, org_a, values, viewer):
    client.force_login(viewer)
    response = client.get(_export(org_a, values.code, "xlsx"))
    assert response.status_code == 200
    for xml in _xml_parts(response.content).values():
        assert not re.search(r"<(\w+:)?f[ >/]", xml)
    ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert ws["F2"].value == 12 and ws["G2"].value == "=cmd|'/C calc'!A0" and ws["G2"].data_type == "s"


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_another_organisations_unapproved_values_never_appear_in_an_export(client, org_a, org_b, values, reporter, outsider, fmt):
    client.force_login(outsider)
    assert client.get(_export(org_a, values.code, fmt)).status_code == 404
    client.force_login(reporter)
    assert client.get(_export(org_b, values.code, fmt)).status_code == 404
    _approve(services.submission_for(org_a, values))
    client.force_login(outsider)
    response = client.get(_export(org_a, values.code, "csv"))
    assert response.status_code == 200
    assert [r[5] for r in _csv_rows(response.content)[1:]] == ["12"]


@pytest.mark.django_db
def test_a_period_nobody_reported_exports_an_empty_table_for_members_and_404_for_others(client, org_a, program, reporter, outsider):
    client.force_login(reporter)
    response = client.get(_export(org_a, "2019-07"))
    assert response.status_code == 200 and _csv_rows(response.content) == [exports.VALUE_HEADERS]
    client.force_login(outsider)
    assert client.get(_export(org_a, "2019-07")).status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "message"), [
    ("period=2019-Q5&format=csv", "không hợp lệ"),
    ("period=2019-Q3&format=pdf", "xlsx hoặc csv"),
    ("format=csv", "Hãy ghi mã kỳ báo cáo"),
])
def test_bad_export_parameters_get_a_clear_message(client, org_a, reporter, query, message):
    client.force_login(reporter)
    response = client.get(f"{reverse('reporting:export', args=[org_a.pk])}?{query}")
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.django_db
def test_anonymous_people_cannot_export(client, org_a, values):
    response = client.get(_export(org_a, values.code))
    assert response.status_code == 302
    assert client.get(f"/bao-cao/excel/999999/xuat/?period={values.code}").status_code == 302
