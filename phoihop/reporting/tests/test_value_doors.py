"""Issue 13: values of the entry grid are written through one service (`bulk.save_batches`) at
every door — the entry page, `POST /api/datavalues` and the Excel import — so the same input gets
the same outcome and the same message for each rule: entry window closed, report submitted or
approved, a negative or non-numeric value, a wrong disaggregation option, a stale version.

Each door is a small adapter: `read` is what a client has before editing (the page as rendered
with its hidden versions, the API's GET, the downloaded template), `send` sends rows through the
door from what was read and answers (ok, core messages, what is stored). Doors may wrap the
service's message with a place (a row number, a cell); the core message must be the service's.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import escape

from phoihop.accounts.models import ApiToken
from phoihop.audit.context import acting_as
from phoihop.reporting import activities, bulk, excel, services
from phoihop.reporting.models import DataValue, DisaggregationOption, Indicator, Submission
from phoihop.reporting.tests import worlds
from phoihop.reporting.tests.test_excel_helpers import load, rows_by_key, to_bytes

pytestmark = pytest.mark.django_db

HOUSES = "gratitude_houses"  # integer, no disaggregation, min 0
GIFTS = "gratitude_gifts"  # integer, disaggregated by target group
CLOSED_MONTH = "2024-03"  # a month whose entry window closed long ago (never reopened)

# What a door adds around the service's messages (not a rule's message): the API's summary of a conflict.
API_CONFLICT_SUMMARY = "Có số liệu vừa được người khác sửa; không dòng nào được lưu."


@dataclass
class Row:
    indicator: str
    value: object
    option: str | None = None  # option code
    comment: str = ""


@dataclass
class Outcome:
    ok: bool
    messages: list[str]
    stored: dict


def stored_values() -> dict:
    """Every stored value: {(org, period code, indicator code, option code): (value, version)}."""
    return {
        (v.organization_id, v.period.code, v.indicator.code, v.option.code if v.option_id else None): (v.value, v.version)
        for v in DataValue.objects.select_related("period", "indicator", "option")
    }


@pytest.fixture
def world(org_a, reporter, approver):
    """org_a leads a program on gratitude and recruitment; in the current month the reporter
    entered gratitude_houses = 3."""
    program, period = worlds.current_month_with_a_value(org_a, reporter, "ct-doors")
    return {"org": org_a, "period": period, "program": program, "reporter": reporter, "approver": approver}


def _period(world, code: str | None):
    if code is None:
        return world["period"]
    return services.get_period(code, services.convention_for(world["org"]))


# ---------------------------------------------------------------- the doors

class PageDoor:
    """The entry grid page: the form as rendered (hidden `ver-` fields), posted back."""

    name = "page"

    def __init__(self, client):
        self.client = client

    def read(self, user, org, period):
        self.client.force_login(user)
        html = self.client.get(f"/bao-cao/{org.pk}/{period.code}/").content.decode()
        return dict(re.findall(r'name="ver-([0-9]+:[0-9]+)" value="([0-9]+)"', html))

    def send(self, user, org, period, read, rows: list[Row]) -> Outcome:
        self.client.force_login(user)
        body = {"action": "save"}
        for row in rows:
            indicator = Indicator.objects.get(code=row.indicator)
            option = _option_id(row.option)
            key = f"{indicator.pk}:{option}"
            body[f"v-{key}"] = row.value
            body[f"c-{key}"] = row.comment
            if key in read:
                body[f"ver-{key}"] = read[key]
        response = self.client.post(f"/bao-cao/{org.pk}/{period.code}/", body)
        if response.status_code == 302:
            return Outcome(True, [], stored_values())
        assert response.status_code == 422, response.status_code
        messages = [p.message for p in response.context["problems"]] + [c.message() for c in response.context["conflicts"]]
        html = response.content.decode()
        for message in messages:  # shown on the page, not only computed
            assert escape(message) in html
        return Outcome(False, messages, stored_values())


def _option_id(code: str | None) -> str:
    """The page names an option by its id (0: none); an unknown code is posted as typed."""
    if code is None:
        return "0"
    found = DisaggregationOption.objects.filter(code=code).first()
    return str(found.pk) if found else code


class ApiDoor:
    """`POST /api/datavalues` with the versions a `GET /api/datavalues` gave."""

    name = "api"

    def __init__(self, client):
        self.client = client

    def _auth(self, user):
        _token, raw = ApiToken.issue(user)
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def read(self, user, org, period):
        response = self.client.get(f"/api/datavalues?org={org.pk}&include_unapproved=true", **self._auth(user))
        assert response.status_code == 200, response.content
        return {(v["indicator"], v["disaggregation"]): v["version"] for v in response.json() if v["period"] == period.code}

    def send(self, user, org, period, read, rows: list[Row]) -> Outcome:
        body = [{"organization": org.pk, "period": period.code, "indicator": row.indicator, "value": row.value,
                 "disaggregation": row.option, "comment": row.comment, "version": read.get((row.indicator, row.option), 0)}
                for row in rows]
        response = self.client.post("/api/datavalues", json.dumps(body), content_type="application/json", **self._auth(user))
        if response.status_code == 200:
            return Outcome(True, [], stored_values())
        assert response.status_code == 422, (response.status_code, response.content)
        answer = response.json()
        messages = [e["message"] for e in answer["detail"] if e["message"] != API_CONFLICT_SUMMARY]
        if answer.get("conflicts"):
            assert API_CONFLICT_SUMMARY in [e["message"] for e in answer["detail"]]
        return Outcome(False, messages + [c["message"] for c in answer.get("conflicts", [])], stored_values())


class ExcelDoor:
    """The template downloaded for the organisation and period (its hidden sheet carries each
    row's version), filled in and imported. A row the template does not have is added below."""

    name = "excel"

    def __init__(self, client):
        self.client = client

    def read(self, user, org, period):
        return excel.build_template(org, period)

    def send(self, user, org, period, read, rows: list[Row]) -> Outcome:
        wb = load(read)
        ws = wb[excel.DATA_SHEET]
        where = rows_by_key(ws)
        added = max(where.values()) + 1
        for row in rows:
            option_name = DisaggregationOption.objects.get(code=row.option).name if row.option and \
                DisaggregationOption.objects.filter(code=row.option).exists() else row.option
            r = where.get((row.indicator, option_name))
            if r is None:  # not a row of the template: typed in below it
                r, added = added, added + 1
                ws[f"B{r}"], ws[f"D{r}"] = row.indicator, row.option
            ws[f"H{r}"] = row.value
            if row.comment:
                ws[f"I{r}"] = row.comment
        with acting_as(user):
            result = excel.import_workbook(to_bytes(wb), user)
        return Outcome(result.ok, [p.reason for p in result.problems], stored_values())


DOORS = {"page": PageDoor, "api": ApiDoor, "excel": ExcelDoor}


@pytest.fixture(params=sorted(DOORS))
def door(request, client):
    return DOORS[request.param](client)


def refused_everywhere(door, world, rows, expected: str, period=None, change_after_read=None) -> None:
    """Rows sent through the door are refused with the service's message and store nothing."""
    org, user = world["org"], world["reporter"]
    period = period or world["period"]
    read = door.read(user, org, period)
    if change_after_read:
        change_after_read()
    before = stored_values()
    outcome = door.send(user, org, period, read, rows)
    assert not outcome.ok
    assert outcome.messages == [expected]
    assert outcome.stored == before


# ---------------------------------------------------------------- one accepted case

def test_a_valid_value_is_stored_the_same_at_every_door(door, world):
    org, user, period = world["org"], world["reporter"], world["period"]
    outcome = door.send(user, org, period, door.read(user, org, period),
                        [Row(HOUSES, "7"), Row(GIFTS, "1.200", "ho_ngheo")])
    assert outcome.ok and outcome.messages == []
    assert outcome.stored[(org.pk, period.code, HOUSES, None)] == (Decimal(7), 2)
    assert outcome.stored[(org.pk, period.code, GIFTS, "ho_ngheo")] == (Decimal(1200), 1)


# ---------------------------------------------------------------- the rules

def test_a_month_past_its_entry_window_is_refused(door, world):
    period = _period(world, CLOSED_MONTH)
    assert period.closes_on < timezone.localdate()
    submission = Submission(organization=world["org"], period=period)
    refused_everywhere(door, world, [Row(HOUSES, "5")], services.locked_message(submission), period=period)


def _moved(world, to: str) -> Submission:
    submission = services.submission_for(world["org"], world["period"])
    with acting_as(world["reporter"]):
        services.submit(submission, world["reporter"])
    if to == "approved":
        with acting_as(world["approver"]):
            services.approve(submission, world["approver"])
    return Submission.objects.select_related("period", "organization").get(pk=submission.pk)


@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_a_submitted_or_approved_report_is_refused(door, world, status):
    submission = _moved(world, status)
    assert submission.status == status
    refused_everywhere(door, world, [Row(HOUSES, "5")], services.locked_message(submission))


def test_a_negative_value_is_refused(door, world):
    name = Indicator.objects.get(code=HOUSES).name
    refused_everywhere(door, world, [Row(HOUSES, "-2")], f"{name}: không được âm")


@pytest.mark.parametrize(("typed", "reason"), [
    ("abc", "“abc” không phải là số"),
    ("1,5", "phải là số nguyên"),
    ("mười hai " * 10, f"“{('mười hai ' * 10)[:40]}…” không phải là số"),  # quoted back shortened, also by the API
])
def test_a_non_numeric_or_fractional_value_is_refused(door, world, typed, reason):
    name = Indicator.objects.get(code=HOUSES).name
    refused_everywhere(door, world, [Row(HOUSES, typed)], f"{name}: {reason}")


@pytest.mark.parametrize("option", ["nam", "khong_co"])
def test_an_option_of_another_disaggregation_or_an_unknown_one_is_refused(door, world, option):
    """`nam` is an option of sex, not of the target groups of gratitude_gifts; `khong_co` is no option."""
    refused_everywhere(door, world, [Row(GIFTS, "4", option)], f"không có nhóm phân tổ “{option}”")


def test_a_comment_longer_than_500_characters_is_refused_not_cut(door, world):
    name = Indicator.objects.get(code=HOUSES).name
    refused_everywhere(door, world, [Row(HOUSES, "5", comment="ghi chú " * 63)],  # counted as stored: stripped
                       f"{name}: ghi chú dài 503 ký tự, quá giới hạn 500 ký tự")


@pytest.mark.parametrize(("code", "option", "expected"), [
    (GIFTS, None, "chỉ số này cần ghi theo phân tổ “Đối tượng”"),
    (HOUSES, "nam", "chỉ số này không có phân tổ"),
])
def test_a_disaggregated_value_without_its_option_or_an_option_for_a_plain_indicator_is_refused(door, world, code, option, expected):
    refused_everywhere(door, world, [Row(code, "4", option)], expected)


def test_a_value_changed_since_the_client_read_it_is_a_conflict(door, world):
    org, period, approver = world["org"], world["period"], world["approver"]

    def someone_else_saves():
        with acting_as(approver):
            assert bulk.save_values(org, period, approver, [services.CellInput(HOUSES, "4")], check_permission=False).ok

    indicator = Indicator.objects.get(code=HOUSES)
    expected = services.Conflict(indicator, None, Decimal(9), Decimal(4), approver.get_username()).message()
    refused_everywhere(door, world, [Row(HOUSES, "9")], expected, change_after_read=someone_else_saves)
    assert stored_values()[(org.pk, period.code, HOUSES, None)] == (Decimal(4), 2)


def test_the_closed_month_is_what_the_rule_says(world):
    """The fixture month really is past its window (the test above would pass for a wrong reason otherwise)."""
    period = _period(world, CLOSED_MONTH)
    assert not Submission(organization=world["org"], period=period).entry_open()
    assert activities.month_covering(timezone.localdate(), period.convention) != CLOSED_MONTH
    assert period.start < dt.date.today()


def test_options_named_by_id_cost_one_query_however_many_are_wrong(world):
    """The page names options by id; refusing many wrong ones reads the options' codes once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from phoihop.reporting import bulk

    org, period, user = world["org"], world["period"], world["reporter"]
    gifts = Indicator.objects.get(code=GIFTS)
    others = DisaggregationOption.objects.exclude(disaggregation=gifts.disaggregation)
    wrong = [others.get(code="nam").pk, *others.exclude(code="nam").values_list("pk", flat=True)]

    def refused(refs):
        cells = [services.CellInput(gifts.pk, "1", ref) for ref in refs]
        with CaptureQueriesContext(connection) as queries:
            result = bulk.save_batches([bulk.Batch(org, period, cells)], user)[0]
        assert [p.message for p in result.errors][:1] == ["không có nhóm phân tổ “nam”"]
        return len(queries)

    assert len(wrong) >= 2
    assert refused(wrong) == refused(wrong[:1])
