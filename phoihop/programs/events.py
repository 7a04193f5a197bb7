"""Steering committees and their events, run from their pages: the one place that writes a
committee's members, an event, its status and its attachments.

Who may write is read from the rows as stored, never from the request:

- a committee's members: the manage role (committee administrator) in its standing office;
- an event: the manage role in the standing office of its committee, or in one of the
  organisations managing one of its programs (a party, or the standing office of a committee
  steering it). Planning or changing an event also needs that right over the committee and
  programs it will have, so nobody files an event under a committee they do not run.

An event is planned, then held (its date, place, attendees and outcome recorded) or cancelled
(with its reason): `Event.workflow`, each move in the audit log. A member's term is ended by
giving it an end date: the row stays, so the committee's history is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.audit import workflow
from phoihop.core.bounds import date_in_range, range_message
from phoihop.core.uploads import check_attachment
from phoihop.core.vietnamese import clean_line
from phoihop.organizations.models import Organization, Person
from phoihop.programs import access
from phoihop.programs.models import (
    CommitteeMember,
    Event,
    EventAttachment,
    EventStatus,
    Program,
    SteeringCommittee,
)

TITLE_MAX = 400
PLACE_MAX = 300
NAME_MAX = 150
TEXT_MAX = 10_000


# ---------------------------------------------------------------- who may write


def committee_managers(committee: SteeringCommittee) -> set[int]:
    office = SteeringCommittee.objects.filter(pk=committee.pk).values_list("standing_office_id", flat=True).first()
    return {office} if office else set()


def may_manage_committee(user, committee: SteeringCommittee) -> bool:
    return perms.can(user, perms.MANAGE, committee_managers(committee))


def _managers_of(committee_id: int | None, program_ids) -> set[int]:
    ids: set[int] = set()
    if committee_id:
        office = SteeringCommittee.objects.filter(pk=committee_id).values_list("standing_office_id", flat=True).first()
        if office:
            ids.add(office)
    for program in Program.objects.filter(pk__in=list(program_ids)):
        ids |= program.related_organization_ids()
    return ids


def event_managers(event: Event) -> set[int]:
    """The organisations whose committee administrators manage `event`, from the stored rows."""
    stored = Event.objects.filter(pk=event.pk).values_list("committee_id", flat=True).first()
    return _managers_of(stored, Event.programs.through.objects.filter(event_id=event.pk).values_list("program_id", flat=True))


def may_manage_event(user, event: Event) -> bool:
    return perms.can(user, perms.MANAGE, event_managers(event))


def may_plan_events(user) -> bool:
    """May the user plan an event at all (committee administrator somewhere)?"""
    return perms.is_system_admin(user) or bool(perms.org_ids_with(user, perms.MANAGE))


def _check_event(user, event: Event) -> None:
    if not may_manage_event(user, event):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan thường trực Ban Chỉ đạo hoặc của một bên tham gia chương trình "
                                 "mới thay đổi được sự kiện này."))


def _check_committee(user, committee: SteeringCommittee) -> None:
    if not may_manage_committee(user, committee):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan thường trực Ban Chỉ đạo mới thay đổi được thành viên."))


class _Errors(dict):
    def add(self, key: str, message: str) -> None:
        self.setdefault(key, []).append(message)

    def raise_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _text(value: str | None, limit: int, key: str, label: str, errors: _Errors, *, one_line: bool = True) -> str:
    text = clean_line(value or "") if one_line else (value or "").strip()
    if len(text) > limit:
        errors.add(key, _("%(label)s dài quá %(n)s ký tự.") % {"label": label, "n": limit})
    return text


def _day(value: dt.date | None, key: str, label: str, errors: _Errors) -> None:
    if not date_in_range(value):
        errors.add(key, range_message(label))


def _person(person_id: int | None, name: str, key: str, errors: _Errors, *, required: bool) -> Person | str | None:
    """An existing person, or a name for a new one (created only once everything is valid)."""
    name = clean_line(name or "")
    if person_id and name:
        errors.add(key, _("Chọn một người có sẵn hoặc nhập họ tên người mới, không cả hai."))
        return None
    if person_id:
        person = Person.objects.filter(pk=person_id).first()
        if person is None:
            errors.add(key, _("Không có cá nhân mã %(id)s.") % {"id": person_id})
        return person
    if name:
        if len(name) > NAME_MAX:
            errors.add(key, _("Họ và tên dài quá %(n)s ký tự.") % {"n": NAME_MAX})
        return name
    if required:
        errors.add(key, _("Hãy chọn một người có sẵn hoặc nhập họ tên người mới."))
    return None


def _person_row(found: Person | str | None) -> Person | None:
    if isinstance(found, str):
        return Person.objects.create(full_name=found)
    return found


# ---------------------------------------------------------------- events


@dataclass
class EventInput:
    kind: str
    title: str
    starts_at: dt.datetime | None
    place: str = ""
    chair: int | None = None
    chair_name: str = ""
    chair_title: str = ""
    committee: int | None = None
    programs: list[int] = field(default_factory=list)
    organizations: list[int] = field(default_factory=list)
    witnesses: str = ""
    is_public: bool = False


@dataclass
class HeldInput:
    held_on: dt.date | None
    place: str = ""
    attendees: str = ""
    outcome: str = ""


def _validate_event(data: EventInput, user) -> tuple[dict, Person | str | None, SteeringCommittee | None, list, list]:
    errors = _Errors()
    if data.kind not in Event.Kind.values:
        errors.add("kind", _("Loại sự kiện không hợp lệ."))
    title = _text(data.title, TITLE_MAX, "title", _("Tiêu đề"), errors)
    if not title:
        errors.add("title", _("Tiêu đề sự kiện không được để trống."))
    if data.starts_at is None:
        errors.add("starts_at", _("Hãy nhập ngày tổ chức (dd/mm/yyyy)."))
    else:
        _day(data.starts_at.date(), "starts_at", _("Ngày tổ chức"), errors)
    fields = {
        "kind": data.kind, "title": title, "starts_at": data.starts_at,
        "place": _text(data.place, PLACE_MAX, "place", _("Địa điểm"), errors),
        "chair_title": _text(data.chair_title, 200, "chair_title", _("Chức vụ người chủ trì"), errors),
        "witnesses": _text(data.witnesses, TEXT_MAX, "witnesses", _("Đại biểu chứng kiến"), errors, one_line=False),
        "is_public": bool(data.is_public),
    }
    chair = _person(data.chair, data.chair_name, "chair", errors, required=False)
    committee = None
    if data.committee:
        committee = access.committees_visible_to(user).filter(pk=data.committee).first()
        if committee is None:
            errors.add("committee", _("Không có ban chỉ đạo mã %(id)s.") % {"id": data.committee})
    # Only programs the user may see can be named: another organisation's draft is "no such program".
    programs = list(access.programs_visible_to(user).filter(pk__in=data.programs))
    for missing in sorted(set(data.programs) - {p.pk for p in programs}):
        errors.add("programs", _("Không có chương trình mã %(id)s.") % {"id": missing})
    organizations = list(Organization.objects.filter(pk__in=data.organizations))
    for missing in sorted(set(data.organizations) - {o.pk for o in organizations}):
        errors.add("organizations", _("Không có tổ chức mã %(id)s.") % {"id": missing})
    if not data.committee and not data.programs:
        errors.add("committee", _("Hãy chọn ban chỉ đạo tổ chức sự kiện hoặc ít nhất một chương trình liên quan."))
    errors.raise_any()
    if not perms.can(user, perms.MANAGE, _managers_of(committee.pk if committee else None, [p.pk for p in programs])):
        raise PermissionDenied(_("Bạn chỉ lên kế hoạch được sự kiện của ban chỉ đạo mà tổ chức bạn là cơ quan thường trực, "
                                 "hoặc của chương trình mà tổ chức bạn quản trị."))
    return fields, chair, committee, programs, organizations


def plan_event(data: EventInput, user) -> Event:
    """A new event, planned (`EventStatus.PLANNED`)."""
    if not may_plan_events(user):
        raise PermissionDenied(_("Bạn cần quyền quản trị của một tổ chức để lên kế hoạch sự kiện."))
    with transaction.atomic():
        fields, chair, committee, programs, organizations = _validate_event(data, user)
        event = Event.objects.create(status=EventStatus.PLANNED, chair=_person_row(chair), committee=committee, **fields)
        event.programs.set(programs)
        event.organizations.set(organizations)
    return event


def update_event(event: Event, data: EventInput, user) -> Event:
    """Change a planned event; a held or cancelled one stays as it was recorded."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_event(user, event)
        _check_planned(event, _("Chỉ sửa được sự kiện đang ở trạng thái “%(s)s”; sự kiện này đã “%(now)s”."))
        fields, chair, committee, programs, organizations = _validate_event(data, user)
        for name, value in fields.items():
            setattr(event, name, value)
        event.chair = _person_row(chair)
        event.committee = committee
        event.save()
        event.programs.set(programs)
        event.organizations.set(organizations)
    return event


def _check_planned(event: Event, message: str) -> None:
    if event.status != EventStatus.PLANNED:
        raise ValidationError(message % {"s": EventStatus.PLANNED.label, "now": event.get_status_display()})


def record_held(event: Event, data: HeldInput, user, *, today: dt.date | None = None) -> Event:
    """The event took place: its date, place, attendees and outcome, and the move to "held"."""
    today = today or timezone.localdate()
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_event(user, event)
        _check_planned(event, _("Chỉ ghi nhận được sự kiện đang ở trạng thái “%(s)s”; sự kiện này đã “%(now)s”."))
        errors = _Errors()
        if data.held_on is None:
            errors.add("held_on", _("Hãy nhập ngày đã tổ chức (dd/mm/yyyy)."))
        elif not date_in_range(data.held_on):
            errors.add("held_on", range_message(_("Ngày đã tổ chức")))
        elif data.held_on > today:
            errors.add("held_on", _("Ngày đã tổ chức không thể sau hôm nay (%(d)s).") % {"d": today.strftime("%d/%m/%Y")})
        place = _text(data.place, PLACE_MAX, "place", _("Địa điểm"), errors)
        attendees = _text(data.attendees, TEXT_MAX, "attendees", _("Thành phần tham dự"), errors, one_line=False)
        outcome = _text(data.outcome, TEXT_MAX, "outcome", _("Kết quả"), errors, one_line=False)
        if not outcome:
            errors.add("outcome", _("Hãy ghi kết quả của sự kiện."))
        errors.raise_any()
        event.held_on, event.attendees, event.outcome = data.held_on, attendees, outcome
        event.place = place or event.place
        event.save(update_fields=["held_on", "attendees", "outcome", "place", "updated_at"])
        workflow.move(event, EventStatus.HELD, f"Đã tổ chức ngày {data.held_on:%d/%m/%Y}")  # stored data: Vietnamese
    return event


def cancel_event(event: Event, reason: str, user) -> Event:
    """A planned event will not take place; the reason is recorded with the move."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_event(user, event)
        _check_planned(event, _("Chỉ hủy được sự kiện đang ở trạng thái “%(s)s”; sự kiện này đã “%(now)s”."))
        errors = _Errors()
        reason = _text(reason, 2000, "reason", _("Lý do"), errors, one_line=False)
        if not reason:
            errors.add("reason", _("Hãy ghi lý do hủy sự kiện."))
        errors.raise_any()
        workflow.move(event, EventStatus.CANCELLED, reason)
    return event


def cancellation_reason(event: Event) -> str:
    """The reason given when the event was cancelled (the note of that move in the audit log)."""
    from phoihop.audit.recorder import history_for

    for entry in history_for(event):
        if entry.action == "transition" and entry.changes.get("status", [None, None])[1] == EventStatus.CANCELLED:
            return entry.note
    return ""


# ---------------------------------------------------------------- attachments


def add_attachment(event: Event, upload, kind: str, caption: str, user) -> EventAttachment:
    """A file of the event (minutes, photo, other), checked by what it really is
    (`core.uploads.check_attachment`); the stored content type is the verified one."""
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        _check_event(user, event)
        errors = _Errors()
        if event.status == EventStatus.CANCELLED:
            errors.add("file", _("Sự kiện đã hủy; không thêm tệp được."))
        if kind not in EventAttachment.Kind.values:
            errors.add("kind", _("Loại tệp không hợp lệ."))
        caption = _text(caption, 300, "caption", _("Chú thích"), errors)
        if upload is None:
            errors.add("file", _("Hãy chọn tệp để tải lên."))
        else:
            try:
                checked = check_attachment(upload)
            except ValidationError as exc:
                errors.setdefault("file", []).extend(exc.messages)
        errors.raise_any()
        return EventAttachment.objects.create(
            event=event, kind=kind, file=upload, caption=caption,
            content_type=checked.content_type, size=getattr(upload, "size", 0) or 0,
        )


def remove_attachment(attachment: EventAttachment, user) -> None:
    """Remove a file of the event (its removal is recorded); the stored file goes once committed."""
    with transaction.atomic():
        attachment = EventAttachment.objects.select_for_update().select_related("event").get(pk=attachment.pk)
        _check_event(user, attachment.event)
        storage, name = attachment.file.storage, attachment.file.name
        attachment.delete()
        transaction.on_commit(lambda: storage.delete(name))


# ---------------------------------------------------------------- committee members


@dataclass
class MemberInput:
    role: str
    person: int | None = None
    person_name: str = ""
    organization: int | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def _validate_member(committee: SteeringCommittee, data: MemberInput, existing: CommitteeMember | None) -> tuple:
    errors = _Errors()
    if data.role not in CommitteeMember.Role.values:
        errors.add("role", _("Vai trò không hợp lệ."))
    person = _person(data.person, data.person_name, "person", errors, required=True)
    organization = None
    if data.organization:
        organization = Organization.objects.filter(pk=data.organization).first()
        if organization is None:
            errors.add("organization", _("Không có tổ chức mã %(id)s.") % {"id": data.organization})
    if data.valid_from is None:
        errors.add("valid_from", _("Hãy nhập ngày bắt đầu nhiệm kỳ (dd/mm/yyyy)."))
    _day(data.valid_from, "valid_from", _("Ngày bắt đầu nhiệm kỳ"), errors)
    _day(data.valid_to, "valid_to", _("Ngày kết thúc nhiệm kỳ"), errors)
    if data.valid_from and data.valid_to and data.valid_to < data.valid_from:
        errors.add("valid_to", _("Ngày kết thúc nhiệm kỳ phải sau hoặc bằng ngày bắt đầu."))
    if organization is not None and data.valid_from:
        if organization.valid_to and organization.valid_to < data.valid_from:
            errors.add("organization", _("%(org)s đã hết hiệu lực ngày %(d)s, trước khi nhiệm kỳ bắt đầu.") % {
                "org": organization.name, "d": organization.valid_to.strftime("%d/%m/%Y")})
        elif organization.valid_from and data.valid_to and organization.valid_from > data.valid_to:
            errors.add("organization", _("%(org)s chỉ có từ ngày %(d)s, sau khi nhiệm kỳ kết thúc.") % {
                "org": organization.name, "d": organization.valid_from.strftime("%d/%m/%Y")})
    if isinstance(person, Person) and data.valid_from:
        seats = committee.members.filter(person=person).exclude(pk=getattr(existing, "pk", None))
        for seat in seats:
            if (seat.valid_to is None or seat.valid_to >= data.valid_from) and (
                    data.valid_to is None or seat.valid_from is None or seat.valid_from <= data.valid_to):
                errors.add("person", _("%(name)s đã là thành viên ban chỉ đạo trong thời gian này (%(role)s, từ %(d)s).") % {
                    "name": person.full_name, "role": seat.get_role_display(),
                    "d": seat.valid_from.strftime("%d/%m/%Y") if seat.valid_from else "…"})
                break
    errors.raise_any()
    return person, organization


def add_member(committee: SteeringCommittee, data: MemberInput, user) -> CommitteeMember:
    """A new member of the steering committee for a term (an existing person or a new one)."""
    with transaction.atomic():
        committee = SteeringCommittee.objects.select_for_update().get(pk=committee.pk)
        _check_committee(user, committee)
        person, organization = _validate_member(committee, data, None)
        return CommitteeMember.objects.create(
            committee=committee, person=_person_row(person), organization=organization, role=data.role,
            valid_from=data.valid_from, valid_to=data.valid_to,
        )


def update_member(member: CommitteeMember, data: MemberInput, user) -> CommitteeMember:
    """Correct a member's person, role, organisation or term."""
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().select_related("committee").get(pk=member.pk)
        _check_committee(user, member.committee)
        person, organization = _validate_member(member.committee, data, member)
        member.person = _person_row(person)
        member.organization, member.role = organization, data.role
        member.valid_from, member.valid_to = data.valid_from, data.valid_to
        member.save()
        return member


def end_member_term(member: CommitteeMember, valid_to: dt.date | None, user, *, today: dt.date | None = None) -> CommitteeMember:
    """End a member's term on `valid_to`: the row stays (the committee's history is kept)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        member = CommitteeMember.objects.select_for_update().select_related("committee").get(pk=member.pk)
        _check_committee(user, member.committee)
        errors = _Errors()
        if member.valid_to is not None and member.valid_to < today:
            errors.add("valid_to", _("Nhiệm kỳ này đã kết thúc ngày %(d)s.") % {"d": member.valid_to.strftime("%d/%m/%Y")})
        elif valid_to is None:
            errors.add("valid_to", _("Hãy nhập ngày kết thúc nhiệm kỳ (dd/mm/yyyy)."))
        elif not date_in_range(valid_to):
            errors.add("valid_to", range_message(_("Ngày kết thúc nhiệm kỳ")))
        elif member.valid_from and valid_to < member.valid_from:
            errors.add("valid_to", _("Ngày kết thúc nhiệm kỳ phải sau hoặc bằng ngày bắt đầu (%(d)s).") % {
                "d": member.valid_from.strftime("%d/%m/%Y")})
        errors.raise_any()
        member.valid_to = valid_to
        member.save(update_fields=["valid_to", "updated_at"])
        return member


def current_and_past_members(committee: SteeringCommittee, *, today: dt.date | None = None):
    """(current, past) members: current ones have no end date or end today or later."""
    today = today or timezone.localdate()
    rows = list(committee.members.select_related("person", "organization").order_by("role", "valid_from", "id"))
    order = {value: i for i, value in enumerate(CommitteeMember.Role.values)}
    rows.sort(key=lambda m: (order.get(m.role, 99), m.valid_from or dt.date.min, m.pk))
    current = [m for m in rows if m.valid_to is None or m.valid_to >= today]
    past = sorted((m for m in rows if m.valid_to is not None and m.valid_to < today),
                  key=lambda m: (-(m.valid_to.toordinal()), order.get(m.role, 99), m.pk))
    return current, past
