"""Program workflows: create and update with every rule checked before anything is written."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.organizations.models import Organization
from phoihop.programs.models import ContentArea, Program, ProgramParty, ProgramStatus


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


def _validate(data: ProgramInput, existing: Program | None) -> tuple[dict, list, list]:
    """Check everything; return resolved organisations, predecessors, content areas."""
    errors: dict[str, list[str]] = {}

    def add(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    if not data.code.strip():
        add("code", _("Mã chương trình không được để trống."))
    elif Program.objects.filter(code=data.code).exclude(pk=getattr(existing, "pk", None)).exists():
        add("code", _("Mã chương trình “%(code)s” đã được dùng.") % {"code": data.code})
    if not data.title.strip():
        add("title", _("Tên chương trình không được để trống."))
    if data.kind not in Program.Kind.values:
        add("kind", _("Loại không hợp lệ: %(kind)s.") % {"kind": data.kind})
    if data.end is None and data.kind == Program.Kind.PROGRAM:
        add("end", _("Chương trình phối hợp phải có ngày kết thúc giai đoạn (chỉ quy chế mới không có)."))
    if data.end is not None and data.end < data.start:
        add("end", _("Ngày kết thúc giai đoạn phải sau ngày bắt đầu."))

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
    preds = list(Program.objects.filter(code__in=data.predecessors))
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


def _check_may_manage(user, org_ids: set[int]) -> None:
    if not perms.can(user, perms.MANAGE, org_ids):
        raise PermissionDenied(_("Bạn cần quyền quản trị của một bên tham gia để làm việc này."))


@transaction.atomic
def create_program(data: ProgramInput, user) -> Program:
    orgs, preds, areas = _validate(data, None)
    _check_may_manage(user, set(orgs))
    program = Program.objects.create(
        code=data.code, title=data.title, kind=data.kind, start=data.start, end=data.end,
        purpose=data.purpose, meeting_cadence=data.meeting_cadence,
        review_schedule=data.review_schedule, signing_date=data.signing_date,
    )
    _write_relations(program, data, preds, areas)
    return program


@transaction.atomic
def update_program(program: Program, data: ProgramInput, user) -> Program:
    program = Program.objects.select_for_update().get(pk=program.pk)
    orgs, preds, areas = _validate(data, program)
    _check_may_manage(user, program.related_organization_ids() | set(orgs))
    for name in ("code", "title", "kind", "start", "end", "purpose", "meeting_cadence",
                 "review_schedule", "signing_date"):
        setattr(program, name, getattr(data, name))
    program.save()
    _write_relations(program, data, preds, areas)
    return program


def _write_relations(program: Program, data: ProgramInput, preds, areas) -> None:
    wanted = {p.organization: p for p in data.parties}
    program.parties.exclude(organization_id__in=wanted).delete()
    for order, party in enumerate(data.parties):
        ProgramParty.objects.update_or_create(
            program=program, organization_id=party.organization,
            defaults={
                "role": party.role, "signatory_title": party.signatory_title,
                "document_number": party.document_number,
                "document_symbol": party.document_symbol, "order": order,
            },
        )
    program.predecessors.set(preds)
    program.content_areas.set(areas)


@transaction.atomic
def change_status(program: Program, new_status: str, user, note: str = "") -> Program:
    _check_may_manage(user, program.related_organization_ids())
    program = Program.objects.select_for_update().get(pk=program.pk)
    if new_status not in ProgramStatus.values:
        raise ValidationError({"status": [_("Trạng thái không hợp lệ: %(s)s.") % {"s": new_status}]})
    program.transition_to(new_status, note)
    return program


def successors_of(program: Program):
    return program.successors.all().order_by("start")
