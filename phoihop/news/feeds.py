"""RSS 2.0 (/tin-tuc/rss/) and Atom 1.0 (/tin-tuc/atom/) feeds of the latest public articles."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape

from phoihop.news.access import public_articles
from phoihop.news.models import Article

FEED_SIZE = 20


class LatestArticlesRss(Feed):
    feed_type = Rss201rev2Feed
    title = "Bản tin Phối Hợp"
    link = reverse_lazy("news:list")
    feed_url = reverse_lazy("news:rss")
    description = "Tin hoạt động của các chương trình phối hợp: sơ kết, tổng kết, ký kết và các hoạt động chung."
    language = "vi"

    def get_object(self, request, *args, **kwargs):
        return request  # passed to items(): absolute addresses for the enclosures

    def items(self, request):
        articles = list(public_articles().defer("body", "search_text").order_by("-published_at", "-id")[:FEED_SIZE])
        base = request.build_absolute_uri("/").rstrip("/")
        for article in articles:
            article.site_base = base
        return articles

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        # RSS <description> and Atom <summary type="html"> hold HTML: plain text is escaped first.
        return escape(item.description)

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_guid(self, item: Article) -> str:
        return f"phoihop-tin-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.author or item.organization.name

    def item_categories(self, item: Article) -> list[str]:
        return [item.category.name] if item.category else []

    def item_enclosures(self, item: Article):
        if item.cover is None:
            return []
        return [Enclosure(item.site_base + item.cover.url, str(item.cover.size), item.cover.content_type)]


class LatestArticlesAtom(LatestArticlesRss):
    feed_type = Atom1Feed
    feed_url = reverse_lazy("news:atom")
    subtitle = LatestArticlesRss.description
