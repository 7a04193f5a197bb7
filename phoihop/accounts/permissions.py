"""The one map from role to actions, and the questions every access helper asks."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from phoihop.accounts.models import Membership, Role

T = TypeVar("T")

VIEW = "view"
REPORT = "report"
APPROVE = "approve"
MANAGE = "manage"

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.VIEWER: frozenset({VIEW}),
    Role.REPORTER: frozenset({VIEW, REPORT}),
    Role.APPROVER: frozenset({VIEW, REPORT, APPROVE}),
    Role.COMMITTEE_ADMIN: frozenset({VIEW, REPORT, APPROVE, MANAGE}),
}


def is_system_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_superuser)


def roles_by_org(user) -> dict[int, str]:
    """{organization_id: role} for the user, cached on the user object for the request."""
    if not user or not user.is_authenticated:
        return {}
    cached = getattr(user, "_phoihop_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
        user._phoihop_roles = cached
    return cached


def org_ids(user) -> set[int]:
    return set(roles_by_org(user))


def org_ids_with(user, action: str) -> set[int]:
    return {org for org, role in roles_by_org(user).items() if action in ROLE_ACTIONS[role]}


def is_related(user, organization_ids: Iterable[int]) -> bool:
    """Does the user belong to any of these organisations (any role)?"""
    return is_system_admin(user) or bool(org_ids(user) & set(organization_ids))


def can(user, action: str, organization_ids: Iterable[int]) -> bool:
    """May the user do `action` for any of these organisations?"""
    return is_system_admin(user) or bool(org_ids_with(user, action) & set(organization_ids))


def scoped(user, qs: QuerySet, where: Callable[[set[int]], Q]) -> QuerySet:
    """The rows of `qs` the user may see: all for a system administrator, none for a visitor,
    else those matching `where(the user's organisation ids)` (distinct: the conditions follow
    joins to many rows)."""
    if is_system_admin(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()
    return qs.filter(where(org_ids(user))).distinct()


def ensure(user, found: T | None, action: str = VIEW, *, not_found: str = "", denied: str = "",
           owners: Callable[[T], Iterable[int]] | None = None, may: Callable[[T], bool] | None = None) -> T:
    """The one 404/403 decision of every access helper: nothing found among what the user may see
    → 404 (`not_found`, a stranger learns nothing); found, but `action` beyond the user's role →
    403. Viewing needs nothing more than being found; another action needs `may(found)` when
    given, else the action for one of `owners(found)`; `denied` is the 403's message."""
    if found is None:
        raise Http404(not_found)
    if action == VIEW:
        return found
    allowed = may(found) if may is not None else can(user, action, owners(found) if owners else ())
    if not allowed:
        raise PermissionDenied(denied)
    return found


def get_for_user(user, visible: QuerySet, action: str = VIEW, *, not_found: str = "", denied: str = "",
                 owners: Callable | None = None, may: Callable | None = None, **lookup):
    """The row of `visible` (already the user's view of the table) matching `lookup`, through
    `ensure`."""
    return ensure(user, visible.filter(**lookup).first(), action, not_found=not_found, denied=denied,
                  owners=owners, may=may)
