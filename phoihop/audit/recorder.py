"""Records every change of a registered model into AuditEntry.

Register a model with `@audited` (optionally `exclude=`). Saves, deletes and many-to-many edits
are caught by signals; a state change is recorded explicitly with `record_transition()`, so the
approval history is read from this log, never guessed.
"""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

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
    from django.db.models.fields.files import FieldFile

    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value)
    return value


def _snapshot(instance: models.Model) -> dict[str, Any]:
    excluded = _REGISTRY[type(instance)]
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in excluded or field.primary_key:
            continue
        if field.is_relation:
            raw = getattr(instance, field.attname)
            data[field.name] = None if raw is None else str(getattr(instance, field.name))
        else:
            data[field.name] = _plain(getattr(instance, field.attname))
    return data


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
        changes = {k: [None, v] for k, v in after.items() if v not in (None, "")}
        write_entry(instance, "create", changes)
        return
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
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
