"""The calendar feeds a private link (FeedToken) may be made for, by kind.

accounts sits below the apps that own the feeds' subjects, so it does not look them up itself:
the almanac (which serves the feeds) registers one resolver per kind (`program`, `org`) at start.
A resolver takes (user, key) and returns (name, feed path), through the owning app's access
helpers: Http404 for what the user may not see.
"""

from __future__ import annotations

from collections.abc import Callable

Resolver = Callable[[object, str], tuple[str, str]]

_RESOLVERS: dict[str, Resolver] = {}


def register(kind: str, resolver: Resolver) -> None:
    _RESOLVERS[kind] = resolver


def resolver_for(kind: str) -> Resolver | None:
    return _RESOLVERS.get(kind)
