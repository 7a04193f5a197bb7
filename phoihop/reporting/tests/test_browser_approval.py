"""Reporter fills the grid and submits; the standing office returns it; the reporter fixes it and
resubmits; the standing office approves; the values are locked."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from phoihop import factories as f
from phoihop.conftest import PASSWORD
from phoihop.reporting.models import DataValue, Indicator
from phoihop.reporting.overview import recent_month_codes
from phoihop.reporting.tests.worlds import program_led_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _logout(page):
    page.click("text=Đăng xuất")


def _send(page, cell, value):
    """`value` in the grid's `cell`, then "submit": the report reads "Đã gửi"."""
    page.fill(cell, value)
    page.click("button[value=submit]")
    page.wait_for_selector("#status")
    assert "Đã gửi" in page.inner_text("#status")


def test_return_fix_resubmit_approve_then_locked(live_server, page, log_in):
    from phoihop.demo.catalogs import ensure_catalogs

    ensure_catalogs()  # a transactional test may run after another one flushed the database
    office = f.OrganizationFactory(name="Ban CHQS thành phố Thử", kind="military_command")
    union = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ thành phố Thử")
    program_led_by(office, union, areas=["gratitude"], committee="BCĐ thử", code="ct-thu", status="in_force")
    User = get_user_model()
    for username, org, role in (("phunu", union, "reporter"), ("thuongtruc", office, "committee_admin")):
        user = User.objects.create_user(username, password=PASSWORD)
        f.MembershipFactory(user=user, organization=org, role=role)
    code = recent_month_codes(timezone.localdate(), 1)[0]
    houses = Indicator.objects.get(code="gratitude_houses")
    grid_url = f"{live_server.url}/bao-cao/{union.pk}/{code}/"
    cell = f"#v-{houses.pk}\\:0"

    log_in("phunu")
    page.goto(grid_url)
    _send(page, cell, "3")
    _logout(page)

    log_in("thuongtruc")
    page.goto(f"{live_server.url}/bao-cao/duyet/")
    page.click("text=Xem và duyệt")
    page.fill("#id_reason", "Số nhà tình nghĩa chưa khớp biên bản, đề nghị kiểm tra lại.")
    page.click("#return")
    page.wait_for_selector("#status")
    assert "Bị trả lại" in page.inner_text("#status")
    _logout(page)

    log_in("phunu")
    page.goto(grid_url)
    assert "chưa khớp biên bản" in page.inner_text("main")
    _send(page, cell, "4")
    _logout(page)

    log_in("thuongtruc")
    page.goto(grid_url)
    page.click("#approve")
    page.wait_for_url(grid_url)
    _logout(page)

    log_in("phunu")
    page.goto(grid_url)
    assert "Đã duyệt" in page.inner_text("#status")
    assert page.locator(f"input{cell}").count() == 0
    assert page.inner_text(cell).strip() == "4"
    assert DataValue.objects.get(organization=union, indicator=houses).value == 4


def test_two_levels_confirmed_then_approved_from_the_queue_by_the_offices_approver(live_server, page, log_in):
    """Issue 14: a two-level program; the party's approver confirms from the queue (checkbox and
    one button), the standing office's approver (not its committee administrator) approves the
    same way; before that, the office's approver is told whose step it is."""
    from phoihop.demo.catalogs import ensure_catalogs

    ensure_catalogs()
    office = f.OrganizationFactory(name="Ban CHQS thành phố Thử", kind="military_command")
    union = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ thành phố Thử")
    program_led_by(office, union, areas=["gratitude"], committee="BCĐ thử", code="ct-hai-cap", status="in_force",
                   two_level_approval=True)
    User = get_user_model()
    for username, org, role in (("phunu", union, "reporter"), ("duyetphunu", union, "approver"), ("pheduyet", office, "approver")):
        user = User.objects.create_user(username, password=PASSWORD)
        f.MembershipFactory(user=user, organization=org, role=role)
    code = recent_month_codes(timezone.localdate(), 1)[0]
    houses = Indicator.objects.get(code="gratitude_houses")
    grid_url = f"{live_server.url}/bao-cao/{union.pk}/{code}/"

    log_in("phunu")
    page.goto(grid_url)
    _send(page, f"#v-{houses.pk}\\:0", "5")
    _logout(page)

    log_in("pheduyet")
    page.goto(f"{live_server.url}/bao-cao/duyet/")
    assert page.locator("input[name=bao_cao]").count() == 0
    assert "chờ người duyệt của Hội Liên hiệp Phụ nữ thành phố Thử xác nhận" in page.inner_text("#others ~ table")
    _logout(page)

    log_in("duyetphunu")
    page.goto(f"{live_server.url}/bao-cao/duyet/")
    page.check("input[name=bao_cao]")
    page.click("#approve-selected")
    page.wait_for_selector(".messages")
    assert "Đã duyệt hoặc xác nhận 1 báo cáo" in page.inner_text(".messages")
    _logout(page)

    log_in("pheduyet")
    page.goto(f"{live_server.url}/bao-cao/duyet/")
    page.check("input[name=bao_cao]")
    page.click("#approve-selected")
    page.wait_for_selector(".messages")
    page.goto(grid_url)
    assert "Đã duyệt" in page.inner_text("#status")
