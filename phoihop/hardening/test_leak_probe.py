"""Issue 8, point 1: a leak probe generated from the URL conf and the API schema.

For every URL pattern and every API GET operation, requests are built with the path parameters
(and the query parameters views read) filled from org_a's private objects. The outsider (a
reporter of org_b) must never get a 200 whose headers or body (zip archives opened) carry one
of org_a's marker strings or marker numbers, for GET nor HEAD; nor a 5xx. A positive control
proves the probe is not blind: org_a's own committee administrator finds every marker.

The explicit status matrix stays in phoihop/accounts/tests/test_permission_matrix.py.
"""

from __future__ import annotations

import pytest

from phoihop.accounts.models import ApiToken
from phoihop.hardening.conftest import MARKERS, NUMBERS, number_forms
from phoihop.hardening.probe import (
    Fills,
    api_operations,
    api_requests,
    found_markers,
    page_requests,
    page_routes,
    response_text,
)

pytestmark = pytest.mark.django_db

NUMBER_FORMS = {name: number_forms(n) for name, n in NUMBERS.items()}
PAGES = [r for r in page_routes() if not r.is_admin]
ADMIN = [r for r in page_routes() if r.is_admin]
OPERATIONS = api_operations()


def _probe(client, paths: list[str], headers: dict | None = None) -> list[str]:
    """Problems seen for the outsider: leaks (GET or HEAD) and server errors."""
    headers = headers or {}
    problems = []
    for path in paths:
        get = client.get(path, **headers)
        if get.status_code >= 500:
            problems.append(f"GET {path} → {get.status_code}")
        leaked = found_markers(response_text(get), MARKERS, NUMBER_FORMS)
        if leaked:
            problems.append(f"GET {path} → {get.status_code} shows {leaked}")
        if "?" in path and not path.startswith("/api/"):
            continue  # HEAD once per path: the query does not change how a view checks access
        head = client.head(path, **headers)
        if head.status_code >= 500:
            problems.append(f"HEAD {path} → {head.status_code}")
        if head.status_code == 200 and get.status_code != 200:
            problems.append(f"HEAD {path} → 200 where GET → {get.status_code}")
        leaked = found_markers("\n".join(f"{k}: {v}" for k, v in head.items()), MARKERS, NUMBER_FORMS)
        if leaked:
            problems.append(f"HEAD {path} headers show {leaked}")
    return problems


def _bearer(user) -> dict:
    _token, raw = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("route", PAGES, ids=[r.name for r in PAGES])
def test_no_page_shows_org_a_private_data_to_an_outsider(client, private_world, route):
    paths = page_requests(route, Fills(private_world))
    assert paths, f"the probe cannot fill the parameters of {route.name} ({route.pattern}): add them to probe.Fills"
    client.force_login(private_world.outsider)
    problems = _probe(client, paths)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("operation", OPERATIONS, ids=[o.name for o in OPERATIONS])
def test_no_api_operation_shows_org_a_private_data_to_an_outsider(client, private_world, operation):
    paths = api_requests(operation, Fills(private_world))
    assert paths, f"the probe cannot fill the parameters of {operation.name}: add them to probe.Fills"
    problems = _probe(client, paths, _bearer(private_world.outsider))
    assert not problems, "\n".join(problems)


def test_no_admin_page_shows_org_a_private_data_to_an_outsider(client, private_world):
    fills = Fills(private_world)
    client.force_login(private_world.outsider)
    uncovered = [r.name for r in ADMIN if not page_requests(r, fills)]
    assert not uncovered, f"admin routes the probe cannot fill: {uncovered}"
    problems = _probe(client, [p for r in ADMIN for p in page_requests(r, fills)])
    assert not problems, "\n".join(problems)


def test_the_probe_reaches_every_marker_as_an_insider(client, private_world):
    """Positive control: org_a's committee administrator sees every marker somewhere, so the
    requests above do reach the private data (a blind probe would prove nothing)."""
    fills = Fills(private_world)
    wanted = set(MARKERS) | set(NUMBERS)
    seen: set[str] = set()
    client.force_login(private_world.insider)
    for route in PAGES:
        for path in page_requests(route, fills, max_queries=2):
            seen |= set(found_markers(response_text(client.get(path)), MARKERS, NUMBER_FORMS))
            if seen >= wanted:
                return
    headers = _bearer(private_world.insider)
    for operation in OPERATIONS:
        for path in api_requests(operation, fills):
            seen |= set(found_markers(response_text(client.get(path, **headers)), MARKERS, NUMBER_FORMS))
            if seen >= wanted:
                return
    assert not wanted - seen, f"markers no route shows even to org_a: {sorted(wanted - seen)}"


def test_every_route_and_operation_is_probed():
    """The probe lists are taken from the live URL conf and schema at collection; this checks they
    still match at run time and that nothing was left out."""
    from phoihop.api.urls import api

    live_pages = {r.name for r in page_routes()}
    assert live_pages == {r.name for r in PAGES} | {r.name for r in ADMIN}
    schema = api.get_openapi_schema()
    gets = {f"GET {path}" for path, item in schema["paths"].items() if "get" in item}
    assert gets == {o.name for o in OPERATIONS}
    assert len(PAGES) > 40 and len(OPERATIONS) > 10
