"""Pages where the standing office runs its steering committee and events: members and their
terms, planning an event, recording it as held or cancelling it, its attachments. Each page
parses the form and calls one function of `programs.events`; a refused write shows the form again
with everything typed and the message beside the field."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.core.bounds import parse_id
from phoihop.programs import access, events
from phoihop.programs.event_forms import (
    AttachmentForm,
    CancelForm,
    EndTermForm,
    EventForm,
    HeldForm,
    MemberForm,
    ids,
)
from phoihop.programs.models import CommitteeMember, EventAttachment

# Served as what check_attachment verified; anything else is a download of bytes.
SAFE_TYPES = {
    "image/jpeg", "image/png", "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _page(request, form, *, title: str, submit: str, back: str, intro: str = "", files: bool = False):
    context = {"form": form, "title": title, "submit": submit, "back": back, "intro": intro, "files": files}
    return render(request, "programs/event_form.html", context, status=422 if form.errors else 200)


def _show_errors(form, exc: ValidationError) -> None:
    """The service's messages beside their fields (those of other fields above the form)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            target = name if name in form.fields else None
            if name == "starts_at":
                target = "date"
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# ---------------------------------------------------------------- committee members


def _managed_committee(request, pk: int):
    committee = access.get_committee_for_user(request.user, pk)
    if not events.may_manage_committee(request.user, committee):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan thường trực Ban Chỉ đạo mới thay đổi được thành viên."))
    return committee


def _managed_member(request, pk: int) -> CommitteeMember:
    member = CommitteeMember.objects.select_related("committee", "person").filter(pk=pk).first()
    if member is None:
        raise Http404(_("Không tìm thấy thành viên."))
    _managed_committee(request, member.committee_id)
    return member


def _member_input(form) -> events.MemberInput:
    data = form.cleaned_data
    return events.MemberInput(
        role=data["role"], person=parse_id(data.get("person")), person_name=data.get("person_name", ""),
        organization=parse_id(data.get("organization")), valid_from=data.get("valid_from"), valid_to=data.get("valid_to"),
    )


@login_required
def member_add(request, pk: int):
    committee = _managed_committee(request, pk)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = events.add_member(committee, _member_input(form), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã thêm %(name)s vào ban chỉ đạo (%(role)s).") % {
                "name": member.person.full_name, "role": member.get_role_display()})
            return redirect("programs:committee", pk=committee.pk)
    return _page(request, form, title=_("Thêm thành viên — %(c)s") % {"c": committee.name}, submit=_("Thêm thành viên"),
                 back=_committee_url(committee.pk),
                 intro=_("Chọn một người có sẵn hoặc nhập họ tên người mới. Nhiệm kỳ nhập theo dạng dd/mm/yyyy."))


@login_required
def member_edit(request, pk: int):
    member = _managed_member(request, pk)
    form = MemberForm(request.POST or None, initial=MemberForm.initial_for(member))
    if request.method == "POST" and form.is_valid():
        try:
            member = events.update_member(member, _member_input(form), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu thành viên %(name)s.") % {"name": member.person.full_name})
            return redirect("programs:committee", pk=member.committee_id)
    return _page(request, form, title=_("Sửa thành viên — %(name)s") % {"name": member.person.full_name},
                 submit=_("Lưu"), back=_committee_url(member.committee_id))


@login_required
def member_end(request, pk: int):
    member = _managed_member(request, pk)
    form = EndTermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            member = events.end_member_term(member, form.cleaned_data.get("valid_to"), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã kết thúc nhiệm kỳ của %(name)s ngày %(d)s.") % {
                "name": member.person.full_name, "d": member.valid_to.strftime("%d/%m/%Y")})
            return redirect("programs:committee", pk=member.committee_id)
    return _page(request, form, title=_("Kết thúc nhiệm kỳ — %(name)s (%(role)s)") % {
        "name": member.person.full_name, "role": member.get_role_display()},
        submit=_("Kết thúc nhiệm kỳ"), back=_committee_url(member.committee_id),
        intro=_("Thành viên vẫn được giữ trong danh sách thành viên các nhiệm kỳ trước."))


def _committee_url(pk: int) -> str:
    return reverse("programs:committee", args=[pk])


# ---------------------------------------------------------------- events


def _event_input(form) -> events.EventInput:
    data = form.cleaned_data
    return events.EventInput(
        kind=data["kind"], title=data["title"], starts_at=form.starts_at(), place=data.get("place", ""),
        chair=parse_id(data.get("chair")), chair_name=data.get("chair_name", ""), chair_title=data.get("chair_title", ""),
        committee=parse_id(data.get("committee")), programs=ids(data.get("programs")),
        organizations=ids(data.get("organizations")), witnesses=data.get("witnesses", ""), is_public=data.get("is_public", False),
    )


def _managed_event(request, pk: int):
    event = access.get_event_for_user(request.user, pk)
    if not events.may_manage_event(request.user, event):
        raise PermissionDenied(_("Chỉ quản trị của cơ quan thường trực Ban Chỉ đạo hoặc của một bên tham gia chương trình "
                                 "mới thay đổi được sự kiện này."))
    return event


def _event_url(pk: int) -> str:
    return reverse("programs:event", args=[pk])


@login_required
def event_create(request):
    if not events.may_plan_events(request.user):
        raise PermissionDenied(_("Bạn cần quyền quản trị của một tổ chức để lên kế hoạch sự kiện."))
    initial = {}
    committee = parse_id(request.GET.get("ban"))
    if committee and access.committees_visible_to(request.user).filter(pk=committee).exists():
        initial["committee"] = str(committee)
    programs = access.programs_visible_to(request.user).order_by("-start", "code")
    form = EventForm(request.POST or None, initial=initial, programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            event = events.plan_event(_event_input(form), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã lên kế hoạch sự kiện “%(t)s”.") % {"t": event.title})
            return redirect("programs:event", pk=event.pk)
    return _page(request, form, title=_("Lên kế hoạch sự kiện"), submit=_("Lên kế hoạch"), back=reverse("programs:events"),
                 intro=_("Sự kiện mới ở trạng thái “Đã lên kế hoạch”; sau khi tổ chức, ghi nhận ngày, thành phần và kết quả."))


@login_required
def event_edit(request, pk: int):
    event = _managed_event(request, pk)
    programs = access.programs_visible_to(request.user).order_by("-start", "code")
    form = EventForm(request.POST or None, initial=EventForm.initial_for(event), programs=programs)
    if request.method == "POST" and form.is_valid():
        try:
            event = events.update_event(event, _event_input(form), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã lưu sự kiện “%(t)s”.") % {"t": event.title})
            return redirect("programs:event", pk=event.pk)
    return _page(request, form, title=_("Sửa sự kiện — %(t)s") % {"t": event.title}, submit=_("Lưu"), back=_event_url(event.pk))


@login_required
def event_held(request, pk: int):
    event = _managed_event(request, pk)
    form = HeldForm(request.POST or None, initial={"place": event.place})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = events.record_held(event, events.HeldInput(data["held_on"], data.get("place", ""), data.get("attendees", ""),
                                                               data.get("outcome", "")), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã ghi nhận sự kiện “%(t)s” đã tổ chức.") % {"t": event.title})
            return redirect("programs:event", pk=event.pk)
    return _page(request, form, title=_("Ghi nhận đã tổ chức — %(t)s") % {"t": event.title}, submit=_("Ghi nhận đã tổ chức"),
                 back=_event_url(event.pk), intro=_("Biên bản và ảnh được tải lên ở trang sự kiện sau khi ghi nhận."))


@login_required
def event_cancel(request, pk: int):
    event = _managed_event(request, pk)
    form = CancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            event = events.cancel_event(event, form.cleaned_data.get("reason", ""), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã hủy sự kiện “%(t)s”.") % {"t": event.title})
            return redirect("programs:event", pk=event.pk)
    return _page(request, form, title=_("Hủy sự kiện — %(t)s") % {"t": event.title}, submit=_("Hủy sự kiện"),
                 back=_event_url(event.pk))


@login_required
def attachment_add(request, pk: int):
    event = _managed_event(request, pk)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            attachment = events.add_attachment(event, data.get("file"), data["kind"], data.get("caption", ""), request.user)
        except ValidationError as exc:
            _show_errors(form, exc)
        else:
            messages.success(request, _("Đã tải lên %(kind)s: %(name)s.") % {
                "kind": attachment.get_kind_display().lower(), "name": download_name(attachment)})
            return redirect("programs:event", pk=event.pk)
    return _page(request, form, title=_("Tải tệp lên — %(t)s") % {"t": event.title}, submit=_("Tải lên"),
                 back=_event_url(event.pk), files=True)


def _visible_attachment(request, pk: int) -> EventAttachment:
    attachment = EventAttachment.objects.filter(pk=pk).first()
    if attachment is None:
        raise Http404(_("Không tìm thấy tệp."))
    access.get_event_for_user(request.user, attachment.event_id)  # another organisation's non-public event: 404
    return attachment


@login_required
@require_POST
def attachment_remove(request, pk: int):
    attachment = _visible_attachment(request, pk)
    event_id = attachment.event_id
    _managed_event(request, event_id)
    events.remove_attachment(attachment, request.user)
    messages.success(request, _("Đã gỡ tệp %(name)s.") % {"name": download_name(attachment)})
    return redirect("programs:event", pk=event_id)


def download_name(attachment: EventAttachment) -> str:
    return attachment.filename


@login_required
def attachment_download(request, pk: int):
    """The file, for whoever may see its event; served as the verified type (else as bytes), as a
    download named as it was uploaded."""
    attachment = _visible_attachment(request, pk)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, OSError):
        raise Http404(_("Tệp không còn trên máy chủ.")) from None
    content_type = attachment.content_type if attachment.content_type in SAFE_TYPES else "application/octet-stream"
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, download_name(attachment))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
