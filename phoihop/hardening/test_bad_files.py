"""Issue 8, point 2: the bad-file corpus (phoihop/hardening/corpus).

Every Excel case goes through the three ways in — `excel.import_workbook`, the `phoihop import`
command and the upload page — and must be refused with a clear Vietnamese message, with nothing
written (a value stored beforehand stays as it was; no value, submission, attachment or audit
entry appears). Attachments go through the activity form, news images through
`phoihop.news.images.check_image`. Mixed NFC/NFD and legacy TCVN3/VNI text is accepted where it
is text, and the review report is still produced.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from phoihop.audit.models import AuditEntry
from phoihop.hardening.corpus import (
    ATTACHMENT_CASES,
    EXCEL_CASES,
    HERE,
    IMAGE_CASES,
    TCVN3_TEXT,
    VNI_TEXT,
    Ctx,
    nfd,
    real_image,
)
from phoihop.reporting import excel, services
from phoihop.reporting.models import Activity, Attachment, DataValue, Period, Submission
from phoihop.reporting.tests import test_excel_helpers as helpers
from phoihop.reporting.tests.test_excel_helpers import D, load, rows_by_key, stored

pytestmark = pytest.mark.django_db

program = helpers.program
period = helpers.period
template = helpers.template


@pytest.fixture
def ctx(template, org_b, period, tmp_path):
    other_period = services.get_period(period.code, services.convention_for(org_b))
    return Ctx(template, excel.build_template(org_b, other_period), tmp_path)


def snapshot(org, period) -> tuple:
    """What a refused file must leave unchanged (periods too: only a write stores one)."""
    return (
        stored(org, period), Period.objects.count(), DataValue.objects.count(), Submission.objects.count(),
        Attachment.objects.count(), Activity.objects.count(), AuditEntry.objects.count(),
    )


def _as_path(source: bytes | Path, tmp_path: Path, name: str) -> Path:
    if isinstance(source, Path):
        return source
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(source)
    return path


# ---------------------------------------------------------------- the corpus itself

def test_the_corpus_has_at_least_thirty_cases_and_commits_nothing_big():
    assert len(EXCEL_CASES) + len(ATTACHMENT_CASES) >= 30
    assert len(EXCEL_CASES) >= 30
    for path in HERE.rglob("*"):
        if path.is_file():
            assert path.stat().st_size <= 100 * 1024, f"{path} is over 100 KB: generate it at test time"


# ---------------------------------------------------------------- Excel: three ways in

@pytest.mark.parametrize("case", sorted(EXCEL_CASES))
def test_a_bad_excel_file_is_refused_everywhere_and_nothing_is_written(client, ctx, org_a, period, reporter, case):
    build, expected = EXCEL_CASES[case]
    source = build(ctx)
    before = snapshot(org_a, period)

    result = excel.import_workbook(source, reporter)
    reasons = [str(p) for p in result.problems]
    assert not result.ok and any(expected in r for r in reasons), reasons
    assert snapshot(org_a, period) == before

    path = _as_path(source, ctx.tmp_path, case)
    out = io.StringIO()
    with pytest.raises(CommandError, match="Không nhập"):
        call_command("import", str(path), "--user", reporter.username, stdout=out)
    assert expected in out.getvalue(), out.getvalue()
    assert snapshot(org_a, period) == before

    client.force_login(reporter)
    with path.open("rb") as handle:
        response = client.post(f"/bao-cao/excel/{org_a.pk}/", {"file": handle})
    assert response.status_code in (400, 413, 422), (response.status_code, case)
    assert expected in response.content.decode(), case
    assert snapshot(org_a, period) == before


def test_the_import_command_without_a_user_refuses_a_bad_file_too(ctx, org_a, period, tmp_path):
    before = snapshot(org_a, period)
    path = _as_path(EXCEL_CASES["truncated-data-sheet-xml"][0](ctx), tmp_path, "hong")
    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(path), stdout=out)
    assert "bị hỏng" in out.getvalue()
    assert snapshot(org_a, period) == before


def test_nfd_text_and_legacy_comments_are_accepted_as_text(ctx, org_a, period, reporter):
    """Decomposed (NFD) Vietnamese from a Mac and a comment typed in TCVN3 are text, not errors:
    the option name still matches, the comment is stored NFC."""
    wb = load(ctx.template)
    ws = wb[excel.DATA_SHEET]
    rows = rows_by_key(ws)
    female = rows[("propaganda_listeners", "Nữ")]
    ws[f"D{female}"] = nfd("Nữ")
    ws[f"H{female}"] = 40
    ws[f"I{female}"] = nfd("Phụ nữ các thôn tham gia đông đủ")
    called = rows[("recruit_called", None)]
    ws[f"H{called}"] = 300
    ws[f"I{called}"] = TCVN3_TEXT.splitlines()[0]
    out = io.BytesIO()
    wb.save(out)
    result = excel.import_workbook(out.getvalue(), reporter)
    assert result.ok, [str(p) for p in result.problems]
    values = {(v.indicator.code, v.option.code if v.option else None): v for v in
              DataValue.objects.filter(organization=org_a, period=period).select_related("indicator", "option")}
    assert values[("propaganda_listeners", "nu")].value == D(40)
    assert values[("propaganda_listeners", "nu")].comment == "Phụ nữ các thôn tham gia đông đủ"
    assert values[("recruit_called", None)].value == D(300)


# ---------------------------------------------------------------- legacy narratives: the report is still produced

def test_a_review_with_tcvn3_vni_and_nfd_narratives_is_still_produced(org_a, manager):
    import datetime as dt

    from docx import Document

    from phoihop import factories as f
    from phoihop.documents.docx_writer import GAP_LEGACY
    from phoihop.documents.text import clean_text
    from phoihop.programs.models import ContentArea
    from phoihop.reviews import outputs
    from phoihop.reviews.models import Contribution, Section
    from phoihop.reviews.services import ItemInput, prepare_review, save_narrative

    program = f.ProgramFactory(code="ct-cu", start=dt.date(2019, 1, 1), end=dt.date(2020, 12, 31))
    program.content_areas.set(ContentArea.objects.filter(code="gratitude"))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    review = prepare_review(title=nfd("Sơ kết chương trình phối hợp"), kind="interim", date=dt.date(2020, 12, 20),
                            organizer=org_a, user=manager, items=[ItemInput(program.code, dt.date(2019, 1, 1), dt.date(2020, 12, 14))])
    save_narrative(review, Section.SITUATION, clean_text(TCVN3_TEXT), manager, None)
    save_narrative(review, Section.RESULTS, clean_text(VNI_TEXT), manager, None)
    save_narrative(review, Section.LESSONS, clean_text(nfd("Bài học: phối hợp chặt chẽ, thường xuyên.")), manager, None)
    Contribution.objects.create(review=review, organization=org_a, section=Section.DIRECTIONS, text=nfd("Tiếp tục thăm hỏi"))
    data = outputs.review_docx(review)
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert GAP_LEGACY in text or "[mã ký tự cũ]" in text  # the legacy paragraphs are marked, not printed as garbage
    assert "Bài học: phối hợp chặt chẽ, thường xuyên." in text  # NFD came out NFC
    assert "Céng" not in text and "Coäng" not in text


# ---------------------------------------------------------------- activity attachments

def _activity_form(org, name: str, content: bytes) -> dict:
    today = timezone.localdate().strftime("%d/%m/%Y")
    from phoihop.programs.models import ContentArea

    return {
        "title": "Tặng quà gia đình chính sách", "content_area": ContentArea.objects.get(code="gratitude").pk,
        "lead_organization": org.pk, "status": "done", "start_date": today, "end_date": today,
        "attachment": SimpleUploadedFile(name, content), "caption": "Ảnh hoạt động",
    }


@pytest.mark.parametrize("case", sorted(ATTACHMENT_CASES))
def test_a_bad_attachment_is_refused_and_nothing_is_written(client, org_a, reporter, program, settings, tmp_path, case):
    settings.MEDIA_ROOT = tmp_path / "media"
    name, build, expected = ATTACHMENT_CASES[case]
    client.force_login(reporter)
    before = (Activity.objects.count(), Attachment.objects.count(), AuditEntry.objects.count())
    response = client.post("/bao-cao/hoat-dong/them/", _activity_form(org_a, name, build()))
    assert response.status_code == 422, response.status_code
    assert expected in response.content.decode()
    assert (Activity.objects.count(), Attachment.objects.count(), AuditEntry.objects.count()) == before
    assert not (tmp_path / "media").exists() or not any((tmp_path / "media").rglob("*.*"))


def test_a_valid_attachment_is_accepted(client, org_a, reporter, program, settings, tmp_path):
    """The positive control of the attachment cases (a PNG named .PNG, a path in its name)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    client.force_login(reporter)
    response = client.post("/bao-cao/hoat-dong/them/", _activity_form(org_a, "../../anh HOAT DONG.PNG", real_image("PNG")))
    assert response.status_code == 302, response.status_code
    attachment = Attachment.objects.get()
    assert attachment.content_type == "image/png"  # the verified type, not the browser's
    assert ".." not in attachment.file.name and Path(attachment.file.path).is_relative_to(tmp_path / "media")


# ---------------------------------------------------------------- news images (when the news app has them)

@pytest.mark.parametrize("case", sorted(IMAGE_CASES))
def test_a_bad_news_image_is_refused_with_a_vietnamese_message(case):
    images = pytest.importorskip("phoihop.news.images")
    if not hasattr(images, "check_image"):
        pytest.skip("phoihop.news.images.check_image is not there yet")
    name, build = IMAGE_CASES[case]
    with pytest.raises(ValidationError) as refused:
        images.check_image(SimpleUploadedFile(name, build()))
    message = " ".join(refused.value.messages)
    assert any(ch in message for ch in "ảẢạấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđĐ"), message
