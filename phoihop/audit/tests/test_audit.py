import pytest

from phoihop.audit import workflow
from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.audit.recorder import history_for
from phoihop.factories import OrganizationFactory, ProgramFactory


@pytest.mark.django_db
def test_it_records_creation_with_the_acting_user(manager):
    with acting_as(manager):
        org = OrganizationFactory(name="Hội Khuyến học thành phố")
    entry = history_for(org).get()
    assert entry.action == "create"
    assert entry.actor == manager
    assert entry.changes["name"] == [None, "Hội Khuyến học thành phố"]


@pytest.mark.django_db
def test_it_records_before_and_after_of_an_update():
    org = OrganizationFactory(name="Hội Cựu chiến binh", short_name="Hội CCB")
    org.short_name = "CCB"
    with acting_as(label="thử"):
        org.save()
    entry = history_for(org).filter(action="update").get()
    assert entry.changes == {"short_name": ["Hội CCB", "CCB"]}
    assert entry.actor_label == "thử"


@pytest.mark.django_db
def test_a_save_without_changes_writes_nothing():
    org = OrganizationFactory()
    before = AuditEntry.objects.count()
    org.save()
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_status_transitions_are_recorded_from_and_to():
    program = ProgramFactory()
    workflow.move(program, "signed", note="Ký ngày 09/7/2019")
    entry = history_for(program).filter(action="transition").get()
    assert entry.changes == {"status": ["draft", "signed"]}
    assert entry.note == "Ký ngày 09/7/2019"


@pytest.mark.django_db
def test_deletions_and_relation_changes_are_recorded():
    a, b = ProgramFactory(), ProgramFactory()
    b.predecessors.add(a)
    relation = history_for(b).filter(action="relation").get()
    assert relation.changes == {"predecessors": {"added": [a.title]}}
    pk = a.pk
    a.delete()
    assert AuditEntry.objects.filter(object_id=str(pk), action="delete").exists()
