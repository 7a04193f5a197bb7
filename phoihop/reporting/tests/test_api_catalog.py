"""/api/indicators, /api/periods, /api/targets and /api/activities, and the OpenAPI document."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from phoihop.programs.models import SteeringCommittee
from phoihop.reporting import services
from phoihop.reporting.activities import month_covering as _month_covering
from phoihop.reporting.models import Activity, Period, Submission, Target
from phoihop.reporting.tests.worlds import auth, program_led_by


def send(client, user, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json", **auth(user))


@pytest.fixture
def program(org_a, org_b):
    return program_led_by(org_a, org_b, areas=["recruitment", "gratitude"], code="ct-api", start=dt.date(2024, 1, 1), end=dt.date(2030, 12, 31))


# ------------------------------------------------------------------ indicators and periods

@pytest.mark.django_db
def test_the_indicator_catalog_has_units_rules_and_options(client, viewer):
    data = {i["code"]: i for i in client.get("/api/indicators", **auth(viewer)).json()}
    assert data["recruit_quota_pct"]["aggregation"] == "ratio"
    assert (data["recruit_quota_pct"]["numerator"], data["recruit_quota_pct"]["denominator"]) == ("recruit_enlisted", "recruit_quota")
    assert data["propaganda_listeners"]["options"] == [{"code": "nam", "name": "Nam"}, {"code": "nu", "name": "Nữ"}]
    assert data["gratitude_gift_value"]["unit"] == "triệu đồng" and data["gratitude_gift_value"]["value_type"] == "money"
    assert data["members_total"]["content_area"] == "socio_economic"


@pytest.mark.django_db
def test_indicators_filter_by_content_area_and_program(client, viewer, outsider, program, draft_program):
    codes = {i["content_area"] for i in client.get("/api/indicators?content_area=gratitude", **auth(viewer)).json()}
    assert codes == {"gratitude"}
    codes = {i["content_area"] for i in client.get(f"/api/indicators?program={program.code}", **auth(viewer)).json()}
    assert codes == {"gratitude", "recruitment"}
    assert client.get(f"/api/indicators?program={draft_program.code}", **auth(outsider)).status_code == 404


@pytest.mark.django_db
def test_a_period_is_computed_from_its_code_and_listed_once_written_for(client, viewer, org_a):
    response = client.get("/api/periods/2019-q3", **auth(viewer))
    assert response.status_code == 200
    assert response.json() == {
        "code": "2019-Q3", "convention": "decree09", "type": "quarter", "label": "Quý III/2019", "year": 2019,
        "start": "2019-06-15", "end": "2019-09-14", "deadline": "2019-09-18", "closes_on": "2019-09-28",
    }
    assert client.get("/api/periods/2019-07?convention=calendar", **auth(viewer)).json()["end"] == "2019-07-31"
    assert client.get("/api/periods?type=quarter&year=2019", **auth(viewer)).json() == []  # a read stores nothing
    services.submission_for(org_a, services.get_period("2019-Q3"))  # a write stores it
    listed = client.get("/api/periods?type=quarter&year=2019", **auth(viewer)).json()
    assert [p["code"] for p in listed] == ["2019-Q3"]


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/periods/2019-13", "/api/periods/hom-nay", "/api/periods/2019-07?convention=lunar", "/api/periods?type=week"])
def test_bad_period_requests_get_422_in_vietnamese(client, viewer, url):
    before = Period.objects.count()
    response = client.get(url, **auth(viewer))
    assert response.status_code == 422
    assert "không hợp lệ" in response.json()["detail"]
    assert Period.objects.count() == before


# ------------------------------------------------------------------ targets

@pytest.mark.django_db
def test_a_manager_sets_targets_in_one_batch_and_again_changes_nothing(client, manager, org_a, org_b, program):
    # org_a is the standing office of the committee steering the program: it sets every party's
    # targets and the program's overall ones (a party alone sets only its own: test_targets_authorization).
    SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org_a).programs.add(program)
    rows = [
        {"program": program.code, "organization": org_a.pk, "indicator": "recruit_enlisted", "year": 2025, "value": 120},
        {"program": program.code, "organization": org_b.pk, "indicator": "gratitude_gifts", "year": 2025, "value": "1.500"},
        {"program": program.code, "organization": None, "indicator": "recruit_enlisted", "year": None, "value": 600},
    ]
    response = send(client, manager, "/api/targets", rows, "put")
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 3, "unchanged": 0, "deleted": 0}
    assert send(client, manager, "/api/targets", rows, "put").json() == {"saved": 0, "unchanged": 3, "deleted": 0}
    listed = client.get(f"/api/targets?program={program.code}", **auth(manager)).json()
    assert {(t["organization"], t["indicator"], t["year"], t["value"]) for t in listed} == {
        (org_a.pk, "recruit_enlisted", 2025, 120), (org_b.pk, "gratitude_gifts", 2025, 1500), (None, "recruit_enlisted", None, 600),
    }
    changed = [{**rows[0], "value": 130}, {**rows[2], "value": None}]
    assert send(client, manager, "/api/targets", changed, "put").json() == {"saved": 1, "unchanged": 0, "deleted": 1}
    assert Target.objects.count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "field", "message"),
    [
        ({"program": "khong-co"}, "program", "Không có chương trình"),
        ({"indicator": "khong_co"}, "indicator", "Không có chỉ số"),
        ({"indicator": "blood_units"}, "indicator", "không thuộc các nội dung"),
        ({"indicator": "recruit_quota_pct"}, "indicator", "tỷ lệ"),
        ({"organization": 999999}, "organization", "không phải là một bên"),
        ({"year": 2019}, "year", "ngoài giai đoạn"),
        ({"value": -1}, "value", "không được âm"),
        ({"value": "nhiều"}, "value", "không phải là số"),
    ],
)
def test_bad_target_rows_get_422_and_nothing_is_written(client, manager, org_a, program, bad, field, message):
    good = {"program": program.code, "organization": org_a.pk, "indicator": "recruit_enlisted", "year": 2025, "value": 10}
    response = send(client, manager, "/api/targets", [good, {**good, "indicator": "recruit_called", **bad}], "put")
    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert (error["row"], error["field"]) == (1, field) and message in error["message"]
    assert Target.objects.count() == 0


@pytest.mark.django_db
def test_a_duplicated_target_row_gets_422(client, manager, org_a, program):
    row = {"program": program.code, "organization": org_a.pk, "indicator": "recruit_enlisted", "year": 2025, "value": 10}
    response = send(client, manager, "/api/targets", [row, row], "put")
    assert response.status_code == 422 and "hai lần" in response.json()["detail"][0]["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), [("approver", 403), ("reporter", 403), ("viewer", 403), ("outsider", 403)])
def test_only_managers_set_targets(client, request, org_a, program, who, expected):
    row = {"program": program.code, "organization": org_a.pk, "indicator": "recruit_enlisted", "year": 2025, "value": 10}
    assert send(client, request.getfixturevalue(who), "/api/targets", [row], "put").status_code == expected
    assert Target.objects.count() == 0


@pytest.mark.django_db
def test_a_private_programs_targets_are_hidden_from_outsiders(client, outsider, draft_program, org_a):
    assert client.get(f"/api/targets?program={draft_program.code}", **auth(outsider)).status_code == 404
    row = {"program": draft_program.code, "organization": org_a.pk, "indicator": "recruit_enlisted", "value": 1}
    response = send(client, outsider, "/api/targets", [row], "put")
    assert response.status_code == 422 and "Không có chương trình" in response.json()["detail"][0]["message"]


# ------------------------------------------------------------------ activities

def open_day() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def activity_body(org_a, org_b, program):
    today = open_day()
    return {
        "title": "Thăm, tặng quà gia đình chính sách nhân dịp 27/7", "program": program.code, "content_area": "gratitude",
        "lead_organization": org_a.pk, "co_organizers": [org_b.pk], "start_date": today.isoformat(), "end_date": today.isoformat(),
        "participants": 40, "funds_spent": "12.5", "result": "Tặng 30 suất quà",
        "values": [{"indicator": "gratitude_gifts", "value": 30}, {"indicator": "gratitude_gift_value", "value": "15,5"}],
    }


@pytest.mark.django_db
def test_a_reporter_records_a_joint_activity(client, reporter, org_a, org_b, activity_body):
    response = send(client, reporter, "/api/activities", activity_body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["co_organizers"] == [org_b.pk] and data["funds_spent"] == 12.5 and data["program"] == "ct-api"
    assert data["values"] == [{"indicator": "gratitude_gifts", "value": 30}, {"indicator": "gratitude_gift_value", "value": 15.5}]
    assert client.get(f"/api/activities/{data['id']}", **auth(reporter)).json() == data


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"end_date": "2020-01-01"}, "end_date", "sau hoặc bằng ngày bắt đầu"),
        ({"content_area": "khong_co"}, "content_area", "Không có nội dung"),
        ({"program": "khong-co"}, "program", "Không có chương trình"),
        ({"co_organizers": [999999]}, "co_organizers", "Không có tổ chức"),
        ({"values": [{"indicator": "recruit_quota_pct", "value": 5}]}, "values", "tự tính"),
        ({"values": [{"indicator": "gratitude_gifts", "value": -1}]}, "values", "không được âm"),
        ({"values": [{"indicator": "gratitude_gifts", "value": 1}, {"indicator": "gratitude_gifts", "value": 2}]}, "values", "hai lần"),
    ],
)
def test_a_bad_activity_gets_422_and_nothing_is_written(client, reporter, activity_body, change, field, message):
    response = send(client, reporter, "/api/activities", {**activity_body, **change})
    assert response.status_code == 422
    assert message in " ".join(response.json()["detail"][field])
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_the_lead_must_be_an_organisation_the_caller_reports_for(client, viewer, outsider, activity_body):
    assert send(client, viewer, "/api/activities", activity_body).status_code == 403
    assert send(client, outsider, "/api/activities", activity_body).status_code == 404
    assert send(client, outsider, "/api/activities", {**activity_body, "lead_organization": 999999}).status_code == 422
    assert Activity.objects.count() == 0


@pytest.mark.django_db
def test_a_done_activity_in_a_locked_month_is_refused(client, reporter, org_a, activity_body):
    response = send(client, reporter, "/api/activities", {**activity_body, "start_date": "2025-03-01", "end_date": "2025-03-05"})
    assert response.status_code == 422
    assert "khóa nhập liệu" in response.json()["detail"]["end_date"][0]
    assert Activity.objects.count() == 0 and Submission.objects.count() == 0


@pytest.mark.django_db
def test_activities_are_listed_for_members_and_for_others_once_approved(client, reporter, approver, viewer, outsider, org_a, org_b, activity_body):
    solo = {**activity_body, "co_organizers": []}
    created = send(client, reporter, "/api/activities", solo).json()
    assert [a["id"] for a in client.get("/api/activities", **auth(viewer)).json()] == [created["id"]]
    assert client.get("/api/activities", **auth(outsider)).json() == []
    assert client.get(f"/api/activities/{created['id']}", **auth(outsider)).status_code == 404
    convention = services.convention_for(org_a)
    month = _month_covering(dt.date.fromisoformat(created["end_date"]), convention)
    submission = services.submission_for(org_a, services.get_period(month, convention))
    services.submit(submission, reporter)
    services.approve(submission, approver)
    assert client.get(f"/api/activities/{created['id']}", **auth(outsider)).status_code == 200
    url = f"/api/activities?org={org_a.pk}&from={created['end_date']}&to={created['end_date']}"
    assert len(client.get(url, **auth(outsider)).json()) == 1
    assert client.get(f"/api/activities?org={org_b.pk}", **auth(outsider)).json() == []


# ------------------------------------------------------------------ the OpenAPI document

def test_every_reporting_operation_is_documented():
    from phoihop.api.urls import api

    schema = api.get_openapi_schema()
    operations = {f"{m.upper()} {p}": op for p, item in schema["paths"].items() for m, op in item.items()}
    expected = {
        "POST /api/datavalues", "GET /api/datavalues", "GET /api/indicators", "GET /api/periods", "GET /api/periods/{code}",
        "GET /api/targets", "PUT /api/targets", "GET /api/activities", "POST /api/activities", "GET /api/activities/{activity_id}",
        "GET /api/submissions", "POST /api/submissions/{org_id}/{period_code}/submit",
        "POST /api/submissions/{org_id}/{period_code}/approve", "POST /api/submissions/{org_id}/{period_code}/return",
        "POST /api/submissions/{org_id}/{period_code}/reopen",
    }
    assert expected <= set(operations)
    for key in expected:
        assert operations[key]["summary"], key
        ok = {200, 201} & {int(code) for code in operations[key]["responses"]}
        assert ok and operations[key]["responses"][ok.pop()]["content"], key
        assert "reporting" in operations[key]["tags"], key
