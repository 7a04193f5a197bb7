"""A leader logs in, opens the dashboard and reads the chart and its table, on a desktop and on
a phone-sized window."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from phoihop import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "mat-khau-thu-1"


def test_a_leader_opens_the_dashboard_and_sees_the_chart_and_its_table(live_server, page):
    from phoihop.demo.catalogs import ensure_catalogs
    from phoihop.programs.models import ContentArea
    from phoihop.reporting.models import Indicator, Target

    from .conftest import approved

    ensure_catalogs()
    board = f.OrganizationFactory(name="Ban Dân vận Thành ủy Thử", short_name="Ban Dân vận")
    union = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ thành phố Thử", short_name="Hội LHPN")
    program = f.ProgramFactory(code="ct-ld", title="Chương trình phối hợp thử giai đoạn 2019 - 2020", status="in_force",
                               start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31))
    program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    f.PartyFactory(program=program, organization=board, role="lead")
    f.PartyFactory(program=program, organization=union)
    approved(board, "2019-07", gratitude_houses="7")
    approved(union, "2019-07", gratitude_houses="1.500")
    houses = Indicator.objects.get(code="gratitude_houses")
    Target.objects.create(program=program, organization=union, indicator=houses, year=2019, value=1000)
    Target.objects.create(program=program, organization=board, indicator=houses, year=2019, value=10)
    user = get_user_model().objects.create_user("lanhdao", password=PASSWORD)
    f.MembershipFactory(user=user, organization=board, role="viewer")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/tai-khoan/dang-nhap/")
    page.fill("#id_username", "lanhdao")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{live_server.url}/")
    page.click("text=Bảng điều khiển của bạn")
    page.wait_for_url(f"{live_server.url}/bang-dieu-khien/lanh-dao/")

    chart = page.locator("#targets figure.chart img")
    assert chart.is_visible()
    assert chart.evaluate("img => img.complete && img.naturalWidth > 300")
    table = page.locator("#targets-table")
    assert "Nhà tình nghĩa xây mới, sửa chữa" in table.inner_text()
    assert "1.507" in table.inner_text() and "1.010" in table.inner_text()  # the total and its target
    assert "1.500" in page.locator("#indicator-table").inner_text()

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.locator("#targets-table").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing spills sideways
    # The % column of every table stays in view on the phone (the table scrolls, it sticks).
    for table in ("#targets-table", "#indicator-table"):
        cell = page.locator(f"{table} thead th.pct")
        cell.scroll_into_view_if_needed()
        box = cell.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (table, box)
        assert cell.inner_text().strip() == "Đạt %"
    # A year without typing a date: the quick choice "Năm 2019".
    page.click("a[data-window='2019']")
    page.wait_for_url("**window=2019**")
    assert "Từ 01/01/2019 đến 31/12/2019" in page.locator("p.lead").inner_text()
