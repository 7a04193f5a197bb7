"""A reporter of the Women's Union opens the 2019–2023 program in Chromium."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_reporter_logs_in_and_sees_parties_and_both_predecessors(live_server, page):
    call_command("loaddemo", "--no-figures", verbosity=0)
    user = get_user_model().objects.get(username="phunu")
    user.set_password("mat-khau-thu-1")
    user.save()

    page.goto(f"{live_server.url}/chuong-trinh/")
    assert "/tai-khoan/dang-nhap/" in page.url
    page.fill("#id_username", "phunu")
    page.fill("#id_password", "mat-khau-thu-1")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/chuong-trinh/")

    page.click("text=giai đoạn 2019 - 2023")
    page.wait_for_selector("h1")
    assert "2019 - 2023" in page.inner_text("h1")
    parties = page.inner_text("#parties + table")
    assert "Hội Liên hiệp Phụ nữ thành phố Bắc Ninh" in parties
    assert "Ban Chỉ huy Quân sự thành phố Bắc Ninh" in parties
    assert "Ban Dân vận Thành ủy Bắc Ninh" in parties
    predecessors = page.inner_text("#predecessors + ul")
    assert "giai đoạn 2016 - 2019" in predecessors
    assert "giai đoạn 2013 - 2019" in predecessors
    page.click("#predecessors + ul >> text=giai đoạn 2013 - 2019")
    page.wait_for_selector("h1")
    assert "2013 - 2019" in page.inner_text("h1")
