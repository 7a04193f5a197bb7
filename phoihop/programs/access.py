"""Access helpers: the only way views, API, exports and admin fetch programs and events.

Another organisation's non-public object → 404 (Http404); a role too low → 403 (PermissionDenied).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from phoihop.accounts import permissions as perms
from phoihop.programs.models import (
    Event,
    PartyInvitation,
    Program,
    ProgramParty,
    ProgramStatus,
    SteeringCommittee,
)


def programs_visible_to(user) -> QuerySet[Program]:
    return perms.scoped(user, Program.objects.all(), lambda mine: (
        ~Q(status=ProgramStatus.DRAFT)
        | Q(parties__organization_id__in=mine)
        | Q(steering_committees__standing_office_id__in=mine)
    ))


def programs_in_force(on: dt.date) -> QuerySet[Program]:
    """Signed or in-force programs whose phase covers `on`, with their parties' organisations: a
    signed program is a public act, so this is what the public home page lists to anyone."""
    parties = ProgramParty.objects.select_related("organization").order_by("order", "id")
    return (
        Program.objects.filter(status__in=[ProgramStatus.SIGNED, ProgramStatus.IN_FORCE], start__lte=on)
        .filter(Q(end__isnull=True) | Q(end__gte=on))
        .prefetch_related(Prefetch("parties", queryset=parties))
        .order_by("-start", "code")
    )


def get_program_for_user(user, code: str, action: str = perms.VIEW) -> Program:
    return perms.get_for_user(user, programs_visible_to(user), action, code=code,
                              not_found="Không tìm thấy chương trình.", owners=Program.related_organization_ids)


def events_visible_to(user) -> QuerySet[Event]:
    return perms.scoped(user, Event.objects.all(), lambda mine: (
        Q(is_public=True)
        | Q(organizations__id__in=mine)
        | Q(programs__parties__organization_id__in=mine)
        | Q(committee__standing_office_id__in=mine)
    ))


def get_event_for_user(user, pk: int, action: str = perms.VIEW) -> Event:
    return perms.get_for_user(user, events_visible_to(user), action, pk=pk,
                              not_found="Không tìm thấy sự kiện.", owners=Event.related_organization_ids)


def committees_visible_to(user) -> QuerySet[SteeringCommittee]:
    """Steering committees are part of the public directory for any logged-in user."""
    if not user or not user.is_authenticated:
        return SteeringCommittee.objects.none()
    return SteeringCommittee.objects.all()


def get_committee_for_user(user, pk: int, action: str = perms.VIEW) -> SteeringCommittee:
    return perms.get_for_user(user, committees_visible_to(user), action, pk=pk, not_found="Không tìm thấy ban chỉ đạo.",
                              owners=lambda c: {c.standing_office_id} if c.standing_office_id else set())


def invitations_visible_to(user) -> QuerySet[PartyInvitation]:
    """Invitations addressed to one of the user's organisations, or sent by a program the user's
    organisation manages (a party or the standing office of a committee steering it)."""
    return perms.scoped(user, PartyInvitation.objects.all(), lambda mine: (
        Q(organization_id__in=mine)
        | Q(program__parties__organization_id__in=mine)
        | Q(program__steering_committees__standing_office_id__in=mine)
    ))


def get_invitation_for_user(user, pk: int) -> PartyInvitation:
    return perms.get_for_user(user, invitations_visible_to(user).select_related("program", "organization"), pk=pk,
                              not_found="Không tìm thấy lời mời.")
