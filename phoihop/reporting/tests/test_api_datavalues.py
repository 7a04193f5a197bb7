"""POST/GET /api/datavalues: batches land whole or not at all, twice is once, scoping holds."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from phoihop import factories as f
from phoihop.reporting import services
from phoihop.reporting.models import DataValue, Period, Submission
from phoihop.reporting.tests.worlds import auth, program_led_by


def month_after(code: str) -> str:
    y, m = int(code[:4]), int(code[5:7])
    y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y}-{m:02d}"


def open_month() -> str:
    """The Decree 09 month period holding today (from the 15th it is next month's): open for entry."""
    today = timezone.localdate()
    code = f"{today.year}-{today.month:02d}"
    return month_after(code) if today.day >= 15 else code


def send(client, user, rows, method="post", url="/api/datavalues"):
    body = rows if isinstance(rows, str) else json.dumps(rows)
    return getattr(client, method)(url, body, content_type="application/json", **auth(user))


def snapshot():
    return sorted(DataValue.objects.values_list("organization_id", "indicator__code", "period__code", "option__code", "value", "comment", "version"))


@pytest.fixture
def program(org_a, org_b):
    return program_led_by(org_a, org_b, areas=["recruitment", "propaganda"], code="ct-api", start=dt.date(2024, 1, 1), end=dt.date(2030, 12, 31))


@pytest.fixture
def rows(org_a, program):
    month = open_month()
    return [
        {"organization": org_a.pk, "indicator": "recruit_called", "period": month, "value": 120},
        {"organization": org_a.pk, "indicator": "recruit_enlisted", "period": month, "value": 100, "comment": "Đợt 1"},
        {"organization": org_a.pk, "indicator": "propaganda_listeners", "period": month, "value": 50, "disaggregation": "nam"},
        {"organization": org_a.pk, "indicator": "propaganda_listeners", "period": month, "value": "1.234", "disaggregation": "nu"},
    ]


@pytest.mark.django_db
def test_a_reporter_saves_a_batch(client, reporter, rows, org_a):
    response = send(client, reporter, rows)
    assert response.status_code == 200, response.content
    assert response.json() == {"saved": 4, "unchanged": 0}
    values = {(v.indicator.code, v.option.code if v.option else None): v for v in DataValue.objects.filter(organization=org_a)}
    assert values[("recruit_called", None)].value == 120
    assert values[("recruit_enlisted", None)].comment == "Đợt 1"
    assert values[("propaganda_listeners", "nu")].value == 1234  # Vietnamese thousands separator
    assert values[("recruit_called", None)].updated_by == reporter


@pytest.mark.django_db
def test_the_same_batch_twice_leaves_the_same_state(client, reporter, rows):
    assert send(client, reporter, rows).json() == {"saved": 4, "unchanged": 0}
    before = snapshot()
    response = send(client, reporter, rows)
    assert response.json() == {"saved": 0, "unchanged": 4}
    assert snapshot() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"indicator": "khong_co"}, "không có chỉ số “khong_co”"),
        ({"value": "nhiều"}, "không phải là số"),
        ({"value": -5}, "không được âm"),
        ({"value": 1.5}, "phải là số nguyên"),
        ({"indicator": "propaganda_listeners"}, "cần ghi theo phân tổ"),
        ({"indicator": "recruit_called", "value": 7}, "bị nhập hai lần"),
        ({"indicator": "gratitude_houses"}, "không thuộc các chỉ số"),
        ({"period": "2025-13"}, "không hợp lệ"),
        ({"organization": 999999}, "Không có tổ chức"),
    ],
)
def test_a_bad_row_refuses_the_whole_batch(client, sysadmin, rows, org_a, bad, message):
    later = {**rows[0], "period": month_after(open_month())}  # another group, fine on its own
    batch = [*rows, later, {**rows[0], "indicator": "recruit_quota", **bad}]
    periods_before = Period.objects.count()
    response = send(client, sysadmin, batch)
    assert response.status_code == 422, response.content
    detail = response.json()["detail"]
    assert [e["row"] for e in detail] == [5]
    assert message in detail[0]["message"]
    assert DataValue.objects.count() == 0
    assert Submission.objects.count() == 0
    assert Period.objects.count() == periods_before


@pytest.mark.django_db
def test_errors_of_several_groups_come_back_together(client, reporter, rows):
    later = month_after(open_month())
    batch = [*rows, {**rows[0], "value": "x"}, {**rows[0], "period": later, "indicator": "khong_co"}]
    detail = send(client, reporter, batch).json()["detail"]
    assert [e["row"] for e in detail] == [4, 5]


@pytest.mark.django_db
def test_a_stale_version_is_a_conflict_naming_both_values(client, reporter, approver, rows):
    send(client, reporter, rows)
    called = DataValue.objects.get(indicator__code="recruit_called")
    assert called.version == 1
    first = send(client, approver, [{**rows[0], "value": 130, "version": 1}])
    assert first.json() == {"saved": 1, "unchanged": 0}
    response = send(client, reporter, [rows[1], {**rows[0], "value": 125, "version": 1}])
    assert response.status_code == 422
    conflict = response.json()["conflicts"][0]
    assert conflict["row"] == 1 and conflict["yours"] == 125 and conflict["theirs"] == 130 and conflict["by"] == "approver"
    assert "130" in conflict["message"] and "125" in conflict["message"]
    assert DataValue.objects.get(indicator__code="recruit_called").value == 130


@pytest.mark.django_db
def test_a_submitted_period_is_locked(client, reporter, rows, org_a):
    send(client, reporter, rows)
    submission = services.submission_for(org_a, Period.objects.get(code=open_month()))
    services.submit(submission, reporter)
    response = send(client, reporter, [{**rows[0], "value": 1}])
    assert response.status_code == 422
    assert "đang chờ duyệt" in response.json()["detail"][0]["message"]
    assert DataValue.objects.get(indicator__code="recruit_called").value == 120


@pytest.mark.django_db
def test_a_closed_period_is_refused_with_the_services_message(client, reporter, org_a, program):
    response = send(client, reporter, [{"organization": org_a.pk, "indicator": "recruit_called", "period": "2024-03", "value": 1}])
    assert response.status_code == 422
    assert "đã khóa nhập liệu" in response.json()["detail"][0]["message"]
    assert response.json()["detail"][0]["field"] == "period"


@pytest.mark.django_db
def test_a_stranger_organisation_refuses_the_batch_with_404(client, outsider, rows):
    assert send(client, outsider, rows).status_code == 404
    assert DataValue.objects.count() == 0


@pytest.mark.django_db
def test_a_viewer_may_not_report(client, viewer, rows):
    response = send(client, viewer, rows)
    assert response.status_code == 403
    assert "không được nhập số liệu" in response.json()["detail"]


@pytest.mark.django_db
def test_a_member_of_both_organisations_saves_both_in_one_batch(client, reporter, org_b, rows):
    f.MembershipFactory(user=reporter, organization=org_b, role="reporter")
    batch = [*rows, {**rows[0], "organization": org_b.pk}]
    assert send(client, reporter, batch).json() == {"saved": 5, "unchanged": 0}


@pytest.mark.django_db
def test_malformed_json_gets_422_in_vietnamese(client, reporter):
    response = send(client, reporter, "{not json")
    assert response.status_code == 422
    assert response.json() == {"detail": "Nội dung gửi lên không phải JSON hợp lệ."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "loc"),
    [('{"organization": 1}', ["body", "rows"]), ("[1, 2]", ["body", "rows", 0]), ('[{"organization": "abc"}]', ["body", "rows", 0, "organization"])],
)
def test_a_body_of_the_wrong_shape_gets_422_pointing_at_the_row(client, reporter, body, loc):
    response = send(client, reporter, body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][: len(loc)] == loc


@pytest.mark.django_db
def test_too_many_rows_get_422_with_a_clear_message(client, reporter, rows, monkeypatch):
    monkeypatch.setattr("phoihop.reporting.api.common.MAX_ROWS", 3)
    response = send(client, reporter, rows)
    assert response.status_code == 422
    assert "tối đa 3 dòng" in json.dumps(response.json(), ensure_ascii=False)
    assert DataValue.objects.count() == 0


@pytest.mark.django_db
def test_get_returns_rows_that_post_back_unchanged(client, reporter, rows, program):
    send(client, reporter, rows)
    response = client.get(f"/api/datavalues?program={program.code}&include_unapproved=true", **auth(reporter))
    got = response.json()
    assert response["X-Total-Count"] == "4"
    assert {(r["indicator"], r["disaggregation"], r["value"], r["status"]) for r in got} == {
        ("recruit_called", None, 120, "draft"), ("recruit_enlisted", None, 100, "draft"),
        ("propaganda_listeners", "nam", 50, "draft"), ("propaganda_listeners", "nu", 1234, "draft"),
    }
    assert all(r["version"] == 1 for r in got)
    assert send(client, reporter, got).json() == {"saved": 0, "unchanged": 4}


@pytest.mark.django_db
def test_get_filters_by_window_and_organisation(client, reporter, rows, org_a, org_b):
    send(client, reporter, rows)
    end = Period.objects.get(code=open_month()).end
    url = "/api/datavalues?include_unapproved=true"
    assert len(client.get(f"{url}&org={org_a.pk}&from={end}&to={end}", **auth(reporter)).json()) == 4
    assert client.get(f"{url}&org={org_b.pk}", **auth(reporter)).json() == []
    assert client.get(f"{url}&to={end - dt.timedelta(days=1)}", **auth(reporter)).json() == []
    everything = client.get(url, **auth(reporter)).json()
    assert client.get(f"{url}&limit=1&offset=1", **auth(reporter)).json() == everything[1:2]
    bad = client.get(f"{url}&from=31/12/2025", **auth(reporter))
    assert bad.status_code == 422 and "YYYY-MM-DD" in bad.json()["detail"]


@pytest.mark.django_db
def test_only_approved_values_by_default(client, reporter, rows):
    send(client, reporter, rows)
    assert client.get("/api/datavalues", **auth(reporter)).json() == []


@pytest.mark.django_db
def test_an_outsider_sees_another_organisations_values_only_once_approved(client, reporter, approver, outsider, rows, org_a):
    send(client, reporter, rows)
    url = "/api/datavalues?include_unapproved=true"
    assert client.get(url, **auth(outsider)).json() == []
    submission = services.submission_for(org_a, Period.objects.get(code=open_month()))
    services.submit(submission, reporter)
    assert client.get(url, **auth(outsider)).json() == []
    services.approve(submission, approver)
    seen = client.get("/api/datavalues", **auth(outsider)).json()
    assert len(seen) == 4 and {r["status"] for r in seen} == {"approved"}


@pytest.mark.django_db
def test_an_outsider_cannot_read_a_private_programs_values(client, outsider, draft_program):
    assert client.get(f"/api/datavalues?program={draft_program.code}", **auth(outsider)).status_code == 404


@pytest.mark.django_db
def test_anonymous_callers_get_401(client):
    assert client.get("/api/datavalues").status_code == 401
    assert client.post("/api/datavalues", "[]", content_type="application/json").status_code == 401
