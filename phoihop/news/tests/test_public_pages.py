"""Public pages: no login, only published articles whose time has come; search ignores
diacritics; pages are light (no N+1) and carry Open Graph tags."""

import datetime as dt

import pytest
from django.utils import timezone

from phoihop.news.models import ArticleStatus
from phoihop.news.tests.conftest import make_article

pytestmark = pytest.mark.django_db


def test_the_list_is_public_and_shows_only_public_articles(reader, published, draft, withdrawn, scheduled):
    response = reader.get("/tin-tuc/")
    assert response.status_code == 200
    page = response.content.decode()
    assert published.title in page
    for hidden in (draft, withdrawn, scheduled):
        assert hidden.title not in page


@pytest.mark.parametrize("state", ["draft", "withdrawn", "scheduled"])
def test_an_article_that_is_not_public_answers_404(reader, state, request):
    article = request.getfixturevalue(state)
    assert reader.get(article.get_absolute_url()).status_code == 404
    article.refresh_from_db()
    assert article.view_count == 0


def test_a_scheduled_article_appears_by_itself_when_its_time_comes(reader, scheduled, monkeypatch):
    assert reader.get(scheduled.get_absolute_url()).status_code == 404
    later = timezone.now() + dt.timedelta(days=3)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert reader.get(scheduled.get_absolute_url()).status_code == 200
    assert scheduled.title in reader.get("/tin-tuc/").content.decode()


def test_the_article_page_has_the_seed_layout(reader, published):
    published.author, published.source = "Phúc Hưng", "Đài Phát thanh TP Bắc Ninh"
    published.save()
    page = reader.get(published.get_absolute_url()).content.decode()
    local = timezone.localtime(published.published_at).strftime("%d/%m/%Y %H:%M")
    assert f">{local}</time>" in page
    assert "Số lượt xem: <strong" in page
    assert "Phúc Hưng - Đài Phát thanh TP Bắc Ninh" in page


def test_a_wrong_slug_redirects_to_the_canonical_address(reader, published):
    response = reader.get(f"/tin-tuc/{published.pk}/sai-duong-dan/")
    assert response.status_code == 301
    assert response["Location"] == published.get_absolute_url()


def test_open_graph_tags(reader, published):
    page = reader.get(published.get_absolute_url()).content.decode()
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:title" content="{published.title}">' in page
    assert f'<meta property="og:url" content="http://testserver{published.get_absolute_url()}">' in page
    assert '<meta property="og:description" content="Các bên ký kết chương trình dân vận mới.">' in page
    iso = timezone.localtime(published.published_at).isoformat()
    assert f'<meta property="article:published_time" content="{iso}">' in page
    assert 'rel="canonical"' in page and "og:image" not in page


def test_open_graph_image_when_there_is_a_cover(reader, published, manager, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from phoihop.news import services
    from phoihop.news.tests.conftest import png_bytes

    image = services.add_image(published, SimpleUploadedFile("a.png", png_bytes(1200, 630)), user=manager, caption="Lễ ký kết")
    page = reader.get(published.get_absolute_url()).content.decode()
    assert f'<meta property="og:image" content="http://testserver{image.url}">' in page
    assert '<meta property="og:image:width" content="1200">' in page
    assert reader.get(image.url).status_code == 200


def test_search_ignores_diacritics_and_case(reader, published, org_a):
    make_article(org_a, title="Thăm gia đình chính sách", status="published",
                 published_at=timezone.now() - dt.timedelta(hours=1), body="<p>Đền ơn đáp nghĩa tại phường Vũ Ninh</p>")
    for q, expected in (("dan van", published.title), ("DÂN VẬN", published.title), ("den on dap nghia", "Thăm gia đình"),
                        ("vu ninh", "Thăm gia đình")):
        page = reader.get("/tin-tuc/", {"q": q}).content.decode()
        assert expected in page, q
    page = reader.get("/tin-tuc/", {"q": "dan van"}).content.decode()
    assert "Thăm gia đình" not in page
    assert "Không có tin nào khớp" in reader.get("/tin-tuc/", {"q": "không hề có"}).content.decode()


def test_search_never_finds_drafts(reader, draft):
    assert draft.title not in reader.get("/tin-tuc/", {"q": "ban nhap noi bo"}).content.decode()


def test_the_list_is_paginated_and_a_bad_page_number_is_harmless(reader, org_a):
    now = timezone.now()
    for i in range(27):
        make_article(org_a, title=f"Tin số {i:02d}", status="published", published_at=now - dt.timedelta(hours=i + 1))
    first = reader.get("/tin-tuc/").content.decode()
    assert "Tin số 00" in first and "Tin số 12" not in first and "Trang 1/3" in first
    assert "Tin số 26" in reader.get("/tin-tuc/?page=3").content.decode()
    assert reader.get("/tin-tuc/?page=abc").status_code == 200
    assert reader.get("/tin-tuc/?page=999").status_code == 200


def test_pages_need_a_fixed_number_of_queries(reader, org_a, category, django_assert_max_num_queries):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from phoihop.news import services
    from phoihop.news.tests.conftest import png_bytes

    now = timezone.now()
    for i in range(12):
        article = make_article(org_a, title=f"Tin {i}", status="published", category=category,
                               published_at=now - dt.timedelta(hours=i + 1))
        if i % 3 == 0:
            services.add_image(article, SimpleUploadedFile("a.png", png_bytes()), user=None)
    with django_assert_max_num_queries(6):
        assert reader.get("/tin-tuc/").status_code == 200
    with django_assert_max_num_queries(6):
        assert reader.get("/tin-tuc/chuyen-muc/hoat-dong-phoi-hop/").status_code == 200
    with django_assert_max_num_queries(6):
        assert reader.get(article.get_absolute_url()).status_code == 200


def test_category_pages(reader, published, org_a):
    make_article(org_a, title="Tin ngoài chuyên mục", status="published", published_at=published.published_at)
    page = reader.get("/tin-tuc/chuyen-muc/hoat-dong-phoi-hop/").content.decode()
    assert published.title in page and "Tin ngoài chuyên mục" not in page
    assert reader.get("/tin-tuc/chuyen-muc/khong-co/").status_code == 404


def test_related_program_and_event_are_shown_only_when_public(reader, published, draft_program, private_event):
    published.program, published.event = draft_program, private_event
    published.save()
    page = reader.get(published.get_absolute_url()).content.decode()
    assert draft_program.title not in page and private_event.title not in page
    draft_program.status = "signed"
    draft_program.save()
    assert draft_program.title in reader.get(published.get_absolute_url()).content.decode()


def test_images_of_unpublished_articles_are_not_public(reader, draft, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from phoihop.news import services
    from phoihop.news.tests.conftest import png_bytes

    image = services.add_image(draft, SimpleUploadedFile("a.png", png_bytes()), user=manager)
    assert reader.get(image.url).status_code == 404
    reader.force_login(manager)
    response = reader.get(image.url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert reader.get("/tin-tuc/anh/2019/../../secret_key").status_code == 404


def test_withdrawing_takes_the_article_off_every_public_page(reader, published, manager):
    from phoihop.news import services

    services.move(published, ArticleStatus.WITHDRAWN, user=manager, note="Sai số liệu")
    assert reader.get(published.get_absolute_url()).status_code == 404
    assert published.title not in reader.get("/tin-tuc/").content.decode()
    assert published.title not in reader.get("/tin-tuc/rss/").content.decode()
    assert published.title not in reader.get("/tin-tuc/sitemap.xml").content.decode()
