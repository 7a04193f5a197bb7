"""The public home page (issue 14 point 7): the latest public news, the next commemorations with
their lunar dates and the programs in force with their parties — for visitors and logged-in users
alike; nothing unpublished, no draft or ended program, no organisation's own day for a visitor.
And the phone menu: a button opens and closes it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from phoihop import factories as f
from phoihop.almanac import lunar, services
from phoihop.almanac.models import Commemoration, Scope
from phoihop.news.models import Article, ArticleStatus

PASSWORD = "mat-khau-thu-1"


def _program(title, status, start, end, *parties):
    program = f.ProgramFactory(title=title, status=status, start=start, end=end)
    for i, org in enumerate(parties):
        f.PartyFactory(program=program, organization=org, role="lead" if i == 0 else "member", order=i)
    return program


@pytest.fixture
def world(org_a, org_b):
    today = timezone.localdate()
    year = dt.timedelta(days=365)
    _program("Chương trình đang thực hiện thử", "in_force", today - year, today + year, org_a, org_b)
    _program("Chương trình đã ký kết thử", "signed", today - dt.timedelta(days=10), today + 3 * year, org_b)
    _program("Chương trình dự thảo thử", "draft", today - year, today + year, org_a)
    _program("Chương trình đã kết thúc thử", "ended", today - year, today + year, org_a)
    _program("Chương trình hết giai đoạn thử", "in_force", today - 3 * year, today - dt.timedelta(days=1), org_a)
    _program("Chương trình chưa bắt đầu thử", "signed", today + dt.timedelta(days=30), today + 3 * year, org_a)
    now = timezone.now()
    for i in range(6):
        Article.objects.create(organization=org_a, title=f"Bản tin công khai số {i}", lead="Sa pô",
                               status=ArticleStatus.PUBLISHED, published_at=now - dt.timedelta(days=i + 1))
    Article.objects.create(organization=org_a, title="Bài nháp chưa đăng", lead="Sa pô")
    Article.objects.create(organization=org_a, title="Bài hẹn giờ đăng", lead="Sa pô",
                           status=ArticleStatus.PUBLISHED, published_at=now + dt.timedelta(days=2))
    tomorrow = today + dt.timedelta(days=1)
    Commemoration.objects.create(code="thu-ngay-mai", name="Ngày truyền thống toàn quốc thử", day=tomorrow.day,
                                 month=tomorrow.month, origin_year=tomorrow.year - 30, scope=Scope.NATIONAL)
    services.add_local_commemoration(org_a, "Ngày thành lập riêng của Ban thử", tomorrow.replace(year=tomorrow.year - 20),
                                     "thu-rieng")
    member = f.UserFactory(username="thanhvien")
    f.MembershipFactory(user=member, organization=org_a, role="viewer")
    return {"today": today, "tomorrow": tomorrow, "member": member}


@pytest.mark.django_db
def test_a_visitor_sees_news_commemorations_and_programs_in_force(world):
    response = Client().get("/")
    assert response.status_code == 200
    html = response.content.decode()
    for i in range(5):
        assert f"Bản tin công khai số {i}" in html
    assert "Bản tin công khai số 5" not in html  # only the newest five
    assert "Bài nháp chưa đăng" not in html and "Bài hẹn giờ đăng" not in html
    article = Article.objects.get(title="Bản tin công khai số 0")
    assert article.get_absolute_url() in html and article.published_at.strftime("%d/%m/%Y") in html

    tomorrow = world["tomorrow"]
    assert "Kỷ niệm 30 năm Ngày truyền thống toàn quốc thử" in html
    assert f"{lunar.to_lunar(tomorrow).short} âm lịch" in html
    assert tomorrow.strftime("%d/%m/%Y") in html
    assert "Ngày thành lập riêng của Ban thử" not in html  # an organisation's day: logged-in users only

    assert "Chương trình đang thực hiện thử" in html and "Chương trình đã ký kết thử" in html
    for title in ("Chương trình dự thảo thử", "Chương trình đã kết thúc thử", "Chương trình hết giai đoạn thử",
                  "Chương trình chưa bắt đầu thử"):
        assert title not in html, title
    assert "Ban Chỉ huy Quân sự thành phố Thử" in html and "Hội Liên hiệp Phụ nữ thành phố Thử" in html
    assert reverse("programs:list") not in html  # program pages need a login: not linked


@pytest.mark.django_db
def test_a_member_keeps_the_quick_links_and_also_gets_the_public_sections(world):
    client = Client()
    client.force_login(world["member"])
    html = client.get("/").content.decode()
    assert reverse("dashboards:index") in html  # what a logged-in user saw before
    assert "Bản tin công khai số 0" in html
    assert "Kỷ niệm 30 năm Ngày truyền thống toàn quốc thử" in html
    assert "Ngày thành lập riêng của Ban thử" in html  # the member's own organisation's day
    assert "Chương trình đang thực hiện thử" in html and "Chương trình dự thảo thử" in html  # (its own list)
    public_part = html.split('id="chuong-trinh-hieu-luc"', 1)[1].split("</section>", 1)[0]
    assert "Chương trình dự thảo thử" not in public_part and "Chương trình đang thực hiện thử" in public_part


@pytest.mark.django_db
def test_nothing_in_force_says_so():
    html = Client().get("/").content.decode()
    assert "Hiện không có chương trình nào đang có hiệu lực." in html
    assert "Chưa có bài viết nào." in html


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_phone_menu_opens_and_closes(live_server, page):
    org = f.OrganizationFactory(name="Hội Thử nghiệm điện thoại")
    user = f.UserFactory(username="dienthoai")
    f.MembershipFactory(user=user, organization=org, role="viewer")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    menu = page.locator("details.site-menu")
    button = page.locator("summary.menu-button")
    assert button.is_visible()
    assert menu.evaluate("d => d.open") is False  # closed on a phone
    assert not page.locator(".site-menu nav a", has_text="Bản tin").is_visible()
    page.fill("#id_username", "dienthoai")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(f"{live_server.url}/")

    nav_link = page.locator(".site-menu nav a", has_text="Bảng điều khiển")
    assert not nav_link.is_visible()
    button.focus()
    page.keyboard.press("Enter")  # the keyboard opens it
    assert menu.evaluate("d => d.open") is True
    assert nav_link.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Escape")  # and closes it, giving the focus back to the button
    assert menu.evaluate("d => d.open") is False
    assert not nav_link.is_visible()
    assert page.evaluate("document.activeElement.classList.contains('menu-button')")
    button.click()
    assert nav_link.is_visible()
    button.click()
    assert not nav_link.is_visible()

    page.set_viewport_size({"width": 1280, "height": 900})  # a wide screen: always open, no button
    # Waited for by the attribute (wait_for_function evaluates a string, which the page's CSP forbids).
    expect(page.locator("details.site-menu")).to_have_attribute("open", "")
    assert nav_link.is_visible() and not button.is_visible()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_public_month_grid_and_commemorations_fit_a_phone(live_server, page):
    from phoihop.programs.models import Event

    today = timezone.localdate()
    noon = timezone.make_aware(dt.datetime.combine(today, dt.time(12)))
    Event.objects.create(kind=Event.Kind.MEETING, starts_at=noon, is_public=True,
                         title="Hội nghị sơ kết công tác phối hợp giữa các cơ quan, tổ chức chính trị - xã hội "
                               "trên địa bàn thành phố với tên rất dài không có chỗ xuống dòng")
    page.set_viewport_size({"width": 360, "height": 780})
    page.goto(f"{live_server.url}/lich/")
    assert page.locator("table.month td.today li.event").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    # The lunar day sits under the solar one, in smaller type.
    solar, lunar_day = page.locator("table.month td.today .solar"), page.locator("table.month td.today .lunar")
    assert lunar_day.bounding_box()["y"] >= solar.bounding_box()["y"] + solar.bounding_box()["height"] - 1
    assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('table.month td.today .lunar')).fontSize)"
                         " < parseFloat(getComputedStyle(document.querySelector('table.month td.today .solar')).fontSize)")
    Commemoration.objects.create(code="thu-dai", name="Ngày truyền thống lực lượng dân quân tự vệ toàn quốc thử nghiệm",
                                 day=28, month=3, origin_year=1935, scope=Scope.NATIONAL,
                                 source="Nghị định số 145/2013/NĐ-CP, Điều 4, khoản 2 — một căn cứ dài để thử bề ngang")
    page.goto(f"{live_server.url}/lich/ngay-ky-niem/")
    assert page.get_by_text("Ngày truyền thống lực lượng dân quân tự vệ toàn quốc thử nghiệm").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
