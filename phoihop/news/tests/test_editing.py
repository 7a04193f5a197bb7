"""Editors write, publish, schedule and withdraw; bad input gets a clear Vietnamese message,
nothing is lost and nothing unsafe is stored."""

import datetime as dt
import io
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from phoihop.audit.recorder import history_for
from phoihop.news.models import Article, ArticleImage, ArticleStatus
from phoihop.news.tests.conftest import png_bytes

pytestmark = pytest.mark.django_db


def local(moment: dt.datetime) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


@pytest.fixture
def editor(client, manager):
    client.force_login(manager)
    return client


# --- writing and the workflow ---------------------------------------------------------------


def test_an_editor_writes_a_draft(editor, org_a, category):
    response = editor.post("/tin-tuc/soan/", {
        "organization": org_a.pk, "title": "Thăm gia đình chính sách", "lead": "Nhân dịp 27/7.",
        "body": "Đoạn một.\n\nĐoạn hai.", "author": "Phúc Hưng", "category": category.pk,
    })
    article = Article.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/tin-tuc/bien-tap/{article.pk}/"
    assert (article.status, article.version, article.organization) == (ArticleStatus.DRAFT, 1, org_a)
    assert article.body == "<p>Đoạn một.</p><p>Đoạn hai.</p>"
    assert history_for(article).filter(action="create").exists()


def test_publishing_now_makes_the_article_public(editor, draft, reader_client):
    response = editor.post(f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/", {"published_at": ""}, follow=True)
    assert "Đã xuất bản" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.PUBLISHED and draft.is_public()
    assert reader_client.get(draft.get_absolute_url()).status_code == 200
    transition = history_for(draft).filter(action="transition").get()
    assert transition.changes == {"status": ["draft", "published"]}


def test_a_future_time_schedules_the_article(editor, draft, reader_client):
    when = timezone.localtime(timezone.now() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    response = editor.post(f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/", {"published_at": local(when)}, follow=True)
    page = response.content.decode()
    assert f"Đã hẹn giờ đăng lúc {local(when)}" in page and "Hẹn giờ đăng" in page
    draft.refresh_from_db()
    assert draft.is_scheduled() and draft.published_at == when
    assert reader_client.get(draft.get_absolute_url()).status_code == 404
    # … and it can be moved.
    later = when + dt.timedelta(days=1)
    editor.post(f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/", {"published_at": local(later)})
    draft.refresh_from_db()
    assert draft.published_at == later


def test_more_than_a_year_ahead_is_refused(editor, draft):
    when = timezone.now() + dt.timedelta(days=400)
    response = editor.post(f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/", {"published_at": local(when)})
    assert response.status_code == 422
    assert "không được quá 1 năm" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT and draft.published_at is None


def test_back_dating_needs_an_explicit_confirmation(editor, draft, reader_client):
    url = f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/"
    response = editor.post(url, {"published_at": "10/07/2019 17:13"})
    assert response.status_code == 422
    page = response.content.decode()
    assert "đã qua hơn 1 ngày" in page and "10/07/2019 17:13" in page
    draft.refresh_from_db()
    assert draft.status == ArticleStatus.DRAFT
    response = editor.post(url, {"published_at": "10/07/2019 17:13", "confirm_backdate": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert local(draft.published_at) == "10/07/2019 17:13"
    assert ">10/07/2019 17:13</time>" in reader_client.get(draft.get_absolute_url()).content.decode()


def test_a_few_hours_in_the_past_needs_no_confirmation(editor, draft):
    when = timezone.now() - dt.timedelta(hours=3)
    assert editor.post(f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/", {"published_at": local(when)}).status_code == 302


def test_an_impossible_date_gets_a_clear_message(editor, draft):
    response = editor.post(f"/tin-tuc/bien-tap/{draft.pk}/xuat-ban/", {"published_at": "31/02/2019 25:00"})
    assert response.status_code == 422
    assert "Thời gian không hợp lệ, hãy nhập theo dạng dd/mm/yyyy HH:MM" in response.content.decode()


def test_an_empty_article_cannot_be_published(editor, org_a):
    article = Article.objects.create(organization=org_a, title="Chỉ có tiêu đề", lead="Sa pô", body="")
    response = editor.post(f"/tin-tuc/bien-tap/{article.pk}/xuat-ban/", {})
    assert response.status_code == 422
    assert "cần có tiêu đề, sa pô và nội dung" in response.content.decode()


def test_withdraw_then_back_to_draft(editor, published, reader_client):
    response = editor.post(f"/tin-tuc/bien-tap/{published.pk}/trang-thai/", {"to": "withdrawn", "note": "Sai số liệu"}, follow=True)
    assert "Đã thu hồi bài" in response.content.decode()
    published.refresh_from_db()
    assert published.status == ArticleStatus.WITHDRAWN and published.withdrawn_at is not None
    assert reader_client.get(published.get_absolute_url()).status_code == 404
    note = history_for(published).filter(action="transition").first().note
    assert note == "Sai số liệu"
    # a withdrawn article is not published again by accident
    assert editor.post(f"/tin-tuc/bien-tap/{published.pk}/xuat-ban/", {}).status_code == 422
    editor.post(f"/tin-tuc/bien-tap/{published.pk}/trang-thai/", {"to": "draft"})
    published.refresh_from_db()
    assert published.status == ArticleStatus.DRAFT
    # re-publishing keeps its original time without asking for a back-dating confirmation
    original = local(published.published_at)
    assert editor.post(f"/tin-tuc/bien-tap/{published.pk}/xuat-ban/", {"published_at": original}).status_code == 302


def test_an_impossible_move_is_explained(editor, draft):
    response = editor.post(f"/tin-tuc/bien-tap/{draft.pk}/trang-thai/", {"to": "withdrawn"}, follow=True)
    assert "Không thể chuyển bài từ “Bản nháp” sang “Đã thu hồi”" in response.content.decode()


def test_the_editor_list_shows_every_state(editor, draft, published, withdrawn, scheduled):
    page = editor.get("/tin-tuc/bien-tap/").content.decode()
    for label in ("Bản nháp", "Đã xuất bản", "Đã thu hồi", "Hẹn giờ đăng"):
        assert label in page
    assert scheduled.title in editor.get("/tin-tuc/bien-tap/?status=scheduled").content.decode()
    assert draft.title not in editor.get("/tin-tuc/bien-tap/?status=scheduled").content.decode()


def test_preview_shows_a_draft_to_its_editor_without_counting(editor, draft):
    response = editor.get(f"/tin-tuc/bien-tap/{draft.pk}/xem-truoc/")
    assert response.status_code == 200 and "Xem trước" in response.content.decode()
    assert 'name="robots" content="noindex' in response.content.decode()
    draft.refresh_from_db()
    assert draft.view_count == 0


# --- concurrent edits -----------------------------------------------------------------------


def test_a_stale_save_is_refused_with_both_versions_and_nothing_lost(editor, draft, approver):
    url = f"/tin-tuc/bien-tap/{draft.pk}/"
    opened_version = draft.version
    # Someone else saves first.
    from phoihop.news import services

    services.save_article(draft, {"title": "Tiêu đề của đồng nghiệp", "lead": "Sa pô của đồng nghiệp"}, user=None,
                          version=opened_version)
    mine = {"title": "Tiêu đề của tôi", "lead": "Sa pô của tôi", "body": "Nội dung tôi vừa viết", "version": opened_version}
    response = editor.post(url, mine)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Bài vừa được người khác lưu (phiên bản 2)" in page
    assert "Tiêu đề của đồng nghiệp" in page and "Sa pô của đồng nghiệp" in page   # theirs, shown
    assert 'value="Tiêu đề của tôi"' in page and "Nội dung tôi vừa viết" in page    # mine, kept in the form
    assert 'name="version" value="2"' in page
    draft.refresh_from_db()
    assert draft.title == "Tiêu đề của đồng nghiệp" and draft.version == 2
    # Saving again, knowingly, overwrites.
    response = editor.post(url, {**mine, "version": 2})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.version) == ("Tiêu đề của tôi", 3)


def test_saving_unchanged_content_makes_no_new_version(editor, draft):
    data = {"title": draft.title, "lead": draft.lead, "body": draft.body, "version": draft.version}
    editor.post(f"/tin-tuc/bien-tap/{draft.pk}/", data)
    draft.refresh_from_db()
    assert draft.version == 1


# --- images ------------------------------------------------------------------------------------


def _upload(editor, article, data: bytes, name="anh.png", content_type="image/png", **extra):
    return editor.post(f"/tin-tuc/bien-tap/{article.pk}/anh/",
                       {"image": SimpleUploadedFile(name, data, content_type=content_type), "caption": "Lễ ký kết", **extra})


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def _nothing_stored(settings) -> bool:
    media = settings.MEDIA_ROOT
    return not ArticleImage.objects.exists() and not (media.exists() and any(p.is_file() for p in media.rglob("*")))


def test_a_good_image_is_stored_under_a_generated_name(editor, draft, settings):
    response = _upload(editor, draft, png_bytes(800, 600), name="../../../etc/passwd.png")
    assert response.status_code == 302
    image = ArticleImage.objects.get()
    year = timezone.localdate().year
    assert image.file.name.startswith(f"news/{year}/") and len(image.file.name.split("/")[-1]) == 36
    assert (settings.MEDIA_ROOT / image.file.name).is_file()
    assert (image.width, image.height, image.content_type, image.caption) == (800, 600, "image/png", "Lễ ký kết")
    draft.refresh_from_db()
    assert draft.cover_id == image.pk
    page = editor.get(f"/tin-tuc/bien-tap/{draft.pk}/").content.decode()
    assert "Chèn vào bài" in page and image.url in page


def test_an_oversized_image_is_refused(editor, draft, settings):
    big = png_bytes() + b"\x00" * (5 * 1024 * 1024)
    response = _upload(editor, draft, big)
    assert response.status_code == 422
    assert "Ảnh quá lớn (5,0 MB); tối đa 5 MB" in response.content.decode()
    assert _nothing_stored(settings)


@pytest.mark.parametrize(("data", "name"), [
    (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "anh.gif"),
    (b"%PDF-1.4\n", "anh.pdf"),
    (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "anh.svg"),
    (b"<html><script>alert(1)</script></html>", "anh.png"),
    (b"MZ\x90\x00", "anh.jpg"),
])
def test_a_wrong_file_type_is_refused(editor, draft, settings, data, name):
    response = _upload(editor, draft, data, name=name)
    assert response.status_code == 422
    assert "Chỉ nhận ảnh JPEG, PNG hoặc WebP" in response.content.decode()
    assert _nothing_stored(settings)


def test_a_file_that_only_pretends_to_be_an_image_is_refused(editor, draft, settings):
    response = _upload(editor, draft, b"\x89PNG\r\n\x1a\n" + b"not really an image" * 10)
    assert response.status_code == 422
    assert "không phải là ảnh hợp lệ" in response.content.decode()
    assert _nothing_stored(settings)


@pytest.mark.parametrize("side", [9000, 30000])
def test_huge_dimensions_and_decompression_bombs_are_refused(editor, draft, settings, side):
    response = _upload(editor, draft, _png_header(side, side))
    assert response.status_code == 422
    assert "kích thước điểm ảnh quá lớn; tối đa 8.000 × 8.000" in response.content.decode()
    assert _nothing_stored(settings)


def test_no_file_gets_a_message(editor, draft):
    response = editor.post(f"/tin-tuc/bien-tap/{draft.pk}/anh/", {"caption": "x"})
    assert response.status_code == 422 and "Hãy chọn một tệp ảnh" in response.content.decode()


def test_stored_images_hold_only_pixels(editor, draft, settings):
    from PIL import Image

    jpeg = io.BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh riêng"  # Make
    exif[0x8825] = {2: (21.0, 11.0, 0.0)}  # GPS latitude
    Image.new("RGB", (64, 48), (10, 20, 30)).save(jpeg, "JPEG", exif=exif)
    polyglot = jpeg.getvalue() + b"<script>alert(1)</script>"
    assert _upload(editor, draft, polyglot, name="anh.jpg", content_type="image/jpeg").status_code == 302
    stored = (settings.MEDIA_ROOT / ArticleImage.objects.get().file.name).read_bytes()
    assert b"<script>" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert image.format == "JPEG" and not image.getexif()


def test_webp_is_accepted(editor, draft):
    assert _upload(editor, draft, png_bytes(fmt="WEBP"), name="anh.webp", content_type="image/webp").status_code == 302
    assert ArticleImage.objects.get().content_type == "image/webp"


@pytest.fixture
def reader_client():
    from django.test import Client

    from phoihop.news.tests.conftest import BROWSER_UA

    return Client(HTTP_USER_AGENT=BROWSER_UA)
