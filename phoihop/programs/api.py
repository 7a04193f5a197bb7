import datetime as dt

from ninja import Query, Router, Schema, Status
from pydantic import Field

from phoihop.programs import access, services
from phoihop.programs.models import Event, PartyInvitation, Program

router = Router(tags=["programs"])


class PartyOut(Schema):
    organization: int
    organization_name: str
    role: str
    document: str


class ProgramOut(Schema):
    code: str
    title: str
    kind: str
    status: str
    start: dt.date
    end: dt.date | None
    signing_date: dt.date | None
    parties: list[PartyOut]
    predecessors: list[str]
    successors: list[str]
    content_areas: list[str]


class ProgramWriteOut(ProgramOut):
    """A program as written, and what happened to the parties named in the request."""

    parties_added: list[int] = Field(description="Tổ chức đã trở thành bên tham gia (tổ chức bạn quản trị)")
    parties_invited: list[int] = Field(description="Tổ chức được gửi lời mời; thành bên tham gia khi họ nhận lời")
    parties_removed: list[int] = Field(description="Tổ chức không còn là bên tham gia")


class InvitationOut(Schema):
    id: int
    program: str
    program_title: str
    organization: int
    organization_name: str
    role: str
    state: str
    invited_at: dt.datetime
    answered_at: dt.datetime | None


class PartyIn(Schema):
    organization: int
    role: str = "member"
    signatory_title: str = Field("", max_length=200)
    document_number: str = Field("", max_length=20)
    document_symbol: str = Field("", max_length=60)
    signatory_name: str | None = Field(None, max_length=150, description="Họ tên người ký; bỏ qua: giữ như đã lưu")
    signing_prefix: str | None = Field(None, max_length=60, description="Thẩm quyền ký (TM./KT./Q.); bỏ qua: giữ như đã lưu")


class ProgramIn(Schema):
    code: str = Field(..., min_length=1, max_length=60, pattern=r"^[-a-zA-Z0-9_]+$")
    title: str = Field(..., min_length=1, max_length=500)
    kind: str = "program"
    start: dt.date
    end: dt.date | None = None
    parties: list[PartyIn] = Field(default_factory=list, max_length=100)
    predecessors: list[str] = Field(default_factory=list, max_length=50)
    content_areas: list[str] = Field(default_factory=list, max_length=100)
    purpose: str = Field("", max_length=20000)
    meeting_cadence: str = Field("", max_length=300)
    review_schedule: str = Field("", max_length=300)
    signing_date: dt.date | None = None
    two_level_approval: bool | None = Field(None, description="Báo cáo qua hai cấp duyệt; bỏ qua: giữ như đã lưu")


class TransitionIn(Schema):
    status: str
    note: str = Field("", max_length=2000)
    signing_date: dt.date | None = Field(None, description="Ngày ký (khi ký kết; bỏ qua: ngày đã lưu)")


class EventOut(Schema):
    id: int
    kind: str
    title: str
    starts_at: dt.datetime
    place: str
    programs: list[str]
    organizations: list[int]
    outcome: str


class Error(Schema):
    detail: dict | str | list


def program_out(program: Program, visible_codes: set[str]) -> dict:
    return {
        "code": program.code,
        "title": program.title,
        "kind": program.kind,
        "status": program.status,
        "start": program.start,
        "end": program.end,
        "signing_date": program.signing_date,
        "parties": [
            {
                "organization": p.organization_id,
                "organization_name": p.organization.name,
                "role": p.role,
                "document": p.document_reference,
            }
            for p in program.parties.all()
        ],
        "predecessors": sorted(p.code for p in program.predecessors.all() if p.code in visible_codes),
        "successors": sorted(p.code for p in program.successors.all() if p.code in visible_codes),
        "content_areas": [a.code for a in program.content_areas.all()],
    }


def _prefetched(qs):
    return qs.prefetch_related("parties__organization", "predecessors", "successors", "content_areas")


def _to_input(payload: ProgramIn) -> services.ProgramInput:
    data = payload.dict()
    data["parties"] = [services.PartyInput(**p) for p in data["parties"]]
    return services.ProgramInput(**data)


@router.get("programs", response=list[ProgramOut], summary="Danh sách chương trình")
def list_programs(request):
    visible = access.programs_visible_to(request.user)
    codes = set(visible.values_list("code", flat=True))
    return [program_out(p, codes) for p in _prefetched(visible.order_by("start", "code"))]


@router.get("programs/{code}", response={200: ProgramOut, 404: Error}, summary="Một chương trình")
def get_program(request, code: str):
    program = access.get_program_for_user(request.user, code)
    return _one(request.user, program)


def _one(user, program: Program) -> dict:
    codes = set(access.programs_visible_to(user).values_list("code", flat=True))
    return program_out(_prefetched(Program.objects.filter(pk=program.pk)).get(), codes)


def _written(user, change: services.ProgramChange) -> dict:
    return {**_one(user, change.program), "parties_added": change.added, "parties_invited": change.invited,
            "parties_removed": change.removed}


@router.post("programs", response={201: ProgramWriteOut, 403: Error, 422: Error}, summary="Tạo chương trình")
def create_program(request, payload: ProgramIn):
    """The parties you manage are bound directly (at least one is required); every other
    organisation named is invited and becomes a party when its committee administrator accepts."""
    change = services.create_program(_to_input(payload), request.user)
    return Status(201, _written(request.user, change))


@router.put("programs/{code}", response={200: ProgramWriteOut, 403: Error, 404: Error, 422: Error}, summary="Sửa chương trình")
def update_program(request, code: str, payload: ProgramIn):
    """Needs the manage role in one of the program's current parties or in the standing office of a
    committee steering it. New organisations are invited unless you manage them."""
    program = access.get_program_for_user(request.user, code)
    change = services.update_program(program, _to_input(payload), request.user)
    return _written(request.user, change)


@router.post("programs/{code}/status", response={200: ProgramOut, 403: Error, 404: Error, 422: Error}, summary="Chuyển trạng thái")
def transition_program(request, code: str, payload: TransitionIn):
    program = access.get_program_for_user(request.user, code)
    program = services.change_status(program, payload.status, request.user, payload.note, signing_date=payload.signing_date)
    return _one(request.user, program)


# ---------------------------------------------------------------- invitations

_NOTE = Query("", max_length=2000, description="Ghi chú (ghi vào nhật ký)")


def invitation_out(invitation: PartyInvitation) -> dict:
    return {
        "id": invitation.pk,
        "program": invitation.program.code,
        "program_title": invitation.program.title,
        "organization": invitation.organization_id,
        "organization_name": invitation.organization.name,
        "role": invitation.role,
        "state": invitation.state,
        "invited_at": invitation.created_at,
        "answered_at": invitation.answered_at,
    }


@router.get("invitations", response=list[InvitationOut], summary="Lời mời tham gia chương trình")
def list_invitations(request, state: str = Query("", max_length=12, description="pending, accepted, declined, withdrawn; để trống: tất cả")):
    """Invitations addressed to your organisations, or sent by programs your organisation manages."""
    qs = access.invitations_visible_to(request.user).select_related("program", "organization")
    if state:
        qs = qs.filter(state=state)
    return [invitation_out(i) for i in qs.order_by("-created_at", "-id")]


@router.post("invitations/{invitation_id}/accept", response={200: InvitationOut, 403: Error, 404: Error, 422: Error},
             summary="Nhận lời mời (tổ chức trở thành bên tham gia)")
def accept_invitation(request, invitation_id: int, note: str = _NOTE):
    invitation = access.get_invitation_for_user(request.user, invitation_id)
    return invitation_out(services.answer_invitation(invitation, request.user, True, note))


@router.post("invitations/{invitation_id}/decline", response={200: InvitationOut, 403: Error, 404: Error, 422: Error},
             summary="Từ chối lời mời")
def decline_invitation(request, invitation_id: int, note: str = _NOTE):
    invitation = access.get_invitation_for_user(request.user, invitation_id)
    return invitation_out(services.answer_invitation(invitation, request.user, False, note))


@router.post("invitations/{invitation_id}/withdraw", response={200: InvitationOut, 403: Error, 404: Error, 422: Error},
             summary="Rút lại lời mời (người quản lý chương trình)")
def withdraw_invitation(request, invitation_id: int, note: str = _NOTE):
    invitation = access.get_invitation_for_user(request.user, invitation_id)
    return invitation_out(services.withdraw_invitation(invitation, request.user, note))


def event_out(event: Event) -> dict:
    return {
        "id": event.pk,
        "kind": event.kind,
        "title": event.title,
        "starts_at": event.starts_at,
        "place": event.place,
        "programs": sorted(p.code for p in event.programs.all()),
        "organizations": sorted(o.pk for o in event.organizations.all()),
        "outcome": event.outcome,
    }


@router.get("events", response=list[EventOut], summary="Sự kiện")
def list_events(request):
    events = access.events_visible_to(request.user).prefetch_related("programs", "organizations")
    return [event_out(e) for e in events.order_by("starts_at")]


@router.get("events/{event_id}", response={200: EventOut, 404: Error}, summary="Một sự kiện")
def get_event(request, event_id: int):
    return event_out(access.get_event_for_user(request.user, event_id))


