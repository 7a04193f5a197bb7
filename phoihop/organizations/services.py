"""Queries over the versioned organisation structure, used by pages and API alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from phoihop.core.vietnamese import fold, sort_key
from phoihop.organizations.models import AdministrativeUnit, Organization, OrganizationParent


@dataclass
class OrgNode:
    organization: Organization
    parent: Organization | None
    depth: int = 0
    children: list[OrgNode] = field(default_factory=list)


def organizations_on(day: dt.date, q: str = "", kind: str = "") -> QuerySet[Organization]:
    """Organisations in force on `day`, optionally filtered by folded text and kind."""
    qs = Organization.objects.valid_on(day).select_related("administrative_unit")
    if q:
        for word in fold(q).split():
            qs = qs.filter(search_text__contains=word)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def parents_on(day: dt.date, organizations: list[Organization]) -> dict[int, Organization]:
    links = (
        OrganizationParent.objects.valid_on(day)
        .filter(child__in=organizations)
        .select_related("parent")
    )
    return {link.child_id: link.parent for link in links}


def organization_tree(day: dt.date, q: str = "", kind: str = "") -> list[OrgNode]:
    """The organisation tree as of `day`, flattened depth-first in Vietnamese order.

    With a filter, matching organisations are listed with their parent named but without the
    unmatched part of the tree.
    """
    orgs = list(organizations_on(day, q, kind))
    parent_of = parents_on(day, orgs)
    nodes = {o.pk: OrgNode(o, parent_of.get(o.pk)) for o in orgs}
    roots: list[OrgNode] = []
    for node in nodes.values():
        parent = node.parent
        if parent is not None and parent.pk in nodes:
            nodes[parent.pk].children.append(node)
        else:
            roots.append(node)
    flat: list[OrgNode] = []

    def walk(items: list[OrgNode], depth: int, seen: set[int]) -> None:
        for item in sorted(items, key=lambda n: sort_key(n.organization.name)):
            if item.organization.pk in seen:
                continue
            seen.add(item.organization.pk)
            item.depth = depth
            flat.append(item)
            walk(item.children, depth + 1, seen)

    walk(roots, 0, set())
    return flat


def units_on(day: dt.date) -> QuerySet[AdministrativeUnit]:
    return AdministrativeUnit.objects.valid_on(day).select_related("parent")


def lineage(organization: Organization) -> tuple[list, list]:
    """(predecessor links, successor links) of an organisation, for its page."""
    before = list(organization.predecessor_links.select_related("predecessor"))
    after = list(organization.successor_links.select_related("successor"))
    return before, after
