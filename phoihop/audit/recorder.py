"""Records every change of a registered model into AuditEntry.

Register a model with `@audited` (optionally `exclude=`). Saves, deletes and many-to-many edits
are caught by signals; a state change is recorded explicitly with `record_transition()`, so the
approval history is read from this log, never guessed.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.fields.files import FieldFile
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone

from phoihop.audit.context import current_actor

_REGISTRY: dict[type[models.Model], set[str]] = {}
_ALWAYS_EXCLUDED = {"search_text", "created_at", "updated_at", "version"}


def audited(model: type[models.Model] | None = None, *, exclude: tuple[str, ...] = ()):
    def register(cls: type[models.Model]) -> type[models.Model]:
        _REGISTRY[cls] = set(exclude) | _ALWAYS_EXCLUDED
        return cls

    return register(model) if model is not None else register


def is_audited(model: type[models.Model]) -> bool:
    return model in _REGISTRY


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int)):  # most values: nothing to convert
        return value
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


_RECORDED: dict[type[models.Model], list[tuple[str, str, bool]]] = {}


def _recorded(model: type[models.Model]) -> list[tuple[str, str, bool]]:
    """(name, attname, is relation) of the fields recorded for a registered model."""
    if model not in _RECORDED:
        excluded = _REGISTRY[model]
        _RECORDED[model] = [
            (f.name, f.attname, f.is_relation) for f in model._meta.concrete_fields
            if f.name not in excluded and not f.primary_key
        ]
    return _RECORDED[model]


def _snapshot(instance: models.Model) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name, attname, relation in _recorded(type(instance)):
        if relation:
            raw = getattr(instance, attname)
            data[name] = None if raw is None else str(getattr(instance, name))
        else:
            data[name] = _plain(getattr(instance, attname))
    return data


def snapshot(instance: models.Model) -> dict[str, Any]:
    """What is recorded of an instance now (relations by name: cache them, or each costs a query)."""
    return _snapshot(instance)


def snapshot_of(model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
    """What is recorded of a `model` row whose fields hold `values` ({field name: value}, the
    related object or None for a relation; every recorded field), without an instance: for rows
    written in bulk. Equal to the snapshot of an instance holding those values."""
    return {
        name: (None if values[name] is None else str(values[name])) if relation else _plain(values[name])
        for name, _attname, relation in _recorded(model)
    }


def created_changes(after: dict[str, Any]) -> dict:
    """`changes` of a "create" entry from the row's snapshot: every field that has a value."""
    return {k: [None, v] for k, v in after.items() if v not in (None, "")}


def updated_changes(before: dict[str, Any], after: dict[str, Any]) -> dict:
    """`changes` of an "update" entry: the fields whose snapshot differs (empty: record nothing)."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def write_entry(instance: models.Model, action: str, changes: dict, note: str = "") -> None:
    from phoihop.audit.models import AuditEntry

    actor = current_actor()
    AuditEntry.objects.create(
        actor_id=actor.user_id if actor else None,
        actor_label=actor.label if actor else "",
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        action=action,
        changes=changes,
        note=note,
    )


_BULK_COLUMNS = ["at", "actor_id", "actor_label", "content_type_id", "object_id", "object_repr", "action", "changes", "note"]


def write_entries_bulk(entries: Iterable[tuple[models.Model, str, dict]], note: str = "") -> int:
    """Write the entry of each (instance, action, changes[, at[, note]]) in a few INSERTs, for rows
    written in bulk (no signals); `at` defaults to now, the entry's note to `note`. The entries are the ones `write_entry` writes: same actor, object, text
    and changes (`created_changes`, `updated_changes`), all at one time. Instances need their pk."""
    from phoihop.audit.models import AuditEntry
    from phoihop.core.sql import insert_rows

    actor = current_actor()
    actor_id, label = (actor.user_id, actor.label) if actor else (None, "")
    at = timezone.now()
    content_types: dict[type, int] = {}
    rows = []
    for entry in entries:
        instance, action, changes = entry[:3]
        when = entry[3] if len(entry) > 3 else at  # a past moment, for history loaded in bulk
        text = entry[4] if len(entry) > 4 else note
        if instance.pk is None:
            raise ValueError(f"{instance!r} has no primary key yet; an audit entry needs the object's id.")
        model = type(instance)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(model).pk
        rows.append((when, actor_id, label, content_types[model], str(instance.pk), str(instance)[:300], action, changes, text))
    insert_rows(AuditEntry, _BULK_COLUMNS, rows)
    return len(rows)


def record_transition(instance: models.Model, field: str, before: str, after: str, note: str = "") -> None:
    """Record a workflow step (status from → to) with an optional reason."""
    write_entry(instance, "transition", {field: [before, after]}, note)


def _pre_save(sender, instance, raw=False, **kwargs):
    if raw or sender not in _REGISTRY:
        return
    before = None
    if instance.pk is not None and not instance._state.adding:
        old = sender._default_manager.filter(pk=instance.pk).first()
        before = _snapshot(old) if old is not None else None
    instance._audit_before = before


def _post_save(sender, instance, created, raw=False, **kwargs):
    if raw or sender not in _REGISTRY:
        return
    after = _snapshot(instance)
    before = getattr(instance, "_audit_before", None)
    if created or before is None:
        write_entry(instance, "create", created_changes(after))
        return
    changes = updated_changes(before, after)
    if changes:
        write_entry(instance, "update", changes)
    instance._audit_before = after


def _post_delete(sender, instance, **kwargs):
    if sender not in _REGISTRY:
        return
    write_entry(instance, "delete", {k: [v, None] for k, v in _snapshot(instance).items()})


def _m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "post_clear"} or reverse:
        return
    if type(instance) not in _REGISTRY:
        return
    field_name = next(
        (f.name for f in type(instance)._meta.many_to_many if f.remote_field.through is sender),
        sender.__name__,
    )
    names = sorted(str(o) for o in model._default_manager.filter(pk__in=pk_set or []))
    if action == "post_add":
        changes = {field_name: {"added": names}}
    elif action == "post_remove":
        changes = {field_name: {"removed": names}}
    else:
        changes = {field_name: {"cleared": True}}
    write_entry(instance, "relation", changes)


def connect_signals() -> None:
    pre_save.connect(_pre_save, dispatch_uid="audit_pre_save")
    post_save.connect(_post_save, dispatch_uid="audit_post_save")
    post_delete.connect(_post_delete, dispatch_uid="audit_post_delete")
    m2m_changed.connect(_m2m_changed, dispatch_uid="audit_m2m")


def history_for(instance: models.Model):
    from phoihop.audit.models import AuditEntry

    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(type(instance)), object_id=str(instance.pk)
    ).select_related("actor")
