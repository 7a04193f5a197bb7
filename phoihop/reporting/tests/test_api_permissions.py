"""Every reporting API operation × every role → the expected status.

The rows below use the shape and the `ctx` of phoihop/accounts/tests/test_permission_matrix.py
(org_a with manager/approver/reporter/viewer, outsider = reporter of org_b, the draft program of
org_a steered by a committee whose standing office is org_a), so they can move there verbatim
together with the helpers. Builders that need data (a submitted report, an activity, content
areas of the program) create it when called.
"""

import datetime as dt
import json

import pytest
from django.utils import timezone

from phoihop.accounts.models import ApiToken

ROLES = ["anonymous", "sysadmin", "manager", "approver", "reporter", "viewer", "outsider"]
MEMBERS_API = {"anonymous": 401, **{r: 200 for r in ROLES[1:]}}
PRIVATE_API = {**MEMBERS_API, "outsider": 404}

# ---- from here to the end of REPORTING_API: the rows for the shared matrix ----
REPORT_API = {"anonymous": 401, "sysadmin": 200, "manager": 200, "approver": 200, "reporter": 200, "viewer": 403, "outsider": 404}
REPORT_CREATE_API = {**REPORT_API, "sysadmin": 201, "manager": 201, "approver": 201, "reporter": 201}
APPROVE_API = {**REPORT_API, "reporter": 403}
OFFICE_API = {**APPROVE_API, "approver": 403}
# A program the caller cannot see is "no such program" (a 422 row error), as for a mistyped code.
TARGETS_API = {"anonymous": 401, "sysadmin": 200, "manager": 200, "approver": 403, "reporter": 403, "viewer": 403, "outsider": 422}


def _open_month() -> str:
    """The Decree 09 month holding today (from the 15th it is next month's): open for entry."""
    today = timezone.localdate()
    y, m = today.year, today.month
    if today.day >= 15:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return f"{y}-{m:02d}"


def _reports_recruitment(c) -> None:
    from phoihop.programs.models import ContentArea

    c["program"].content_areas.add(*ContentArea.objects.filter(code="recruitment"))


def _value_rows(c, role):
    _reports_recruitment(c)
    return [{"organization": c["org_a"].pk, "indicator": "recruit_called", "period": _open_month(), "value": 1}]


def _target_rows(c, role):
    _reports_recruitment(c)
    return [{"program": c["program"].code, "organization": c["org_a"].pk, "indicator": "recruit_enlisted", "year": 2020, "value": 10}]


def _activity_body(c, role):
    today = timezone.localdate().isoformat()
    return {"title": "Tuyên truyền Luật Nghĩa vụ quân sự", "content_area": "recruitment", "lead_organization": c["org_a"].pk,
            "start_date": today, "end_date": today}


def _activity_path(c) -> str:
    from phoihop.programs.models import ContentArea
    from phoihop.reporting.models import Activity

    activity = Activity.objects.create(
        title="Hoạt động nội bộ", content_area=ContentArea.objects.get(code="recruitment"), lead_organization=c["org_a"],
        start_date=dt.date(2019, 7, 9), end_date=dt.date(2019, 7, 9),
    )
    return f"/api/activities/{activity.pk}"


def _submitted(c, verb: str) -> str:
    from phoihop.reporting import services
    from phoihop.reporting.models import SubmissionStatus

    submission = services.submission_for(c["org_a"], services.get_period("2019-07", services.convention_for(c["org_a"])))
    submission.move(SubmissionStatus.SUBMITTED)
    return f"/api/submissions/{c['org_a'].pk}/2019-07/{verb}"


REPORTING_API = [
    ("POST /api/datavalues", "post", lambda c: "/api/datavalues", _value_rows, REPORT_API),
    ("GET /api/datavalues", "get", lambda c: f"/api/datavalues?program={c['program'].code}&include_unapproved=true", None, PRIVATE_API),
    ("GET /api/indicators", "get", lambda c: "/api/indicators", None, MEMBERS_API),
    ("GET /api/periods", "get", lambda c: "/api/periods?year=2019", None, MEMBERS_API),
    ("GET /api/periods/{code}", "get", lambda c: "/api/periods/2019-07", None, MEMBERS_API),
    ("GET /api/targets", "get", lambda c: f"/api/targets?program={c['program'].code}", None, PRIVATE_API),
    ("PUT /api/targets", "put", lambda c: "/api/targets", _target_rows, TARGETS_API),
    ("GET /api/activities", "get", lambda c: "/api/activities", None, MEMBERS_API),
    ("POST /api/activities", "post", lambda c: "/api/activities", _activity_body, REPORT_CREATE_API),
    ("GET /api/activities/{activity_id}", "get", _activity_path, None, PRIVATE_API),
    ("GET /api/submissions", "get", lambda c: "/api/submissions", None, MEMBERS_API),
    ("POST /api/submissions/{org_id}/{period_code}/submit", "post", lambda c: f"/api/submissions/{c['org_a'].pk}/2019-07/submit", None, REPORT_API),
    ("POST /api/submissions/{org_id}/{period_code}/approve", "post", lambda c: _submitted(c, "approve"), None, APPROVE_API),
    ("POST /api/submissions/{org_id}/{period_code}/return", "post", lambda c: _submitted(c, "return"),
     lambda c, role: {"reason": "Thiếu số liệu tuyển quân"}, APPROVE_API),
    ("POST /api/submissions/{org_id}/{period_code}/reopen", "post", lambda c: _submitted(c, "reopen"),
     lambda c, role: {"until": (timezone.localdate() + dt.timedelta(days=7)).isoformat(), "reason": "Bổ sung số liệu"}, OFFICE_API),
]
# ---- end of the rows for the shared matrix ----


@pytest.fixture
def ctx(people, org_a, draft_program):
    """The part of the shared matrix's ctx these rows use."""
    from phoihop.programs.models import SteeringCommittee

    committee = SteeringCommittee.objects.create(name="Ban chỉ đạo thử", standing_office=org_a)
    committee.programs.add(draft_program)
    return {"org_a": org_a, "program": draft_program, "committee": committee, **people}


def _call(client, ctx, role, method, path, body):
    kwargs = {}
    if role != "anonymous":
        _token, raw = ApiToken.issue(ctx[role])
        kwargs["HTTP_AUTHORIZATION"] = f"Bearer {raw}"
    if body is not None:
        return getattr(client, method)(path, json.dumps(body(ctx, role)), content_type="application/json", **kwargs)
    return getattr(client, method)(path, **kwargs)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "path", "body", "expected"), REPORTING_API, ids=[a[0] for a in REPORTING_API])
def test_reporting_api(client, ctx, role, name, method, path, body, expected):
    response = _call(client, ctx, role, method, path(ctx), body)
    assert response.status_code == expected[role], f"{name} as {role}: {response.content[:300]}"


def test_every_reporting_operation_is_in_these_rows():
    from phoihop.api.urls import api

    schema = api.get_openapi_schema()
    ours = {f"{m.upper()} {p}" for p, item in schema["paths"].items() for m, op in item.items() if "reporting" in op.get("tags", [])}
    assert ours == {row[0] for row in REPORTING_API}
