"""The entry horizon (issue 12): values are saved and reports sent only for periods starting at
most `PHOIHOP_ENTRY_HORIZON_DAYS` after today. Every door refuses a period further ahead with
the same Vietnamese message, and nothing is written (not even the period's row)."""

import datetime as dt
import io
import json

import openpyxl
import pytest
from django.utils import timezone

from phoihop import factories as f
from phoihop.programs.models import ContentArea
from phoihop.reporting import bulk, excel, periods, services
from phoihop.reporting.models import DataValue, Period, Submission
from phoihop.reporting.tests.worlds import auth

TOO_FAR = "chưa đến lúc báo cáo"


def far_month() -> str:
    """A month starting about a year from today (well beyond the default 62 days)."""
    return periods.covering(timezone.localdate() + dt.timedelta(days=365))


def next_month() -> str:
    """The month after the one holding today: it starts within 31 days."""
    return periods.covering(timezone.localdate() + dt.timedelta(days=31))


def nothing_written() -> bool:
    return not (Period.objects.exists() or Submission.objects.exists() or DataValue.objects.exists())


@pytest.fixture
def program(org_a, org_b):
    today = timezone.localdate()
    program = f.ProgramFactory(code="ct-han", start=dt.date(2019, 1, 1), end=dt.date(today.year + 5, 12, 31))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    program.content_areas.set(ContentArea.objects.filter(code__in=["recruitment"]))
    return program


@pytest.mark.django_db
def test_the_horizon_is_measured_from_today(settings):
    settings.PHOIHOP_ENTRY_HORIZON_DAYS = 62
    today = dt.date(2026, 12, 7)
    assert services.entry_horizon(today) == dt.date(2027, 2, 7)
    assert services.beyond_horizon(services.find_period("2027-02"), today) is None  # starts 15/01/2027
    assert services.beyond_horizon(services.find_period("2027-03"), today) is not None  # starts 15/02/2027
    message = services.beyond_horizon(services.find_period("2100-01"), today)
    assert TOO_FAR in message and "15/12/2099" in message and "07/02/2027" in message


@pytest.mark.django_db
def test_the_service_refuses_a_far_period_and_writes_nothing(org_a, reporter, program):
    result = bulk.save_values(org_a, services.find_period(far_month()), reporter, [services.CellInput("recruit_called", 5)])
    assert not result.ok and TOO_FAR in result.errors[0].message and result.errors[0].field == "period"
    assert nothing_written()


@pytest.mark.django_db
def test_the_next_month_is_accepted(org_a, reporter, program):
    result = bulk.save_values(org_a, services.find_period(next_month()), reporter, [services.CellInput("recruit_called", 5)])
    assert result.ok, result.errors
    assert DataValue.objects.get().period.code == next_month()


@pytest.mark.django_db
def test_the_horizon_is_a_setting(org_a, reporter, program, settings):
    settings.PHOIHOP_ENTRY_HORIZON_DAYS = 0
    assert not bulk.save_values(org_a, services.find_period(next_month()), reporter, [services.CellInput("recruit_called", 5)]).ok
    settings.PHOIHOP_ENTRY_HORIZON_DAYS = 400
    assert bulk.save_values(org_a, services.find_period(far_month()), reporter, [services.CellInput("recruit_called", 5)]).ok


@pytest.mark.django_db
def test_the_api_answers_422_for_the_rows_of_a_far_period(client, reporter, org_a, program):
    rows = [{"organization": org_a.pk, "indicator": "recruit_called", "period": far_month(), "value": 5},
            {"organization": org_a.pk, "indicator": "recruit_called", "period": "2100-01", "value": 5}]
    response = client.post("/api/datavalues", json.dumps(rows), content_type="application/json", **auth(reporter))
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert {d["row"] for d in detail} == {0, 1} and all(d["field"] == "period" and TOO_FAR in d["message"] for d in detail)
    assert nothing_written()


@pytest.mark.django_db
def test_the_api_refuses_to_submit_a_far_period(client, reporter, org_a, program):
    response = client.post(f"/api/submissions/{org_a.pk}/{far_month()}/submit", "{}", content_type="application/json", **auth(reporter))
    assert response.status_code == 422
    assert TOO_FAR in json.dumps(response.json(), ensure_ascii=False)
    assert nothing_written()


@pytest.mark.django_db
def test_the_grid_page_says_so_and_refuses_a_post(client, reporter, org_a, program):
    client.force_login(reporter)
    url = f"/bao-cao/{org_a.pk}/{far_month()}/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="too-far"' in html and TOO_FAR in html and 'value="submit"' not in html
    indicator = services.indicators_for(org_a, services.find_period(far_month())).get(code="recruit_called")
    response = client.post(url, {f"v-{indicator.pk}:0": "5", "action": "save"})
    assert response.status_code == 422 and TOO_FAR in response.content.decode()
    response = client.post(url, {f"v-{indicator.pk}:0": "5", "action": "submit"})
    assert response.status_code == 422 and TOO_FAR in response.content.decode()
    assert nothing_written()


@pytest.mark.django_db
def test_the_excel_import_refuses_a_template_of_a_far_period(org_a, reporter, program):
    content = excel.build_template(org_a, services.find_period(far_month()))  # downloading it is a read: allowed
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    sheet = workbook[excel.DATA_SHEET]
    row = next(r for r in range(excel.FIRST_DATA_ROW, sheet.max_row + 1) if sheet[f"B{r}"].value == "recruit_called")
    sheet[f"H{row}"] = 5
    out = io.BytesIO()
    workbook.save(out)
    result = excel.import_workbook(out.getvalue(), reporter)
    assert not result.ok and any(TOO_FAR in p.reason for p in result.problems)
    assert nothing_written()


@pytest.mark.django_db
def test_submit_refuses_a_far_period(org_a, reporter, program):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match=TOO_FAR):
        services.submit(services.find_submission(org_a, services.find_period(far_month())), reporter)
    assert nothing_written()
