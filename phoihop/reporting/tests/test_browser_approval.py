"""Reporter fills the grid and submits; the standing office returns it; the reporter fixes it and
resubmits; the standing office approves; the values are locked."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from phoihop import factories as f
from phoihop.programs.models import ContentArea, SteeringCommittee
from phoihop.reporting.models import DataValue, Indicator
from phoihop.reporting.overview import recent_month_codes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "mat-khau-thu-1"


def _login(page, base, username):
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _logout(page):
    page.click("text=Đăng xuất")


def test_return_fix_resubmit_approve_then_locked(live_server, page):
    from phoihop.demo.catalogs import ensure_catalogs

    ensure_catalogs()  # a transactional test may run after another one flushed the database
    office = f.OrganizationFactory(name="Ban CHQS thành phố Thử", kind="military_command")
    union = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ thành phố Thử")
    program = f.ProgramFactory(code="ct-thu", status="in_force")
    program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    f.PartyFactory(program=program, organization=office, role="lead")
    f.PartyFactory(program=program, organization=union)
    SteeringCommittee.objects.create(name="BCĐ thử", standing_office=office).programs.add(program)
    User = get_user_model()
    for username, org, role in (("phunu", union, "reporter"), ("thuongtruc", office, "committee_admin")):
        user = User.objects.create_user(username, password=PASSWORD)
        f.MembershipFactory(user=user, organization=org, role=role)
    code = recent_month_codes(timezone.localdate(), 1)[0]
    houses = Indicator.objects.get(code="gratitude_houses")
    grid_url = f"{live_server.url}/bao-cao/{union.pk}/{code}/"

    _login(page, live_server.url, "phunu")
    page.goto(grid_url)
    page.fill(f"#v-{houses.pk}\\:0", "3")
    page.click("button[value=submit]")
    page.wait_for_selector("#status")
    assert "Đã gửi" in page.inner_text("#status")
    _logout(page)

    _login(page, live_server.url, "thuongtruc")
    page.goto(f"{live_server.url}/bao-cao/duyet/")
    page.click("text=Xem và duyệt")
    page.fill("#id_reason", "Số nhà tình nghĩa chưa khớp biên bản, đề nghị kiểm tra lại.")
    page.click("#return")
    page.wait_for_selector("#status")
    assert "Bị trả lại" in page.inner_text("#status")
    _logout(page)

    _login(page, live_server.url, "phunu")
    page.goto(grid_url)
    assert "chưa khớp biên bản" in page.inner_text("main")
    page.fill(f"#v-{houses.pk}\\:0", "4")
    page.click("button[value=submit]")
    page.wait_for_selector("#status")
    assert "Đã gửi" in page.inner_text("#status")
    _logout(page)

    _login(page, live_server.url, "thuongtruc")
    page.goto(grid_url)
    page.click("#approve")
    page.wait_for_url(grid_url)
    _logout(page)

    _login(page, live_server.url, "phunu")
    page.goto(grid_url)
    assert "Đã duyệt" in page.inner_text("#status")
    assert page.locator(f"input#v-{houses.pk}\\:0").count() == 0
    assert page.inner_text(f"#v-{houses.pk}\\:0").strip() == "4"
    assert DataValue.objects.get(organization=union, indicator=houses).value == 4
