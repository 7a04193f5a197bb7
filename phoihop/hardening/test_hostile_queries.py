"""Issue 8, point 2: no page answers 5xx to hostile query strings.

Every page route (from the URL conf, parameters filled as in the leak probe) is requested by org_a's
committee administrator with each query parameter a page reads set, all at once, to a hostile
value: a NUL character (PostgreSQL refuses it in text), a number beyond 64 bits, a negative
number, an impossible date, SQL and path fragments, a lone percent sign with very long text. Refusing is fine
(4xx, or the page with a message); a server error is not.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from phoihop.hardening.probe import Fills, page_requests, page_routes

pytestmark = pytest.mark.django_db

PARAMETERS = ["q", "program", "chuong_trinh", "org", "don_vi", "period", "ky", "nam", "year", "trang", "tu", "den", "phan",
              "format", "status", "scope", "nhap", "as_of", "from", "to", "noi_dung", "chung", "token", "next"]
VALUES = {
    "nul": "ab\x00cd",
    "huge-number": "9" * 30,
    "negative-or-bad-date": "-1",
    "sql-and-path": "../../etc/passwd' OR 1=1 --",
    "percent-and-long": "%" + "ư" * 3000,
    "impossible-date": "31/02/2019",
    # str.isdigit() says yes, int() says no: a check by isdigit() then int() was a 500.
    "superscript-digit": "²",
    "far-date": "01/01/1800",
}
PAGES = [r for r in page_routes() if not r.is_admin]
SYSTEM_PAGES = [r for r in PAGES if r.pattern.startswith("quan-tri-he-thong/")]
INT_ROUTES = [r for r in PAGES if "IntConverter" in dict(r.converters).values()]


def _parameters_read_by_views() -> list[str]:
    """PARAMETERS plus every query parameter a view reads by name (request.GET.get("…"),
    request.GET["…"], getlist): a new filter is probed without anyone adding it here."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    found = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or path.name.startswith("test_"):
            continue
        found.update(re.findall(r"GET(?:\.get|\.getlist)?[\[(]\s*[\"'](\w+)[\"']", path.read_text(encoding="utf-8")))
    return sorted(set(PARAMETERS) | found)


ALL_PARAMETERS = _parameters_read_by_views()


def _server_errors(user, path, values) -> list[str]:
    """GET `path` as `user` once per hostile value, every parameter set to it: the 5xx answers."""
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(user)
    errors = []
    for name, value in values.items():
        response = client.get(f"{path}?{urlencode({p: value for p in ALL_PARAMETERS})}")
        if response.status_code >= 500:
            errors.append(f"{name}: GET {path} → {response.status_code}")
    return errors


@pytest.mark.parametrize("route", PAGES, ids=[r.name for r in PAGES])
def test_no_page_crashes_on_hostile_query_values(private_world, route):
    paths = page_requests(route, Fills(private_world), max_queries=1)
    assert paths
    path = paths[0]
    # A file download (.docx, .ics, .xlsx) reads no query but costs a document: two values suffice.
    values = {k: VALUES[k] for k in ("nul", "huge-number")} if re.search(r"\.\w+$", path) else VALUES
    errors = _server_errors(private_world.insider, path, values)
    assert not errors, "\n".join(errors)


def test_the_parameter_list_knows_the_filters_of_the_system_pages():
    assert {"to_chuc", "buoc", "nguoi", "su_kien", "ten", "ip", "tu", "den"} <= set(ALL_PARAMETERS)


@pytest.mark.parametrize("route", SYSTEM_PAGES, ids=[r.name for r in SYSTEM_PAGES])
def test_no_system_page_crashes_on_hostile_query_values(private_world, sysadmin, route):
    """The system administrators' pages (403 for everyone else) probed as a system administrator."""
    errors = _server_errors(sysadmin, page_requests(route, Fills(private_world), max_queries=1)[0], VALUES)
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("route", INT_ROUTES, ids=[r.name for r in INT_ROUTES])
def test_an_id_beyond_the_database_range_in_a_path_is_a_404(private_world, route):
    """Every page with an integer in its path, given a 25-digit number there: 404 (or a refusal
    before the lookup), never a 500 (SQLite cannot bind it, PostgreSQL calls it out of range)."""
    from django.test import Client

    from phoihop.hardening.probe import _ROUTE_PARAM

    client = Client(raise_request_exception=False)
    client.force_login(private_world.insider)
    converters = dict(route.converters)
    fills = Fills(private_world)

    def fill(match):
        name = match.group("name")
        if converters.get(name) == "IntConverter" or match.group("conv") == "int":
            return "9" * 25
        return str((fills.values(name, converters.get(name)) or ["x"])[0])

    path = "/" + _ROUTE_PARAM.sub(fill, route.pattern)
    response = client.get(path)
    assert response.status_code < 500, f"GET {path} → {response.status_code}"
    assert response.status_code in (301, 302, 400, 403, 404, 405), f"GET {path} → {response.status_code}"
