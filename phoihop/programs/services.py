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
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.audit import workflow
from phoihop.audit.recorder import write_entry
from phoihop.core.bounds import date_in_range, range_message
from phoihop.core.vietnamese import clean_line
from phoihop.organizations.labels import validity_label
from phoihop.organizations.models import Organization, Person
from phoihop.programs import access
from phoihop.programs.models import (
    ContentArea,
    InvitationState,
    PartyInvitation,
    Program,
    ProgramParty,
    ProgramStatus,
    Responsibility,
)
from phoihop.programs.signals import program_succeeded


@dataclass
class PartyInput:
    organization: int
    role: str = ProgramParty.Role.MEMBER
    signatory_title: str = ""
    document_number: str = ""
    document_symbol: str = ""
    # None: leave as stored (the API does not send them); "" clears.
    signatory_name: str | None = None
    signing_prefix: str | None = None


@dataclass
class ResponsibilityInput:
    organization: int
    content_area: str
    level: str = "support"
    text: str = ""


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
    # None: leave as stored (the API does not send them).
    responsibilities: list[ResponsibilityInput] | None = None
    two_level_approval: bool | None = None


CODE_PATTERN = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
# Codes that are paths of the program pages (/chuong-trinh/su-kien/ …): a program could not be shown.
RESERVED_CODES = frozenset({"su-kien", "ban-chi-dao", "loi-moi", "tao-moi", "to-chuc"})


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
        if org:
            problem = outside_phase(org, data.start, data.end)
            if problem:
                add("parties", problem)

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

    area_codes = {a.code for a in areas}
    for item in data.responsibilities or []:
        if item.organization not in org_ids:
            add("responsibilities", _("Chỉ giao trách nhiệm cho một bên tham gia chương trình."))
        if item.content_area not in area_codes:
            add("responsibilities", _("Nội dung “%(code)s” không thuộc chương trình.") % {"code": item.content_area})
        if item.level not in Responsibility.Level.values:
            add("responsibilities", _("Mức trách nhiệm không hợp lệ: %(level)s.") % {"level": item.level})
    pairs = [(r.organization, r.content_area) for r in data.responsibilities or []]
    if len(set(pairs)) != len(pairs):
        add("responsibilities", _("Một bên được giao hai lần cùng một nội dung."))

    if errors:
        raise ValidationError(errors)
    return orgs, preds, areas


def _day(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def replacement_for(org: Organization, day: dt.date) -> list[Organization]:
    """The organisations that took over `org` and still exist on `day`, following the succession
    links (a body merged, then merged again, is replaced by the last one)."""
    found: list[Organization] = []
    frontier, seen = [org], {org.pk}
    while frontier:
        node = frontier.pop(0)
        for link in node.successor_links.select_related("successor").order_by("successor__name", "successor_id"):
            nxt = link.successor
            if nxt.pk in seen:
                continue
            seen.add(nxt.pk)
            if nxt.valid_to is not None and nxt.valid_to < day:
                frontier.append(nxt)
            else:
                found.append(nxt)
    return found


def outside_phase(org: Organization, start: dt.date, end: dt.date | None) -> str:
    """Why `org` cannot be a party of a phase from `start` to `end` ("" when it can): it does not
    exist over any of it. A body dissolved before the start names its successor."""
    if org.valid_to is not None and org.valid_to < start:
        heirs = replacement_for(org, start)
        message = _("%(org)s đã giải thể từ %(day)s") % {"org": org.name, "day": _day(org.valid_to + dt.timedelta(days=1))}
        if heirs:
            return message + _("; tổ chức kế thừa: %(heirs)s.") % {"heirs": ", ".join(_org_label(h) for h in heirs)}
        return message + _("; không có tổ chức kế thừa.")
    if end is not None and org.valid_from is not None and org.valid_from > end:
        return _("%(org)s chỉ được thành lập từ %(day)s, sau khi giai đoạn kết thúc.") % {
            "org": org.name, "day": _day(org.valid_from)}
    return ""


def _org_label(org: Organization) -> str:
    return f"{org.name} ({validity_label(org)})"


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
        two_level_approval=bool(data.two_level_approval),
    )
    change = _write_parties(program, data, user, offices=set())
    program.predecessors.set(preds)
    program.content_areas.set(areas)
    _write_responsibilities(program, data)
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
    if data.two_level_approval is not None:
        program.two_level_approval = data.two_level_approval
    program.save()
    change = _write_parties(program, data, user, offices)
    program.predecessors.set(preds)
    program.content_areas.set(areas)
    # A content area taken out of the program takes its responsibilities with it.
    program.responsibilities.exclude(content_area__in=areas).delete()
    _write_responsibilities(program, data)
    return change


def _write_responsibilities(program: Program, data: ProgramInput) -> None:
    """Bring the responsibilities to `data.responsibilities` (None: leave them). Only parties hold
    one; an invited organisation's are given when it accepts (`_inherit_responsibilities`)."""
    if data.responsibilities is None:
        return
    parties = {p.organization_id: p for p in program.parties.all()}
    areas = {a.code: a for a in program.content_areas.all()}
    stored = {(r.party.organization_id, r.content_area.code): r
              for r in program.responsibilities.select_related("party", "content_area")}
    wanted = {}
    for item in data.responsibilities:
        if item.organization in parties:
            wanted[(item.organization, item.content_area)] = item
    for key, row in stored.items():
        if key not in wanted:
            row.delete()
    for key, item in wanted.items():
        text = item.text.strip()
        row = stored.get(key)
        if row is None:
            Responsibility.objects.create(program=program, party=parties[item.organization],
                                          content_area=areas[item.content_area], level=item.level, text=text)
        elif row.level != item.level or row.text != text:
            row.level, row.text = item.level, text
            row.save()


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
            if party.signing_prefix is not None:
                details["signing_prefix"] = party.signing_prefix
            if party.signatory_name is not None:
                details["signatory"] = _signatory(row, party.signatory_name)
            if any(getattr(row, k) != v for k, v in details.items()) or row.order != order:
                for k, v in details.items():
                    setattr(row, k, v)
                row.order = order
                row.save()
        elif party.organization in direct:
            row = ProgramParty.objects.create(program=program, organization_id=party.organization, order=order,
                                              signing_prefix=party.signing_prefix or "", **details)
            if party.signatory_name:
                row.signatory = _signatory(row, party.signatory_name)
                row.save()
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


def _signatory(party: ProgramParty, name: str) -> Person | None:
    """The person named to sign for `party`: the one already named, else someone of that name who
    holds (or held) a position in the organisation, else a new person of that name."""
    name = clean_line(name or "")
    if not name:
        return None
    if party.signatory_id and party.signatory.full_name == name:
        return party.signatory
    known = Person.objects.filter(full_name=name, positions__organization_id=party.organization_id).first()
    return known or Person.objects.create(full_name=name)


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
            party = ProgramParty.objects.create(
                program=program, organization_id=invitation.organization_id, role=invitation.role,
                signatory_title=invitation.signatory_title, document_number=invitation.document_number,
                document_symbol=invitation.document_symbol, order=(last or 0) + 1,
            )
            _inherit_responsibilities(program, party)
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
def change_status(program: Program, new_status: str, user, note: str = "", signing_date: dt.date | None = None) -> Program:
    """Move the program along its workflow, recorded with `note`. Signing needs the signing date
    (given here or stored) and, for every party, its document number and its signatory (name and
    title); what is missing is named and nothing is written."""
    program = Program.objects.select_for_update().get(pk=program.pk)
    _check_may_manage(user, program.related_organization_ids())
    if new_status not in ProgramStatus.values:
        raise ValidationError({"status": [_("Trạng thái không hợp lệ: %(s)s.") % {"s": new_status}]})
    if new_status == ProgramStatus.SIGNED and program.status == ProgramStatus.DRAFT:
        missing = signing_gaps(program, signing_date or program.signing_date)
        if missing:
            raise ValidationError({"status": [_("Chưa ký kết được: %(missing)s.") % {"missing": "; ".join(missing)}]})
        if signing_date is not None and signing_date != program.signing_date:
            program.signing_date = signing_date
            program.save()
    early = ends_early(program, new_status)
    if early is not None:
        # Ended before its phase's end: the phase ends on that day, and with it what the parties
        # owe (reporting.obligations reads the phase); recorded as a change of the end date.
        program.end = early
        program.save()
    workflow.move(program, new_status, note)
    return program


def ends_early(program: Program, new_status: str, today: dt.date | None = None) -> dt.date | None:
    """The day the phase of `program` will end if it moves to `new_status` today, when that is
    before the end it has (or it has none); else None."""
    if new_status != ProgramStatus.ENDED or program.status == ProgramStatus.ENDED:
        return None
    today = today or timezone.localdate()
    if program.end is not None and program.end <= today:
        return None
    return max(today, program.start)


def signing_gaps(program: Program, signing_date: dt.date | None) -> list[str]:
    """What a program lacks to be signed, in words (empty: nothing)."""
    missing = []
    if signing_date is None:
        missing.append(_("thiếu ngày ký"))
    elif not date_in_range(signing_date):
        missing.append(range_message(_("Ngày ký")))
    parties = list(program.parties.select_related("organization", "signatory"))
    if not parties:
        missing.append(_("chương trình chưa có bên tham gia"))
    for party in parties:
        lacks = []
        if not party.document_number.strip():
            lacks.append(_("số văn bản"))
        if party.signatory_id is None:
            lacks.append(_("họ tên người ký"))
        if not party.signatory_title.strip():
            lacks.append(_("chức danh người ký"))
        if lacks:
            missing.append(_("%(org)s thiếu %(what)s") % {"org": party.organization.name, "what": ", ".join(lacks)})
    return missing


# ---------------------------------------------------------------- successor

@dataclass
class Replacement:
    """A party of the predecessor dissolved before the new phase (replaced by `new`), or during it
    (`kept`: a party for the part of the phase it exists, `new` continuing from the next day)."""

    old: Organization
    new: list[Organization]
    kept: bool = False


@dataclass
class SuccessorChange:
    change: ProgramChange
    replaced: list[Replacement]


def successor_plan(predecessor: Program, start: dt.date, end: dt.date | None = None) -> tuple[list[int], list[Replacement]]:
    """The organisations the successor of `predecessor` for the phase `start`–`end` takes as
    parties, in order, and the replacements: a party dissolved before `start` is replaced by its
    successors; a party dissolved during the phase (the 2025 reorganisation in a 2024–2028
    program) stays a party for the time it exists and its successors join it, so that someone
    carries the program on (each owes reports only while it exists: reporting.obligations)."""
    org_ids: list[int] = []
    replaced: list[Replacement] = []

    def add(pk: int) -> None:
        if pk not in org_ids:
            org_ids.append(pk)

    for party in predecessor.parties.select_related("organization").order_by("order", "id"):
        org = party.organization
        if org.valid_to is not None and org.valid_to < start:
            heirs = replacement_for(org, start)
            replaced.append(Replacement(org, heirs))
            for heir in heirs:
                add(heir.pk)
        elif org.valid_to is not None and (end is None or org.valid_to < end):
            add(org.pk)
            heirs = replacement_for(org, org.valid_to + dt.timedelta(days=1))
            replaced.append(Replacement(org, heirs, kept=True))
            for heir in heirs:
                add(heir.pk)
        else:
            add(org.pk)
    return org_ids, replaced


def create_successor(predecessor: Program, code: str, title: str, start: dt.date, end: dt.date | None, user) -> SuccessorChange:
    """A new draft program for the next phase of `predecessor`: its parties (a party dissolved
    before `start` is replaced by its successor, and the program's history says so), content areas,
    responsibilities (re-pointed to the replacing parties), purpose, schedules and approval rule,
    and the predecessor link. The parties the caller manages are bound directly, the others are
    invited (their responsibilities follow when they accept). Higher apps copy what they own
    through `program_succeeded` (reporting: the targets, as drafts)."""
    if not perms.is_system_admin(user) and not perms.org_ids_with(user, perms.MANAGE):
        raise PermissionDenied(_("Bạn cần quyền quản trị của một tổ chức để tạo chương trình."))
    if not may_manage(user, predecessor):
        raise PermissionDenied(_("Chỉ người quản lý chương trình này mới lập được chương trình giai đoạn tiếp theo."))
    return _retry_on_conflict(lambda: _create_successor(predecessor, code, title, start, end, user))


@transaction.atomic
def _create_successor(predecessor, code, title, start, end, user) -> SuccessorChange:
    org_ids, replaced = successor_plan(predecessor, start, end)
    # Who carries each old party's responsibilities and targets: its successors, and itself too
    # when it still exists at the start of the phase.
    heirs_of = {r.old.pk: ([r.old.pk] if r.kept else []) + [h.pk for h in r.new] for r in replaced}
    stored = {p.organization_id: p for p in predecessor.parties.all()}
    parties = []
    for org_id in org_ids:
        source = stored.get(org_id) or next(stored[old] for old, new in heirs_of.items() if org_id in new)
        parties.append(PartyInput(organization=org_id, role=source.role, signatory_title="",
                                  document_number="", document_symbol=""))
    responsibilities = []
    seen = set()
    for item in predecessor.responsibilities.select_related("party", "content_area"):
        for org_id in heirs_of.get(item.party.organization_id, [item.party.organization_id]):
            if (org_id, item.content_area.code) not in seen:
                seen.add((org_id, item.content_area.code))
                responsibilities.append(ResponsibilityInput(org_id, item.content_area.code, item.level, item.text))
    data = ProgramInput(
        code=code, title=title, start=start, end=end, kind=predecessor.kind, parties=parties,
        predecessors=[predecessor.code], content_areas=list(predecessor.content_areas.values_list("code", flat=True)),
        purpose=predecessor.purpose, meeting_cadence=predecessor.meeting_cadence,
        review_schedule=predecessor.review_schedule, responsibilities=responsibilities,
        two_level_approval=predecessor.two_level_approval,
    )
    change = _create_program(data, user)
    program = change.program
    Program.objects.filter(pk=program.pk).update(period_convention=predecessor.period_convention,
                                                 self_approval_allowed=predecessor.self_approval_allowed)
    # The steering committees of the predecessor still in force when the new phase starts steer it
    # too (their standing office manages it, as it managed the predecessor).
    committees = list(predecessor.steering_committees.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)))
    for committee in committees:
        committee.programs.add(program)
    if committees:
        write_entry(program, "relation", {"steering_committees": {"added": sorted(c.name for c in committees)}})
    if replaced:
        write_entry(program, "relation", {"parties": {"replaced": [replacement_note(r) for r in replaced]}},
                    _("Lập chương trình giai đoạn tiếp theo của “%(p)s”") % {"p": predecessor.title})
    # Targets follow a body replaced before the phase; a body that is still a party keeps its own.
    program_succeeded.send(sender=Program, program=program, predecessor=predecessor,
                           replaced={r.old.pk: [h.pk for h in r.new] for r in replaced if not r.kept}, user=user)
    return SuccessorChange(change, replaced)


def replacement_note(replacement: Replacement) -> str:
    old = replacement.old
    gone = _day(old.valid_to + dt.timedelta(days=1)) if old.valid_to else ""
    heirs = ", ".join(_org_label(n) for n in replacement.new)
    if replacement.kept:
        if replacement.new:
            return _("%(old)s giải thể từ %(day)s, trong giai đoạn mới: là bên tham gia đến ngày đó; tổ chức kế thừa "
                     "tiếp nối từ ngày đó: %(new)s") % {"old": old.name, "day": gone, "new": heirs}
        return _("%(old)s giải thể từ %(day)s, trong giai đoạn mới: là bên tham gia đến ngày đó; không có tổ chức "
                 "kế thừa") % {"old": old.name, "day": gone}
    if replacement.new:
        return _("%(old)s đã giải thể từ %(day)s, thay bằng tổ chức kế thừa: %(new)s") % {
            "old": old.name, "day": gone, "new": heirs}
    return _("%(old)s đã giải thể từ %(day)s, không có tổ chức kế thừa nên không được chép") % {"old": old.name, "day": gone}


def _inherit_responsibilities(program: Program, party: ProgramParty) -> None:
    """An organisation that accepts to join a program takes the responsibilities it (or the body it
    succeeded) held in the program's predecessors, for the program's content areas."""
    sources, frontier = {party.organization_id}, [party.organization]
    while frontier:
        node = frontier.pop()
        for link in node.predecessor_links.select_related("predecessor"):
            if link.predecessor_id not in sources:
                sources.add(link.predecessor_id)
                frontier.append(link.predecessor)
    areas = set(program.content_areas.values_list("pk", flat=True))
    taken = set(program.responsibilities.filter(party=party).values_list("content_area_id", flat=True))
    for item in Responsibility.objects.filter(program__in=program.predecessors.all(),
                                              party__organization_id__in=sources).order_by("program__start", "id"):
        if item.content_area_id in areas and item.content_area_id not in taken:
            taken.add(item.content_area_id)
            Responsibility.objects.create(program=program, party=party, content_area_id=item.content_area_id,
                                          level=item.level, text=item.text)


def successors_of(program: Program):
    return program.successors.all().order_by("start")
