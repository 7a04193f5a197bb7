"""Upcoming focus ("trọng tâm sắp tới"): what an organisation or a program should prepare for in a
date window. One service, used by the dashboard, the month view, the calendar feeds and the
"directions and tasks" section of review reports.

Each kind of item comes from a provider, a callable `provider(scope) -> Iterable[FocusItem]`.
The almanac registers anniversaries, events (programs.Event) and year themes/resolutions; another
app plugs in its own (reporting deadlines, planned activities) from its AppConfig.ready():

    from phoihop.almanac.focus import FocusItem, register_focus_provider

    @register_focus_provider
    def reporting_deadlines(scope):
        for period in ...:
            yield FocusItem(kind="deadline", title=..., date=period.deadline, url=...)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from phoihop.accounts import permissions as perms
from phoihop.almanac import services

ANNIVERSARY = "anniversary"
DEADLINE = "deadline"
ACTIVITY = "activity"
EVENT = "event"
THEME = "theme"
RESOLUTION = "resolution"
# The order of the sections in the panel and in a report's "directions and tasks".
KIND_ORDER = (ANNIVERSARY, DEADLINE, ACTIVITY, EVENT, THEME, RESOLUTION)


@dataclass
class FocusScope:
    """Who the focus is for and when. With neither organisation nor program, the user's own
    organisations (all of them for a system administrator)."""

    start: dt.date
    end: dt.date
    user: Any = None
    organization: Any = None
    program: Any = None

    @cached_property
    def organization_ids(self) -> set[int] | None:
        """None means "every organisation" (a system administrator's own view)."""
        if self.program is not None:
            return self.program.related_organization_ids()
        if self.organization is not None:
            return {self.organization.pk}
        if perms.is_system_admin(self.user):
            return None
        return perms.org_ids(self.user) if self.user is not None else set()

    @cached_property
    def unit_ids(self) -> set[int] | None:
        if self.organization_ids is None:
            return None
        return services.unit_ids_for(self.organization_ids)


@dataclass
class FocusItem:
    kind: str
    title: str
    date: dt.date | None = None
    detail: str = ""
    url: str = ""
    rank: int = 0  # within a kind: lower first (round anniversaries 0, ending in 5: 1, others 2)
    data: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "detail": self.detail,
            "url": self.url,
            "rank": self.rank,
            **({"data": self.data} if self.data else {}),
        }


FocusProvider = Callable[[FocusScope], Iterable[FocusItem]]
_PROVIDERS: list[FocusProvider] = []


def register_focus_provider(provider: FocusProvider) -> FocusProvider:
    """Add a provider (once); usable as a decorator."""
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def focus_providers() -> list[FocusProvider]:
    return list(_PROVIDERS)


@dataclass
class Focus:
    scope: FocusScope
    items: list[FocusItem]

    def of_kind(self, kind: str) -> list[FocusItem]:
        return [item for item in self.items if item.kind == kind]

    @property
    def anniversaries(self) -> list[FocusItem]:
        return self.of_kind(ANNIVERSARY)

    @property
    def deadlines(self) -> list[FocusItem]:
        return self.of_kind(DEADLINE)

    @property
    def activities(self) -> list[FocusItem]:
        return self.of_kind(ACTIVITY)

    @property
    def events(self) -> list[FocusItem]:
        return self.of_kind(EVENT)

    @property
    def themes(self) -> list[FocusItem]:
        return self.of_kind(THEME)

    @property
    def resolutions(self) -> list[FocusItem]:
        return self.of_kind(RESOLUTION)

    @property
    def is_empty(self) -> bool:
        return not self.items

    def lines(self) -> list[str]:
        """Plain sentences for a report's "phương hướng, nhiệm vụ" section."""
        return [item.title for item in self.items]

    def as_dict(self) -> dict:
        return {
            "start": self.scope.start.isoformat(),
            "end": self.scope.end.isoformat(),
            "items": [item.as_dict() for item in self.items],
        }


def _sort_key(item: FocusItem):
    kind_index = KIND_ORDER.index(item.kind) if item.kind in KIND_ORDER else len(KIND_ORDER)
    return (kind_index, item.rank, item.date or dt.date.max, item.title)


def upcoming_focus(scope: FocusScope, providers: Iterable[FocusProvider] | None = None) -> Focus:
    """Everything in the window from every provider: anniversaries (round ones first), deadlines,
    activities, events, then the year's theme and resolutions."""
    services.check_window(scope.start, scope.end)
    items: list[FocusItem] = []
    for provider in providers if providers is not None else _PROVIDERS:
        items.extend(provider(scope))
    return Focus(scope=scope, items=sorted(items, key=_sort_key))


# --- The almanac's own providers ------------------------------------------------------------------


@register_focus_provider
def anniversary_items(scope: FocusScope) -> Iterable[FocusItem]:
    commemorations = services.commemorations_for(scope.organization_ids, scope.unit_ids)
    for anniversary in services.anniversaries(scope.start, scope.end, commemorations):
        yield FocusItem(
            kind=ANNIVERSARY,
            title=anniversary.text,
            date=anniversary.date,
            detail=anniversary.kind_label if anniversary.years else "",
            rank=anniversary.rank,
            data={"anniversary": anniversary},
        )


def events_in_scope(scope: FocusScope):
    """Events of the scope in the window that the scope's user may see (public ones only for a
    visitor or with no user)."""
    from phoihop.programs.access import events_visible_to
    from phoihop.programs.models import Event

    if scope.user is None or not scope.user.is_authenticated:
        qs = Event.objects.filter(is_public=True)  # a visitor, or a document for the public
    else:
        qs = events_visible_to(scope.user)
    start = timezone.make_aware(dt.datetime.combine(scope.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(scope.end + dt.timedelta(days=1), dt.time.min))
    qs = qs.filter(starts_at__gte=start, starts_at__lt=end)
    if scope.program is not None:
        qs = qs.filter(programs=scope.program)
    elif scope.organization is not None:
        org = scope.organization
        qs = qs.filter(
            Q(organizations=org) | Q(programs__parties__organization=org) | Q(committee__standing_office=org)
        )
    return qs.distinct().order_by("starts_at")


@register_focus_provider
def event_items(scope: FocusScope) -> Iterable[FocusItem]:
    for event in events_in_scope(scope):
        local = timezone.localtime(event.starts_at)
        detail = f"{local:%H:%M}" + (f", {event.place}" if event.place else "")
        yield FocusItem(
            kind=EVENT,
            title=event.title,
            date=local.date(),
            detail=f"{event.get_kind_display()} — {detail}",
            url=_event_url(event.pk),
            data={"event": event},
        )


def _event_url(pk: int) -> str:
    return reverse("programs:event", args=[pk])


@register_focus_provider
def theme_items(scope: FocusScope) -> Iterable[FocusItem]:
    from phoihop.almanac.access import themes_visible_to
    from phoihop.almanac.models import YearTheme

    years = range(scope.start.year, scope.end.year + 1)
    if scope.organization_ids is None:
        themes = YearTheme.objects.filter(year__in=list(years))
    else:
        themes = services.themes_for(scope.organization_ids, scope.unit_ids or set(), years)
    if scope.user is not None:
        themes = themes.filter(pk__in=themes_visible_to(scope.user).values("pk"))
    themes = themes.select_related("organization", "administrative_unit").prefetch_related("resolutions")
    for theme in themes.order_by("year", "id"):
        owner = str(theme.owner)
        if theme.theme:
            yield FocusItem(
                kind=THEME,
                title=theme.theme,
                date=dt.date(theme.year, 1, 1),
                detail=f"Chủ đề công tác năm {theme.year} — {owner}",
                url=reverse("almanac:themes") + f"?year={theme.year}",
                data={"theme": theme},
            )
        resolutions = list(theme.resolutions.all())
        for resolution in resolutions:
            yield FocusItem(
                kind=RESOLUTION,
                title=f"{resolution.number}. {resolution.text}",
                date=dt.date(theme.year, 1, 1),
                detail=f"{len(resolutions):02d} quyết tâm chính trị năm {theme.year} — {owner}",
                rank=resolution.number,
                data={"resolution": resolution},
            )
