"""The public bulletin: categories, articles and their uploaded images.

An article belongs to the organisation that publishes it (e.g. the standing office). Its life:
draft → published → withdrawn (→ draft again to rework it). A published article whose
`published_at` is still ahead is *scheduled*: public pages compare with the current time, so it
appears by itself when the time comes (no cron). Every move is recorded in the audit log.
"""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from phoihop.audit.recorder import audited, record_transition
from phoihop.audit.workflow import Workflow
from phoihop.core.models import BaseModel
from phoihop.core.vietnamese import fold
from phoihop.news.sanitize import body_text, clean_body, plain_text

BACKDATE_TOLERANCE = dt.timedelta(days=1)
MAX_SCHEDULE_AHEAD = dt.timedelta(days=365)


def slug_for(text: str, limit: int = 100) -> str:
    """'Sơ kết hai chương trình…' → 'so-ket-hai-chuong-trinh…' (cut at a word boundary)."""
    slug = slugify(fold(text))
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0]
    return slug or "bai-viet"


@audited
class Category(BaseModel):
    name = models.CharField(_("tên chuyên mục"), max_length=120, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    order = models.PositiveIntegerField(_("thứ tự"), default=100)

    class Meta:
        verbose_name = _("chuyên mục")
        verbose_name_plural = _("chuyên mục")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = plain_text(self.name)
        if not self.slug:
            self.slug = slug_for(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("news:category", args=[self.slug])


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã xuất bản")
    WITHDRAWN = "withdrawn", _("Đã thu hồi")


class ArticleQuerySet(models.QuerySet):
    def public(self, now: dt.datetime | None = None):
        """Published, its time has come, not withdrawn: what anyone may read."""
        return self.filter(status=ArticleStatus.PUBLISHED, published_at__lte=now or timezone.now())


@audited(exclude=("view_count",))
class Article(BaseModel):
    organization = models.ForeignKey(
        "organizations.Organization", on_delete=models.PROTECT, related_name="articles",
        verbose_name=_("cơ quan đăng tin"),
    )
    title = models.CharField(_("tiêu đề"), max_length=300)
    slug = models.SlugField(_("đường dẫn"), max_length=100, blank=True)
    lead = models.TextField(_("sa pô (tóm tắt)"), max_length=1000)
    body = models.TextField(_("nội dung"), blank=True)
    author = models.CharField(_("tác giả"), max_length=200, blank=True)
    source = models.CharField(_("nguồn"), max_length=200, blank=True)
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles", verbose_name=_("chuyên mục"),
    )
    program = models.ForeignKey(
        "programs.Program", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles",
        verbose_name=_("chương trình liên quan"),
    )
    event = models.ForeignKey(
        "programs.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles",
        verbose_name=_("sự kiện liên quan"),
    )
    cover = models.ForeignKey(
        "news.ArticleImage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("ảnh đại diện"),
    )
    status = models.CharField(_("trạng thái"), max_length=12, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT)
    published_at = models.DateTimeField(_("thời gian đăng"), null=True, blank=True, db_index=True)
    withdrawn_at = models.DateTimeField(_("thời gian thu hồi"), null=True, blank=True)
    view_count = models.PositiveIntegerField(_("số lượt xem"), default=0)
    version = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("người tạo"),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    search_text = models.TextField(blank=True, editable=False)

    search_fields = ("title", "lead", "body_text", "author")

    objects = ArticleQuerySet.as_manager()

    # Publication goes through `publish` (its checks, the time), the other moves through
    # `services.move`; every one is written and recorded by `workflow.move`.
    workflow = Workflow(
        ArticleStatus,
        {
            ArticleStatus.DRAFT: {ArticleStatus.PUBLISHED},
            ArticleStatus.PUBLISHED: {ArticleStatus.WITHDRAWN},
            ArticleStatus.WITHDRAWN: {ArticleStatus.DRAFT},
        },
        side_fields=lambda article, new, note: {"withdrawn_at": timezone.now()} if new == ArticleStatus.WITHDRAWN else {},
        refused=lambda a, b: _("Không thể chuyển bài từ “%(a)s” sang “%(b)s”.") % {"a": a, "b": b},
        current_label=lambda article: article.state_label,
    )

    class Meta:
        verbose_name = _("bài viết")
        verbose_name_plural = _("bài viết")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="news_article_public")]

    def __str__(self) -> str:
        return self.title

    # --- cleaning ------------------------------------------------------------------------------

    @property
    def body_text(self) -> str:
        return body_text(self.body)

    def save(self, *args, **kwargs):
        """Clean on every save (whatever the entry point: pages, admin, shell) and never write
        `view_count` here: it only moves through `counting.count_view`'s atomic update."""
        self.title = plain_text(self.title)
        self.lead = plain_text(self.lead)
        self.author = plain_text(self.author)
        self.source = plain_text(self.source)
        self.body = clean_body(self.body)
        self.slug = slug_for(self.title)
        if not self._state.adding and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "view_count"
            ]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not plain_text(self.title):
            raise ValidationError({"title": _("Tiêu đề không được để trống (sau khi bỏ các thẻ HTML).")})

    # --- state ----------------------------------------------------------------------------------

    def is_public(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == ArticleStatus.PUBLISHED and self.published_at is not None and self.published_at <= now

    def is_scheduled(self, now: dt.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == ArticleStatus.PUBLISHED and self.published_at is not None and self.published_at > now

    @property
    def state_label(self) -> str:
        if self.is_scheduled():
            return str(_("Hẹn giờ đăng"))
        return str(ArticleStatus(self.status).label)

    @property
    def state_code(self) -> str:
        return "scheduled" if self.is_scheduled() else self.status

    def check_publication_time(self, when: dt.datetime, *, confirm_backdate: bool, now: dt.datetime) -> None:
        """Refuse a time more than a year ahead; ask for a confirmation before back-dating."""
        if when > now + MAX_SCHEDULE_AHEAD:
            raise ValidationError({"published_at": _(
                "Thời gian đăng không được quá 1 năm kể từ hôm nay (muộn nhất %(d)s)."
            ) % {"d": timezone.localtime(now + MAX_SCHEDULE_AHEAD).strftime("%d/%m/%Y %H:%M")}})
        unchanged = self.published_at is not None and abs(self.published_at - when) < dt.timedelta(minutes=1)
        if when < now - BACKDATE_TOLERANCE and not unchanged and not confirm_backdate:
            raise ValidationError({"confirm_backdate": _(
                "Thời gian đăng %(d)s đã qua hơn 1 ngày. Nếu bài đúng là đã đăng từ trước (đăng lùi ngày), "
                "hãy đánh dấu ô xác nhận rồi bấm Xuất bản lần nữa."
            ) % {"d": timezone.localtime(when).strftime("%d/%m/%Y %H:%M")}})

    def publish(self, when: dt.datetime | None = None, *, confirm_backdate: bool = False, note: str = "") -> None:
        """Draft → published at `when` (now if empty); a published article not yet public may be
        rescheduled the same way."""
        now = timezone.now()
        when = when or now
        rescheduling = self.status == ArticleStatus.PUBLISHED and not self.is_public(now)
        if self.status != ArticleStatus.DRAFT and not rescheduling:
            raise ValidationError(_("Chỉ xuất bản được bản nháp hoặc đổi giờ của bài đang hẹn giờ (trạng thái hiện tại: %(s)s).")
                                  % {"s": self.state_label})
        if not self.title or not self.lead or not self.body_text:
            raise ValidationError(_("Bài cần có tiêu đề, sa pô và nội dung trước khi xuất bản."))
        self.check_publication_time(when, confirm_backdate=confirm_backdate, now=now)
        before_time = self.published_at
        when = when.replace(microsecond=0)
        local = timezone.localtime(when).strftime("%d/%m/%Y %H:%M")
        if rescheduling:  # not a move: the state stays, the time changes (recorded as such)
            Article.objects.filter(pk=self.pk).update(published_at=when, withdrawn_at=None)
            self.published_at, self.withdrawn_at = when, None
            record_transition(self, "published_at", before_time.isoformat() if before_time else "", when.isoformat(),
                              note or f"Đổi giờ đăng: {local}")
        else:
            Article.workflow.move(
                self, ArticleStatus.PUBLISHED,
                note or (f"Hẹn giờ đăng {local}" if when > now else f"Xuất bản, thời gian đăng {local}"),
                published_at=when, withdrawn_at=None,
            )

    # --- addresses ------------------------------------------------------------------------------

    def get_absolute_url(self) -> str:
        return reverse("news:article", args=[self.pk, self.slug or slug_for(self.title)])

    @property
    def description(self) -> str:
        """One or two sentences for meta tags and feeds."""
        text = self.lead or self.body_text
        return text if len(text) <= 300 else text[:297].rsplit(" ", 1)[0] + "…"


def _upload_to(instance: ArticleImage, filename: str) -> str:
    year = timezone.localdate().year
    if not re.fullmatch(r"[0-9a-f]{32}\.(?:jpg|png|webp)", filename):
        raise ValueError("news images are stored under generated names only")
    return f"news/{year}/{filename}"


@audited(exclude=("file",))  # the recorder cannot serialise a FieldFile; the name is in object_repr
class ArticleImage(BaseModel):
    """An image uploaded for an article (checked and re-encoded; see images.py)."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="images", verbose_name=_("bài viết"))
    file = models.FileField(_("tệp ảnh"), upload_to=_upload_to, max_length=200)
    caption = models.CharField(_("chú thích ảnh"), max_length=300, blank=True)
    content_type = models.CharField(max_length=20)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("ảnh")
        verbose_name_plural = _("ảnh")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.file.name} ({self.caption})" if self.caption else self.file.name

    def save(self, *args, **kwargs):
        self.caption = plain_text(self.caption)
        super().save(*args, **kwargs)

    @property
    def url(self) -> str:
        """The only image address a body may use: /tin-tuc/anh/<year>/<name>."""
        year, name = self.file.name.split("/")[-2:]
        return reverse("news:image", args=[int(year), name])

    def figure_html(self) -> str:
        from django.utils.html import escape

        caption = escape(self.caption)
        figcaption = f"<figcaption>{caption}</figcaption>" if caption else ""
        return (f'<figure><img src="{self.url}" alt="{caption}" width="{self.width}" height="{self.height}">'
                f"{figcaption}</figure>")
