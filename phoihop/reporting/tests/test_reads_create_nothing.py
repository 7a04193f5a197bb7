"""Reads never create rows (issue 12): a period or report is computed when nothing was ever
written for it, and stored only by a write (saving values, submitting, reopening).

Every read route — pages, the Excel template, the API's GET operations as its schema lists
them — is asked about periods nobody used; the Period and Submission tables stay as they were.
"""

import datetime as dt
import re

import pytest
from django.utils import timezone

from phoihop import factories as f
from phoihop.programs.models import ContentArea
from phoihop.reporting import bulk, services
from phoihop.reporting.models import Period, Submission
from phoihop.reporting.tests.worlds import auth

PAST = "2019-04"  # long closed, never used
FUTURE = "2031-05"  # far beyond the entry horizon, never used


def counts() -> tuple[int, int]:
    return Period.objects.count(), Submission.objects.count()


@pytest.fixture
def program(org_a, org_b):
    program = f.ProgramFactory(code="ct-doc", start=dt.date(2018, 1, 1), end=dt.date(2035, 12, 31), status="in_force")
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    program.content_areas.set(ContentArea.objects.filter(code__in=["recruitment"]))
    return program


def page_urls(org) -> list[str]:
    urls = []
    for code in (PAST, FUTURE, "2019-Q2", "2031", "2031-H1", "2031-9M"):
        urls += [
            f"/bao-cao/{org.pk}/{code}/",
            f"/bao-cao/?ky={code}",
            f"/bao-cao/excel/{org.pk}/mau.xlsx?period={code}",
            f"/bao-cao/excel/{org.pk}/xuat/?period={code}&format=csv",
        ]
    return urls + [
        "/bao-cao/", "/bao-cao/duyet/", "/bao-cao/duyet/?nam=2031", "/bao-cao/duyet/?nam=2019",
        "/bang-dieu-khien/", "/bang-dieu-khien/bao-cao-vien/", "/bang-dieu-khien/thuong-truc/", "/bang-dieu-khien/lanh-dao/",
        "/lich/trong-tam/", "/lich/trong-tam/?from=2031-01-01&to=2031-03-31", f"/lich/to-chuc/{org.pk}/lich.ics", "/",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["approver", "manager", "sysadmin"])
def test_pages_of_never_used_periods_create_nothing(client, request, org_a, program, who):
    user = request.getfixturevalue(who)
    client.force_login(user)
    before = counts()
    for url in page_urls(org_a):
        response = client.get(url)
        assert response.status_code < 500, url
        assert counts() == before, url
    grid = client.get(f"/bao-cao/{org_a.pk}/{PAST}/")
    assert grid.status_code == 200 and "Tháng 4/2019" in grid.content.decode()


@pytest.mark.django_db
def test_the_template_of_a_never_used_period_is_complete_and_stores_nothing(client, approver, org_a, program):
    client.force_login(approver)
    before = counts()
    response = client.get(f"/bao-cao/excel/{org_a.pk}/mau.xlsx?period={PAST}")
    assert response.status_code == 200 and response.content[:2] == b"PK"
    assert counts() == before


def _filled(path: str, org_id: int, code: str) -> str:
    values = {"org_id": str(org_id), "code": code, "period_code": code, "organization_id": str(org_id)}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), path)


def _query(parameters: list[dict], org_id: int, code: str) -> dict:
    query = {}
    for parameter in parameters:
        if parameter.get("in") != "query":
            continue
        name = parameter["name"]
        if name in ("period", "code"):
            query[name] = code
        elif name in ("org", "organization"):
            query[name] = str(org_id)
        elif name in ("from", "date_from"):
            query[name] = "2031-01-01"
        elif name in ("to", "date_to"):
            query[name] = "2031-12-31"
        elif name == "program":
            query[name] = "ct-doc"
        elif name in ("draft", "include_unapproved", "by_year"):
            query[name] = "true"
        elif parameter.get("required"):
            query[name] = "1"
    return query


@pytest.mark.django_db
def test_every_get_operation_of_the_api_creates_nothing(client, sysadmin, approver, org_a, program):
    schema = client.get("/api/openapi.json").json()
    operations = [(path, op) for path, item in schema["paths"].items() for method, op in item.items() if method == "get"]
    assert any("periods/{code}" in path for path, _op in operations)
    for user in (sysadmin, approver):
        headers = auth(user)
        before = counts()
        for code in (PAST, FUTURE, "2031-Q2"):
            for path, op in operations:
                url = _filled(path, org_a.pk, code)
                response = client.get(url, _query(op.get("parameters", []), org_a.pk, code), **headers)
                assert response.status_code < 500, (url, response.content[:300])
                assert counts() == before, url


@pytest.mark.django_db
def test_get_period_describes_a_never_used_period_without_storing_it(client, viewer):
    response = client.get(f"/api/periods/{FUTURE}", **auth(viewer))
    assert response.status_code == 200 and response.json()["start"] == "2031-04-15"
    assert not Period.objects.exists()


@pytest.mark.django_db
def test_the_service_reads_compute_and_the_writes_store(org_a, reporter, program):
    period = services.find_period(PAST)
    assert period.pk is None and (period.start, period.end) == (dt.date(2019, 3, 15), dt.date(2019, 4, 14))
    submission = services.find_submission(org_a, period)
    assert submission.pk is None and submission.status == "draft"
    grid = services.build_grid(org_a, period)
    assert grid.rows and grid.submission.pk is None
    assert not any(p.severity == "error" and "bắt buộc" not in p.message for p in services.validate(org_a, period))
    assert counts() == (0, 0)
    code = services.find_period(timezone.localdate().strftime("%Y-%m")).code
    result = bulk.save_values(org_a, services.find_period(code), reporter,
                                  [services.CellInput("recruit_called", 5)], today=services.find_period(code).start)
    assert result.ok, result.errors
    assert Period.objects.filter(code=code).exists() and Submission.objects.filter(period__code=code).exists()
    assert services.find_period(code).pk == Period.objects.get(code=code).pk  # a read finds the stored row


@pytest.mark.django_db
def test_submitting_a_never_used_period_through_the_api_stores_the_report(client, reporter, org_a, program):
    code = services.find_period(timezone.localdate().strftime("%Y-%m")).code
    response = client.post(f"/api/submissions/{org_a.pk}/{code}/submit", "{}", content_type="application/json", **auth(reporter))
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"
    stored = Submission.objects.get(period__code=code, organization=org_a)
    assert stored.status == "submitted" and stored.submitted_by == reporter


@pytest.mark.django_db
def test_approving_a_never_used_period_is_refused_and_stores_nothing(client, approver, org_a, program):
    response = client.post(f"/api/submissions/{org_a.pk}/{PAST}/approve", "{}", content_type="application/json", **auth(approver))
    assert response.status_code == 422
    assert "Chỉ duyệt được báo cáo đã gửi" in str(response.json()["detail"])
    assert counts() == (0, 0)
