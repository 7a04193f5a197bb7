"""In Chromium: the standing office drafts an article from the signing of 09/7/2019 and
publishes it (back-dated, after the confirmation the page asks for); an anonymous reader on a
phone opens it and the counter moves once — and not again on a reload.

Set PHOIHOP_SCREENSHOT_DIR to keep screenshots of the pages (phone and desktop)."""

import datetime as dt
import os
import zoneinfo
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from phoihop.conftest import PASSWORD
from phoihop.news.tests.conftest import BROWSER_UA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
VN = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def _shot(page, name: str) -> None:
    folder = os.environ.get("PHOIHOP_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))
        page.screenshot(path=str(Path(folder) / f"{name}-full.png"), full_page=True)


def test_editor_drafts_from_the_signing_and_a_reader_counts_once(live_server, page, browser, log_in):
    from django.core.cache import cache

    from phoihop.accounts.models import Membership
    from phoihop.demo import almanac, organizations, programs
    from phoihop.demo.catalogs import ensure_catalogs
    from phoihop.programs.models import Event

    cache.clear()
    ensure_catalogs()
    orgs = organizations.load()
    programs.load(orgs)
    almanac.load(orgs)
    signing = Event.objects.get(kind=Event.Kind.SIGNING, starts_at=dt.datetime(2019, 7, 9, 16, tzinfo=VN))
    user = get_user_model().objects.create_user("thuongtruc", password=PASSWORD, first_name="Cơ quan thường trực")
    Membership.objects.create(user=user, organization=orgs["ban_chqs"], role="committee_admin")

    log_in("thuongtruc")

    # The signing event page; its "Soạn tin từ sự kiện này" link leads to the draft page.
    page.goto(f"{live_server.url}/chuong-trinh/su-kien/{signing.pk}/")
    assert "Ký kết Chương trình phối hợp" in page.inner_text("h1")
    draft_url = f"/tin-tuc/soan/tu-su-kien/{signing.pk}/"
    link = page.locator(f"a[href='{draft_url}']")
    if link.count():
        link.first.click()
    else:  # until the event page carries the link
        page.goto(live_server.url + draft_url)
    page.wait_for_selector("#create-draft")
    assert "Kỷ niệm 72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)" in page.inner_text("article")
    page.click("#create-draft")
    page.wait_for_selector("#body-editor")
    assert page.input_value("#id_title") == ("Sơ kết hai chương trình phối hợp và ký kết chương trình phối hợp "
                                             "giai đoạn 2019 - 2023")
    assert "Lúc 16 giờ" in page.inner_text("#body-editor")
    page.fill("#id_author", "Phúc Hưng")
    page.click("#save-button")
    page.wait_for_selector(".messages >> text=Đã lưu")
    _shot(page, "editor-desktop")

    page.click("#publish-link")
    page.fill("#id_published_at", "10/07/2019 17:13")
    page.click("#publish-button")
    page.wait_for_selector("text=đã qua hơn 1 ngày")          # back-dating needs a confirmation
    page.check("#id_confirm_backdate")
    page.click("#publish-button")
    page.wait_for_selector(".messages >> text=Đã xuất bản, thời gian đăng 10/07/2019 17:13")
    public_path = page.get_attribute("#public-link", "href")

    # An anonymous reader, on a phone.
    context = browser.new_context(user_agent=BROWSER_UA, viewport={"width": 390, "height": 844}, locale="vi-VN")
    reader = context.new_page()
    reader.goto(live_server.url + public_path)
    assert reader.inner_text("#view-count") == "1"
    assert reader.inner_text("#published-at") == "10/07/2019 17:13"
    assert "Phúc Hưng - Ban Chỉ huy Quân sự thành phố Bắc Ninh" in reader.inner_text("article")
    assert reader.get_attribute("meta[property='og:type']", "content") == "article"
    _shot(reader, "article-phone")
    reader.reload()
    assert reader.inner_text("#view-count") == "1"           # same visitor within 30 minutes
    reader.goto(f"{live_server.url}/tin-tuc/?q=so+ket+hai+chuong+trinh")
    assert "Sơ kết hai chương trình phối hợp" in reader.inner_text("main")
    _shot(reader, "list-phone")
    context.close()

    # The editor's own visit is not counted.
    page.goto(live_server.url + public_path)
    assert page.inner_text("#view-count") == "1"
    assert "lượt xem của bạn không được tính" in page.inner_text("main")
    page.set_viewport_size({"width": 1280, "height": 900})
    _shot(page, "article-desktop")
