"""Every almanac page: anonymous → login (but the month view and the commemorations, public), allowed → 200, outsider → 404, role too low → 403."""

from __future__ import annotations

import datetime as dt

import icalendar
import pytest
from django.test import Client
from django.urls import reverse

from phoihop.accounts.models import ApiToken
from phoihop.accounts.services import issue_feed_token
from phoihop.almanac import services
from phoihop.almanac.models import Commemoration, YearTheme
from phoihop.almanac.tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    city = factories.unit("Thành phố Bắc Ninh")
    org = factories.organization("Ban Dân vận Thành ủy Bắc Ninh", administrative_unit=city)
    other = factories.organization("Hội Nông dân tỉnh khác")
    people = {
        "admin": factories.user("admin", org, "committee_admin"),
        "viewer": factories.user("viewer", org, "viewer"),
        "outsider": factories.user("outsider", other, "committee_admin"),
    }
    local = services.add_local_commemoration(org, "Ngày giải phóng thành phố Bắc Ninh", dt.date(1954, 8, 8), "gp-bn")
    theme = services.save_year_theme(year=2019, organization=org, theme="Năm dân vận khéo", resolutions=["Một", "Hai"])
    draft = factories.program("ct-nhap", org, status="draft")
    signed = factories.program("ct-2019", org)
    factories.event("Ký kết chương trình phối hợp", dt.datetime(2019, 7, 9, 8), programs=[signed], orgs=[org])
    return {"org": org, "other": other, "local": local, "theme": theme, "draft": draft, "signed": signed,
            "city": city, **people}


def client_for(user=None) -> Client:
    c = Client()
    if user is not None:
        c.force_login(user)
    return c


def page_urls(w):
    return [
        reverse("almanac:month_current"),
        reverse("almanac:month", args=[2019, 7]),
        reverse("almanac:commemorations"),
        reverse("almanac:themes"),
        reverse("almanac:focus"),
        reverse("almanac:focus") + f"?org={w['org'].pk}",
        reverse("almanac:focus") + "?program=ct-2019",
        reverse("almanac:commemoration_add"),
        reverse("almanac:theme_add"),
        reverse("almanac:commemoration_edit", args=[w["local"].pk]),
        reverse("almanac:theme_edit", args=[w["theme"].pk]),
        reverse("almanac:organization_feed", args=[w["org"].pk]),
        reverse("almanac:program_feed", args=["ct-2019"]),
    ]


def test_anonymous_users_are_sent_to_login(world):
    public = {reverse("almanac:month_current"), reverse("almanac:month", args=[2019, 7]),
              reverse("almanac:commemorations")}  # public since issue 14 (test_public_calendar.py)
    for url in page_urls(world):
        if url in public:
            assert client_for().get(url).status_code == 200, url
            continue
        response = client_for().get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_a_manager_sees_every_page(world):
    for url in page_urls(world):
        assert client_for(world["admin"]).get(url).status_code == 200, url


@pytest.mark.parametrize(
    "name",
    ["commemoration_edit", "theme_edit", "focus_draft", "program_feed_draft", "month_bad"],
)
def test_outsiders_get_404_on_another_organisations_private_data(world, name):
    urls = {
        "commemoration_edit": reverse("almanac:commemoration_edit", args=[world["local"].pk]),
        "theme_edit": reverse("almanac:theme_edit", args=[world["theme"].pk]),
        "focus_draft": reverse("almanac:focus") + "?program=ct-nhap",
        "program_feed_draft": reverse("almanac:program_feed", args=["ct-nhap"]),
        "month_bad": reverse("almanac:month", args=[2019, 13]),
    }
    assert client_for(world["outsider"]).get(urls[name]).status_code == 404


def test_outsiders_do_not_see_another_organisations_themes(world):
    response = client_for(world["outsider"]).get(reverse("almanac:themes"))
    assert response.status_code == 200
    assert "Năm dân vận khéo" not in response.content.decode()
    assert "Năm dân vận khéo" in client_for(world["viewer"]).get(reverse("almanac:themes")).content.decode()


@pytest.mark.parametrize("name", ["commemoration_add", "theme_add", "commemoration_edit", "theme_edit"])
def test_a_viewer_may_not_change_anything(world, name):
    args = {"commemoration_edit": [world["local"].pk], "theme_edit": [world["theme"].pk]}.get(name, [])
    assert client_for(world["viewer"]).get(reverse(f"almanac:{name}", args=args)).status_code == 403


def test_the_july_2019_month_shows_lunar_dates_and_the_anniversary(world):
    html = client_for(world["viewer"]).get(reverse("almanac:month", args=[2019, 7])).content.decode()
    assert "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)" in html
    assert "Kỷ Hợi" in html
    # 03/7/2019 was 1/6 âm lịch; 27/7/2019 was 25/6
    assert ">1/6<" in html and ">25<" in html
    assert "Ký kết chương trình phối hợp" in html


def test_adding_a_local_commemoration(world):
    response = client_for(world["admin"]).post(reverse("almanac:commemoration_add"), {
        "organization": world["org"].pk, "name": "Ngày thành lập Ban Dân vận Thành ủy", "short_name": "",
        "calendar": "solar", "day": 15, "month": 10, "origin_year": 1957, "source": "Quyết định thành lập", "note": "",
    })
    assert response.status_code == 302
    c = Commemoration.objects.get(name="Ngày thành lập Ban Dân vận Thành ủy")
    assert (c.scope, c.organization, c.code.startswith("ngay-thanh-lap-ban-dan-van")) == ("local", world["org"], True)


def test_a_nonexistent_date_is_refused_by_the_form(world):
    response = client_for(world["admin"]).post(reverse("almanac:commemoration_add"), {
        "organization": world["org"].pk, "name": "Sai", "calendar": "solar", "day": 31, "month": 2, "origin_year": 1990,
    })
    assert response.status_code == 200
    assert "không tồn tại" in response.content.decode()


def test_a_manager_cannot_add_for_an_organisation_he_does_not_manage(world):
    response = client_for(world["admin"]).post(reverse("almanac:commemoration_add"), {
        "organization": world["other"].pk, "name": "Không được", "calendar": "solar", "day": 1, "month": 5,
    })
    assert response.status_code == 200
    assert not Commemoration.objects.filter(name="Không được").exists()


def test_editing_a_theme_and_its_resolutions(world):
    url = reverse("almanac:theme_edit", args=[world["theme"].pk])
    response = client_for(world["admin"]).post(url, {
        "owner": f"org:{world['org'].pk}", "year": 2019, "theme": "Năm dân vận khéo, kỷ cương",
        "resolutions": "1. Một\n2. Hai sửa\n3. Ba", "source": "",
    })
    assert response.status_code == 302
    theme = YearTheme.objects.get(pk=world["theme"].pk)
    assert theme.theme == "Năm dân vận khéo, kỷ cương"
    assert list(theme.resolutions.values_list("number", "text")) == [(1, "Một"), (2, "Hai sửa"), (3, "Ba")]


def test_adding_a_theme_for_the_unit(world):
    response = client_for(world["admin"]).post(reverse("almanac:theme_add"), {
        "owner": f"unit:{world['city'].pk}", "year": 2020, "theme": "Chủ đề của thành phố", "resolutions": "A\nB",
    })
    assert response.status_code == 302
    assert YearTheme.objects.get(administrative_unit=world["city"], year=2020).resolutions.count() == 2


def test_the_focus_page_defaults_to_sixty_days_and_rejects_a_reversed_window(world):
    c = client_for(world["viewer"])
    response = c.get(reverse("almanac:focus") + f"?org={world['org'].pk}&from=10/07/2019&to=31/08/2019")
    html = response.content.decode()
    assert "Kỷ niệm 65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)" in html
    assert "Năm dân vận khéo" in html
    response = c.get(reverse("almanac:focus") + "?from=31/08/2019&to=10/07/2019")
    assert response.status_code == 422


def feed(world, client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return icalendar.Calendar.from_ical(response.content)


def test_the_program_feed_parses_as_icalendar(world, monkeypatch):
    from phoihop.almanac import ical

    monkeypatch.setattr(ical, "feed_window", lambda today=None: (dt.date(2019, 7, 1), dt.date(2019, 12, 31)))
    cal = feed(world, client_for(world["viewer"]), reverse("almanac:program_feed", args=["ct-2019"]))
    assert cal["VERSION"] == "2.0" and "PRODID" in cal
    events = cal.walk("VEVENT")
    summaries = [str(e["SUMMARY"]) for e in events]
    assert "Ký kết chương trình phối hợp" in summaries
    assert "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)" in summaries
    assert len({str(e["UID"]) for e in events}) == len(events)
    martyrs = next(e for e in events if "Thương binh" in str(e["SUMMARY"]))
    assert martyrs.decoded("DTSTART") == dt.date(2019, 7, 27)
    signing = next(e for e in events if str(e["SUMMARY"]) == "Ký kết chương trình phối hợp")
    assert signing.decoded("DTSTART") == dt.datetime(2019, 7, 9, 1, 0, tzinfo=dt.UTC)


def test_calendar_clients_subscribe_with_a_feed_token(world, monkeypatch):
    """A feed token (accounts.FeedToken, phoihop/accounts/tests/test_feed_tokens.py), not an API token."""
    from phoihop.almanac import ical

    monkeypatch.setattr(ical, "feed_window", lambda today=None: (dt.date(2019, 7, 1), dt.date(2019, 12, 31)))
    _token, raw = issue_feed_token(world["viewer"])
    url = reverse("almanac:organization_feed", args=[world["org"].pk])
    cal = feed(world, client_for(), f"{url}?feed={raw}")
    assert any("Bắc Ninh" in str(e["SUMMARY"]) for e in cal.walk("VEVENT"))
    assert client_for().get(f"{url}?feed=phf_wrong").status_code == 403
    _api, api_raw = ApiToken.issue(world["viewer"])
    assert client_for().get(f"{url}?token={api_raw}").status_code == 403
    _t, outsider_raw = issue_feed_token(world["outsider"])
    draft_feed = reverse("almanac:program_feed", args=["ct-nhap"])
    assert client_for().get(f"{draft_feed}?feed={outsider_raw}").status_code == 404
