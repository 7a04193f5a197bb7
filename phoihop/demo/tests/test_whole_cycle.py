"""The whole cycle in Chromium on `make run`'s demo, one role after another, without /quan-tri/
(issue 14, "Done when"):

1. the standing office (`thuongtruc`) lays out the 2024–2028 successor of the 2019–2023 program
   (a party dissolved in the 2025 reorganisation is followed by its successor, said on the page),
   fills in its own signing details and signs it; plans the 2026 review from the steering
   committee's page and records it as held, with its minutes attached and downloadable;
2. a reporter (`phunu`) enters her reopened month with one bad cell: the page keeps every value
   typed and marks the bad cell; she corrects it and sends the report;
3. the approver of the standing office (`pheduyet`) finds it in the queue and approves it;
4. the leader (`lanhdao`) opens the dashboard and reads this year's achievement without typing a
   date, then the last year of the previous phase by its quick link;
5. an anonymous visitor opens the home page and the calendar.

Screenshots of every step go to PHOIHOP_SCREENSHOT_DIR when it is set (docs/screenshots/ keeps
the ones of the README)."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from phoihop.conftest import PASSWORD
from phoihop.news.tests.conftest import BROWSER_UA

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _shot(page, name: str) -> None:
    folder = os.environ.get("PHOIHOP_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"))


@pytest.fixture
def context_args(browser_context_args):
    return {**browser_context_args, "user_agent": BROWSER_UA, "viewport": {"width": 1280, "height": 900}, "locale": "vi-VN"}


@pytest.fixture
def page(browser, context_args):
    context = browser.new_context(**context_args)
    page = context.new_page()
    yield page
    context.close()


def _log_out(page):
    page.locator("form[action$='/dang-xuat/'] button").first.click()
    page.wait_for_load_state()


def _minutes_png() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 300), "white")
    ImageDraw.Draw(image).text((20, 20), "Bien ban so ket 2026", fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_the_whole_cycle_for_every_role(live_server, page, log_in, monkeypatch):
    monkeypatch.setenv("PHOIHOP_DEMO_PASSWORD", PASSWORD)
    call_command("loaddemo", verbosity=0)
    from phoihop.organizations.models import Organization
    from phoihop.programs.models import Event, Program, SteeringCommittee
    from phoihop.reporting.models import Submission

    base = live_server.url
    today = timezone.localdate()

    # 1. The standing office: the successor program, signed.
    log_in("thuongtruc")
    page.goto(f"{base}/chuong-trinh/bn-phoihop-2019-2023/")
    _shot(page, "cycle-1-program")
    page.click("#program-actions >> text=Lập chương trình giai đoạn tiếp theo")
    page.wait_for_selector("#program-successor")
    notes = page.inner_text("#replacements")
    assert "Ban Chỉ huy Phòng thủ khu vực" in notes
    assert page.input_value("#id_start") == "01/01/2024"
    assert page.input_value("#id_end") == "31/12/2028"
    assert "2024" in page.input_value("#id_title")
    _shot(page, "cycle-1-successor")
    page.click("#program-successor button[type=submit]")
    page.wait_for_selector("#program-actions")
    successor = Program.objects.exclude(code__in=["bn-phoihop-2019-2023", "bn-chqs-ctxh-2013-2019", "bn-dv-chqs-2016-2019"]).get()
    assert (successor.start.isoformat(), successor.end.isoformat(), successor.status) == ("2024-01-01", "2028-12-31", "draft")
    assert "Ban Chỉ huy Phòng thủ khu vực" in page.inner_text("main")
    _shot(page, "cycle-1-successor-created")

    # Signing needs the party's document number and signatory: refused first, naming what is missing.
    page.click("#program-actions >> text=Ký kết")
    page.wait_for_selector("#program-status")
    assert "còn thiếu" in page.inner_text("#signing-gaps")
    page.click("#signing-gaps a")
    page.wait_for_selector("#program-edit")
    office = Organization.objects.get(name="Ban Chỉ huy Quân sự thành phố Bắc Ninh")
    prefix = f"p{office.pk}"
    page.fill(f"#id_{prefix}-document_number", "125")
    page.fill(f"#id_{prefix}-document_symbol", "CTr-BCHQS")
    page.fill(f"#id_{prefix}-signatory_name", "Nguyễn Văn Minh")
    page.fill(f"#id_{prefix}-signatory_title", "Chỉ huy trưởng")
    page.click("#save-program")
    page.wait_for_selector("#program-actions")
    page.click("#program-actions >> text=Ký kết")
    page.wait_for_selector("#program-status")
    page.fill("#id_signing_date", today.strftime("%d/%m/%Y"))
    page.fill("#id_note", "Các bên đã ký tại hội nghị ngày hôm nay.")
    _shot(page, "cycle-1-signing")
    page.click("#program-status button[type=submit]")
    page.wait_for_selector("#program-actions")
    successor.refresh_from_db()
    assert successor.status == "signed" and successor.signing_date == today

    # The steering committee plans the 2026 review and records it as held, minutes attached.
    committee = SteeringCommittee.objects.filter(standing_office=office).first()
    page.goto(f"{base}/chuong-trinh/ban-chi-dao/{committee.pk}/")
    page.click("text=Lên kế hoạch sự kiện")
    page.wait_for_selector("#id_kind")
    page.select_option("#id_kind", "interim_review")
    page.fill("#id_title", "Sơ kết năm 2026 Chương trình phối hợp")
    page.fill("#id_date", today.strftime("%d/%m/%Y"))
    page.fill("#id_time", "08:00")
    page.fill("#id_place", "Hội trường Ban Chỉ huy Quân sự")
    page.check("#id_is_public")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=Ghi nhận đã tổ chức")
    event = Event.objects.get(title="Sơ kết năm 2026 Chương trình phối hợp")
    assert event.status == "planned"
    page.click("text=Ghi nhận đã tổ chức")
    page.wait_for_selector("#id_held_on")
    page.fill("#id_held_on", today.strftime("%d/%m/%Y"))
    page.fill("#id_attendees", "Lãnh đạo Ban Chỉ huy Quân sự, Hội LHPN, Đoàn Thanh niên")
    page.fill("#id_outcome", "Hoàn thành 9/10 chỉ tiêu năm; khen thưởng 3 tập thể.")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=Tải lên biên bản, ảnh")
    event.refresh_from_db()
    assert event.status == "held" and event.held_on == today
    page.click("text=Tải lên biên bản, ảnh")
    page.select_option("#id_kind", "minutes")
    page.set_input_files("#id_file", files=[{"name": "bien-ban-so-ket.png", "mimeType": "image/png", "buffer": _minutes_png()}])
    page.fill("#id_caption", "Biên bản hội nghị sơ kết")
    page.click("form.card button[type=submit]")
    page.wait_for_selector("text=Biên bản hội nghị sơ kết")
    _shot(page, "cycle-1-event-held")
    with page.expect_download() as download:
        page.click("a:has-text('Biên bản hội nghị sơ kết')")
    assert download.value.suggested_filename.endswith(".png")
    _log_out(page)

    # 2. The reporter: one bad cell among several, every typed value kept.
    union = Organization.objects.get(name="Hội Liên hiệp Phụ nữ thành phố Bắc Ninh")
    log_in("phunu")
    page.goto(f"{base}/bao-cao/{union.pk}/2023-12/")
    page.wait_for_selector("#grid-form")
    inputs = page.locator("#grid-form input[id^='v-']")
    typed = {}
    for i in range(min(inputs.count(), 4)):
        key = inputs.nth(i).get_attribute("id")
        typed[key] = "12" if i else "mười hai"
        inputs.nth(i).fill(typed[key])
    page.click("button[value=save]")
    page.wait_for_selector("#problems")
    bad = next(k for k, v in typed.items() if v == "mười hai")
    for key, value in typed.items():
        assert page.input_value(f"[id='{key}']") == value
    assert page.get_attribute(f"[id='{bad}']", "aria-invalid") == "true"
    _shot(page, "cycle-2-grid-bad-cell")
    page.fill(f"[id='{bad}']", "12")
    page.click("button[value=submit]")
    page.wait_for_selector("#status")
    assert "Đã gửi" in page.inner_text("#status")
    _shot(page, "cycle-2-grid-sent")
    _log_out(page)

    # 3. The approver of the standing office approves it from the queue.
    log_in("pheduyet")
    page.goto(f"{base}/bao-cao/duyet/")
    report = Submission.objects.get(organization=union, period__code="2023-12")
    assert report.status == "submitted"
    page.check(f"#chon-{report.pk}")
    _shot(page, "cycle-3-queue")
    page.click("#approve-selected")
    page.wait_for_load_state()
    report.refresh_from_db()
    assert report.status == "approved"
    _log_out(page)

    # 4. The leader: this year's achievement without typing a date.
    log_in("lanhdao")
    page.goto(f"{base}/bang-dieu-khien/lanh-dao/")
    page.wait_for_selector("#targets")
    assert successor.title in page.inner_text("p.lead")  # the program covering today, not a draft
    page.click("a.choice[data-window='this-year']")
    page.wait_for_selector("#targets")
    assert f"Từ 01/01/{today.year} đến {today:%d/%m/%Y}" in page.inner_text("p.lead")
    _shot(page, "cycle-4-leader-this-year")
    page.select_option("#id_program", "bn-phoihop-2019-2023")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#targets")
    page.click("a.choice[data-window='2023']")
    page.wait_for_selector("#targets-table")
    assert "Từ 01/01/2023 đến 31/12/2023" in page.inner_text("p.lead")
    assert "Đạt" in page.inner_text("#targets-table")
    _shot(page, "cycle-4-leader-2023")
    _log_out(page)

    # 5. An anonymous visitor: the home page and the calendar.
    page.goto(f"{base}/")
    assert "Chương trình đang có hiệu lực" in page.inner_text("main")
    _shot(page, "cycle-5-home")
    page.goto(f"{base}/lich/")
    assert "/tai-khoan/dang-nhap/" not in page.url
    _shot(page, "cycle-5-calendar")
