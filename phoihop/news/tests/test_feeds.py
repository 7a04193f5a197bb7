"""RSS 2.0, Atom and sitemap.xml: valid, complete, and never a draft."""

import datetime as dt
import html

import feedparser
import pytest
from defusedxml import ElementTree
from django.utils import timezone

from phoihop.news.tests.conftest import make_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_public(org_a, category):
    now = timezone.now()
    return [
        make_article(org_a, title=f"Tin công khai {i}", lead=f"Sa pô {i} — “dân vận” & <quốc phòng>", status="published",
                     published_at=now - dt.timedelta(days=i + 1), category=category, author="Phúc Hưng")
        for i in range(3)
    ]


@pytest.mark.parametrize(("path", "version"), [("/tin-tuc/rss/", "rss20"), ("/tin-tuc/atom/", "atom10")])
def test_feeds_are_valid_and_hold_only_public_articles(reader, path, version, three_public, draft, withdrawn, scheduled):
    response = reader.get(path)
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == version
    assert feed.feed.title == "Bản tin Phối Hợp"
    assert feed.feed.language == "vi" if version == "rss20" else True
    titles = [e.title for e in feed.entries]
    assert titles == ["Tin công khai 0", "Tin công khai 1", "Tin công khai 2"]
    for hidden in (draft, withdrawn, scheduled):
        assert hidden.title not in response.content.decode()
    first = feed.entries[0]
    assert first.link == f"http://testserver{three_public[0].get_absolute_url()}"
    assert first.summary_detail.type == "text/html"  # HTML by the RSS/Atom convention: text escaped once
    assert html.unescape(first.summary) == "Sa pô 0 — “dân vận” & <quốc phòng>"
    assert first.author == "Phúc Hưng"
    assert [t.term for t in first.tags] == ["Hoạt động phối hợp"]
    published = dt.datetime(*first.published_parsed[:6], tzinfo=dt.UTC)
    assert abs(published - three_public[0].published_at) < dt.timedelta(seconds=1)


def test_the_feed_carries_the_cover_image_as_an_enclosure(reader, three_public):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from phoihop.news import services
    from phoihop.news.tests.conftest import png_bytes

    image = services.add_image(three_public[0], SimpleUploadedFile("a.png", png_bytes()), user=None)
    feed = feedparser.parse(reader.get("/tin-tuc/rss/").content)
    assert not feed.bozo
    enclosure = feed.entries[0].enclosures[0]
    assert enclosure.href == f"http://testserver{image.url}" and enclosure.type == "image/png"
    assert int(enclosure.length) == image.size


def test_the_feed_is_limited_to_the_latest_twenty(reader, org_a):
    now = timezone.now()
    for i in range(25):
        make_article(org_a, title=f"Tin {i}", status="published", published_at=now - dt.timedelta(hours=i + 1))
    feed = feedparser.parse(reader.get("/tin-tuc/atom/").content)
    assert len(feed.entries) == 20 and feed.entries[0].title == "Tin 0"


def test_an_empty_feed_is_still_valid(reader):
    feed = feedparser.parse(reader.get("/tin-tuc/rss/").content)
    assert not feed.bozo and feed.entries == []


def test_the_sitemap_lists_public_pages_only(reader, three_public, draft, scheduled):
    response = reader.get("/tin-tuc/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ElementTree.fromstring(response.content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = [el.text for el in root.findall("s:url/s:loc", ns)]
    assert "http://testserver/tin-tuc/" in locations
    assert "http://testserver/tin-tuc/chuyen-muc/hoat-dong-phoi-hop/" in locations
    for article in three_public:
        assert f"http://testserver{article.get_absolute_url()}" in locations
    assert f"http://testserver{draft.get_absolute_url()}" not in locations
    assert f"http://testserver{scheduled.get_absolute_url()}" not in locations
    lastmods = [el.text for el in root.findall("s:url/s:lastmod", ns)]
    assert all(len(v) == 10 for v in lastmods) and len(lastmods) == 3


def test_the_pages_announce_their_feeds(reader, three_public):
    page = reader.get("/tin-tuc/").content.decode()
    assert 'type="application/rss+xml"' in page and 'href="/tin-tuc/rss/"' in page
    assert 'type="application/atom+xml"' in page and 'href="/tin-tuc/atom/"' in page
