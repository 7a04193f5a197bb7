"""The almanac router, mounted on a throwaway NinjaAPI (the project API registers it at /almanac)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import include, path
from ninja import NinjaAPI

from phoihop.almanac import services
from phoihop.almanac.api import router
from phoihop.almanac.tests import factories

api = NinjaAPI(urls_namespace="almanac-test-api")
api.add_router("/almanac", router)
urlpatterns = [path("api/", api.urls), path("", include("phoihop.urls"))]

pytestmark = [pytest.mark.django_db, pytest.mark.urls(__name__)]


@pytest.fixture
def client():
    c = Client()
    c.force_login(factories.user("alice"))
    return c


def test_lunar_endpoint(client):
    response = client.get("/api/almanac/lunar/1985-01-21")
    assert response.status_code == 200
    assert response.json()["year_can_chi"] == "Ất Sửu"
    assert (response.json()["lunar_day"], response.json()["lunar_month"]) == (1, 1)


def test_solar_endpoint_with_leap(client):
    response = client.get("/api/almanac/solar/2020-04-15?leap=true")
    assert response.status_code == 200
    assert response.json()["solar"] == "2020-06-06"


def test_anniversaries_endpoint(client):
    org = factories.organization()
    factories.user("bob", org)
    services.add_local_commemoration(org, "Ngày giải phóng thành phố Bắc Ninh", dt.date(1954, 8, 8), "gp-bn")
    rows = client.get("/api/almanac/anniversaries?from=2019-07-10&to=2019-08-31").json()
    texts = [r["text"] for r in rows]
    assert "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)" in texts
    assert not any("Bắc Ninh" in t for t in texts)  # alice is not a member of that organisation
    bob = Client()
    bob.force_login(factories.User.objects.get(username="bob"))
    rows = bob.get("/api/almanac/anniversaries?from=2019-07-10&to=2019-08-31").json()
    assert any(r["years"] == 65 and r["kind"] == "half_round" for r in rows)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/almanac/lunar/2019-02-31", "không tồn tại"),
        ("/api/almanac/lunar/1899-12-31", "ngoài phạm vi"),
        ("/api/almanac/solar/2020-04-30?leap=true", "29 ngày"),
        ("/api/almanac/solar/2019-04-15?leap=true", "không có tháng nhuận"),
        ("/api/almanac/anniversaries?from=2019-08-31&to=2019-07-01", "phải sau"),
        ("/api/almanac/anniversaries?from=2019-02-31&to=2019-07-01", "không tồn tại"),
    ],
)
def test_bad_dates_are_422_with_a_vietnamese_detail(client, url, message):
    response = client.get(url)
    assert response.status_code == 422
    assert message in response.json()["detail"]
