"""Small factories for the almanac tests (no dependency on the shared conftest)."""

from __future__ import annotations

import datetime as dt
import itertools

from django.contrib.auth.models import User
from django.utils import timezone

from phoihop.accounts.models import Membership
from phoihop.organizations.models import AdministrativeUnit, Organization
from phoihop.programs.models import Event, Program, ProgramParty, ProgramStatus

_counter = itertools.count(1)


def unit(name: str = "Thành phố Bắc Ninh", parent: AdministrativeUnit | None = None) -> AdministrativeUnit:
    return AdministrativeUnit.objects.create(name=name, level=AdministrativeUnit.Level.CITY, parent=parent)


def organization(name: str | None = None, administrative_unit: AdministrativeUnit | None = None) -> Organization:
    return Organization.objects.create(
        name=name or f"Tổ chức {next(_counter)}", kind=Organization.Kind.OTHER,
        administrative_unit=administrative_unit,
    )


def user(username: str, org: Organization | None = None, role: str = "viewer", email: str | None = None) -> User:
    person = User.objects.create_user(username, email=email if email is not None else f"{username}@example.vn", password="pw")
    if org is not None:
        Membership.objects.create(user=person, organization=org, role=role)
    return person


def program(code: str, *parties: Organization, status: str = ProgramStatus.SIGNED) -> Program:
    prog = Program.objects.create(
        code=code, title=f"Chương trình {code}", start=dt.date(2019, 1, 1), end=dt.date(2023, 12, 31), status=status
    )
    for i, org in enumerate(parties):
        ProgramParty.objects.create(program=prog, organization=org, role="lead" if i == 0 else "member", order=i)
    return prog


def event(title: str, when: dt.datetime, *, orgs=(), programs=(), is_public: bool = False, place: str = "") -> Event:
    aware = timezone.make_aware(when) if timezone.is_naive(when) else when
    ev = Event.objects.create(kind=Event.Kind.MEETING, title=title, starts_at=aware, is_public=is_public, place=place)
    if orgs:
        ev.organizations.set(orgs)
    if programs:
        ev.programs.set(programs)
    return ev
