"""The view counter: one view per visitor per article per 30 minutes, no bots, no insiders,
nothing personal stored, no lost update."""

import re
import threading
import time

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from phoihop.news import counting
from phoihop.news.models import Article
from phoihop.news.tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


def shown_count(response) -> str:
    return re.search(r'id="view-count">([^<]+)<', response.content.decode()).group(1)


def test_the_page_shows_the_count_after_the_increment(reader, published):
    response = reader.get(published.get_absolute_url())
    assert shown_count(response) == "1"
    published.refresh_from_db()
    assert published.view_count == 1


def test_the_same_visitor_twice_within_30_minutes_counts_once(reader, published):
    reader.get(published.get_absolute_url())
    response = reader.get(published.get_absolute_url())
    assert shown_count(response) == "1"
    published.refresh_from_db()
    assert published.view_count == 1


def test_the_same_visitor_after_30_minutes_counts_again(reader, published, monkeypatch):
    reader.get(published.get_absolute_url())
    later = time.time() + counting.WINDOW_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)  # LocMemCache expires by time.time()
    response = reader.get(published.get_absolute_url())
    assert shown_count(response) == "2"


def test_a_neighbour_on_the_same_network_with_the_same_browser_is_the_same_visitor(reader, published):
    reader.get(published.get_absolute_url())
    reader.get(published.get_absolute_url(), REMOTE_ADDR="203.0.113.99")
    published.refresh_from_db()
    assert published.view_count == 1


def test_distinct_visitors_each_count(client, published):
    for i in range(20):
        client.get(published.get_absolute_url(), HTTP_USER_AGENT=f"{BROWSER_UA} v{i}", REMOTE_ADDR=f"198.51.{i}.7")
    published.refresh_from_db()
    assert published.view_count == 20


def test_each_article_is_counted_separately(reader, published, org_a):
    from phoihop.news.tests.conftest import make_article

    other = make_article(org_a, title="Tin khác", status="published", published_at=published.published_at)
    reader.get(published.get_absolute_url())
    reader.get(other.get_absolute_url())
    assert [a.view_count for a in Article.objects.filter(pk__in=[published.pk, other.pk]).order_by("pk")] == [1, 1]


@pytest.mark.parametrize("agent", [
    "Googlebot/2.1 (+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Yahoo! Slurp; http://help.yahoo.com/help/us/ysearch/slurp)",
    "curl/8.5.0", "Wget/1.21.4", "python-requests/2.32.3",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", "Baiduspider", "",
])
def test_bots_are_not_counted(client, published, agent):
    response = client.get(published.get_absolute_url(), HTTP_USER_AGENT=agent)
    assert response.status_code == 200
    published.refresh_from_db()
    assert published.view_count == 0


def test_prefetches_are_not_counted(reader, published):
    reader.get(published.get_absolute_url(), HTTP_SEC_PURPOSE="prefetch")
    published.refresh_from_db()
    assert published.view_count == 0


@pytest.mark.parametrize("who", ["manager", "viewer", "sysadmin"])
def test_insiders_are_not_counted_and_are_told_so(reader, published, who, request):
    reader.force_login(request.getfixturevalue(who))
    response = reader.get(published.get_absolute_url())
    assert "lượt xem của bạn không được tính" in response.content.decode()
    published.refresh_from_db()
    assert published.view_count == 0


def test_a_logged_in_member_of_another_organisation_is_a_reader(reader, published, outsider):
    reader.force_login(outsider)
    reader.get(published.get_absolute_url())
    published.refresh_from_db()
    assert published.view_count == 1


def test_nothing_personal_is_stored(reader, published):
    with CaptureQueriesContext(connection) as queries:
        reader.get(published.get_absolute_url())
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert len(writes) == 1 and '"view_count"' in writes[0]
    assert "203.0.113" not in " ".join(writes)
    keys = list(cache._cache.keys())  # LocMemCache
    assert len(keys) == 1
    assert "203.0.113" not in keys[0] and "Android" not in keys[0]


def test_the_visitor_key_uses_a_truncated_network_and_changes_every_day(monkeypatch):
    import datetime as dt

    from django.utils import timezone

    factory = RequestFactory()
    a = factory.get("/", REMOTE_ADDR="203.0.113.57", HTTP_USER_AGENT=BROWSER_UA)
    b = factory.get("/", REMOTE_ADDR="203.0.113.200", HTTP_USER_AGENT=BROWSER_UA)
    c = factory.get("/", REMOTE_ADDR="203.0.114.57", HTTP_USER_AGENT=BROWSER_UA)
    assert counting.visitor_key(a, 1) == counting.visitor_key(b, 1) != counting.visitor_key(c, 1)
    assert counting.network_of("2001:db8:abcd:12::1") == "2001:db8:abcd::/48"
    assert counting.network_of("::ffff:203.0.113.57") == "203.0.113.0/24"
    today = counting.visitor_key(a, 1)
    monkeypatch.setattr(timezone, "localdate", lambda: dt.date(2019, 7, 11))
    assert counting.visitor_key(a, 1) != today


def test_the_counter_is_raised_by_an_atomic_update(reader, published):
    with CaptureQueriesContext(connection) as queries:
        reader.get(published.get_absolute_url())
    update = next(q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith("UPDATE"))
    assert re.search(r'SET "view_count" = \(?"news_article"\."view_count" \+ 1', update), update


def test_an_editor_saving_a_stale_copy_never_resets_the_counter(published):
    stale = Article.objects.get(pk=published.pk)
    Article.objects.filter(pk=published.pk).update(view_count=183)
    stale.lead = "Sa pô đã sửa."
    stale.save()
    published.refresh_from_db()
    assert (published.view_count, published.lead) == (183, "Sa pô đã sửa.")


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_readers_lose_no_view(live_server, org_a):
    """20 threads, 20 different browsers, one article: exactly 20 views."""
    import datetime as dt
    import urllib.request

    from django.utils import timezone

    from phoihop.news.tests.conftest import make_article

    article = make_article(org_a, title="Tin đông người đọc", status="published",
                           published_at=timezone.now() - dt.timedelta(minutes=5))
    url = live_server.url + article.get_absolute_url()
    errors = []

    def read(i):
        try:
            req = urllib.request.Request(url, headers={"User-Agent": f"{BROWSER_UA} reader-{i}"})
            with urllib.request.urlopen(req, timeout=30) as resp:
                assert resp.status == 200
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    article.refresh_from_db()
    assert article.view_count == 20
    cache.clear()
