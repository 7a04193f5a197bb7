"""Public articles for the load test (the news app was written at the same time as this suite).

When `phoihop.news.models.Article` exists the generator publishes 20 articles of the root
organisations, through the model's own save() (sanitising, slug). When it does not, or its shape
changed, no article is made and the load test leaves out the "public article" step; RESULTS.md
then says so.
"""

from __future__ import annotations

import datetime as dt
import importlib


def article_model():
    try:
        models = importlib.import_module("phoihop.news.models")
    except ImportError:
        return None
    return getattr(models, "Article", None)


def make_articles(rng, root: dict[str, int], count: int = 20):
    """Publish `count` articles; returns ("Article", count) or None when the app has none."""
    Article = article_model()
    if Article is None:
        return None
    from django.db import transaction
    from django.utils import timezone

    now = timezone.now()
    made = 0
    try:
        with transaction.atomic():
            for n in range(count):
                article = Article(
                    organization_id=root["bdv"] if n % 2 else root["chqs"],
                    title=f"Bản tin thử tải số {n + 1}: kết quả phối hợp tháng {n % 12 + 1}",
                    lead="Tin tổng hợp để đo hiệu năng trang tin công khai (dữ liệu thử tải, không phải tin thật).",
                    body="".join(f"<p>Đoạn {k + 1}: các bên tiếp tục phối hợp tuyên truyền, vận động, "
                                 f"thăm hỏi gia đình chính sách (nội dung thử tải).</p>" for k in range(8 + rng.randint(0, 8))),
                    author="Ban biên tập (thử tải)", status="published",
                    published_at=now - dt.timedelta(days=count - n),
                )
                article.save()
                made += 1
    except Exception as exc:  # the news app is still moving: never fail the generation for it
        print(f"  (no articles: {exc.__class__.__name__}: {exc})")
        return None
    return ("Article", made)


def public_urls(limit: int = 20) -> list[str]:
    """URLs of public article pages (empty when there is no news app or no article)."""
    Article = article_model()
    if Article is None:
        return []
    from django.urls import NoReverseMatch, reverse

    qs = Article.objects.public() if hasattr(Article.objects, "public") else Article.objects.filter(status="published")
    urls = []
    for article in qs.order_by("-published_at")[:limit]:
        try:
            urls.append(article.get_absolute_url() if hasattr(article, "get_absolute_url")
                        else reverse("news:article", args=[article.pk, article.slug]))
        except NoReverseMatch:
            return []
    return urls
