"""Who is acting: set once per request (middleware) or per command (`acting_as`)."""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class Actor:
    user_id: int | None
    label: str


_current: contextvars.ContextVar[Actor | None] = contextvars.ContextVar("audit_actor", default=None)


def current_actor() -> Actor | None:
    return _current.get()


@contextlib.contextmanager
def acting_as(user=None, label: str = ""):
    """Attribute every change inside the block to `user` (or to `label`, e.g. "loaddemo")."""
    actor = Actor(
        user_id=getattr(user, "pk", None),
        label=label or (user.get_username() if user is not None else ""),
    )
    token = _current.set(actor)
    try:
        yield actor
    finally:
        _current.reset(token)
