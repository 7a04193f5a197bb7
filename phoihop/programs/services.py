"""Program workflows: create and update with every rule checked before anything is written.

Who may change a program is decided by the program as it is stored, never by the request: the
manage role in one of its current parties or in the standing office of a committee steering it.
An organisation becomes a party only with its consent: the caller adds directly the organisations
it manages; any other is sent an invitation (`PartyInvitation`) that a committee administrator of
that organisation accepts or declines."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.audit import workflow
from phoihop.audit.recorder import write_entry
from phoihop.core.bounds import date_in_range, range_message
from phoihop.core.vietnamese import clean_line
from phoihop.organizations.models import Organization
from phoihop.programs import access
from phoihop.programs.models import (
    ContentArea,
    InvitationState,
    PartyInvitation,
    Program,
    ProgramParty,
    ProgramStatus,
)


@dataclass
class PartyInput:
    organization: int
    role: str = ProgramParty.Role.MEMBER
    signatory_title: str = ""
    document_number: str = ""
    document_symbol: str = ""


@dataclass
class ProgramInput:
    code: str
    title: str
    start: dt.date
    end: dt.date | None = None
    kind: str = Program.Kind.PROGRAM
    parties: list[PartyInput] = field(default_factory=list)
    predecessors: list[str] = field(default_factory=list)
    content_areas: list[str] = field(default_factory=list)
    purpose: str = ""
    meeting_cadence: str = ""
    review_schedule: str = ""
    signing_date: dt.date | None = None


CODE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
# Codes that are paths of the program pages (/chuong-trinh/su-kien/ …): a program could not be shown.
RESERVED_CODES = frozenset({"su-kien", "ban-chi-dao", "loi-moi"})


@dataclass
class ProgramChange:
    """A program as written, and what happened to its parties: organisations made parties
    directly, organisations invited (new or already pending invitations), parties removed."""

    program: Program
    added: list[int] = field(default_factory=list)
    invited: list[int] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)


def _unusable_code(code: str) -> str:
    # One message for a malformed code, a reserved one and one held by a program the caller may
    # not see (another organisation's draft): a stranger cannot tell these apart.
    return _("Không dùng được mã chương trình “%(code)s”; hãy chọn mã khác (chữ không dấu, số, dấu gạch).") % {"code": code}


def _validate(data: ProgramInput, existing: Program | None, user) -> tuple[dict, list, list]:
    """Check everything; return resolved organisations, predecessors, content areas."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    data.code, data.title = clean_line(data.code), clean_line(data.title)
    if not data.code:
        add("code", _("Mã chương trình không được để trống."))
    elif not CODE_PATTERN.match(data.code) or data.code in RESERVED_CODES:
        add("code", _unusable_code(data.code))
    else:
        taken = Program.objects.filter(code=data.code).exclude(pk=getattr(existing, "pk", None))
        if taken.exists():
            if access.programs_visible_to(user).filter(code=data.code).exists():
                add("code", _("Mã chương trình “%(code)s” đã được dùng.") % {"code": data.code})
            else:
                add("code", _unusable_code(data.code))
    if not data.title:
        add("title", _("Tên chương trình không được để trống."))
    if data.kind not in Program.Kind.values:
        add("kind", _("Loại không hợp lệ: %(kind)s.") % {"kind": data.kind})
    if data.end is None and data.kind == Program.Kind.PROGRAM:
        add("end", _("Chương trình phối hợp phải có ngày kết thúc giai đoạn (chỉ quy chế mới không có)."))
    if data.end is not None and data.end < data.start:
        add("end", _("Ngày kết thúc giai đoạn phải sau ngày bắt đầu."))
    for key, day, label in (("start", data.start, _("Ngày bắt đầu")), ("end", data.end, _("Ngày kết thúc")),
                            ("signing_date", data.signing_date, _("Ngày ký"))):
        if not date_in_range(day):
            add(key, range_message(label))

    org_ids = [p.organization for p in data.parties]
    orgs = Organization.objects.in_bulk(org_ids)
    for org_id in org_ids:
        if org_id not in orgs:
            add("parties", _("Không có tổ chức mã %(id)s.") % {"id": org_id})
    if len(set(org_ids)) != len(org_ids):
        add("parties", _("Một tổ chức được khai báo hai lần trong các bên tham gia."))
    for party in data.parties:
        if party.role not in ProgramParty.Role.values:
            add("parties", _("Vai trò không hợp lệ: %(role)s.") % {"role": party.role})
        org = orgs.get(party.organization)
        if org and org.valid_to and org.valid_to < data.start:
            add("parties", _("%(org)s đã hết hiệu lực trước khi chương trình bắt đầu.") % {"org": org.name})

    if data.code in data.predecessors:
        add("predecessors", _("Một chương trình không thể kế tiếp chính nó."))
    # Only a program the caller may see can be named: another organisation's draft is "no such program".
    preds = list(access.programs_visible_to(user).filter(code__in=data.predecessors))
    missing = set(data.predecessors) - {p.code for p in preds} - {data.code}
    for code in sorted(missing):
        add("predecessors", _("Không có chương trình mã “%(code)s”.") % {"code": code})
    if existing is not None:
        successors = all_successors(existing)
        for pred in preds:
            if pred.pk in successors:
                add("predecessors", _("“%(code)s” kế tiếp chương trình này nên không thể là chương trình trước của nó.") % {"code": pred.code})

    areas = list(ContentArea.objects.filter(code__in=data.content_areas))
    for code in sorted(set(data.content_areas) - {a.code for a in areas}):
        add("content_areas", _("Không có nội dung phối hợp mã “%(code)s”.") % {"code": code})

    if errors:
        raise ValidationError(errors)
    return orgs, preds, areas


def all_successors(program: Program) -> set[int]:
    seen: set[int] = set()
    frontier = [program.pk]
    while frontier:
        ids = list(Program.objects.filter(predecessors__in=frontier).values_list("pk", flat=True))
        frontier = [i for i in ids if i not in seen]
        seen.update(frontier)
    return seen


def managing_org_ids(program: Program) -> set[int]:
    """The organisations whose committee administrators manage `program`: its current parties and
    the standing offices of the committees steering it — read from the stored rows."""
    return Program.objects.get(pk=program.pk).related_organization_ids()


def may_manage(user, program: Program) -> bool:
    return perms.can(user, perms.MANAGE, managing_org_ids(program))


def _office_ids(program: Program) -> set[int]:
    return set(program.steering_committees.exclude(standing_office=None).values_list("standing_office_id", flat=True))


def _check_may_manage(user, org_ids: set[int]) -> None:
    if not perms.can(user, perms.MANAGE, org_ids):
        raise PermissionDenied(_("Bạn cần quyền quản trị của một bên tham gia để làm việc này."))


def _manages(user, org_id: int) -> bool:
    return perms.can(user, perms.MANAGE, {org_id})


def _retry_on_conflict(write):
    """Run `write`; a unique constraint broken by a request at the same moment (same code, same
    party, same invitation) answers a clear message instead of a server error. Nothing is written."""
    try:
        return write()
    except IntegrityError:
        raise ValidationError(
            _("Chương trình vừa được người khác sửa cùng lúc (hoặc mã đã được dùng); không có gì được ghi, hãy gửi lại.")
        ) from None


def create_program(data: ProgramInput, user) -> ProgramChange:
    """A new program. The caller's own organisations (where it is committee administrator) among
    the parties are bound directly — at least one is required; the others are invited."""
    if not perms.is_system_admin(user) and not perms.org_ids_with(user, perms.MANAGE):
        raise PermissionDenied(_("Bạn cần quyền quản trị của một tổ chức để tạo chương trình."))
    return _retry_on_conflict(lambda: _create_program(data, user))


@transaction.atomic
def _create_program(data: ProgramInput, user) -> ProgramChange:
    orgs, preds, areas = _validate(data, None, user)
    if not perms.is_system_admin(user) and not any(_manages(user, p.organization) for p in data.parties):
        raise PermissionDenied(_(
            "Chương trình mới phải có ít nhất một bên tham gia là tổ chức bạn quản trị; "
            "các tổ chức khác được gửi lời mời tham gia."
        ))
    program = Program.objects.create(
        code=data.code, title=data.title, kind=data.kind, start=data.start, end=data.end,
        purpose=data.purpose, meeting_cadence=data.meeting_cadence,
        review_schedule=data.review_schedule, signing_date=data.signing_date,
    )
    change = _write_parties(program, data, user, offices=set())
    program.predecessors.set(preds)
    program.content_areas.set(areas)
    return change


def update_program(program: Program, data: ProgramInput, user) -> ProgramChange:
    """Change a program. The right to do it is read from the program as stored (before anything
    from the request is applied)."""
    return _retry_on_conflict(lambda: _update_program(program, data, user))


@transaction.atomic
def _update_program(program: Program, data: ProgramInput, user) -> ProgramChange:
    program = Program.objects.select_for_update().get(pk=program.pk)
    _check_may_manage(user, program.related_organization_ids())
    orgs, preds, areas = _validate(data, program, user)
    offices = _office_ids(program)
    for name in ("code", "title", "kind", "start", "end", "purpose", "meeting_cadence",
                 "review_schedule", "signing_date"):
        setattr(program, name, getattr(data, name))
    program.save()
    change = _write_parties(program, data, user, offices)
    program.predecessors.set(preds)
    program.content_areas.set(areas)
    return change


def _write_parties(program: Program, data: ProgramInput, user, offices: set[int]) -> ProgramChange:
    """Bring the parties to `data.parties`: keep and update the stored ones named, remove the
    others, add directly the organisations the caller manages and invite the rest.

    Removing another organisation's party is the program's business (allowed to its managers, and
    recorded), but one caller cannot leave a program with only the organisations they manage by
    removing every other party — that is for the standing office of a steering committee (or a
    system administrator)."""
    change = ProgramChange(program)
    stored = {p.organization_id: p for p in program.parties.select_related("organization")}
    wanted = {p.organization: p for p in data.parties}
    change.removed = [org_id for org_id in stored if org_id not in wanted]
    direct = [org_id for org_id in wanted if org_id not in stored and _manages(user, org_id)]
    remaining = [org_id for org_id in wanted if org_id in stored] + direct
    if stored and not remaining:
        raise ValidationError({"parties": [_("Chương trình phải còn ít nhất một bên tham gia.")]})
    foreign_removed = [org_id for org_id in change.removed if not _manages(user, org_id)]
    others_left = [org_id for org_id in remaining if not _manages(user, org_id)]
    if foreign_removed and not others_left and not perms.can(user, perms.MANAGE, offices):
        raise PermissionDenied(_(
            "Bạn không thể loại mọi tổ chức khác khỏi chương trình để chỉ còn tổ chức của mình; "
            "việc này do cơ quan thường trực Ban Chỉ đạo quyết định."
        ))

    removed_names = [stored[org_id].organization.name for org_id in change.removed]
    for org_id in change.removed:
        stored[org_id].delete()  # recorded: a "delete" entry of the party
    added_names, invited_names = [], []
    for order, party in enumerate(data.parties):
        details = {
            "role": party.role, "signatory_title": party.signatory_title,
            "document_number": party.document_number, "document_symbol": party.document_symbol,
        }
        if party.organization in stored:
            row = stored[party.organization]
            if any(getattr(row, k) != v for k, v in details.items()) or row.order != order:
                for k, v in details.items():
                    setattr(row, k, v)
                row.order = order
                row.save()
        elif party.organization in direct:
            row = ProgramParty.objects.create(program=program, organization_id=party.organization, order=order, **details)
            change.added.append(party.organization)
            added_names.append(row.organization.name)
        else:
            pending = program.invitations.filter(organization_id=party.organization, state=InvitationState.PENDING).first()
            if pending is None:
                pending = PartyInvitation.objects.create(
                    program=program, organization_id=party.organization, invited_by=user if _is_user(user) else None, **details,
                )
                invited_names.append(pending.organization.name)
            change.invited.append(party.organization)
    relation = {key: sorted(names) for key, names in
                (("added", added_names), ("removed", removed_names), ("invited", invited_names)) if names}
    if relation:
        # On the program itself, so its page shows it even after a removed party's row is gone.
        write_entry(program, "relation", {"parties": relation})
    return change


def _is_user(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


# ---------------------------------------------------------------- invitations

def pending_invitations_for(user):
    """Pending invitations the user may answer: addressed to an organisation they manage."""
    qs = access.invitations_visible_to(user).filter(state=InvitationState.PENDING)
    if perms.is_system_admin(user):
        return qs
    return qs.filter(organization_id__in=perms.org_ids_with(user, perms.MANAGE))


@transaction.atomic
def answer_invitation(invitation: PartyInvitation, user, accept: bool, note: str = "") -> PartyInvitation:
    """A committee administrator of the invited organisation accepts (the organisation becomes a
    party) or declines. Recorded as a transition of the invitation (and the new party's creation)."""
    invitation = PartyInvitation.objects.select_for_update().select_related("program", "organization").get(pk=invitation.pk)
    if not _manages(user, invitation.organization_id):
        raise PermissionDenied(_("Chỉ quản trị của tổ chức được mời mới trả lời được lời mời này."))
    _check_pending(invitation)
    if accept:
        program = invitation.program
        if not program.parties.filter(organization_id=invitation.organization_id).exists():
            last = program.parties.order_by("-order").values_list("order", flat=True).first()
            ProgramParty.objects.create(
                program=program, organization_id=invitation.organization_id, role=invitation.role,
                signatory_title=invitation.signatory_title, document_number=invitation.document_number,
                document_symbol=invitation.document_symbol, order=(last or 0) + 1,
            )
            write_entry(program, "relation", {"parties": {"added": [invitation.organization.name]}},
                        _("Nhận lời mời tham gia"))
    _move(invitation, InvitationState.ACCEPTED if accept else InvitationState.DECLINED, user, note)
    return invitation


@transaction.atomic
def withdraw_invitation(invitation: PartyInvitation, user, note: str = "") -> PartyInvitation:
    """A manager of the program takes back a pending invitation."""
    invitation = PartyInvitation.objects.select_for_update().select_related("program", "organization").get(pk=invitation.pk)
    _check_may_manage(user, invitation.program.related_organization_ids())
    _check_pending(invitation)
    _move(invitation, InvitationState.WITHDRAWN, user, note)
    return invitation


def _check_pending(invitation: PartyInvitation) -> None:
    """Refuse early, before anything else is written, what `workflow.move` would refuse."""
    if not PartyInvitation.workflow.allows(invitation.state, InvitationState.ACCEPTED):
        raise ValidationError(PartyInvitation.workflow.refused(PartyInvitation.workflow.label(invitation.state), ""))


def _move(invitation: PartyInvitation, new_state: str, user, note: str) -> None:
    workflow.move(invitation, new_state, note, answered_by=user if _is_user(user) else None, answered_at=timezone.now())


@transaction.atomic
def change_status(program: Program, new_status: str, user, note: str = "") -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    _check_may_manage(user, program.related_organization_ids())
    if new_status not in ProgramStatus.values:
        raise ValidationError({"status": [_("Trạng thái không hợp lệ: %(s)s.") % {"s": new_status}]})
    workflow.move(program, new_status, note)
    return program


def successors_of(program: Program):
    return program.successors.all().order_by("start")
