"""/api/submissions: submit, approve, return and reopen through the API, with their refusals."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from phoihop.audit.models import AuditEntry
from phoihop.programs.models import SteeringCommittee
from phoihop.reporting import bulk, services
from phoihop.reporting.models import DataValue, Period, Submission, SubmissionStatus
from phoihop.reporting.tests.worlds import auth, program_led_by

MONTH = "2025-03"


def act(client, user, org, verb, body=None, period=MONTH):
    return client.post(
        f"/api/submissions/{org.pk}/{period}/{verb}", json.dumps(body or {}), content_type="application/json", **auth(user)
    )


@pytest.fixture
def program(org_a, org_b):
    return program_led_by(org_a, org_b, areas=["recruitment"], code="ct-api", start=dt.date(2024, 1, 1), end=dt.date(2030, 12, 31))


def enter(org, user, **values):
    period = services.get_period(MONTH)
    cells = [services.CellInput(code, value) for code, value in values.items()]
    result = bulk.save_values(org, period, user, cells, today=period.start)
    assert result.ok, result.errors
    return services.submission_for(org, period)


def status_of(org) -> str:
    return Submission.objects.get(organization=org, period__code=MONTH).status


@pytest.mark.django_db
def test_a_reporter_submits_and_gets_warnings_back(client, reporter, org_a, program):
    enter(org_a, reporter, recruit_called=100, recruit_enlisted=80, recruit_quota=90)
    response = act(client, reporter, org_a, "submit")
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == "submitted" and data["period"] == MONTH and data["organization"] == org_a.pk
    assert [w["severity"] for w in data["warnings"]] == ["warning"]  # enlisted below the quota
    entry = AuditEntry.objects.filter(action="transition").latest("pk")
    assert entry.actor_label == "reporter"


@pytest.mark.django_db
def test_a_blocking_problem_refuses_the_submission_and_changes_nothing(client, reporter, org_a, program):
    enter(org_a, reporter, recruit_called=10, recruit_enlisted=80)
    response = act(client, reporter, org_a, "submit")
    assert response.status_code == 422
    problem = response.json()["detail"][0]
    assert problem["severity"] == "error" and "không thể lớn hơn" in problem["message"]
    assert status_of(org_a) == "draft"


@pytest.mark.django_db
def test_submitting_twice_gets_422(client, reporter, org_a, program):
    enter(org_a, reporter, recruit_called=10)
    act(client, reporter, org_a, "submit")
    response = act(client, reporter, org_a, "submit")
    assert response.status_code == 422
    assert "Chỉ gửi được" in json.dumps(response.json(), ensure_ascii=False)


@pytest.mark.django_db
def test_an_approver_approves_a_submitted_report(client, reporter, approver, org_a, program):
    services.submit(enter(org_a, reporter, recruit_called=10), reporter)
    response = act(client, approver, org_a, "approve")
    assert response.status_code == 200
    assert response.json()["status"] == "approved" and response.json()["approved_at"]


@pytest.mark.django_db
def test_a_draft_cannot_be_approved_and_nothing_is_left_behind(client, approver, org_a, program):
    periods_before = Period.objects.count()
    response = act(client, approver, org_a, "approve", period="2025-05")
    assert response.status_code == 422
    assert "Chỉ duyệt được báo cáo đã gửi" in json.dumps(response.json(), ensure_ascii=False)
    assert Submission.objects.count() == 0 and Period.objects.count() == periods_before


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), [("reporter", 403), ("viewer", 403), ("outsider", 404)])
def test_only_approvers_approve(client, request, reporter, org_a, program, who, expected):
    services.submit(enter(org_a, reporter, recruit_called=10), reporter)
    assert act(client, request.getfixturevalue(who), org_a, "approve").status_code == expected
    assert status_of(org_a) == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "expected"), [("viewer", 403), ("outsider", 404)])
def test_only_reporters_submit(client, request, reporter, org_a, program, who, expected):
    enter(org_a, reporter, recruit_called=10)
    assert act(client, request.getfixturevalue(who), org_a, "submit").status_code == expected
    assert status_of(org_a) == "draft"


@pytest.mark.django_db
def test_a_return_needs_a_reason(client, reporter, approver, org_a, program):
    services.submit(enter(org_a, reporter, recruit_called=10), reporter)
    empty = act(client, approver, org_a, "return", {"reason": "   "})
    assert empty.status_code == 422
    assert "lý do trả lại" in json.dumps(empty.json(), ensure_ascii=False)
    assert status_of(org_a) == "submitted"
    response = act(client, approver, org_a, "return", {"reason": "Thiếu số liệu tháng 3"})
    assert response.status_code == 200
    assert response.json()["status"] == "returned" and response.json()["return_reason"] == "Thiếu số liệu tháng 3"


@pytest.mark.django_db
def test_the_standing_office_approves_and_reopens_a_partys_report(client, outsider, manager, approver, org_a, org_b, program):
    committee = SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org_a)
    committee.programs.add(program)
    services.submit(enter(org_b, outsider, recruit_called=10), outsider)
    assert act(client, approver, org_b, "approve").status_code == 200  # an approver of the standing office (issue 14)
    assert act(client, approver, org_b, "reopen", {"until": timezone.localdate().isoformat(), "reason": "x"}).status_code == 403
    until = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = act(client, manager, org_b, "reopen", {"until": until, "reason": "Bổ sung số liệu"})
    assert response.status_code == 200
    assert response.json()["status"] == "draft" and response.json()["reopened_until"] == until
    assert response.json()["entry_open"] is True
    # entry is open again although the period is long closed
    rows = [{"organization": org_b.pk, "indicator": "recruit_called", "period": MONTH, "value": 12}]
    saved = client.post("/api/datavalues", json.dumps(rows), content_type="application/json", **auth(outsider))
    assert saved.json() == {"saved": 1, "unchanged": 0}


@pytest.mark.django_db
def test_reopen_is_refused_without_a_reason_or_with_a_past_date(client, sysadmin, reporter, org_a, program):
    services.submit(enter(org_a, reporter, recruit_called=10), reporter)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert act(client, sysadmin, org_a, "reopen", {"until": tomorrow, "reason": ""}).status_code == 422
    assert act(client, sysadmin, org_a, "reopen", {"until": "2020-01-01", "reason": "x"}).status_code == 422
    assert act(client, sysadmin, org_a, "reopen", {"until": "31/12/2030", "reason": "x"}).status_code == 422
    assert status_of(org_a) == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["approver", "reporter", "viewer"])
def test_only_the_standing_office_reopens(client, request, org_a, program, who):
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = act(client, request.getfixturevalue(who), org_a, "reopen", {"until": tomorrow, "reason": "x"})
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_bad_period_code_gets_422_and_an_unknown_organisation_404(client, reporter, org_a):
    response = act(client, reporter, org_a, "submit", period="2025-13")
    assert response.status_code == 422
    assert "không hợp lệ" in response.json()["detail"]
    assert client.post("/api/submissions/999999/2025-03/submit", **auth(reporter)).status_code == 404


@pytest.mark.django_db
def test_the_submission_list_shows_own_and_supervised_reports_only(client, reporter, outsider, org_a, org_b, program):
    enter(org_a, reporter, recruit_called=10)
    enter(org_b, outsider, recruit_called=20)
    mine = client.get("/api/submissions", **auth(reporter)).json()
    assert [(s["organization"], s["period"], s["status"]) for s in mine] == [(org_a.pk, MONTH, "draft")]
    assert client.get(f"/api/submissions?org={org_b.pk}", **auth(reporter)).json() == []
    assert len(client.get(f"/api/submissions?period={MONTH}&status=draft", **auth(outsider)).json()) == 1


@pytest.mark.django_db
def test_values_of_an_approved_report_cannot_be_changed_through_the_api(client, reporter, approver, org_a, program):
    services.submit(enter(org_a, reporter, recruit_called=10), reporter)
    act(client, approver, org_a, "approve")
    rows = [{"organization": org_a.pk, "indicator": "recruit_called", "period": MONTH, "value": 11}]
    response = client.post("/api/datavalues", json.dumps(rows), content_type="application/json", **auth(reporter))
    assert response.status_code == 422
    assert "đã được duyệt" in response.json()["detail"][0]["message"]
    assert DataValue.objects.get().value == 10
    assert Submission.objects.get().status == SubmissionStatus.APPROVED
