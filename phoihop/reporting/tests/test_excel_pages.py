"""The Excel page: template download and upload, by role (anonymous, outsider, viewer, reporter)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from phoihop.reporting import excel
from phoihop.reporting.models import DataValue
from phoihop.reporting.tests import test_excel_helpers as helpers
from phoihop.reporting.tests.test_excel_helpers import D, fill, load, rows_by_key, stored

pytestmark = pytest.mark.django_db

# Shared fixtures (pytest finds them by name in this module).
program = helpers.program
period = helpers.period
XLSX = excel.XLSX_CONTENT_TYPE


def _page(org) -> str:
    return reverse("reporting:import_upload", args=[org.pk])


def _download(org, code: str | None) -> str:
    url = reverse("reporting:template_download", args=[org.pk])
    return f"{url}?period={code}" if code is not None else url


def _upload(client, org, content: bytes, name: str = "so-lieu.xlsx"):
    return client.post(_page(org), {"file": SimpleUploadedFile(name, content, content_type=XLSX)})


def test_the_routes_live_under_bao_cao(org_a):
    assert _page(org_a) == f"/bao-cao/excel/{org_a.pk}/"
    assert _download(org_a, None) == f"/bao-cao/excel/{org_a.pk}/mau.xlsx"


@pytest.mark.parametrize(("role", "status"), [("reporter", 200), ("approver", 200), ("manager", 200), ("sysadmin", 200),
                                              ("viewer", 403), ("outsider", 404)])
def test_the_page_is_for_people_who_may_report(client, org_a, people, role, status):
    client.force_login(people[role])
    response = client.get(_page(org_a))
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "Tải mẫu nhập số liệu" in text and "Nhập tệp đã điền" in text and 'enctype="multipart/form-data"' in text


def test_anonymous_people_are_sent_to_the_login_page(client, org_a, period):
    for url in (_page(org_a), _download(org_a, period.code)):
        response = client.get(url)
        assert response.status_code == 302 and "/tai-khoan/" in response["Location"]
    assert client.post(_page(org_a), {}).status_code == 302


def test_an_unknown_organisation_is_404(client, reporter):
    client.force_login(reporter)
    assert client.get("/bao-cao/excel/999999/").status_code == 404


def test_a_reporter_downloads_the_template(client, org_a, period, reporter):
    client.force_login(reporter)
    response = client.get(_download(org_a, period.code.lower()))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    wb = load(response.content)
    assert wb[excel.DATA_SHEET]["C2"].value == org_a.name


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404)])
def test_the_template_is_not_given_to_viewers_or_strangers(client, org_a, period, people, role, status):
    client.force_login(people[role])
    assert client.get(_download(org_a, period.code)).status_code == status


@pytest.mark.parametrize(("code", "message"), [("", "Hãy ghi mã kỳ báo cáo"), ("2019-Q5", "không hợp lệ"), (None, "Hãy ghi mã kỳ báo cáo")])
def test_a_bad_period_code_gets_a_clear_message(client, org_a, reporter, program, code, message):
    client.force_login(reporter)
    response = client.get(_download(org_a, code))
    assert response.status_code == 400
    assert message in response.content.decode()


def test_a_reporter_uploads_a_filled_template(client, org_a, period, reporter):
    client.force_login(reporter)
    content = fill(excel.build_template(org_a, period), {"propaganda_sessions": 12, ("propaganda_listeners", "Nữ"): 30})
    response = _upload(client, org_a, content)
    assert response.status_code == 200
    assert "Đã lưu 2 giá trị" in response.content.decode()
    assert stored(org_a, period) == {("propaganda_sessions", None): D(12), ("propaganda_listeners", "nu"): D(30)}
    assert DataValue.objects.get(indicator__code="propaganda_sessions").updated_by == reporter


def test_an_upload_with_errors_lists_sheet_cell_and_reason_and_writes_nothing(client, org_a, period, reporter):
    client.force_login(reporter)
    template = excel.build_template(org_a, period)
    r = rows_by_key(load(template)[excel.DATA_SHEET])[("recruit_called", None)]
    response = _upload(client, org_a, fill(template, {"propaganda_sessions": 12, "recruit_called": -5}))
    assert response.status_code == 422
    text = response.content.decode()
    assert "Chưa ghi giá trị nào: 1 lỗi" in text
    assert "<td>Số liệu</td>" in text and f"<td>H{r}</td>" in text and "không được âm" in text
    assert not DataValue.objects.exists()


@pytest.mark.parametrize(("content", "message"), [
    (b"day khong phai excel", "không phải là tệp Excel"),
    (b"PK\x03\x04 hong", "bị hỏng"),
])
def test_a_bad_file_gets_a_clear_message(client, org_a, reporter, program, content, message):
    client.force_login(reporter)
    response = _upload(client, org_a, content)
    assert response.status_code == 422
    assert message in response.content.decode()


def test_a_template_of_another_organisation_is_refused(client, org_a, org_b, period, reporter, sysadmin):
    client.force_login(sysadmin)
    content = fill(excel.build_template(org_b, period), {"propaganda_sessions": 12})
    response = _upload(client, org_a, content)
    assert response.status_code == 422
    assert "không phải của" in response.content.decode()
    assert not DataValue.objects.exists()


def test_an_upload_without_a_file_is_refused(client, org_a, reporter):
    client.force_login(reporter)
    response = client.post(_page(org_a), {})
    assert response.status_code == 400
    assert "Hãy chọn tệp" in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("viewer", 403), ("outsider", 404)])
def test_viewers_and_strangers_may_not_upload(client, org_a, period, people, role, status):
    content = fill(excel.build_template(org_a, period), {"propaganda_sessions": 12})
    client.force_login(people[role])
    assert _upload(client, org_a, content).status_code == status
    assert not DataValue.objects.exists()


def test_a_50_mb_upload_is_refused_before_the_body_is_read(client, org_a, reporter, program):
    client.force_login(reporter)
    big = io.BytesIO(b"\0" * (50 * 1024 * 1024))
    big.name = "qua-lon.xlsx"
    response = client.post(_page(org_a), {"file": big})
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.content.decode()
    assert not DataValue.objects.exists()


def test_the_upload_needs_the_csrf_token(org_a, period, reporter):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reporter)
    content = fill(excel.build_template(org_a, period), {"propaganda_sessions": 12})
    assert _upload(client, org_a, content).status_code == 403
    assert not DataValue.objects.exists()


# The rows proposed for phoihop/accounts/tests/test_permission_matrix.py (route × role → status).
REPORT_PAGE = {"anonymous": 302, "sysadmin": 200, "manager": 200, "approver": 200, "reporter": 200, "viewer": 403, "outsider": 404}
PRIVATE_PAGE = {**REPORT_PAGE, "viewer": 200}
MATRIX = [
    ("reporting:import_upload", lambda org: _page(org), REPORT_PAGE),
    ("reporting:template_download", lambda org: _download(org, "2019-Q3"), REPORT_PAGE),
    ("reporting:export", lambda org: reverse("reporting:export", args=[org.pk]) + "?period=2019-Q3&format=csv", PRIVATE_PAGE),
]


@pytest.mark.parametrize("role", list(REPORT_PAGE))
@pytest.mark.parametrize(("name", "url", "expected"), MATRIX, ids=[m[0] for m in MATRIX])
def test_each_excel_route_answers_each_role_as_the_matrix_says(client, org_a, draft_program, people, role, name, url, expected):
    if role != "anonymous":
        client.force_login(people[role])
    assert client.get(url(org_a)).status_code == expected[role], f"{name} as {role}"
