"""Access helpers: the only way pages, feeds and admin fetch articles.

Public side: only published articles whose time has come (never drafts, scheduled or withdrawn).
Editor side: an article is seen by the members of its organisation (anyone else → 404) and
edited, published or withdrawn by a committee administrator (MANAGE) of that organisation or a
system administrator (a lower role → 403).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from phoihop.accounts import permissions as perms
from phoihop.news.models import Article, ArticleImage
from phoihop.organizations.models import Organization

EDIT = perms.MANAGE


def public_articles() -> QuerySet[Article]:
    return Article.objects.public().select_related("category", "organization", "cover")


def get_public_article(pk: int) -> Article:
    return perms.ensure(None, public_articles().filter(pk=pk).first(), not_found="Không tìm thấy bài viết.")


def may_edit_somewhere(user) -> bool:
    return perms.is_system_admin(user) or bool(perms.org_ids_with(user, EDIT))


def ensure_editor(user) -> None:
    """A page that creates articles: a role too low anywhere → 403."""
    if not may_edit_somewhere(user):
        raise PermissionDenied


def editor_organizations(user) -> QuerySet[Organization]:
    """Organisations the user may publish for (every organisation for a system administrator)."""
    if perms.is_system_admin(user):
        return Organization.objects.order_by("name")
    return Organization.objects.filter(pk__in=perms.org_ids_with(user, EDIT)).order_by("name")


def articles_for_member(user) -> QuerySet[Article]:
    qs = Article.objects.select_related("category", "organization", "cover")
    if perms.is_system_admin(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()
    return qs.filter(organization_id__in=perms.org_ids(user))


def get_article_for_editor(user, pk: int, action: str = EDIT) -> Article:
    return perms.get_for_user(user, articles_for_member(user), action, pk=pk,
                              not_found="Không tìm thấy bài viết.", owners=lambda a: {a.organization_id})


def may_see_image(user, image: ArticleImage) -> bool:
    """An image is public once its article is; before that only the article's members see it."""
    article = image.article
    return article.is_public() or perms.is_related(user, {article.organization_id})
