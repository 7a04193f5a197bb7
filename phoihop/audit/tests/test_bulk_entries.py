"""Entries written in bulk (for rows written without signals) are the entries the signals write."""

import pytest

from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.audit.recorder import (
    created_changes,
    history_for,
    snapshot,
    snapshot_of,
    updated_changes,
    write_entries_bulk,
    write_entry,
)
from phoihop.factories import OrganizationFactory
from phoihop.organizations.models import Organization


def fields_of(instance) -> dict:
    return {f.name: getattr(instance, f.name) for f in instance._meta.concrete_fields}


@pytest.mark.django_db
def test_bulk_entries_are_the_entries_write_entry_writes(manager):
    one, other = OrganizationFactory(name="Hội Nông dân"), OrganizationFactory(name="Hội Cựu chiến binh")
    with acting_as(manager):
        write_entry(one, "update", {"short_name": ["HND", "Hội ND"]}, "ghi chú")
        assert write_entries_bulk([(other, "update", {"short_name": ["CCB", "Hội CCB"]})], "ghi chú") == 1
    single, bulk = history_for(one).get(action="update"), history_for(other).get(action="update")
    assert bulk.actor == manager and bulk.actor_label == single.actor_label == "manager"
    assert (bulk.content_type, bulk.note) == (single.content_type, single.note)
    assert (bulk.object_id, bulk.object_repr) == (str(other.pk), "Hội Cựu chiến binh")
    assert bulk.changes == {"short_name": ["CCB", "Hội CCB"]}
    assert bulk.at is not None


@pytest.mark.django_db
def test_without_an_actor_the_bulk_entries_name_no_one():
    org = OrganizationFactory()
    write_entries_bulk([(org, "create", created_changes(snapshot(org)))])
    entry = AuditEntry.objects.filter(action="create").order_by("-id").first()
    assert (entry.actor, entry.actor_label, entry.who) == (None, "", "hệ thống")
    assert entry.changes == history_for(org).order_by("id").first().changes  # the signal's own create entry


@pytest.mark.django_db
def test_an_instance_without_an_id_cannot_be_recorded():
    with pytest.raises(ValueError, match="primary key"):
        write_entries_bulk([(Organization(name="Chưa lưu"), "create", {})])


@pytest.mark.django_db
def test_a_snapshot_of_values_equals_the_snapshot_of_an_instance_holding_them():
    org = OrganizationFactory(name="Hội Khuyến học", short_name="HKH")
    assert snapshot_of(Organization, fields_of(org)) == snapshot(org)
    before = snapshot(org)
    org.short_name = "Hội KH"
    assert updated_changes(before, snapshot(org)) == {"short_name": ["HKH", "Hội KH"]}
    with pytest.raises(KeyError):
        snapshot_of(Organization, {"name": "thiếu các trường khác"})
