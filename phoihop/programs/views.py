from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.accounts import permissions as perms
from phoihop.audit.recorder import history_for
from phoihop.core.vietnamese import fold
from phoihop.programs import access, services
from phoihop.programs import events as committee_events
from phoihop.programs.models import EventStatus, InvitationState, Program, ProgramStatus


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
