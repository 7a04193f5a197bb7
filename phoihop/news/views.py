"""Public bulletin pages (no login) and the editors' pages (committee administrators)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.accounts import permissions as perms
from phoihop.audit.recorder import history_for
from phoihop.core.vietnamese import fold
from phoihop.news import access, counting, services
from phoihop.news.compose import REVIEW_KINDS, compose_from_event
from phoihop.news.forms import ArticleForm, FromEventForm, ImageForm, PublishForm, StatusForm
from phoihop.news.models import Article, ArticleImage, ArticleStatus, Category
from phoihop.news.sitemaps import SITEMAPS
from phoihop.programs import access as program_access
from phoihop.programs.models import Event

PAGE_SIZE = 12
_IMAGE_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp)")


# --- public ------------------------------------------------------------------------------------


def _categories_with_articles():
    now = timezone.now()
    public = Q(articles__status=ArticleStatus.PUBLISHED, articles__published_at__lte=now)
    return Category.objects.annotate(n=Count("articles", filter=public)).filter(n__gt=0).order_by("order", "name")


def article_list(request, slug: str | None = None):
    category = get_object_or_404(Category, slug=slug) if slug else None
    q = request.GET.get("q", "").strip()[:100]
    articles = access.public_articles().defer("body", "search_text")
    if category is not None:
        articles = articles.filter(category=category)
    for word in fold(q).split()[:8]:
        articles = articles.filter(search_text__contains=word)
    page = Paginator(articles.order_by("-published_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "q": q, "category": category, "categories": _categories_with_articles(),
               "is_editor": request.user.is_authenticated and access.may_edit_somewhere(request.user)}
    return render(request, "news/list.html", context)


def _article_context(request, article: Article, views: int, preview: bool = False) -> dict:
    program = article.program if article.program_id and article.program.is_public else None
    event = article.event if article.event_id and article.event.is_public else None
    return {
        "article": article, "views": views, "preview": preview,
        "program": program, "event": event,
        "absolute_url": request.build_absolute_uri(article.get_absolute_url()),
        "cover_url": request.build_absolute_uri(article.cover.url) if article.cover_id else "",
        "insider": counting.is_insider(request.user, article),
        "may_edit": perms.can(request.user, perms.MANAGE, {article.organization_id}),
    }


def article_detail(request, pk: int, slug: str):
    article = access.get_public_article(pk)
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    views = counting.count_view(request, article)
    response = render(request, "news/article.html", _article_context(request, article, views))
    # The counter must be right on a reload: caches may keep the page but must revalidate.
    patch_cache_control(response, no_cache=True, max_age=0)
    return response


def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS, template_name="news/sitemap.xml")


def image(request, year: int, name: str):
    if not _IMAGE_NAME.fullmatch(name):
        raise Http404
    item = ArticleImage.objects.select_related("article").filter(file=f"news/{year}/{name}").first()
    if item is None or not access.may_see_image(request.user, item):
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    if item.article.is_public():
        patch_cache_control(response, public=True, max_age=86400)
    else:
        patch_cache_control(response, private=True, no_store=True)
    return response


# --- editors -----------------------------------------------------------------------------------


def _recent_events(user):
    kinds = [*REVIEW_KINDS, Event.Kind.SIGNING]
    return program_access.events_visible_to(user).filter(kind__in=kinds).order_by("-starts_at")[:10]


@login_required
def manage(request):
    access.ensure_editor(request.user)
    orgs = access.editor_organizations(request.user)
    articles = access.articles_for_member(request.user).filter(organization__in=orgs).defer("body", "search_text")
    status = request.GET.get("status", "")
    now = timezone.now()
    if status == "scheduled":
        articles = articles.filter(status=ArticleStatus.PUBLISHED, published_at__gt=now)
    elif status in ArticleStatus.values:
        articles = articles.filter(status=status)
    context = {
        "articles": articles.order_by("-updated_at")[:200], "status": status, "statuses": ArticleStatus.choices,
        "events": _recent_events(request.user),
    }
    return render(request, "news/manage.html", context)


def _form_querysets(user, article: Article | None = None) -> dict:
    return {
        "programs": program_access.programs_visible_to(user).order_by("-start", "code"),
        "events": program_access.events_visible_to(user).order_by("-starts_at"),
        "images_qs": article.images.all() if article is not None else None,
    }


def _warn_unsafe(request, form) -> None:
    parts = getattr(form, "unsafe", [])
    if parts:
        messages.warning(request, _("Đã bỏ khỏi nội dung khi lưu: %(parts)s.") % {"parts": "; ".join(parts)})


@login_required
def create(request):
    access.ensure_editor(request.user)
    orgs = access.editor_organizations(request.user)
    form = ArticleForm(request.POST if request.method == "POST" else None, organizations=orgs, initial={"organization": orgs.first()},
                       **_form_querysets(request.user))
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        try:
            article = services.create_article(organization=organization, user=request.user, data=form.content())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _warn_unsafe(request, form)
            messages.success(request, _("Đã lưu bản nháp."))
            return redirect("news:edit", article.pk)
    return render(request, "news/edit.html", {"form": form, "article": None}, status=422 if form.errors else 200)


@login_required
def from_event(request, event_id: int):
    event = program_access.get_event_for_user(request.user, event_id)
    access.ensure_editor(request.user)
    orgs = access.editor_organizations(request.user)
    concerned = event.related_organization_ids()
    initial_org = orgs.filter(pk__in=concerned).first() or orgs.first()
    form = FromEventForm(request.POST if request.method == "POST" else None, organizations=orgs, initial={"organization": initial_org})
    if request.method == "POST" and form.is_valid():
        article = services.draft_from_event(event, request.user, form.cleaned_data["organization"])
        messages.success(request, _("Đã tạo bản nháp từ sự kiện. Hãy đọc lại, bổ sung rồi xuất bản."))
        return redirect("news:edit", article.pk)
    context = {
        "event": event, "form": form, "draft": compose_from_event(event, request.user),
        "existing": access.articles_for_member(request.user).filter(event=event).order_by("-created_at"),
    }
    return render(request, "news/from_event.html", context, status=422 if form.errors else 200)


def _edit_context(request, article: Article, form, **extra) -> dict:
    return {
        "form": form, "article": article, "images": article.images.all(),
        "image_form": extra.pop("image_form", None) or ImageForm(),
        "publish_form": PublishForm(initial={"published_at": timezone.localtime(article.published_at)} if article.published_at else None),
        "status_form": StatusForm(), "history": history_for(article)[:30], "now": timezone.now(), **extra,
    }


@login_required
def edit(request, pk: int):
    article = access.get_article_for_editor(request.user, pk)
    initial = {k: getattr(article, k) for k in ("title", "lead", "body", "author", "source", "category", "program", "event", "cover")}
    initial["version"] = article.version
    form = ArticleForm(request.POST if request.method == "POST" else None, initial=initial, **_form_querysets(request.user, article))
    status = 200
    extra: dict = {}
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.save_article(article, form.content(), user=request.user,
                                              version=form.cleaned_data.get("version") or 0)
            except services.StaleVersion as exc:
                # Nothing is lost: the editor's text stays in the form; the saved version is shown
                # beside it, and the form now carries that version so a second save overwrites.
                extra["conflict"] = exc.current
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = ArticleForm(data, initial=initial, **_form_querysets(request.user, article))
                form.is_valid()
                form.add_error(None, exc.messages[0])
                status = 409
            except ValidationError as exc:
                form.add_error(None, exc)
                status = 422
            else:
                _warn_unsafe(request, form)
                messages.success(request, _("Đã lưu (phiên bản %(v)s).") % {"v": saved.version})
                return redirect("news:edit", saved.pk)
        else:
            status = 422
    return render(request, "news/edit.html", _edit_context(request, article, form, **extra), status=status)


@login_required
def preview(request, pk: int):
    article = access.get_article_for_editor(request.user, pk)
    return render(request, "news/article.html", _article_context(request, article, article.view_count, preview=True))


@login_required
def publish(request, pk: int):
    article = access.get_article_for_editor(request.user, pk)
    form = PublishForm(request.POST if request.method == "POST" else None, initial={"published_at": timezone.localtime(article.published_at)}
                       if article.published_at else None)
    if request.method == "POST" and form.is_valid():
        try:
            article = services.publish(article, user=request.user, when=form.cleaned_data.get("published_at"),
                                       confirm_backdate=form.cleaned_data.get("confirm_backdate", False))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc)
        else:
            when = timezone.localtime(article.published_at).strftime("%d/%m/%Y %H:%M")
            if article.is_scheduled():
                messages.success(request, _("Đã hẹn giờ đăng lúc %(t)s; bài tự hiện trên trang tin khi đến giờ.") % {"t": when})
            else:
                messages.success(request, _("Đã xuất bản, thời gian đăng %(t)s.") % {"t": when})
            return redirect("news:edit", article.pk)
    context = {"article": article, "form": form, "needs_confirm": "confirm_backdate" in form.errors}
    return render(request, "news/publish.html", context, status=422 if form.errors else 200)


@login_required
@require_POST
def change_status(request, pk: int):
    article = access.get_article_for_editor(request.user, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Thao tác không hợp lệ."))
        return redirect("news:edit", article.pk)
    try:
        services.move(article, form.cleaned_data["to"], user=request.user, note=form.cleaned_data.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("Đã thu hồi bài; bài không còn trên trang tin.") if form.cleaned_data["to"] == "withdrawn" \
            else _("Đã đưa bài về bản nháp.")
        messages.success(request, done)
    return redirect("news:edit", article.pk)


@login_required
@require_POST
def upload_image(request, pk: int):
    article = access.get_article_for_editor(request.user, pk)
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            item = services.add_image(article, form.cleaned_data["image"], user=request.user,
                                      caption=form.cleaned_data.get("caption", ""),
                                      as_cover=form.cleaned_data.get("as_cover", False))
        except ValidationError as exc:
            form.add_error("image", exc)
        else:
            messages.success(request, _("Đã tải ảnh lên (%(w)s × %(h)s). Bấm “Chèn vào bài” để đặt ảnh vào nội dung.")
                             % {"w": item.width, "h": item.height})
            return redirect(reverse("news:edit", args=[article.pk]) + "#anh")
    return _image_error(request, article, form)


def _image_error(request, article: Article, image_form):
    initial = {k: getattr(article, k) for k in ("title", "lead", "body", "author", "source", "category", "program", "event", "cover")}
    initial["version"] = article.version
    form = ArticleForm(initial=initial, **_form_querysets(request.user, article))
    return render(request, "news/edit.html", _edit_context(request, article, form, image_form=image_form), status=422)

