"""The bulletin of the demo: one article about the afternoon of 09/7/2019, written by the
system from the review and signing events (never copied from the radio's article) and
published — back-dated — at 10/07/2019 17:13. Its view counter starts at 0: views are only ever
counted, never seeded (the article's 183 views of 2019 are not ours to claim)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from phoihop.news import services
from phoihop.news.models import Article, Category
from phoihop.programs.models import Event

VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
PUBLISHED_AT = dt.datetime(2019, 7, 10, 17, 13, tzinfo=VN)
AUTHOR = "Ban CHQS thành phố (bài minh họa)"
CATEGORY = ("Hoạt động phối hợp", "hoat-dong-phoi-hop")


def load(orgs) -> None:
    signing = Event.objects.filter(kind=Event.Kind.SIGNING, starts_at=dt.datetime(2019, 7, 9, 16, 0, tzinfo=VN)).first()
    if signing is None or Article.objects.filter(event=signing, is_demo=True).exists():
        return
    name, slug = CATEGORY
    category = Category.objects.filter(slug=slug).first() or Category.objects.create(name=name, slug=slug, order=10)
    article = services.draft_from_event(signing, None, orgs["ban_chqs"])
    Article.objects.filter(pk=article.pk).update(author=AUTHOR, source=orgs["ban_chqs"].name, category=category, is_demo=True)
    article.refresh_from_db()
    services.publish(article, user=None, when=PUBLISHED_AT, confirm_backdate=True)
