"""Workflows of the bulletin: create, edit (with a version check), draft from an event, publish or
schedule, withdraw, add an image. Each is a typed function inside a transaction; every change
lands in the audit log (the model is @audited; state moves go through `workflow.move`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.audit import workflow
from phoihop.news import images
from phoihop.news.compose import compose_from_event
from phoihop.news.models import Article, ArticleImage, ArticleStatus, Category
from phoihop.news.sanitize import clean_body, plain_text
from phoihop.organizations.models import Organization
from phoihop.programs.models import Event

DEFAULT_CATEGORY = ("Hoạt động phối hợp", "hoat-dong-phoi-hop")
CONTENT_FIELDS = ("title", "lead", "body", "author", "source", "category", "program", "event", "cover")
_CLEANERS = {"title": plain_text, "lead": plain_text, "author": plain_text, "source": plain_text, "body": clean_body}


class StaleVersion(ValidationError):
    """Someone saved the article after this editor opened it; `current` is their version."""

    def __init__(self, current: Article):
        self.current = current
        super().__init__(_(
            "Bài vừa được người khác lưu (phiên bản %(v)s) sau khi bạn mở trang. Nội dung của bạn CHƯA được lưu "
            "và vẫn nằm trong khung soạn thảo; hãy so sánh với bản đã lưu bên cạnh rồi bấm Lưu lần nữa nếu muốn "
            "ghi đè."
        ) % {"v": current.version}, code="stale")


def ensure_may_edit(user, organization_id: int) -> None:
    if user is not None and not perms.can(user, perms.MANAGE, {organization_id}):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan đăng tin được soạn, sửa và xuất bản bài."))


def default_category() -> Category:
    name, slug = DEFAULT_CATEGORY
    category = Category.objects.filter(slug=slug).first()
    return category or Category.objects.create(name=name, slug=slug, order=10)


def author_line(user, organization: Organization) -> str:
    name = user.get_full_name() if user is not None else ""
    return name or organization.short_name or organization.name


@transaction.atomic
def create_article(*, organization: Organization, user, data: dict[str, Any], is_demo: bool = False) -> Article:
    ensure_may_edit(user, organization.pk)
    fields = {k: v for k, v in data.items() if k in CONTENT_FIELDS}
    article = Article(organization=organization, created_by=user if user is not None else None, is_demo=is_demo, **fields)
    article.full_clean(exclude=["slug", "cover", "created_by"])
    article.save()
    return article


def save_article(article: Article, data: dict[str, Any], *, user, version: int | None) -> Article:
    """Save edited content. A save based on a stale version is refused (StaleVersion) and nothing
    is written; identical content does not create a new version."""
    ensure_may_edit(user, article.organization_id)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        if version is not None and version != current.version:
            raise StaleVersion(current)
        changed = False
        for key, value in data.items():
            if key not in CONTENT_FIELDS:
                continue
            if key in _CLEANERS:
                value = _CLEANERS[key](value)
            if getattr(current, key) != value:
                setattr(current, key, value)
                changed = True
        if changed:
            current.full_clean(exclude=["slug", "cover", "created_by"])
            current.version += 1
            current.save()
        return current


def draft_from_event(event: Event, user, organization: Organization | None = None) -> Article:
    """A new draft about `event`, written by the system from the event's facts (see compose.py).

    The publishing organisation is `organization`, else the first organisation the user may
    publish for that is concerned by the event, else the committee's standing office."""
    concerned = event.related_organization_ids()
    if organization is None:
        if user is not None and not perms.is_system_admin(user):
            mine = perms.org_ids_with(user, perms.MANAGE)
            pick = sorted(mine & concerned) or sorted(mine)
            organization = Organization.objects.filter(pk__in=pick[:1]).first()
        elif event.committee_id and event.committee.standing_office_id:
            organization = event.committee.standing_office
        else:
            organization = Organization.objects.filter(pk__in=concerned).order_by("name").first()
    if organization is None:
        raise PermissionDenied(_("Bạn chưa là quản trị của cơ quan nào nên chưa soạn được tin."))
    ensure_may_edit(user, organization.pk)
    draft = compose_from_event(event, user)
    with transaction.atomic():
        return create_article(
            organization=organization, user=user, is_demo=draft.is_demo,
            data={
                "title": draft.title, "lead": draft.lead, "body": draft.body, "event": event, "program": draft.program,
                "category": default_category(), "author": author_line(user, organization), "source": organization.name,
            },
        )


def publish(article: Article, *, user, when: dt.datetime | None = None, confirm_backdate: bool = False) -> Article:
    """Publish now, at a chosen time (scheduled if ahead) or back-dated with a confirmation."""
    ensure_may_edit(user, article.organization_id)
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        current.publish(when, confirm_backdate=confirm_backdate)
    return current


def move(article: Article, new_status: str, *, user, note: str = "") -> Article:
    """Withdraw a published article, or take a withdrawn one back to draft."""
    ensure_may_edit(user, article.organization_id)
    if new_status not in (ArticleStatus.WITHDRAWN, ArticleStatus.DRAFT):
        raise ValidationError(_("Thao tác không hợp lệ."))
    with transaction.atomic():
        current = Article.objects.select_for_update().get(pk=article.pk)
        workflow.move(current, new_status, plain_text(note)[:500])
    return current


def add_image(article: Article, upload, *, user, caption: str = "", as_cover: bool = False) -> ArticleImage:
    """Check, re-encode and store an image under MEDIA_ROOT/news/<year>/<random name>."""
    ensure_may_edit(user, article.organization_id)
    checked = images.check_image(upload)
    with transaction.atomic():
        image = ArticleImage(article=article, caption=caption, content_type=checked.content_type,
                             width=checked.width, height=checked.height, size=len(checked.data))
        image.file.save(checked.file_name(), ContentFile(checked.data), save=False)
        image.save()
        if as_cover or article.cover_id is None:
            Article.objects.filter(pk=article.pk).update(cover=image)
            article.cover = image
    return image
