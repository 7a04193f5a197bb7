"""sitemap.xml of the public bulletin: the list, the category pages and every public article.

`/tin-tuc/sitemap.xml` works without `django.contrib.sitemaps` in INSTALLED_APPS (the template
lives in templates/news/). The root `/sitemap.xml` can reuse `SITEMAPS` (see docs/news.md).
"""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from phoihop.news.access import public_articles
from phoihop.news.models import Article, Category


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.7
    limit = 5000

    def items(self):
        return Article.objects.public().only("pk", "slug", "title", "updated_at", "published_at").order_by("-published_at", "-id")

    def lastmod(self, item):
        return item.updated_at

    def location(self, item):
        return item.get_absolute_url()


class BulletinPagesSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        public = public_articles().values("category_id")
        return ["list", *Category.objects.filter(pk__in=public).order_by("order", "name")]

    def location(self, item):
        return reverse("news:list") if item == "list" else item.get_absolute_url()


SITEMAPS = {"tin-tuc": BulletinPagesSitemap, "bai-viet": ArticleSitemap}
