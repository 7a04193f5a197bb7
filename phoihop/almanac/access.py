"""Access helpers for the almanac's own objects.

National commemorations are public to everyone, visitors included (the public calendar, `/lich/`);
local ones name organisations and administrative units, so they are shown to logged-in users only
(a visitor sees no organisation). Changing a local one needs "manage" for its organisation (or,
for a unit's day, for an organisation located in that unit). Year themes and resolutions belong
to their owner: members of the organisation — or of an organisation located in the unit, or below
it — see them (never a visitor); anybody else gets 404. Changing them needs "manage" (403 for a lower role).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from phoihop.accounts import permissions as perms
from phoihop.almanac import lunar, services
from phoihop.almanac.models import Commemoration, Scope, YearTheme
from phoihop.almanac.services import Anniversary, unit_ids_for
from phoihop.organizations.models import Organization


def owner_ids(organization_id: int | None, unit_id: int | None) -> set[int]:
    """The organisations that act for an owner: the organisation itself, or every organisation
    located in the administrative unit."""
    if organization_id:
        return {organization_id}
    if unit_id:
        return set(Organization.objects.filter(administrative_unit_id=unit_id).values_list("pk", flat=True))
    return set()


def owner_organization_ids(obj: Commemoration | YearTheme) -> set[int]:
    return owner_ids(obj.organization_id, obj.administrative_unit_id)


def themes_visible_to(user) -> QuerySet[YearTheme]:
    qs = YearTheme.objects.select_related("organization", "administrative_unit")
    if perms.is_system_admin(user):
        return qs
    if not user or not user.is_authenticated:
        return qs.none()
    mine = perms.org_ids(user)
    return qs.filter(Q(organization_id__in=mine) | Q(administrative_unit_id__in=unit_ids_for(mine)))


def get_theme_for_user(user, pk: int, action: str = perms.VIEW) -> YearTheme:
    return perms.get_for_user(user, themes_visible_to(user), action, pk=pk,
                              not_found="Không tìm thấy chủ đề công tác năm.", owners=owner_organization_ids)


def commemorations_visible_to(user) -> QuerySet[Commemoration]:
    """Every commemoration for a logged-in user; the national catalogue only for a visitor."""
    qs = Commemoration.objects.select_related("organization", "administrative_unit")
    if not user or not user.is_authenticated:
        return qs.filter(scope=Scope.NATIONAL)
    return qs


def calendar_commemorations(user) -> QuerySet[Commemoration]:
    """The days in a user's own calendar: national days plus the local days of the user's
    organisations and of the units they sit in (every day for a system administrator, the
    national ones only for a visitor)."""
    if perms.is_system_admin(user):
        return services.commemorations_for()
    orgs = perms.org_ids(user)
    return services.commemorations_for(orgs, services.unit_ids_for(orgs)).filter(
        pk__in=commemorations_visible_to(user).values("pk")
    )


def next_anniversaries(user, today: dt.date, count: int = 5) -> list[Anniversary]:
    """The next `count` anniversaries in the user's calendar from `today` (within a year)."""
    end = min(today + dt.timedelta(days=366), lunar.MAX_DATE)
    if today > end:
        return []
    return services.anniversaries(today, end, calendar_commemorations(user))[:count]


def get_commemoration_for_user(user, pk: int, action: str = perms.VIEW) -> Commemoration:
    commemoration = commemorations_visible_to(user).filter(pk=pk).first()
    if (action != perms.VIEW and commemoration is not None and commemoration.scope != Scope.NATIONAL
            and not perms.is_related(user, owner_organization_ids(commemoration))):
        commemoration = None  # another organisation's local day is not its to change: 404, as if absent

    def may(c: Commemoration) -> bool:
        if c.scope == Scope.NATIONAL:
            return perms.is_system_admin(user)
        return perms.can(user, action, owner_organization_ids(c))

    return perms.ensure(user, commemoration, action, not_found="Không tìm thấy ngày kỷ niệm.", may=may)


def managed_organizations(user) -> QuerySet[Organization]:
    """Organisations for which the user may add local days and year themes."""
    qs = Organization.objects.select_related("administrative_unit").order_by("name")
    if perms.is_system_admin(user):
        return qs
    return qs.filter(pk__in=perms.org_ids_with(user, perms.MANAGE))
