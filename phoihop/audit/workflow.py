"""One verb for every state machine: `move(obj, new_state, note, **fields)`.

A model declares its states, the allowed moves and what a move writes besides the state as a class
attribute `workflow = Workflow(...)`. `move` checks the move against the row as it is in the
database (locked until the end of the transaction), writes the state and the side fields in one
UPDATE and records the step with its reason in the audit log (`record_transition`). Nothing else
writes a workflow state. This module knows no domain app.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from phoihop.audit.recorder import record_transition


class TransitionError(ValidationError):
    """The move is not allowed from the current state (nothing was written)."""


def _refused(old: str, new: str) -> str:
    return _("Không thể chuyển từ “%(old)s” sang “%(new)s”.") % {"old": old, "new": new}


class Workflow:
    """States with their labels (`states`, a TextChoices), allowed moves {from: {to…}}, and:

    - `steps`: recorded steps that are not stored states, {step: (stored state, label)} — e.g. a
      reopening is written as "draft" but recorded as "reopened";
    - `side_fields(obj, new_state, note)`: the other fields the move writes ({name: value});
    - `refused(old_label, new_label)`: the message of a refused move (Vietnamese, translatable);
    - `current_label(obj)`: the label of the current state when it depends on more than the state.
    """

    def __init__(
        self,
        states: type[models.TextChoices],
        moves: Mapping[str, Collection[str]],
        *,
        field: str = "status",
        steps: Mapping[str, tuple[str, str]] | None = None,
        side_fields: Callable[[models.Model, str, str], dict[str, Any]] | None = None,
        refused: Callable[[str, str], str] = _refused,
        current_label: Callable[[models.Model], str] | None = None,
    ):
        self.states = states
        self.moves = {str(old): {str(new) for new in news} for old, news in moves.items()}
        self.field = field
        self.steps = dict(steps or {})
        self.side_fields = side_fields
        self.refused = refused
        self.current_label = current_label

    def label(self, state: str) -> str:
        if state in self.steps:
            return str(self.steps[state][1])
        try:
            return str(self.states(state).label)
        except ValueError:
            return str(state)

    def allows(self, old: str, new: str) -> bool:
        return str(new) in self.moves.get(str(old), set())

    def move(self, obj: models.Model, new_state: str, note: str = "", **fields: Any) -> None:
        """Move `obj` to `new_state` if allowed (else TransitionError), with `fields` written too."""
        model = type(obj)
        new_state = str(new_state)
        with transaction.atomic():
            old = model._base_manager.select_for_update().values_list(self.field, flat=True).get(pk=obj.pk)
            if not self.allows(old, new_state):
                current = self.current_label(obj) if self.current_label else self.label(old)
                raise TransitionError(self.refused(current, self.label(new_state)))
            values = {self.field: self.steps.get(new_state, (new_state,))[0]}
            if self.side_fields is not None:
                values.update(self.side_fields(obj, new_state, note))
            values.update(fields)
            model._base_manager.filter(pk=obj.pk).update(**values)
            for name, value in values.items():
                setattr(obj, name, value)
            record_transition(obj, self.field, old, new_state, note)


def move(obj: models.Model, new_state: str, note: str = "", **fields: Any) -> None:
    """Move `obj` through its model's workflow (`type(obj).workflow`), recorded with `note`."""
    type(obj).workflow.move(obj, new_state, note, **fields)
