"""Access helpers: the only way views, API, exports and admin fetch programs and events.

Another organisation's non-public object → 404 (Http404); a role too low → 403 (PermissionDenied).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from phoihop.accounts import permissions as perms
from phoihop.programs.models import (
    Event,
    PartyInvitation,
    Program,
    ProgramStatus,
    SteeringCommittee,
)


def programs_visible_to(user) -> QuerySet[Program]:
    return perms.scoped(user, Program.objects.all(), lambda mine: (
        ~Q(status=ProgramStatus.DRAFT)
        | Q(parties__organization_id__in=mine)
        | Q(steering_committees__standing_office_id__in=mine)
    ))


def _check(user, action: str, org_ids: set[int]) -> None:
    if action != perms.VIEW and not perms.can(user, action, org_ids):
        raise PermissionDenied


def get_program_for_user(user, code: str, action: str = perms.VIEW) -> Program:
    program = programs_visible_to(user).filter(code=code).first()
    if program is None:
        raise Http404("Không tìm thấy chương trình.")
    _check(user, action, program.related_organization_ids())
    return program


def events_visible_to(user) -> QuerySet[Event]:
    return perms.scoped(user, Event.objects.all(), lambda mine: (
        Q(is_public=True)
        | Q(organizations__id__in=mine)
        | Q(programs__parties__organization_id__in=mine)
        | Q(committee__standing_office_id__in=mine)
    ))


def get_event_for_user(user, pk: int, action: str = perms.VIEW) -> Event:
    event = events_visible_to(user).filter(pk=pk).first()
    if event is None:
        raise Http404("Không tìm thấy sự kiện.")
    _check(user, action, event.related_organization_ids())
    return event


def committees_visible_to(user) -> QuerySet[SteeringCommittee]:
    """Steering committees are part of the public directory for any logged-in user."""
    if not user or not user.is_authenticated:
        return SteeringCommittee.objects.none()
    return SteeringCommittee.objects.all()


def get_committee_for_user(user, pk: int, action: str = perms.VIEW) -> SteeringCommittee:
    committee = committees_visible_to(user).filter(pk=pk).first()
    if committee is None:
        raise Http404("Không tìm thấy ban chỉ đạo.")
    ids = {committee.standing_office_id} if committee.standing_office_id else set()
    _check(user, action, ids)
    return committee


def invitations_visible_to(user) -> QuerySet[PartyInvitation]:
    """Invitations addressed to one of the user's organisations, or sent by a program the user's
    organisation manages (a party or the standing office of a committee steering it)."""
    return perms.scoped(user, PartyInvitation.objects.all(), lambda mine: (
        Q(organization_id__in=mine)
        | Q(program__parties__organization_id__in=mine)
        | Q(program__steering_committees__standing_office_id__in=mine)
    ))


def get_invitation_for_user(user, pk: int) -> PartyInvitation:
    invitation = invitations_visible_to(user).filter(pk=pk).select_related("program", "organization").first()
    if invitation is None:
        raise Http404("Không tìm thấy lời mời.")
    return invitation
