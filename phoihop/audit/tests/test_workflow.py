"""The workflow helper: an allowed move writes the state and its side fields and is recorded with
its reason; a refused one writes nothing and says why in Vietnamese."""

import datetime as dt

import pytest

from phoihop.audit import workflow
from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.audit.recorder import history_for
from phoihop.audit.workflow import TransitionError, Workflow
from phoihop.factories import ProgramFactory
from phoihop.programs.models import Program, ProgramStatus

pytestmark = pytest.mark.django_db

# A workflow of its own on the program table: a step recorded under another name than the state
# it writes ("restarted", written as draft) and a side field written by the hook.
FLOW = Workflow(
    ProgramStatus,
    {ProgramStatus.DRAFT: {ProgramStatus.SIGNED}, ProgramStatus.SIGNED: {"restarted"}},
    steps={"restarted": (ProgramStatus.DRAFT, "Làm lại")},
    side_fields=lambda program, new, note: {"signing_date": dt.date(2019, 7, 9)} if new == ProgramStatus.SIGNED else {},
)


def test_an_allowed_move_writes_the_state_and_its_side_fields_and_records_the_reason(manager):
    program = ProgramFactory()
    with acting_as(manager):
        FLOW.move(program, ProgramStatus.SIGNED, "Ký tại hội nghị", purpose="Mục đích mới")
    stored = Program.objects.get(pk=program.pk)
    assert (stored.status, stored.signing_date, stored.purpose) == ("signed", dt.date(2019, 7, 9), "Mục đích mới")
    assert (program.status, program.signing_date, program.purpose) == ("signed", dt.date(2019, 7, 9), "Mục đích mới")
    entry = history_for(program).get(action="transition")
    assert entry.changes == {"status": ["draft", "signed"]}
    assert entry.note == "Ký tại hội nghị" and entry.actor == manager


def test_a_step_is_recorded_under_its_own_name_and_writes_its_state():
    program = ProgramFactory()
    FLOW.move(program, ProgramStatus.SIGNED)
    FLOW.move(program, "restarted", "Soạn lại")
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.DRAFT
    entries = history_for(program).filter(action="transition").order_by("at", "id")
    assert [(e.changes["status"], e.note) for e in entries] == [(["draft", "signed"], ""), (["signed", "restarted"], "Soạn lại")]


def test_a_refused_move_writes_nothing_and_says_why_with_the_labels():
    program = ProgramFactory()
    before = AuditEntry.objects.count()
    with pytest.raises(TransitionError) as refused:
        FLOW.move(program, ProgramStatus.ENDED, "Kết thúc")
    assert refused.value.messages == ["Không thể chuyển từ “Dự thảo” sang “Đã kết thúc”."]
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.DRAFT and program.status == ProgramStatus.DRAFT
    assert AuditEntry.objects.count() == before


def test_the_check_reads_the_stored_state_not_a_stale_copy():
    program = ProgramFactory()
    stale = Program.objects.get(pk=program.pk)
    workflow.move(program, ProgramStatus.SIGNED)
    with pytest.raises(TransitionError):
        workflow.move(stale, ProgramStatus.SIGNED)  # already signed in the database
    assert history_for(program).filter(action="transition").count() == 1


def test_each_model_moves_through_its_own_declared_workflow():
    program = ProgramFactory()
    workflow.move(program, ProgramStatus.SIGNED, "Ký ngày 09/7/2019")
    workflow.move(program, ProgramStatus.IN_FORCE)
    with pytest.raises(TransitionError, match="Không thể chuyển từ “Đang thực hiện” sang “Dự thảo”."):
        workflow.move(program, ProgramStatus.DRAFT)
    assert Program.objects.get(pk=program.pk).status == ProgramStatus.IN_FORCE
