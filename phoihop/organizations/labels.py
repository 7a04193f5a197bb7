"""How an organisation is named where two bodies may share a name (before and after a merger):
with its parent on the day that matters and its validity."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.organizations.models import Organization


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def validity_label(org: Organization) -> str:
    """"hiệu lực 01/01/2019 – 30/06/2025" (an open end: "…")."""
    start = _day(org.valid_from) if org.valid_from else "…"
    end = _day(org.valid_to) if org.valid_to else "…"
    return _("hiệu lực %(start)s – %(end)s") % {"start": start, "end": end}


def org_label(org: Organization, day: dt.date | None = None) -> str:
    """"Name — trực thuộc Parent — hiệu lực …": the parent on `day` (today by default), taken
    within the organisation's own life."""
    day = day or timezone.localdate()
    if org.valid_to and org.valid_to < day:
        day = org.valid_to
    if org.valid_from and org.valid_from > day:
        day = org.valid_from
    parent = org.parent_on(day)
    parts = [org.name]
    if parent is not None:
        parts.append(_("trực thuộc %(parent)s") % {"parent": parent.name})
    parts.append(validity_label(org))
    return " — ".join(parts)
