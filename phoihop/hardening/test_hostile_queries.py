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
}
PAGES = [r for r in page_routes() if not r.is_admin]


@pytest.mark.parametrize("route", PAGES, ids=[r.name for r in PAGES])
def test_no_page_crashes_on_hostile_query_values(private_world, route):
    from django.test import Client

    client = Client(raise_request_exception=False)
    client.force_login(private_world.insider)
    paths = page_requests(route, Fills(private_world), max_queries=1)
    assert paths
    path = paths[0]
    # A file download (.docx, .ics, .xlsx) reads no query but costs a document: two values suffice.
    values = {k: VALUES[k] for k in ("nul", "huge-number")} if re.search(r"\.\w+$", path) else VALUES
    errors = []
    for name, value in values.items():
        response = client.get(f"{path}?{urlencode({p: value for p in PARAMETERS})}")
        if response.status_code >= 500:
            errors.append(f"{name}: GET {path} → {response.status_code}")
    assert not errors, "\n".join(errors)
