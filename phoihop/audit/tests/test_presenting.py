"""The change history in the reader's language (issue 14 point 6): phoihop.audit.presenting."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import timezone, translation

from phoihop.accounts.models import Membership, Role
from phoihop.almanac.models import Commemoration
from phoihop.audit.models import AuditEntry
from phoihop.audit.presenting import lines_of, present
from phoihop.audit.recorder import history_for
from phoihop.factories import ProgramFactory
from phoihop.organizations.models import Organization
from phoihop.programs.models import Event, Program, ProgramStatus
from phoihop.reporting.models import DataValue, Submission


def entry(model, action, changes, note=""):
    """An entry as the recorder writes it (unsaved: the presenter reads nothing else)."""
    return AuditEntry(content_type_id=ContentType.objects.get_for_model(model).pk, object_id="1",
                      object_repr="x", action=action, changes=changes, note=note, at=timezone.now())


@pytest.mark.django_db
def test_a_workflow_step_reads_as_its_state_labels():
    lines = lines_of(entry(Program, "transition", {"status": ["draft", "signed"]}, "ký ngày 09/7"))
    assert lines == ["Trạng thái: Dự thảo → Đã ký kết"]


@pytest.mark.django_db
def test_a_step_that_is_not_a_state_reads_as_its_own_label():
    (line,) = lines_of(entry(Submission, "transition", {"status": ["approved", "reopened"]}))
    assert line.endswith("→ " + Submission.workflow.label("reopened"))
    assert "reopened" not in line and "approved" not in line


@pytest.mark.django_db
def test_choices_booleans_dates_and_numbers_read_the_vietnamese_way():
    assert lines_of(entry(Membership, "update", {"role": ["viewer", "reporter"]})) == [
        f"Vai trò: {Role.VIEWER.label} → {Role.REPORTER.label}"]
    assert lines_of(entry(Event, "update", {"is_public": [False, True]})) == ["Công khai: Không → Có"]
    (dates,) = lines_of(entry(Organization, "update", {"valid_to": [None, "2025-06-30"]}))
    assert dates.endswith(": — → 30/06/2025")
    assert lines_of(entry(DataValue, "update", {"value": ["1234.50", "2000"]})) == ["Giá trị: 1.234,5 → 2.000"]
    (year,) = lines_of(entry(Commemoration, "create", {"origin_year": [None, 1954]}))
    assert year.endswith(": 1954")


@pytest.mark.django_db
def test_relations_read_as_added_and_invited_names():
    lines = lines_of(entry(Program, "relation", {"parties": {"added": ["Hội LHPN"], "invited": ["Đoàn TN"]}}))
    assert lines == ["Thêm bên tham gia: Hội LHPN; mời: Đoàn TN"]


@pytest.mark.django_db
def test_nothing_internal_is_shown():
    lines = lines_of(entry(Organization, "create", {"demo_figures": [None, {"values": 1200, "submissions": 3}],
                                                    "no_such_field": [None, {"a": 1}]}))
    assert lines == ["Số liệu minh họa đã nạp: 1.200 số liệu, 3 báo cáo kỳ", "Thông tin khác: 1"]
    text = " ".join(lines)
    assert "{" not in text and "_" not in text and "values" not in text


@pytest.mark.django_db
def test_english_mode_reads_english_labels():
    with translation.override("en"):
        (line,) = lines_of(entry(Program, "transition", {"status": ["draft", "in_force"]}))
        assert line == f"{Program._meta.get_field('status').verbose_name.capitalize()}: " \
                       f"{ProgramStatus.DRAFT.label} → {ProgramStatus.IN_FORCE.label}"
        assert "Dự thảo" not in line


@pytest.mark.django_db
def test_the_history_table_shows_the_lines_and_the_note():
    program = ProgramFactory()
    AuditEntry.objects.create(content_type=ContentType.objects.get_for_model(Program), object_id=str(program.pk),
                              object_repr=str(program), action="transition",
                              changes={"status": ["draft", "signed"]}, note="Ký tại hội nghị")
    html = render_to_string("audit/_history.html", {"history": history_for(program)})
    assert "Trạng thái: Dự thảo → Đã ký kết" in html and "Ký tại hội nghị" in html
    assert "draft" not in html and "signed" not in html
    assert [p.lines for p in present(history_for(program).filter(action="transition"))] == [
        ["Trạng thái: Dự thảo → Đã ký kết"]]
