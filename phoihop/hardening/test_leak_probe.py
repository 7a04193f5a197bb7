"""Issue 8, point 1: a leak probe generated from the URL conf and the API schema.

For every URL pattern and every API GET operation, requests are built with the path parameters
(and the query parameters views read) filled from org_a's private objects. The outsider (a
reporter of org_b) must never get a 200 whose headers or body (zip archives opened) carry one
of org_a's marker strings or marker numbers, for GET nor HEAD; nor a 5xx. A positive control
proves the probe is not blind: org_a's own committee administrator finds every marker.

The explicit status matrix stays in phoihop/accounts/tests/test_permission_matrix.py.
"""

from __future__ import annotations

import json

import pytest

from phoihop import factories as f
from phoihop.hardening.conftest import MARKERS, NUMBERS, number_forms, world_snapshot
from phoihop.hardening.probe import (
    Fills,
    api_operations,
    api_requests,
    api_write_operations,
    found_markers,
    page_requests,
    page_routes,
    response_text,
    write_requests,
)
from phoihop.reporting.tests.worlds import auth as _bearer

pytestmark = pytest.mark.django_db

NUMBER_FORMS = {name: number_forms(n) for name, n in NUMBERS.items()}
PAGES = [r for r in page_routes() if not r.is_admin]
ADMIN = [r for r in page_routes() if r.is_admin]
OPERATIONS = api_operations()
WRITES = api_write_operations()


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
    writes = {f"{m.upper()} {path}" for path, item in schema["paths"].items() for m in item if m in ("post", "put", "patch", "delete")}
    assert writes == {o.name for o in WRITES}
    assert len(PAGES) > 40 and len(OPERATIONS) > 10 and len(WRITES) > 10


# ---------------------------------------------------------------- write, then read (issue 12)
#
# For every write operation of the API, a committee administrator of an organisation that is party
# to none of org_a's objects (world.attacker) sends writes naming its own organisation inside
# org_a's objects (itself as a party, its targets under org_a's programs, org_a's activities led by
# it…), generated from the schema (probe.HostileFills). Afterwards org_a's world must be exactly
# as before (world_snapshot) and nothing private readable: every API GET and the private objects'
# pages are probed again for the markers. A write operation the generator cannot fill fails here.

def _send(client, method: str, path: str, body, headers: dict):
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json", **headers)


def _diff(before: list[dict], after: list[dict]) -> list[str]:
    old = {(r["model"], r["pk"]): r["fields"] for r in before}
    new = {(r["model"], r["pk"]): r["fields"] for r in after}
    changes = [f"{key[0]} #{key[1]} created" for key in new.keys() - old.keys()]
    changes += [f"{key[0]} #{key[1]} deleted" for key in old.keys() - new.keys()]
    for key in old.keys() & new.keys():
        fields = sorted(k for k in old[key].keys() | new[key].keys() if old[key].get(k) != new[key].get(k))
        if fields:
            changes.append(f"{key[0]} #{key[1]} changed {fields}")
    return sorted(changes)


def _private_pages(world) -> list[str]:
    fills = Fills(world)
    paths = []
    for route in PAGES:
        if "<" in route.pattern or "(?P<" in route.pattern:
            paths += page_requests(route, fills, max_queries=1)
    return paths


@pytest.mark.parametrize("operation", WRITES, ids=[o.name for o in WRITES])
def test_no_write_lets_a_stranger_reach_org_a_private_data(client, private_world, operation):
    world = private_world
    fills = Fills(world)
    requests = write_requests(operation, fills, world.stranger_org.pk)
    assert requests, (f"the probe cannot exercise {operation.name}: add its path parameters to probe.Fills "
                      f"or its body fields to probe.HostileFills")
    headers = _bearer(world.attacker)
    before = world_snapshot(world)
    problems = []
    for method, path, body in requests:
        response = _send(client, method, path, body, headers)
        if response.status_code >= 500:
            problems.append(f"{method.upper()} {path} {body} → {response.status_code}")
        leaked = found_markers(response_text(response), MARKERS, NUMBER_FORMS)
        if leaked:
            problems.append(f"{method.upper()} {path} → {response.status_code} shows {leaked}")
    problems += [f"after {operation.name}: {change}" for change in _diff(before, world_snapshot(world))]
    assert not problems, "\n".join(problems)
    # Read again what the writes would have opened.
    reads = [p for op in OPERATIONS for p in api_requests(op, fills)]
    problems = _probe(client, reads, headers)
    client.force_login(world.attacker)
    problems += _probe(client, _private_pages(world))
    assert not problems, "\n".join(problems)


def test_the_writes_reach_org_a_objects_when_allowed(client, private_world):
    """Positive control: sent by a system administrator, the same generated writes do change org_a's
    world for every operation but those listed (so the pass above is not blind). Each operation
    runs on the world as built (its writes rolled back afterwards)."""
    from django.db import transaction

    # Operations whose generated writes cannot change org_a's world even when allowed, and why.
    outside_the_world = {
        "POST /api/programs": "creates a new program (its predecessors and parties are refused or invited)",
        "POST /api/submissions/{org_id}/{period_code}/confirm":
            "the world's programs are single-level, where there is no confirming step (the two-level path: "
            "reporting/tests/test_approval_levels.py)",
        "POST /api/submissions/approve-many":
            "its reports sit in a nested list the generator fills with the attacker's own organisation; each one "
            "takes the /approve step probed above (the same service, reporting/tests/test_approval_levels.py)",
    }
    world = private_world
    fills = Fills(world)
    headers = _bearer(f.UserFactory(username="probe-root", is_superuser=True, is_staff=True))
    untouched = {}
    for operation in WRITES:
        with transaction.atomic():
            if operation.name.endswith(("/approve", "/return")):
                _submit_open_month(world)  # only a submitted report is approved or returned
            before = world_snapshot(world)
            answers = []
            for method, path, body in write_requests(operation, fills, world.stranger_org.pk):
                response = _send(client, method, path, body, headers)
                answers.append(f"{path} {body} → {response.status_code} {response.content[:300]!r}")
            if not _diff(before, world_snapshot(world)):
                untouched[operation.name] = answers
            transaction.set_rollback(True)
    unexpected = {name: answers for name, answers in untouched.items() if name not in outside_the_world}
    assert not unexpected, "\n".join(f"{name}:\n  " + "\n  ".join(answers) for name, answers in unexpected.items())
    assert set(untouched) == set(outside_the_world)


def _submit_open_month(world) -> None:
    from phoihop.audit import workflow
    from phoihop.reporting import services
    from phoihop.reporting.models import SubmissionStatus

    period = services.get_period(world.period_codes[0], services.convention_for(world.org_a))
    workflow.move(services.submission_for(world.org_a, period), SubmissionStatus.SUBMITTED)


# ---------------------------------------------------------------- the report and its values (issue 13)
#
# The report of an organisation for a period and its data values are reached through
# reporting.access (get_report_for_user, values_visible_to) and draft figures only through a
# DraftScope that the access check hands out: a stranger gets 404 on org_a's report and values
# (page and API), a role too low 403, and nobody obtains unapproved figures without the check.

def _viewer_of(org):
    viewer = f.UserFactory(username="lookonly")
    f.MembershipFactory(user=viewer, organization=org, role="viewer")
    return viewer


def _report_requests(world) -> list[tuple[str, str, str, object]]:
    """(name, method, path, body) of the report and values routes of org_a's open month."""
    org, code = world.org_a.pk, world.period_codes[0]
    cell = {"organization": org, "indicator": "recruit_called", "period": code, "value": 5}
    return [
        ("grid page", "get", f"/bao-cao/{org}/{code}/", None),
        ("grid save", "post", f"/bao-cao/{org}/{code}/", {"action": "save"}),
        ("approve page", "post", f"/bao-cao/{org}/{code}/duyet/", {}),
        ("reopen page", "post", f"/bao-cao/{org}/{code}/mo-lai/", {"until": "31/12/2099", "reason": "Bổ sung"}),
        ("values export", "get", f"/bao-cao/excel/{org}/xuat/?period={code}&format=csv", None),
        ("API submit", "api-post", f"/api/submissions/{org}/{code}/submit", None),
        ("API approve", "api-post", f"/api/submissions/{org}/{code}/approve", None),
        ("API save values", "api-post", "/api/datavalues", [cell]),
        ("API values of the draft program", "api-get",
         f"/api/datavalues?program={world.draft_program.code}&include_unapproved=true", None),
    ]


# What a viewer of org_a gets: sees the report and its values, may not write (403).
VIEWER_STATUS = {"grid page": 200, "grid save": 403, "approve page": 403, "reopen page": 403, "values export": 200,
                 "API submit": 403, "API approve": 403, "API save values": 403, "API values of the draft program": 200}


def _send_as(client, user, method: str, path: str, body):
    if method.startswith("api-"):
        headers = _bearer(user)
        return _send(client, method[4:], path, body, headers)
    client.force_login(user)
    return getattr(client, method)(path, body) if body is not None else getattr(client, method)(path)


def test_the_report_and_its_values_answer_404_to_a_stranger_and_403_to_a_role_too_low(client, private_world):
    viewer = _viewer_of(private_world.org_a)
    problems = []
    for name, method, path, body in _report_requests(private_world):
        stranger = _send_as(client, private_world.outsider, method, path, body)
        if stranger.status_code != 404:
            problems.append(f"{name} as a stranger → {stranger.status_code}, not 404")
        leaked = found_markers(response_text(stranger), MARKERS, NUMBER_FORMS)
        if leaked:
            problems.append(f"{name} as a stranger shows {leaked}")
        low = _send_as(client, viewer, method, path, body)
        if low.status_code != VIEWER_STATUS[name]:
            problems.append(f"{name} as a viewer of org_a → {low.status_code}, not {VIEWER_STATUS[name]}")
    assert not problems, "\n".join(problems)


def test_a_stranger_sees_no_unapproved_value_through_the_values_list(client, private_world):
    org = private_world.org_a.pk
    response = client.get(f"/api/datavalues?org={org}&include_unapproved=true", **_bearer(private_world.outsider))
    assert response.status_code == 200
    assert response.json() == []
    insider = client.get(f"/api/datavalues?org={org}&include_unapproved=true", **_bearer(private_world.insider))
    assert "unapproved_value" in found_markers(response_text(insider), MARKERS, NUMBER_FORMS)


def _draft_review(world):
    """The shared review (the outsider's organisation is a party) prepared with unapproved
    figures: the flag alone must never show them to someone the check refuses."""
    review = world.shared_review
    review.include_unapproved = True
    review.save(update_fields=["include_unapproved"])
    return review


def test_draft_figures_of_a_review_only_through_the_permission_check(client, private_world):
    review = _draft_review(private_world)
    paths = [f"/so-ket/{review.pk}/xem-truoc/", f"/so-ket/{review.pk}/so-lieu/?nhap=1", f"/so-ket/{review.pk}/bao-cao.docx",
             f"/bang-dieu-khien/lanh-dao/?program={private_world.shared_program.code}&draft=1"]
    client.force_login(private_world.outsider)
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert "unapproved_value" not in found_markers(response_text(response), MARKERS, NUMBER_FORMS), path
    # The API refuses the draft outright: the program is visible, the role is too low.
    results = client.get(f"/api/results?program={private_world.shared_program.code}&draft=true",
                         **_bearer(private_world.outsider))
    assert results.status_code == 403
    # Positive control: the standing office steering every party gets the review's draft figures.
    client.force_login(private_world.insider)
    for path in paths[:3]:
        assert "unapproved_value" in found_markers(response_text(client.get(path)), MARKERS, NUMBER_FORMS), path


def test_the_leave_to_see_draft_figures_cannot_be_made_without_the_check(private_world):
    from phoihop.reporting import access as reporting_access
    from phoihop.reviews import access as review_access
    from phoihop.reviews.report import review_document

    shared = private_world.shared_program
    with pytest.raises(TypeError):
        reporting_access.DraftScope({shared.pk})
    with pytest.raises(TypeError):
        reporting_access.DraftScope({shared.pk}, _grant=object())

    class Forged:
        program_ids = frozenset({shared.pk})

    assert not reporting_access.includes_unapproved(Forged(), [shared])
    assert reporting_access.draft_scope(private_world.outsider, [shared]) is None
    granted = reporting_access.draft_scope(private_world.insider, [shared])
    assert reporting_access.includes_unapproved(granted, [shared])
    assert not reporting_access.includes_unapproved(granted, [shared, private_world.draft_program])

    review = _draft_review(private_world)
    assert review_access.figures_for(private_world.outsider, review) is None
    assert review_access.figures_for(private_world.insider, review) is not None
    number = NUMBERS["unapproved_value"]

    def text(document) -> str:
        return "\n".join(str(getattr(b, "text", "")) + str(getattr(b, "rows", "")) for b in document.blocks)

    assert str(number) not in text(review_document(review)).replace(".", "")
    assert review_document(review).draft_watermark.startswith("DỰ THẢO") and "CHƯA DUYỆT" not in review_document(review).draft_watermark
    with_drafts = review_document(review, review_access.figures_for(private_world.insider, review))
    assert str(number) in text(with_drafts).replace(".", "")
    assert "CHƯA DUYỆT" in with_drafts.draft_watermark
