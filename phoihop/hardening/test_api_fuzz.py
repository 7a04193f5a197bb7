"""Issue 8, point 2: schemathesis against /api/openapi.json — no input gives a 5xx.

The schema is loaded from the running Django application (WSGI, in-process) and every operation
is called with generated parameters and bodies, authenticated with the bearer token of a user
who belongs to two organisations (committee administrator of org_a, reporter of org_b) with
programs, periods and values, so generated requests reach the services and not only the 404s.

Bounded for `make test` (FUZZ_EXAMPLES examples per operation, a few seconds in all per worker);
the long run is in docs/hardening.md (PHOIHOP_FUZZ_EXAMPLES=500). Each operation runs in the
test's transaction, so whatever the writing operations create is rolled back afterwards; the
application's own atomic blocks become savepoints, so an error they roll back leaves the
connection usable (on PostgreSQL too).
"""

from __future__ import annotations

import datetime as dt
import os

import pytest

schemathesis = pytest.importorskip("schemathesis")  # the `test` extra (see docs/hardening.md)

from hypothesis import HealthCheck, Phase, settings  # noqa: E402

from phoihop import factories as f  # noqa: E402

FUZZ_EXAMPLES = int(os.environ.get("PHOIHOP_FUZZ_EXAMPLES", "6"))

pytestmark = pytest.mark.django_db


def _load_schema():
    """/api/openapi.json fetched from the WSGI application (no database access needed)."""
    from phoihop.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/openapi.json", application)


# schemathesis.pytest.from_fixture would load it per test, but its lazy loader does not work with
# pytest 9 (it sets Function._nodeid); the schema needs no data, so it is loaded at collection.
schema = _load_schema()


@pytest.fixture
def keep_connection():
    """Like Django's test client: the WSGI handler must not close the test's database connection
    at the end of each request (it would on PostgreSQL, and the test transaction with it)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_token(db, keep_connection):
    from phoihop.accounts.models import ApiToken
    from phoihop.programs.models import ContentArea, ProgramStatus, SteeringCommittee
    from phoihop.reporting import bulk, services

    org_a = f.OrganizationFactory(name="Ban CHQS thử fuzz", kind="military_command")
    org_b = f.OrganizationFactory(name="Hội LHPN thử fuzz")
    user = f.UserFactory(username="fuzzer")
    f.MembershipFactory(user=user, organization=org_a, role="committee_admin")
    f.MembershipFactory(user=user, organization=org_b, role="reporter")
    program = f.ProgramFactory(code="ct-fuzz", start=dt.date(2019, 1, 1), end=None, status=ProgramStatus.SIGNED)
    program.content_areas.set(ContentArea.objects.all())
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    f.ProgramFactory(code="ct-nhap-fuzz", start=dt.date(2019, 1, 1))
    SteeringCommittee.objects.create(name="BCĐ fuzz", standing_office=org_a).programs.add(program)
    period = services.get_period("2019-07", services.convention_for(org_a))
    bulk.save_values(org_a, period, user, [services.CellInput("recruit_called", 5)], check_permission=False,
                         today=period.start)
    _token, raw = ApiToken.issue(user)
    return raw


@schema.parametrize()
@settings(max_examples=FUZZ_EXAMPLES, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_generated_request_gets_a_server_error(case, fuzz_token):
    response = case.call(headers={"Authorization": f"Bearer {fuzz_token}"})
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} → {response.status_code}\n"
        f"query={case.query} body={str(case.body)[:500]}\n{response.text[:1500]}"
    )


# What the fuzzer found, kept as plain regression tests (deterministic, fast): an integer beyond
# the database's 64-bit range (SQLite: OverflowError; PostgreSQL: "bigint out of range") and a NUL
# character (PostgreSQL: "text fields cannot contain NUL"), in a body, a query or a path, must not
# be a 500 (a 4xx, or an empty answer).
HUGE = 2**70
OUT_OF_RANGE = [
    ("post", "/api/programs", {"code": "ct-so-lon", "title": "Chương trình", "start": "2019-07-09",
                               "parties": [{"organization": HUGE, "role": "lead"}]}),
    ("post", "/api/datavalues", [{"organization": HUGE, "indicator": "recruit_called", "period": "2019-07", "value": 1}]),
    ("put", "/api/targets", [{"program": "ct-fuzz", "organization": HUGE, "indicator": "recruit_enlisted", "year": 2020, "value": 1}]),
    ("post", "/api/activities", {"title": "Hoạt động", "content_area": "recruitment", "lead_organization": HUGE,
                                 "start_date": "2019-07-09", "end_date": "2019-07-09"}),
    ("get", f"/api/datavalues?offset={HUGE}", None),
    ("get", f"/api/datavalues?org={HUGE}", None),
    ("get", f"/api/submissions?org={-HUGE}", None),
    ("get", f"/api/activities?org={HUGE}", None),
    ("get", f"/api/activities?offset={HUGE}", None),
    ("get", f"/api/activities/{HUGE}", None),
    ("get", f"/api/events/{HUGE}", None),
    ("post", f"/api/submissions/{HUGE}/2019-07/submit", None),
    ("put", "/api/targets", [{"program": "ct-\u0000", "organization": None, "indicator": "recruit_enlisted", "year": 2020, "value": 1}]),
    ("post", "/api/datavalues", [{"organization": 1, "indicator": "recruit\u0000", "period": "2019-07", "value": 1}]),
    ("get", "/api/programs/ct%00fuzz", None),
    ("get", "/api/indicators?content_area=%00", None),
    ("get", "/api/datavalues?program=%00", None),
    ("get", "/api/submissions?period=2019-07%00", None),
    ("get", "/api/organizations?q=%00", None),
]


@pytest.mark.parametrize(("method", "path", "body"), OUT_OF_RANGE, ids=[f"{m.upper()} {p}" for m, p, _b in OUT_OF_RANGE])
def test_an_out_of_range_integer_is_refused_not_a_server_error(fuzz_token, method, path, body):
    import json

    from django.test import Client

    client = Client(raise_request_exception=False)
    kwargs = {"HTTP_AUTHORIZATION": f"Bearer {fuzz_token}"}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    response = getattr(client, method)(path, **kwargs)
    assert response.status_code < 500, (response.status_code, response.content[:300])
