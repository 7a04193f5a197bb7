"""An audit entry in the reader's language: the one presenter of every history list.

`AuditEntry.changes` holds what the recorder saw — field names, stored choice values, ISO dates,
decimals as text, {"added": [...]} for relations. `present(entry)` turns each change into one
human line: the field's verbose name (capitalised), choice values as their labels (a workflow's
states and steps through its own labels), booleans as Có/Không, dates dd/mm/yyyy, numbers in the
active language's format, names of related objects as recorded. Nothing internal is shown: an
unknown field gets a generic label, a dict its labelled parts, never its keys or Python form.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

NOTHING = "—"
MAX_TEXT = 300

# Keys recorded by hand (not model fields) and what they are: (label, kind of value).
EXTRA_FIELDS: dict[str, tuple[Any, str]] = {
    "signing": (gettext_lazy("Ngày ký kết"), "date"),
    "demo_figures": (gettext_lazy("Số liệu minh họa đã nạp"), "counts"),
}
# Fields recorded without a verbose name.
UNNAMED_FIELDS = {
    "value": gettext_lazy("giá trị"),
    "text_value": gettext_lazy("nội dung"),
    "comment": gettext_lazy("ghi chú"),
    "order": gettext_lazy("thứ tự"),
}
# The parts of a recorded count ({"values": 12, …}) and of a relation change ({"added": […]}).
COUNT_LABELS = {
    "values": gettext_lazy("số liệu"),
    "submissions": gettext_lazy("báo cáo kỳ"),
    "activities": gettext_lazy("hoạt động"),
    "targets": gettext_lazy("chỉ tiêu"),
}
RELATION_VERBS = {
    "added": pgettext_lazy("history", "thêm"),
    "removed": pgettext_lazy("history", "bỏ"),
    "invited": pgettext_lazy("history", "mời"),
    "replaced": pgettext_lazy("history", "thay thế"),
}


@dataclass(frozen=True)
class PresentedEntry:
    """An entry ready to show: its lines ("Trạng thái: Dự thảo → Đã ký kết") and its note."""

    entry: Any
    lines: list[str]
    fields: list[str]  # the changed fields' labels, for a compact list

    @property
    def at(self):
        return self.entry.at

    @property
    def who(self) -> str:
        return self.entry.who

    @property
    def action(self) -> str:
        return self.entry.get_action_display()

    @property
    def is_transition(self) -> bool:
        return self.entry.action == "transition"

    @property
    def object_repr(self) -> str:
        return self.entry.object_repr

    @property
    def note(self) -> str:
        return self.entry.note


def _model_of(entry) -> type[models.Model] | None:
    try:
        return ContentType.objects.get_for_id(entry.content_type_id).model_class()
    except ContentType.DoesNotExist:
        return None


def _field(model: type[models.Model] | None, name: str):
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _unnamed(field) -> bool:
    """Whether Django made the field's verbose name from its code name (a given one is lazy)."""
    return not isinstance(field.verbose_name, Promise) and field.verbose_name == field.name.replace("_", " ")


def field_label(model: type[models.Model] | None, name: str) -> str:
    """The capitalised verbose name of a recorded field (or of a relation, its model's plural)."""
    if name in EXTRA_FIELDS:
        return capfirst(str(EXTRA_FIELDS[name][0]))
    field = _field(model, name)
    if field is None:
        return _("Thông tin khác")
    if field.auto_created and not field.concrete:  # a reverse relation: the related model's name
        return capfirst(str(field.related_model._meta.verbose_name_plural))
    if _unnamed(field):  # no verbose name given: never the code name
        if field.is_relation:
            return capfirst(str(field.related_model._meta.verbose_name))
        return capfirst(str(UNNAMED_FIELDS.get(name, _("Thông tin khác"))))
    return capfirst(str(field.verbose_name))


def _date(value: Any) -> str | None:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if "T" in value or " " in value else dt.date.fromisoformat(value)
        except ValueError:
            return None
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")
    if isinstance(value, dt.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    return None


def _is_year(name: str) -> bool:
    return name == "year" or name.endswith("_year") or name.startswith("year_")


def _number(value: Any, grouping: bool = True) -> str:
    if isinstance(value, str):
        try:
            value = decimal.Decimal(value)
        except decimal.InvalidOperation:
            return value
    if isinstance(value, decimal.Decimal):
        value = value.normalize()
        if value == value.to_integral_value():
            value = value.quantize(decimal.Decimal(1))
    return formats.number_format(value, use_l10n=True, force_grouping=grouping)


def _counts(value: Any) -> str:
    if not isinstance(value, dict):
        return _plain_text(value)
    parts = [f"{_number(n)} {COUNT_LABELS[k]}" for k, n in value.items() if k in COUNT_LABELS]
    return ", ".join(parts) or NOTHING


def _plain_text(value: Any) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, (int, float, decimal.Decimal)):
        return _number(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain_text(v) for v in value) or NOTHING
    if isinstance(value, dict):  # never a Python dict on a page: its values, labelled where known
        return _counts(value) if set(value) <= set(COUNT_LABELS) else ", ".join(_plain_text(v) for v in value.values())
    return Truncator(str(value)).chars(MAX_TEXT)


def _state_label(model: type[models.Model] | None, name: str, value: Any) -> str | None:
    workflow = getattr(model, "workflow", None)
    if workflow is not None and workflow.field == name and value not in (None, ""):
        return workflow.label(str(value))
    return None


def value_text(model: type[models.Model] | None, name: str, value: Any) -> str:
    """One recorded value as the reader reads it."""
    if value is None or value == "":
        return NOTHING
    if name in EXTRA_FIELDS:
        kind = EXTRA_FIELDS[name][1]
        if kind == "date":
            return _date(value) or _plain_text(value)
        return _counts(value)
    state = _state_label(model, name, value)
    if state is not None:
        return state
    field = _field(model, name)
    if field is None:
        return _plain_text(value)
    if getattr(field, "choices", None):
        labels = {str(k): v for k, v in field.flatchoices}
        return str(labels.get(str(value), _("Giá trị khác")))
    if isinstance(field, models.BooleanField):
        return _("Có") if value in (True, "True", "true", 1) else _("Không")
    if isinstance(field, (models.DateField, models.DateTimeField)):
        return _date(value) or _plain_text(value)
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)) and not isinstance(value, bool):
        return _number(value, grouping=not _is_year(name))
    if isinstance(field, models.FileField):
        return str(value).rsplit("/", 1)[-1]
    return _plain_text(value)


def _relation_text(model: type[models.Model] | None, name: str, change: dict) -> str:
    field = _field(model, name)
    related = field.related_model if field is not None and field.related_model else None
    thing = str(related._meta.verbose_name) if related is not None else ""
    parts = []
    for key, names in change.items():
        if key == "cleared":
            parts.append(pgettext("history", "bỏ hết"))
            continue
        if not names:  # nothing named: nothing to say
            continue
        verb = str(RELATION_VERBS.get(key, pgettext("history", "sửa")))
        label = f"{verb} {thing}" if thing and key in ("added", "removed") else verb
        parts.append(f"{label}: {_plain_text(names)}")
    return capfirst("; ".join(parts))


def lines_of(entry) -> list[str]:
    """The human lines of one entry's changes."""
    model = _model_of(entry)
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    lines = []
    for name, change in changes.items():
        if entry.action == "relation" and isinstance(change, dict):
            text = _relation_text(model, name, change)
            if text:
                lines.append(text)
            continue
        label = field_label(model, name)
        if not isinstance(change, (list, tuple)) or len(change) != 2:
            lines.append(f"{label}: {value_text(model, name, change)}")
        elif entry.action == "create":
            lines.append(f"{label}: {value_text(model, name, change[1])}")
        elif entry.action == "delete":
            lines.append(f"{label}: {value_text(model, name, change[0])}")
        else:
            lines.append(f"{label}: {value_text(model, name, change[0])} → {value_text(model, name, change[1])}")
    return lines


def present(entries) -> list[PresentedEntry]:
    """Entries (an AuditEntry queryset or list) ready for `audit/_history.html`."""
    result = []
    for entry in entries:
        model = _model_of(entry)
        names = entry.changes if isinstance(entry.changes, dict) else {}
        result.append(PresentedEntry(entry, lines_of(entry), [field_label(model, name) for name in names]))
    return result
