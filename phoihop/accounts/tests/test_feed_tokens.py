"""Issue 12: calendar feeds have their own read-only, revocable feed tokens.

A feed token opens the iCalendar feeds of its user (only what that user may see) and nothing
else: not the API, not the pages. API tokens no longer open the feeds. The user creates and
revokes them on /tai-khoan/lich-rieng/; system administrators revoke them in the admin.
"""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from phoihop.accounts import services
from phoihop.accounts.models import ApiToken, FeedToken
from phoihop.almanac.tests import factories
from phoihop.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
PAGE = "/tai-khoan/lich-rieng/"


@pytest.fixture
def world(monkeypatch):
    from phoihop.almanac import ical

    monkeypatch.setattr(ical, "feed_window", lambda today=None: (dt.date(2019, 7, 1), dt.date(2019, 12, 31)))
    org = factories.organization("Ban Dân vận Thành ủy Bắc Ninh")
    other = factories.organization("Hội Nông dân tỉnh khác")
    draft = factories.program("ct-nhap", org, status="draft")
    factories.event("Họp kín chuẩn bị dự thảo", dt.datetime(2019, 7, 9, 8), programs=[draft], orgs=[org])
    return {
        "org": org, "other": other, "draft": draft,
        "viewer": factories.user("viewer", org, "viewer"),
        "outsider": factories.user("outsider", other, "committee_admin"),
        "org_feed": reverse("almanac:organization_feed", args=[org.pk]),
        "draft_feed": reverse("almanac:program_feed", args=["ct-nhap"]),
    }


def _summaries(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("text/calendar")
    return [str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")]


def test_a_feed_token_opens_its_users_feeds(world):
    token, raw = services.issue_feed_token(world["viewer"], "Điện thoại")
    assert raw.startswith(FeedToken.PREFIX) and token.prefix == raw[:10]
    assert token.key_hash != raw and raw not in str(FeedToken.objects.values_list().get())  # only the hash is kept
    assert "Họp kín chuẩn bị dự thảo" in _summaries(Client().get(f"{world['draft_feed']}?feed={raw}"))
    assert _summaries(Client().get(f"{world['org_feed']}?feed={raw}"))
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_feed_token_shows_only_what_its_user_may_see(world):
    _token, outsider_raw = services.issue_feed_token(world["outsider"])
    assert Client().get(f"{world['draft_feed']}?feed={outsider_raw}").status_code == 404
    org_feed = Client().get(f"{world['org_feed']}?feed={outsider_raw}")
    assert "Họp kín chuẩn bị dự thảo" not in _summaries(org_feed)
    # Another user's session does not change whose token it is.
    c = Client()
    c.force_login(world["viewer"])
    assert c.get(f"{world['draft_feed']}?feed={outsider_raw}").status_code == 404


def test_an_api_token_no_longer_opens_a_feed(world):
    _api, api_raw = ApiToken.issue(world["viewer"])
    for query in (f"token={api_raw}", f"feed={api_raw}"):
        response = Client().get(f"{world['draft_feed']}?{query}")
        assert response.status_code == 403, query
        assert b"BEGIN:VCALENDAR" not in response.content
    assert "Đường dẫn lịch riêng" in Client().get(f"{world['org_feed']}?token={api_raw}").content.decode()
    # Not even a valid feed token together with ?token=.
    _t, raw = services.issue_feed_token(world["viewer"])
    assert Client().get(f"{world['org_feed']}?feed={raw}&token={api_raw}").status_code == 403


def test_a_feed_token_opens_neither_the_api_nor_the_pages(world):
    _t, raw = services.issue_feed_token(world["viewer"])
    c = Client()
    assert c.get("/api/programs", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    assert c.get("/api/almanac/anniversaries?from=2019-07-01&to=2019-07-31",
                 HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    for page in (reverse("almanac:focus") + f"?feed={raw}", f"/chuong-trinh/?feed={raw}", f"{PAGE}?feed={raw}"):
        response = c.get(page)
        assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login")), page
    # The API token of the same user does open the API: the refusal above is the feed token's.
    _a, api_raw = ApiToken.issue(world["viewer"])
    assert c.get("/api/programs", HTTP_AUTHORIZATION=f"Bearer {api_raw}").status_code == 200


def test_an_unknown_revoked_or_inactive_users_token_is_refused(world):
    token, raw = services.issue_feed_token(world["viewer"])
    assert Client().get(f"{world['org_feed']}?feed={FeedToken.PREFIX}nope").status_code == 403
    assert Client().get(f"{world['org_feed']}?feed={raw}").status_code == 200
    services.revoke_feed_token(token)
    services.revoke_feed_token(token)  # twice: no change, no error
    refused = Client().get(f"{world['org_feed']}?feed={raw}")
    assert refused.status_code == 403 and b"BEGIN:VCALENDAR" not in refused.content
    _t2, raw2 = services.issue_feed_token(world["viewer"])
    world["viewer"].is_active = False
    world["viewer"].save()
    assert Client().get(f"{world['org_feed']}?feed={raw2}").status_code == 403


def test_a_browser_keeps_using_its_session(world):
    c = Client()
    assert c.get(world["org_feed"]).status_code == 302  # anonymous: to the login page
    c.force_login(world["viewer"])
    assert "Họp kín chuẩn bị dự thảo" in _summaries(c.get(world["draft_feed"]))


def test_the_user_creates_and_revokes_a_link_on_the_page(world):
    c = Client()
    c.force_login(world["viewer"])
    page = c.get(f"{PAGE}?lich=program:ct-nhap")
    assert page.status_code == 200 and "Đường dẫn lịch riêng" in page.content.decode()
    created = c.post(PAGE, {"action": "create", "label": "Điện thoại\u200b", "lich": "program:ct-nhap"})
    assert created.status_code == 200 and created["Cache-Control"] == "no-store"
    token = FeedToken.objects.get(user=world["viewer"])
    assert token.label == "Điện thoại"
    html = created.content.decode()
    links = re.findall(r"<code>(http[^<]+)</code>", html)
    assert len(links) == 2
    assert any("/lich/chuong-trinh/ct-nhap/lich.ics?feed=phf_" in u for u in links)
    assert any(world["org_feed"] + "?feed=phf_" in u for u in links)
    feed_url = next(u for u in links if "ct-nhap" in u).replace("http://testserver", "")
    assert "Họp kín chuẩn bị dự thảo" in _summaries(Client().get(feed_url))
    raw = feed_url.split("feed=")[1]
    assert raw not in c.get(PAGE).content.decode()  # shown once
    # The audit log records creation (never the hash).
    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(FeedToken), object_id=str(token.pk))
    assert entries.exists() and token.key_hash not in str(list(entries.values()))

    revoked = c.post(PAGE, {"action": "revoke", "token": token.pk})
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(feed_url).status_code == 403
    assert "Đã thu hồi lúc" in c.get(PAGE).content.decode()


def test_the_page_refuses_what_is_not_the_users(world):
    _t, _raw = services.issue_feed_token(world["viewer"])
    theirs = FeedToken.objects.get(user=world["viewer"])
    c = Client()
    c.force_login(world["outsider"])
    assert c.post(PAGE, {"action": "revoke", "token": theirs.pk}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert c.get(f"{PAGE}?lich=program:ct-nhap").status_code == 404  # another organisation's draft
    assert c.get(f"{PAGE}?lich=khac:1").status_code == 404
    assert c.post(PAGE, {"action": "revoke", "token": "x"}).status_code == 404
    assert c.post(PAGE, {"action": "xoa"}).status_code == 400
    too_long = c.post(PAGE, {"action": "create", "label": "x" * 101})
    assert too_long.status_code == 422 and not FeedToken.objects.filter(user=world["outsider"]).exists()
    assert "tối đa 100 ký tự" in too_long.content.decode()
    assert Client().get(PAGE).status_code == 302  # anonymous: to the login page


def test_a_system_administrator_revokes_in_the_admin(world):
    token, raw = services.issue_feed_token(world["viewer"])
    admin_user = factories.user("quantri")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    c = Client()
    c.force_login(admin_user)
    listing = c.get("/quan-tri/accounts/feedtoken/")
    assert listing.status_code == 200 and token.prefix in listing.content.decode()
    assert token.key_hash not in c.get(f"/quan-tri/accounts/feedtoken/{token.pk}/change/").content.decode()
    response = c.post("/quan-tri/accounts/feedtoken/", {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get(f"{world['org_feed']}?feed={raw}").status_code == 403
    assert c.get("/quan-tri/accounts/feedtoken/add/").status_code == 403
