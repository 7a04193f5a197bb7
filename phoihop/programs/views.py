import datetime as dt
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from phoihop.accounts import permissions as perms
from phoihop.audit.recorder import history_for
from phoihop.core.vietnamese import fold
from phoihop.organizations.labels import org_label
from phoihop.programs import access, forms, services
from phoihop.programs import events as committee_events
from phoihop.programs.models import (
    EventStatus,
    InvitationState,
    Program,
    ProgramParty,
    ProgramStatus,
)


@login_required
def program_list(request):
    q = request.GET.get("q", "").strip()[:100]
    status = request.GET.get("status", "")
    programs = access.programs_visible_to(request.user).prefetch_related("parties__organization")
    for word in fold(q).split():
        programs = programs.filter(search_text__contains=word)
    if status in ProgramStatus.values:
        programs = programs.filter(status=status)
    context = {
        "programs": programs.order_by("-start", "code"),
        "q": q,
        "status": status,
        "statuses": ProgramStatus.choices,
        "may_create": _may_create(request.user),
    }
    return render(request, "programs/list.html", context)


@login_required
def program_detail(request, code: str):
    program = access.get_program_for_user(request.user, code)
    visible = access.programs_visible_to(request.user)
    parties = program.parties.select_related("organization", "signatory")
    responsibilities = program.responsibilities.select_related("party__organization", "content_area")
    by_area: dict = {}
    for item in responsibilities:
        by_area.setdefault(item.content_area_id, []).append(item)
    area_rows = [
        {
            "area": area,
            "leads": [r for r in by_area.get(area.pk, []) if r.level == "lead"],
            "supports": [r for r in by_area.get(area.pk, []) if r.level == "support"],
        }
        for area in program.content_areas.all()
    ]
    context = {
        "program": program,
        "parties": parties,
        "area_rows": area_rows,
        "predecessors": program.predecessors.filter(pk__in=visible.values("pk")).order_by("start"),
        "successors": program.successors.all().order_by("start"),
        "visible_codes": set(visible.values_list("code", flat=True)),
        "events": access.events_visible_to(request.user).filter(programs=program).order_by("starts_at"),
        "committees": program.steering_committees.all(),
        "history": history_for(program)[:100],
        "party_history": _party_history(program),
        "may_manage": services.may_manage(request.user, program),
        "next_steps": [(value, STATUS_STEPS[value]) for value in ProgramStatus.values
                       if value in STATUS_STEPS and Program.workflow.allows(program.status, value)],
    }
    return render(request, "programs/detail.html", context)


def _party_history(program: Program):
    from django.contrib.contenttypes.models import ContentType

    from phoihop.audit.models import AuditEntry
    from phoihop.programs.models import ProgramParty

    ids = [str(pk) for pk in program.parties.values_list("pk", flat=True)]
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ProgramParty), object_id__in=ids
    ).select_related("actor")[:50]


@login_required
def event_list(request):
    visible = access.events_visible_to(request.user).prefetch_related("programs")
    context = {
        "upcoming": visible.filter(status=EventStatus.PLANNED).order_by("starts_at", "pk"),
        "held": visible.filter(status=EventStatus.HELD).order_by("-starts_at", "-pk"),
        "cancelled": visible.filter(status=EventStatus.CANCELLED).order_by("-starts_at", "-pk"),
        "may_plan": committee_events.may_plan_events(request.user),
        "now": timezone.now(),
    }
    return render(request, "programs/event_list.html", context)


@login_required
def event_detail(request, pk: int):
    event = access.get_event_for_user(request.user, pk)
    visible = access.programs_visible_to(request.user)
    context = {
        "event": event,
        "programs": event.programs.filter(pk__in=visible.values("pk")).order_by("start"),
        "organizations": event.organizations.all().order_by("name"),
        "history": history_for(event)[:50],
        "attachments": event.attachments.all(),
        "may_manage": committee_events.may_manage_event(request.user, event),
        "planned": event.status == EventStatus.PLANNED,
        "cancelled": event.status == EventStatus.CANCELLED,
        "cancel_reason": committee_events.cancellation_reason(event) if event.status == EventStatus.CANCELLED else "",
    }
    return render(request, "programs/event_detail.html", context)


@login_required
def committee_list(request):
    committees = access.committees_visible_to(request.user).select_related("standing_office")
    return render(request, "programs/committee_list.html", {"committees": committees})


@login_required
def committee_detail(request, pk: int):
    committee = access.get_committee_for_user(request.user, pk)
    visible = access.programs_visible_to(request.user)
    # The history names every program ever linked to the committee, drafts included: only the
    # standing office (and system administrators) see it.
    office = {committee.standing_office_id} if committee.standing_office_id else set()
    current, past = committee_events.current_and_past_members(committee)
    context = {
        "committee": committee,
        "members": current,
        "past_members": past,
        "may_manage": committee_events.may_manage_committee(request.user, committee),
        "programs": committee.programs.filter(pk__in=visible.values("pk")).order_by("start"),
        "events": access.events_visible_to(request.user).filter(committee=committee),
        "history": history_for(committee)[:50] if perms.is_related(request.user, office) else [],
    }
    return render(request, "programs/committee_detail.html", context)


@login_required
def invitation_list(request):
    """The invitations to join a program addressed to the organisations the user manages (to
    answer), and those their programs sent (to follow)."""
    answerable = services.pending_invitations_for(request.user).select_related("program", "organization", "invited_by")
    answerable_ids = set(answerable.values_list("pk", flat=True))
    others = (access.invitations_visible_to(request.user).exclude(pk__in=answerable_ids)
              .select_related("program", "organization", "invited_by").order_by("-created_at", "-id")[:100])
    context = {
        "answerable": answerable.order_by("created_at", "id"),
        "others": others,
        "may_manage": perms.is_system_admin(request.user) or bool(perms.org_ids_with(request.user, perms.MANAGE)),
        "pending": InvitationState.PENDING,
    }
    return render(request, "programs/invitations.html", context)


@login_required
@require_POST
def invitation_answer(request, pk: int):
    invitation = access.get_invitation_for_user(request.user, pk)
    answer = request.POST.get("answer", "")
    note = request.POST.get("note", "").strip()[:2000]
    try:
        if answer == "accept":
            services.answer_invitation(invitation, request.user, True, note)
            messages.success(request, _("Đã nhận lời: %(org)s là bên tham gia chương trình “%(p)s”.")
                             % {"org": invitation.organization.name, "p": invitation.program.title})
        elif answer == "decline":
            services.answer_invitation(invitation, request.user, False, note)
            messages.success(request, _("Đã từ chối lời mời tham gia chương trình “%(p)s”.") % {"p": invitation.program.title})
        elif answer == "withdraw":
            services.withdraw_invitation(invitation, request.user, note)
            messages.success(request, _("Đã rút lại lời mời gửi %(org)s.") % {"org": invitation.organization.name})
        else:
            messages.error(request, _("Thao tác không hợp lệ."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("programs:invitations")


# ---------------------------------------------------------------- running a program from its pages

def _may_create(user) -> bool:
    return perms.is_system_admin(user) or bool(perms.org_ids_with(user, perms.MANAGE))


def _managed_program(user, code: str) -> Program:
    """A program the user may manage: another organisation's draft → 404, no manage role → 403."""
    program = access.get_program_for_user(user, code)
    if not services.may_manage(user, program):
        raise PermissionDenied(_("Chỉ quản trị của một bên tham gia hoặc của cơ quan thường trực mới làm được việc này."))
    return program


def _errors_into(form, exc: ValidationError, fields: tuple[str, ...]) -> None:
    """Put the service's refusal on the form: by field where the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for key, errors in exc.message_dict.items():
            form.add_error(key if key in fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _program_input(cleaned: dict, **extra) -> services.ProgramInput:
    return services.ProgramInput(
        code=cleaned["code"], title=cleaned["title"], kind=cleaned["kind"], start=cleaned["start"], end=cleaned["end"],
        purpose=cleaned["purpose"], meeting_cadence=cleaned["meeting_cadence"],
        review_schedule=cleaned["review_schedule"], two_level_approval=cleaned["two_level_approval"],
        content_areas=[a.code for a in cleaned["content_areas"]], **extra,
    )


@login_required
def program_create(request):
    if not _may_create(request.user):
        raise PermissionDenied(_("Bạn cần quyền quản trị của một tổ chức để tạo chương trình."))
    managed = None if perms.is_system_admin(request.user) else perms.org_ids_with(request.user, perms.MANAGE)
    form = forms.CreateForm(request.POST or None, managed=managed)
    if request.method == "POST" and form.is_valid():
        data = _program_input(form.cleaned_data, parties=[
            services.PartyInput(organization=form.cleaned_data["first_party"].pk, role="lead")])
        try:
            change = services.create_program(data, request.user)
        except ValidationError as exc:
            _errors_into(form, exc, tuple(form.fields))
        else:
            messages.success(request, _("Đã tạo chương trình dự thảo “%(t)s”. Hãy thêm các bên tham gia và trách nhiệm.")
                             % {"t": change.program.title})
            return redirect("programs:edit", change.program.code)
    return render(request, "programs/program_create.html", {"form": form},
                  status=422 if request.method == "POST" else 200)


def _next_phase(program: Program) -> tuple[dt.date, dt.date]:
    """The next phase proposed: from the day after the predecessor's end, as many calendar years
    (2019 - 2023 → 2024 - 2028); five years after a regulation with no end."""
    start = (program.end or timezone.localdate()) + dt.timedelta(days=1)
    years = (program.end.year - program.start.year) if program.end else 4
    return start, dt.date(start.year + max(years, 1), 12, 31)


def _next_title(program: Program, start: dt.date, end: dt.date) -> str:
    years = {str(program.start.year): str(start.year)}
    if program.end:
        years[str(program.end.year)] = str(end.year)
    return re.sub(r"\b(\d{4})\b", lambda m: years.get(m.group(1), m.group(1)), program.title)


@login_required
def program_successor(request, code: str):
    predecessor = _managed_program(request.user, code)
    start, end = _next_phase(predecessor)
    form = forms.SuccessorForm(request.POST or None, initial={
        "code": f"{predecessor.code}-tiep-theo"[:60], "start": start, "end": end,
        "title": _next_title(predecessor, start, end),
    })
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            result = services.create_successor(predecessor, c["code"], c["title"], c["start"], c["end"], request.user)
        except ValidationError as exc:
            _errors_into(form, exc, tuple(form.fields))
        else:
            messages.success(request, _("Đã lập chương trình dự thảo giai đoạn tiếp theo “%(t)s”.") % {"t": result.change.program.title})
            for replacement in result.replaced:
                messages.warning(request, services.replacement_note(replacement))
            if result.change.invited:
                messages.info(request, _("Đã gửi lời mời tới %(n)s tổ chức; trách nhiệm của mỗi tổ chức được chép khi tổ chức đó nhận lời.")
                              % {"n": len(result.change.invited)})
            return redirect("programs:detail", result.change.program.code)
    chosen = form.is_bound and form.is_valid()
    plan_start = form.cleaned_data.get("start") if chosen else start
    plan_end = form.cleaned_data.get("end") if chosen else end
    _org_ids, replaced = services.successor_plan(predecessor, plan_start or start, plan_end)
    return render(request, "programs/program_successor.html",
                  {"form": form, "predecessor": predecessor, "replaced": [services.replacement_note(r) for r in replaced]},
                  status=422 if request.method == "POST" else 200)


def _party_rows(program: Program, post=None):
    rows = []
    for party in program.parties.select_related("organization", "signatory"):
        initial = {"role": party.role, "document_number": party.document_number, "document_symbol": party.document_symbol,
                   "signing_prefix": party.signing_prefix, "signatory_title": party.signatory_title,
                   "signatory_name": party.signatory.full_name if party.signatory else ""}
        rows.append({"party": party, "label": org_label(party.organization, program.start),
                     "form": forms.PartyForm(post, prefix=f"p{party.organization_id}", initial=initial)})
    return rows


@login_required
def program_edit(request, code: str):
    program = _managed_program(request.user, code)
    if program.status != ProgramStatus.DRAFT:
        messages.error(request, _("Chỉ sửa được chương trình khi còn là dự thảo."))
        return redirect("programs:detail", program.code)
    post = request.POST if request.method == "POST" else None
    form = forms.ProgramForm(post, initial={
        "code": program.code, "title": program.title, "kind": program.kind, "start": program.start, "end": program.end,
        "purpose": program.purpose, "meeting_cadence": program.meeting_cadence, "review_schedule": program.review_schedule,
        "two_level_approval": program.two_level_approval, "content_areas": list(program.content_areas.all()),
    })
    rows = _party_rows(program, post)
    add_field = forms.OrganizationChoiceField(day=program.start, required=False)
    stored = {(r.party.organization_id, r.content_area_id): r for r in program.responsibilities.select_related("party")}
    areas = list(program.content_areas.all())
    parties = [row["party"] for row in rows]
    if post is not None:
        added = [v for v in post.getlist("add_org") if v.strip()]
        valid = form.is_valid() and all(row["form"].is_valid() for row in rows)
        add_id = None
        if added:
            try:
                add_id = int(added[-1])
            except ValueError:
                form.add_error(None, _("Tổ chức được chọn không hợp lệ."))
                valid = False
        if valid:
            party_inputs = []
            for row in rows:
                c = row["form"].cleaned_data
                if c["remove"]:
                    continue
                party_inputs.append(services.PartyInput(
                    organization=row["party"].organization_id, role=c["role"], signatory_title=c["signatory_title"],
                    document_number=c["document_number"], document_symbol=c["document_symbol"],
                    signatory_name=c["signatory_name"], signing_prefix=c["signing_prefix"]))
            if add_id is not None and add_id not in {p.organization for p in party_inputs}:
                party_inputs.append(services.PartyInput(organization=add_id, role=post.get("add_role", "member")))
            pending = program.invitations.filter(state=InvitationState.PENDING).values_list("organization_id", "role")
            for org_id, role in pending:
                if org_id not in {p.organization for p in party_inputs}:
                    party_inputs.append(services.PartyInput(organization=org_id, role=role))
            responsibilities = []
            for party in parties:
                for area in form.cleaned_data["content_areas"]:
                    level = post.get(f"r-{party.organization_id}-{area.code}", "")
                    if level:
                        old = stored.get((party.organization_id, area.pk))
                        responsibilities.append(services.ResponsibilityInput(
                            party.organization_id, area.code, level, old.text if old else ""))
            data = _program_input(form.cleaned_data, parties=party_inputs, responsibilities=responsibilities,
                                  predecessors=list(program.predecessors.values_list("code", flat=True)),
                                  signing_date=program.signing_date)
            try:
                change = services.update_program(program, data, request.user)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, PermissionDenied):
                    form.add_error(None, str(exc))
                else:
                    _errors_into(form, exc, tuple(form.fields))
            else:
                messages.success(request, _("Đã lưu chương trình."))
                if change.invited:
                    messages.info(request, _("Tổ chức bạn không quản trị được gửi lời mời; trở thành bên tham gia khi nhận lời."))
                target = "programs:edit" if added else "programs:detail"
                return redirect(target, change.program.code)
    grid = [{"area": area, "cells": [{"party": p, "name": f"r-{p.organization_id}-{area.code}",
                                      "level": (post.get(f"r-{p.organization_id}-{area.code}", "") if post is not None
                                                else getattr(stored.get((p.organization_id, area.pk)), "level", ""))}
                                     for p in parties]} for area in areas]
    context = {
        "program": program, "form": form, "rows": rows, "grid": grid, "parties": parties,
        "levels": forms.LEVEL_CHOICES, "roles": ProgramParty.Role.choices,
        "add_choices": [(o.pk, add_field.label_from_instance(o)) for o in add_field.queryset],
        "invitations": [org_label(i.organization, program.start) for i in
                        program.invitations.filter(state=InvitationState.PENDING).select_related("organization")],
    }
    return render(request, "programs/program_edit.html", context, status=422 if post is not None else 200)


STATUS_STEPS = {
    ProgramStatus.SIGNED: _lazy("Ký kết chương trình"),
    ProgramStatus.IN_FORCE: _lazy("Đưa chương trình vào thực hiện"),
    ProgramStatus.ENDED: _lazy("Kết thúc chương trình"),
}


@login_required
def program_status(request, code: str, status: str):
    program = _managed_program(request.user, code)
    if status not in STATUS_STEPS:
        raise Http404
    if not Program.workflow.allows(program.status, status):
        messages.error(request, _("Không chuyển được từ “%(old)s” sang “%(new)s”.")
                       % {"old": program.get_status_display(), "new": ProgramStatus(status).label})
        return redirect("programs:detail", program.code)
    signing = status == ProgramStatus.SIGNED
    form_class = forms.SigningForm if signing else forms.StatusForm
    form = form_class(request.POST or None, initial={"signing_date": program.signing_date} if signing else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_status(program, status, request.user, form.cleaned_data["note"],
                                   signing_date=form.cleaned_data.get("signing_date"))
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, _("Chương trình đã chuyển sang “%(s)s”.") % {"s": ProgramStatus(status).label})
            return redirect("programs:detail", program.code)
    gaps = services.signing_gaps(program, program.signing_date) if signing else []
    return render(request, "programs/program_status.html",
                  {"program": program, "form": form, "step": STATUS_STEPS[status], "target": ProgramStatus(status),
                   "gaps": gaps, "ends_on": services.ends_early(program, status)},
                  status=422 if request.method == "POST" else 200)


@login_required
def organization_picker(request):
    """Organisations found by a search without accents, each with its parent and validity, so two
    bodies of the same name are told apart. A fragment for htmx (radio buttons `add_org` inside the
    edit form), or a plain page."""
    from phoihop.organizations.models import Organization

    q = request.GET.get("q", "").strip()[:100]
    try:
        day = dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        day = timezone.localdate()
    found = []
    if q:
        qs = Organization.objects.all()
        for word in fold(q).split():
            qs = qs.filter(search_text__contains=word)
        found = [{"org": o, "label": org_label(o, day)} for o in qs.order_by("name", "valid_from")[:30]]
    template = "programs/_org_results.html" if request.headers.get("HX-Request") else "programs/org_picker.html"
    return render(request, template, {"found": found, "q": q, "day": day})
