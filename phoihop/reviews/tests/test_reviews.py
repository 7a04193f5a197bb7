import datetime as dt
import io
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from docx import Document as read_docx

from phoihop import factories as f
from phoihop.audit import workflow
from phoihop.reporting import bulk as reporting_bulk
from phoihop.reporting import services as reporting
from phoihop.reporting.models import SubmissionStatus, Target
from phoihop.reporting.tests.worlds import program_led_by
from phoihop.reviews import outputs, services
from phoihop.reviews.models import Review, Section

D = dt.date


@pytest.fixture
def program(org_a, org_b):
    return program_led_by(org_a, org_b, areas=["gratitude", "recruitment"], committee="BCĐ thử", code="ct-sk",
                          title="Chương trình phối hợp thử giai đoạn 2019 - 2020", start=D(2019, 1, 1), end=D(2020, 12, 31))


def _approved(org, code, user, **values):
    period = reporting.get_period(code)
    cells = [reporting.CellInput(k, v) for k, v in values.items()]
    assert reporting_bulk.save_values(org, period, user, cells, check_permission=False, today=period.start).ok
    submission = reporting.submission_for(org, period)
    workflow.move(submission, SubmissionStatus.SUBMITTED)
    workflow.move(submission, SubmissionStatus.APPROVED)


@pytest.fixture
def review(program, org_a, manager):
    return services.prepare_review(
        title="Sơ kết 1 năm thực hiện Chương trình phối hợp thử", kind="interim", date=D(2019, 12, 20), organizer=org_a,
        user=manager, items=[services.ItemInput(program.code, D(2019, 1, 1), D(2019, 12, 14))],
    )


def test_preparing_needs_a_valid_program_and_period(org_a, manager, program):
    with pytest.raises(ValidationError) as err:
        services.prepare_review(title="X", kind="interim", date=D(2019, 12, 20), organizer=org_a, user=manager,
                                items=[services.ItemInput("khong-co", D(2019, 1, 1), D(2019, 12, 1)),
                                       services.ItemInput(program.code, D(2019, 12, 1), D(2019, 1, 1))])
    text = " ".join(err.value.messages)
    assert "Không có chương trình" in text and "kết thúc trước khi bắt đầu" in text
    assert not Review.objects.exists()


def test_a_viewer_may_not_prepare_a_review(org_a, viewer, program):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.prepare_review(title="X", kind="interim", date=D(2019, 12, 20), organizer=org_a, user=viewer,
                                items=[services.ItemInput(program.code, D(2019, 1, 1), D(2019, 12, 1))])


def test_contributions_are_tracked_and_compiled(review, org_a, org_b, reporter, outsider):
    assert [s["answered"] for s in services.contribution_status(review)] == [False, False]
    services.save_contribution(review, org_a, Section.LESSONS, "Bài học của Ban CHQS.", reporter)
    services.save_contribution(review, org_b, Section.LESSONS, "Bài học của Hội LHPN.", outsider)
    assert all(s["answered"] for s in services.contribution_status(review))
    compiled = services.compiled_text(review, Section.LESSONS)
    assert "Bài học của Ban CHQS." in compiled and "Bài học của Hội LHPN." in compiled


def test_a_stale_narrative_save_is_refused(review, manager):
    first = services.save_narrative(review, Section.LESSONS, "Bản 1", manager, None)
    services.save_narrative(review, Section.LESSONS, "Bản 2", manager, first.version)
    with pytest.raises(ValidationError, match="vừa được người khác sửa"):
        services.save_narrative(review, Section.LESSONS, "Bản 3 dựa trên bản 1", manager, first.version)
    assert services.section_text(review, Section.LESSONS) == "Bản 2"


def _doc_text(data: bytes) -> str:
    document = read_docx(io.BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def test_report_figures_match_phoihop_results(review, program, org_a, org_b, reporter, capsys):
    _approved(org_a, "2019-07", reporter, gratitude_houses="3", recruit_called="120", recruit_enlisted="30", recruit_quota="30")
    _approved(org_b, "2019-07", reporter, gratitude_houses="1234")
    Target.objects.create(program=program, organization=org_b, indicator_id=_ind("gratitude_houses"), year=2019, value=1000)
    call_command("results", "--program", program.code, "--from", "2019-01-01", "--to", "2019-12-14", "--format", "json")
    rows = json.loads(capsys.readouterr().out)
    total = next(r for r in rows if r["indicator"] == "gratitude_houses" and r["organization"] is None)
    assert total["value"] == 1237
    text = _doc_text(outputs.review_docx(review))
    assert "1.237" in text  # the same total, written the Vietnamese way
    assert "BÁO CÁO" in text and "Sơ kết 1 năm thực hiện" in text
    assert "Nơi nhận:" in text


def _ind(code):
    from phoihop.reporting.models import Indicator

    return Indicator.objects.get(code=code).pk


def test_a_review_without_data_or_contributions_still_produces_a_report_with_visible_gaps(review):
    text = _doc_text(outputs.review_docx(review))
    assert "[Chưa có nội dung" in text
    assert "chưa có số liệu đã duyệt" in text


def test_pasted_word_html_and_legacy_text_do_not_break_the_report(review, manager):
    services.save_narrative(review, Section.SITUATION, '<p class="MsoNormal"><b>Tình hình</b> ổn định</p><script>x</script>', manager, None)
    services.save_narrative(review, Section.LESSONS, "Bµi häc kinh nghiÖm", manager, None)
    text = _doc_text(outputs.review_docx(review))
    assert "Tình hình ổn định" in text and "<script>" not in text and "MsoNormal" not in text


def test_a_program_without_parties_still_gets_a_document(db):
    program = f.ProgramFactory(code="ct-trong", title="Chương trình chưa có bên nào")
    text = _doc_text(outputs.program_docx(program))
    assert "CHƯƠNG TRÌNH PHỐI HỢP" in text and "[Chưa có nội dung" in text


def test_signing_moves_the_program_links_predecessors_and_carries_targets(review, program, org_a, org_b, manager):
    Target.objects.create(program=program, organization=org_a, indicator_id=_ind("gratitude_houses"), year=2020, value=12)
    new = f.ProgramFactory(code="ct-moi", start=D(2021, 1, 1), end=D(2025, 12, 31))
    f.PartyFactory(program=new, organization=org_a, role="lead")
    event = f.EventFactory(kind="signing", title="Ký kết giai đoạn mới")
    services.record_signing(new, signed_on=D(2020, 12, 20), user=manager, event=event, review=review)
    new.refresh_from_db()
    assert new.status == "signed" and new.signing_date == D(2020, 12, 20)
    assert list(new.predecessors.all()) == [program]
    assert set(new.content_areas.values_list("code", flat=True)) == {"gratitude", "recruitment"}
    carried = Target.objects.get(program=new)
    assert (carried.organization, carried.year, carried.value) == (org_a, 2021, 12)
    assert event.programs.filter(pk=new.pk).exists()


def test_review_report_command_writes_a_docx_and_refuses_bad_input(review, tmp_path):
    from django.core.management.base import CommandError

    out = tmp_path / "bc.docx"
    call_command("review-report", str(review.pk), "-o", str(out))
    assert out.read_bytes()[:2] == b"PK"
    with pytest.raises(CommandError, match="Không có hội nghị"):
        call_command("review-report", "9999", "-o", str(out))
    with pytest.raises(CommandError, match=".docx"):
        call_command("review-report", str(review.pk), "-o", str(tmp_path / "bc.txt"))


def test_api_lists_reviews(client, review, viewer, outsider):
    from phoihop.accounts.models import ApiToken

    _t, raw = ApiToken.issue(viewer)
    rows = client.get("/api/reviews", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert rows == [{"id": review.pk, "kind": "interim", "title": review.title, "date": "2019-12-20",
                     "programs": ["ct-sk"], "status": "preparing"}]
    _t, raw = ApiToken.issue(outsider)  # a party of the program: sees it too
    assert len(client.get("/api/reviews", HTTP_AUTHORIZATION=f"Bearer {raw}").json()) == 1


@pytest.mark.django_db
def test_the_program_document_keeps_the_case_of_proper_nouns_in_responsibilities(org_a):
    from phoihop.programs.models import ContentArea, Responsibility
    from phoihop.reviews.report import program_document

    program = f.ProgramFactory(code="ct-hcm")
    area = ContentArea.objects.get(code="ho_chi_minh_study")
    party = f.PartyFactory(program=program, organization=org_a, role="lead")
    Responsibility.objects.create(program=program, party=party, content_area=area, level="lead")
    text = " ".join(getattr(b, "text", "") for b in program_document(program).blocks)
    assert "Chủ trì: học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh." in text
    assert "hồ chí minh" not in text
