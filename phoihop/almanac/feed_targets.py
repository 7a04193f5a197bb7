"""The feeds a private calendar link may be asked for (accounts.feeds): a program's and an
organisation's, each found through its app's access helpers (404 for what the user may not see)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse

from phoihop.accounts import feeds
from phoihop.core.bounds import parse_id
from phoihop.organizations.access import get_organization_for_user
from phoihop.programs.access import get_program_for_user


def program_feed(user, key: str) -> tuple[str, str]:
    program = get_program_for_user(user, key[:60])
    return program.title, reverse("almanac:program_feed", args=[program.code])


def organization_feed(user, key: str) -> tuple[str, str]:
    if parse_id(key) is None:
        raise Http404
    organization = get_organization_for_user(user, parse_id(key))
    return organization.name, reverse("almanac:organization_feed", args=[organization.pk])


feeds.register("program", program_feed)
feeds.register("org", organization_feed)
