"""insert_rows / update_rows: rows written without the ORM read back as rows it wrote."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from phoihop.audit.models import AuditEntry
from phoihop.core.sql import insert_rows, update_rows

COLUMNS = ["at", "actor_id", "actor_label", "content_type_id", "object_id", "object_repr", "action", "changes", "note"]


@pytest.fixture
def content_type(db):
    return ContentType.objects.get_for_model(AuditEntry)


@pytest.mark.django_db
def test_inserted_rows_read_back_as_the_orm_would_have_written_them(content_type, manager):
    at = timezone.now()
    rows = [(at, manager.pk if n % 2 else None, "thử", content_type.pk, str(n), f"Mục {n}", "create",
             {"giá trị": [None, f"{n}.00"], "n": n}, "") for n in range(250)]
    returned = insert_rows(AuditEntry, COLUMNS, rows, returning=["id", "object_id"])
    ids = {object_id: pk for pk, object_id in returned}
    assert len(ids) == 250
    entry = AuditEntry.objects.get(pk=ids["7"])
    assert (entry.at, entry.actor, entry.object_repr, entry.changes) == (at, manager, "Mục 7", {"giá trị": [None, "7.00"], "n": 7})
    assert AuditEntry.objects.get(pk=ids["8"]).actor is None
    assert AuditEntry.objects.filter(at=at).count() == 250  # the timestamp is stored as the ORM stores it


@pytest.mark.django_db
def test_update_rows_changes_only_the_named_fields(content_type):
    first = AuditEntry.objects.create(content_type=content_type, object_id="1", object_repr="Một", action="create")
    second = AuditEntry.objects.create(content_type=content_type, object_id="2", object_repr="Hai", action="create")
    later = timezone.now() + dt.timedelta(days=1)
    update_rows(AuditEntry, ["note", "at"], [(first.pk, "sửa", later), (second.pk, "", later)])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.note, first.at, first.object_repr) == ("sửa", later, "Một")
    assert (second.note, second.at) == ("", later)


@pytest.mark.django_db
def test_a_row_with_a_missing_value_is_refused(content_type):
    with pytest.raises(ValueError, match="needs 9 values"):
        insert_rows(AuditEntry, COLUMNS, [(timezone.now(), None, "", content_type.pk, "1", "Một", "create", {})])
