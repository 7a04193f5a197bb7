"""The standing office prepares a review in the wizard and downloads the report."""

import io

import pytest
from django.contrib.auth import get_user_model
from docx import Document as read_docx

from phoihop import factories as f
from phoihop.conftest import PASSWORD
from phoihop.reporting.tests.worlds import program_led_by

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_wizard_from_programs_to_docx_download(live_server, page, log_in):
    from phoihop.demo.catalogs import ensure_catalogs

    ensure_catalogs()
    office = f.OrganizationFactory(name="Ban CHQS thành phố Thử", kind="military_command")
    union = f.OrganizationFactory(name="Hội Liên hiệp Phụ nữ thành phố Thử")
    program_led_by(office, union, areas=["gratitude"], code="ct-wiz", title="Chương trình phối hợp thử nghiệm",
                   status="in_force")
    user = get_user_model().objects.create_user("thuongtruc", password=PASSWORD)
    f.MembershipFactory(user=user, organization=office, role="committee_admin")

    log_in("thuongtruc")

    page.goto(f"{live_server.url}/so-ket/moi/")
    page.fill("#id_title", "Sơ kết 1 năm Chương trình phối hợp thử nghiệm")
    page.fill("#id_date", "20/12/2019")
    page.select_option("#id_organizer", str(office.pk))
    page.select_option("#id_program_0", "ct-wiz")
    page.fill("#id_start_0", "09/07/2019")
    page.fill("#id_end_0", "14/12/2019")
    page.click("text=Tạo hội nghị")
    page.wait_for_selector("nav.steps")
    assert "chưa gửi" in page.inner_text("main")

    page.click("nav.steps >> text=Số liệu, biểu đồ")
    page.wait_for_selector("table")
    page.click("nav.steps >> text=Biên tập nội dung")
    page.fill("#id_text", "Tình hình địa phương ổn định; các bên phối hợp chặt chẽ.")
    page.click("text=Lưu phần này")
    page.wait_for_selector(".messages")
    page.click("nav.steps >> text=Xem trước và tải về")
    assert "Tình hình địa phương ổn định" in page.inner_text("article")
    with page.expect_download() as download_info:
        page.click("#download-docx")
    data = open(download_info.value.path(), "rb").read()
    text = "\n".join(p.text for p in read_docx(io.BytesIO(data)).paragraphs)
    assert "BÁO CÁO" in text and "Tình hình địa phương ổn định" in text
