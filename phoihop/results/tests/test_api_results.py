import json

import pytest
from django.core.management import call_command

from phoihop.accounts.models import ApiToken
from phoihop.audit import workflow
from phoihop.reporting import bulk, services
from phoihop.reporting.tests.worlds import program_led_by


def _auth(user):
    _t, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.fixture
def program(org_a, org_b):
    return program_led_by(org_a, org_b, areas=["gratitude"], committee="BCĐ", code="ct-kq", status="in_force")


def _report(org, code, approve, **values):
    period = services.get_period(code)
    assert bulk.save_values(org, period, None, [services.CellInput(k, v) for k, v in values.items()],
                                check_permission=False, today=period.start).ok
    if approve:
        submission = services.submission_for(org, period)
        workflow.move(submission, "submitted")
        workflow.move(submission, "approved")


@pytest.mark.django_db
def test_api_results_equal_the_command(client, program, org_a, org_b, viewer, capsys):
    _report(org_a, "2019-08", True, gratitude_houses="2")
    _report(org_b, "2019-08", True, gratitude_houses="5")
    _report(org_b, "2019-09", False, gratitude_houses="100")
    api = client.get("/api/results?program=ct-kq&from=2019-07-09&to=2023-12-31", **_auth(viewer)).json()
    call_command("results", "--program", "ct-kq", "--from", "2019-07-09", "--to", "2023-12-31", "--format", "json")
    assert api == json.loads(capsys.readouterr().out)
    total = next(r for r in api if r["indicator"] == "gratitude_houses" and r["organization"] is None)
    assert total["value"] == 7  # the unapproved 100 is not counted


@pytest.mark.django_db
def test_draft_results_need_an_approver(client, program, viewer, approver, outsider):
    assert client.get("/api/results?program=ct-kq&draft=true", **_auth(outsider)).status_code == 403
    assert client.get("/api/results?program=ct-kq&draft=true", **_auth(approver)).status_code == 200
    assert client.get("/api/results?program=khong-co", **_auth(approver)).status_code == 404
    assert client.get("/api/results?program=ct-kq&from=2020-01-01&to=2019-01-01", **_auth(approver)).status_code == 422
