"""Reporting pages: my periods, the entry grid, the approval queue, activities, indicators, targets."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from phoihop.accounts import permissions as perms
from phoihop.audit.recorder import history_for
from phoihop.core.throttle import EXCEL, throttled
from phoihop.core.vietnamese import fold
from phoihop.organizations.models import Organization
from phoihop.programs.access import programs_visible_to
from phoihop.programs.models import ContentArea
from phoihop.reporting import access, activities, bulk, obligations, overview, periods, services
from phoihop.reporting.forms import ActivityForm, ReopenForm, ReturnForm
from phoihop.reporting.models import Indicator, Submission

RECENT_MONTHS = 12


def _next_or(request, default: str):
    """Redirect to the posted `next` only when it is a path on this site."""
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect(default)


@login_required
def my_periods(request):
    """My organisations' recent periods and their states."""
    today = timezone.localdate()
    orgs = Organization.objects.filter(pk__in=perms.org_ids(request.user)).order_by("name")
    codes = overview.recent_month_codes(today, RECENT_MONTHS)
    extra = request.GET.get("ky", "").strip()
    asked = None
    if extra:
        try:
            asked = periods.parse(extra).code
        except periods.PeriodCodeError as exc:
            messages.error(request, str(exc))
    # The recent months each organisation owes a report for (or has one for: obligations); a
    # period asked for is shown whatever it is, saying when it is not owed.
    tables = [{"organization": org,
               "rows": ([*overview.period_rows(org, [asked], today)] if asked else [])
               + [r for r in overview.period_rows(org, codes, today, owed_only=True) if r.period.code != asked],
               "may_report": perms.can(request.user, perms.REPORT, {org.pk})} for org in orgs]
    return render(request, "reporting/my_periods.html", {"tables": tables, "today": today})


def _cells_from_post(grid: services.Grid, post) -> list[services.CellInput]:
    """Every posted `v-<indicator id>:<option id or 0>` field as a cell, the grid's first in its
    order. A field the grid does not show (another disaggregation's option, an unknown one) is
    handed to the service too, which refuses it as the API and the Excel import do."""
    def version_of(key: str) -> int | None:
        version = post.get(f"ver-{key}", "")
        return int(version) if version.isdecimal() and len(version) <= 18 else None

    cells, shown = [], set()
    for row in grid.rows:
        for cell in row.cells:
            key = cell.key
            shown.add(key)
            if f"v-{key}" not in post:
                continue
            cells.append(services.CellInput(
                indicator=row.indicator.pk, option=cell.option.pk if cell.option else None,
                value=post.get(f"v-{key}", ""), comment=post.get(f"c-{key}", ""), version=version_of(key),
            ))
    for name in post:
        key = name[2:]
        indicator, colon, option = key.partition(":")
        if not name.startswith("v-") or key in shown or not colon or not indicator:
            continue
        cells.append(services.CellInput(
            indicator=indicator, option=None if option in ("", "0") else option,
            value=post.get(name, ""), comment=post.get(f"c-{key}", ""), version=version_of(key),
        ))
    return cells


@dataclass
class _Shown:
    """A problem as the grid lists it: `key` is the refused cell's (its input is `v-<key>`, its
    message beside it `err-<key>`), "" when the problem is not one shown cell's; the message as
    every door words it; `label` the indicator's name when the message does not say it already,
    `option` the cell's disaggregation option (names, never codes)."""

    key: str
    message: str
    label: str = ""
    option: str = ""


def _typed_back(grid: services.Grid, posted: dict, problems: list, conflicts: list) -> list[_Shown]:
    """After a refused save (nothing was written), every input shows back exactly what was typed
    and each refused cell carries its message; the problems as the page's summary lists them.
    A cell keeps the version the user started from, except one in conflict: its message says who
    changed it, and saving again means to replace that value."""
    cells = {cell.key: (row.indicator, cell) for row in grid.rows for cell in row.cells}
    first_of = {row.indicator.code: row.cells[0].key for row in grid.rows if row.cells}
    in_conflict = {f"{c.indicator.pk}:{c.option.pk if c.option else 0}": c for c in conflicts}
    for key, typed in posted.items():
        if key in cells:
            cell = cells[key][1]
            cell.entered, cell.entered_comment = str(typed.value or ""), str(typed.comment or "")
            if typed.version is not None and key not in in_conflict:
                cell.version = typed.version
    shown = []
    for problem in problems:
        key = problem.where if problem.where in cells else first_of.get(problem.where, "")
        if not key:
            shown.append(_Shown("", problem.message))
            continue
        indicator, cell = cells[key]
        cell.error = cell.error or problem.message.removeprefix(f"{indicator.name}: ")  # beside it, its row names it
        shown.append(_Shown(key, problem.message, "" if indicator.name in problem.message else indicator.name,
                            cell.option.name if cell.option else ""))
    for key, conflict in in_conflict.items():
        if key in cells:
            cells[key][1].error = conflict.message()
    return shown


@login_required
def entry_grid(request, org_id: int, period_code: str):
    needed = perms.REPORT if request.method == "POST" else perms.VIEW  # saving: 403 for a role too low
    submission = access.get_report_for_user(request.user, org_id, period_code, needed)
    organization, period = submission.organization, submission.period
    gone = obligations.life_refusal(organization, period)
    if gone:  # the organisation did not exist on the period's last day: why, instead of a grid (nothing saved)
        return render(request, "reporting/not_owed.html", {"organization": organization, "period": period, "reason": gone},
                      status=422 if request.method == "POST" else 200)
    if request.method == "GET" and submission.pk is None:  # no report owed under a program in force: say so above the grid
        not_owed = obligations.refusal(organization, period)
        if not_owed:
            messages.info(request, not_owed)
    may_report = perms.can(request.user, perms.REPORT, {organization.pk})
    grid = services.build_grid(organization, period)
    posted = {}
    problems, conflicts = [], []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        cells = _cells_from_post(grid, request.POST)
        keys = [f"{c.indicator}:{c.option or 0}" for c in cells]  # a problem's place is its cell's key
        posted = dict(zip(keys, cells, strict=True))
        result = bulk.save_values(organization, period, request.user, cells, where=lambda i, _cell: keys[i])
        problems, conflicts = result.errors, result.conflicts
        if result.ok and action == "submit":
            try:
                blocking = services.submit(submission, request.user)
            except ValidationError as exc:
                blocking = [services.Problem("", m) for m in exc.messages]
            if any(p.severity == "error" for p in blocking):
                problems = blocking
            else:
                for warning in blocking:
                    messages.warning(request, warning.message)
                messages.success(request, _("Đã gửi báo cáo %(p)s để duyệt.") % {"p": period.name})
                return redirect("reporting:grid", org_id=organization.pk, period_code=period.code)
        elif result.ok:
            if result.saved:  # only what changed: a value left as it was, or left empty, is not counted
                messages.success(request, _("Đã lưu %(n)s giá trị.") % {"n": result.saved})
            else:
                messages.info(request, _("Không có giá trị nào thay đổi nên không có gì để lưu."))
            return redirect("reporting:grid", org_id=organization.pk, period_code=period.code)
        period = services.find_period(period.code, period.convention)  # stored by the save, if it landed
        grid = services.build_grid(organization, period)
        problems = _typed_back(grid, posted, problems, conflicts)
    submission = services.find_submission(organization, period)  # as it is now (never created by reading)
    too_far = services.beyond_horizon(period)
    decision = services.approval_decision(request.user, submission)  # confirm/approve/return, or why not and who can
    context = {
        "organization": organization, "period": period, "grid": grid, "submission": submission,
        "may_report": may_report, "editable": may_report and submission.entry_open() and not too_far,
        "too_far": too_far if may_report else "",
        "decision": decision, "changes_since_approval": services.changes_since_approval(submission),
        "may_reopen": perms.can(request.user, perms.MANAGE, access.steering_offices_of(organization.pk)),
        "problems": problems, "conflicts": conflicts, "posted": posted,
        "warnings": [p for p in services.validate(organization, period) if p.severity == "warning"],
        "history": history_for(submission)[:30],
        "return_form": ReturnForm(), "reopen_form": ReopenForm(),
        "previous": services.previous_period(period),
    }
    return render(request, "reporting/grid.html", context, status=422 if (problems or conflicts) else 200)


def _step(request, run, success: str) -> None:
    """Run one workflow step of a report; its refusal (a rule, or segregation of duties) becomes
    the page's error message, its success the given one."""
    try:
        run()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.ApprovalRefused as exc:  # the wrong level, or one's own report: says who can
        messages.error(request, str(exc))
    else:
        messages.success(request, success)


def _form_errors(form) -> str:
    return " ".join(e for errs in form.errors.values() for e in errs)


@login_required
@require_POST
def approve(request, org_id: int, period_code: str):
    submission = access.get_report_for_user(request.user, org_id, period_code, perms.APPROVE)
    _step(request, lambda: services.approve(submission, request.user),
          _("Đã duyệt báo cáo %(p)s của %(o)s; số liệu đã khóa.") % {"p": submission.period.name, "o": submission.organization.name})
    return _next_or(request, "reporting:queue")


@login_required
@require_POST
def confirm(request, org_id: int, period_code: str):
    """The organisation's own approver confirms a report of a two-level program."""
    submission = access.get_report_for_user(request.user, org_id, period_code, perms.APPROVE)
    _step(request, lambda: services.confirm(submission, request.user),
          _("Đã xác nhận báo cáo %(p)s của %(o)s; báo cáo chờ cơ quan thường trực duyệt.")
          % {"p": submission.period.name, "o": submission.organization.name})
    return _next_or(request, "reporting:queue")


@login_required
@require_POST
def approve_selected(request):
    """Approve (or confirm, at the organisation's level) the reports ticked in the queue: one
    service call per report (`services.approve_many`); the page lists each report's outcome."""
    if not (perms.org_ids_with(request.user, perms.APPROVE) or perms.is_system_admin(request.user)):
        raise PermissionDenied
    ids = [int(raw) for raw in request.POST.getlist("bao_cao")[:500] if raw.isdecimal() and len(raw) <= 18]
    if not ids:
        messages.error(request, _("Hãy chọn ít nhất một báo cáo để duyệt."))
        return redirect("reporting:queue")
    found = {s.pk: s for s in Submission.objects.filter(pk__in=ids, organization_id__in=access.supervised_org_ids(request.user))
             .select_related("organization", "period")}
    missing = [pk for pk in dict.fromkeys(ids) if pk not in found]
    outcomes = services.approve_many([found[pk] for pk in dict.fromkeys(ids) if pk in found], request.user)
    done = [o for o in outcomes if o.ok]
    if done:
        messages.success(request, _("Đã duyệt hoặc xác nhận %(n)s báo cáo: %(l)s.") % {
            "n": len(done), "l": "; ".join(o.message for o in done)})
    for outcome in outcomes:
        if not outcome.ok:
            messages.error(request, outcome.message)
    if missing:
        messages.error(request, _("Không tìm thấy %(n)s báo cáo đã chọn.") % {"n": len(missing)})
    return redirect("reporting:queue")


@login_required
@require_POST
def return_report(request, org_id: int, period_code: str):
    submission = access.get_report_for_user(request.user, org_id, period_code, perms.APPROVE)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("reporting:grid", org_id=submission.organization.pk, period_code=submission.period.code)
    _step(request, lambda: services.return_for_changes(submission, request.user, form.cleaned_data["reason"]),
          _("Đã trả lại báo cáo %(p)s của %(o)s.") % {"p": submission.period.name, "o": submission.organization.name})
    return _next_or(request, "reporting:queue")


@login_required
@require_POST
def reopen(request, org_id: int, period_code: str):
    submission = access.get_report_for_user(request.user, org_id, period_code, perms.MANAGE)
    form = ReopenForm(request.POST)
    if form.is_valid():
        _step(request, lambda: services.reopen(submission, request.user, form.cleaned_data["until"], form.cleaned_data["reason"]),
              _("Đã mở lại kỳ %(p)s cho %(o)s.") % {"p": submission.period.name, "o": submission.organization.name})
    else:
        messages.error(request, _form_errors(form))
    return redirect("reporting:grid", org_id=submission.organization.pk, period_code=submission.period.code)


@login_required
def approval_queue(request):
    """The standing office's queue, with completeness and timeliness per organisation × month."""
    if not (perms.org_ids_with(request.user, perms.APPROVE) or perms.is_system_admin(request.user)):
        raise PermissionDenied
    today = timezone.localdate()
    codes = list(reversed(overview.recent_month_codes(today, 6)))
    try:
        year = int(request.GET.get("nam", "0"))
    except ValueError:
        year = 0
    if 1900 < year < 2101:
        codes = [periods.month_code(year, m) for m in range(1, 13)]
    organizations = Organization.objects.filter(pk__in=access.supervised_org_ids(request.user)).order_by("name")
    queue = overview.approval_queue(request.user)
    return render(request, "reporting/queue.html", {
        "queue": queue.actionable, "others": queue.others, "codes": codes,
        "matrix": overview.completeness_matrix(organizations, codes, today), "return_form": ReturnForm(),
    })


@login_required
def activity_list(request):
    qs = access.activities_visible_to(request.user).select_related("lead_organization", "content_area", "program").prefetch_related("co_organizers")
    q = request.GET.get("q", "").strip()[:100]
    for word in fold(q).split():
        qs = qs.filter(search_text__contains=word)
    area = request.GET.get("noi_dung", "")
    if area:
        qs = qs.filter(content_area__code=area)
    org = request.GET.get("don_vi", "")
    if org.isdecimal() and len(org) <= 18:  # beyond 64 bits SQLite cannot even compare it
        qs = qs.filter(lead_organization_id=int(org)) | qs.filter(co_organizers=int(org))
        qs = qs.distinct()
    program = request.GET.get("chuong_trinh", "")
    if program:
        qs = qs.filter(program__code=program)
    joint = request.GET.get("chung", "")
    if joint == "1":
        qs = qs.filter(co_organizers__isnull=False).distinct()
    errors = []
    for key, lookup in (("tu", "end_date__gte"), ("den", "start_date__lte")):
        raw = request.GET.get(key, "").strip()
        if raw:
            try:
                qs = qs.filter(**{lookup: dt.datetime.strptime(raw, "%d/%m/%Y").date()})
            except ValueError:
                errors.append(_("Ngày “%(d)s” không hợp lệ, hãy nhập dd/mm/yyyy.") % {"d": raw})
    from django.core.paginator import Paginator

    page = Paginator(qs.order_by("-start_date", "-id"), 50).get_page(request.GET.get("trang"))
    context = {
        "page": page, "q": q, "area": area, "org": org, "program": program, "joint": joint, "errors": errors,
        "areas": ContentArea.objects.all(), "programs": programs_visible_to(request.user).order_by("-start"),
        "organizations": Organization.objects.filter(pk__in=access.supervised_org_ids(request.user)).order_by("name"),
        "may_create": bool(perms.org_ids_with(request.user, perms.REPORT)) or perms.is_system_admin(request.user),
        "tu": request.GET.get("tu", ""), "den": request.GET.get("den", ""),
    }
    return render(request, "reporting/activity_list.html", context)


@login_required
def activity_detail(request, pk: int):
    activity = access.get_activity_for_user(request.user, pk)
    return render(request, "reporting/activity_detail.html", {
        "activity": activity, "values": activity.values.select_related("indicator"),
        "attachments": activity.attachments.all(), "history": history_for(activity)[:30],
        "may_edit": perms.can(request.user, perms.REPORT, {activity.lead_organization_id}),
    })


@login_required
def activity_form(request, pk: int | None = None):
    activity = access.get_activity_for_user(request.user, pk, perms.REPORT) if pk else None
    reporter_orgs = Organization.objects.filter(pk__in=perms.org_ids_with(request.user, perms.REPORT))
    if perms.is_system_admin(request.user):
        reporter_orgs = Organization.objects.all()
    if not reporter_orgs.exists():
        raise PermissionDenied
    programs = programs_visible_to(request.user).filter(parties__organization__in=reporter_orgs).distinct()
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity,
                        organizations=reporter_orgs.order_by("name"), programs=programs)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("attachment")
        attachments = [activities.AttachmentInput(upload, form.cleaned_data.get("caption", ""))] if upload else []
        try:
            if activity is None:
                saved = activities.create_activity(request.user, form.instance, co_organizers=form.cleaned_data["co_organizers"],
                                                   attachments=attachments)
            else:
                saved = activities.update_activity(request.user, form.instance, co_organizers=form.cleaned_data["co_organizers"],
                                                   attachments=attachments)
        except ValidationError as exc:
            for name, problems in activities.field_errors(exc, form.fields).items():
                for problem in problems:
                    form.add_error(name, problem)
        else:
            messages.success(request, _("Đã lưu hoạt động."))
            return redirect("reporting:activity", pk=saved.pk)
    lock = None
    if activity is not None and request.method == "GET":
        lock = activities.activity_lock(activity.lead_organization_id, activity.end_date, activity.status)
    return render(request, "reporting/activity_form.html", {
        "form": form, "activity": activity, "lock_message": services.locked_message(lock) if lock else "",
    }, status=422 if form.errors else 200)


@login_required
def indicator_catalog(request):
    indicators = Indicator.objects.select_related("content_area", "disaggregation", "numerator", "denominator")
    q = request.GET.get("q", "").strip()[:100]
    for word in fold(q).split():
        indicators = indicators.filter(search_text__contains=word)
    return render(request, "reporting/indicators.html", {"indicators": indicators, "q": q})


@login_required
def targets(request, code: str):
    from phoihop.programs.access import get_program_for_user
    from phoihop.reporting.models import Target
    from phoihop.reporting.targets import TargetCells, target_indicators

    program = get_program_for_user(request.user, code)
    may_manage = perms.can(request.user, perms.MANAGE, program.related_organization_ids())
    settable = services.target_organizations_for(request.user, program) if may_manage else set()
    years = list(range(program.start.year, (program.end or timezone.localdate()).year + 1))
    try:
        year = int(request.GET.get("nam", years[0]))
    except ValueError:
        year = years[0]
    if year not in years:
        raise Http404
    indicators = target_indicators(program)
    parties = list(program.parties.select_related("organization"))
    stored = Target.objects.filter(program=program, year=year)
    existing = {(t.organization_id, t.indicator_id): t.value for t in stored}
    drafts = {(t.organization_id, t.indicator_id) for t in stored if t.is_draft}
    errors = []
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if request.FILES.get("file"):
            from phoihop.reporting.targets_excel import import_targets

            result = import_targets(request.FILES["file"], program, request.user)
            errors = result.problems
            if result.ok:
                messages.success(request, _("Đã nhập chỉ tiêu từ Excel (%(n)s ô thay đổi).") % {"n": result.saved})
                return redirect(f"{request.path}?nam={year}")
        else:
            batch = TargetCells(program)  # the one rule for targets (reporting.targets), as in Excel and the API
            for ind in indicators:
                for party in parties:
                    if settable is not None and party.organization_id not in settable:
                        continue  # another party's column: shown, not editable (services.apply_targets refuses it)
                    raw = request.POST.get(f"t-{party.organization_id}-{ind.pk}", "").strip()
                    problem = batch.add(party.organization_id, ind, year, raw)
                    if problem is not None:
                        errors.append(f"{party.organization.short_name or party.organization.name} — {problem.message}")
            if not errors:
                services.save_targets(program, batch.cells, request.user)
                messages.success(request, _("Đã lưu chỉ tiêu năm %(y)s.") % {"y": year})
                return redirect(f"{request.path}?nam={year}")
    posted = request.method == "POST" and not request.FILES
    editable = {p.organization_id for p in parties if may_manage and (settable is None or p.organization_id in settable)}
    typed_back = posted and bool(errors)  # a refused form shows what was typed, as typed ("abc" included)
    rows = [{"indicator": ind, "cells": [{"party": p, "editable": p.organization_id in editable,
                                          "typed": request.POST.get(f"t-{p.organization_id}-{ind.pk}", "")
                                          if typed_back and p.organization_id in editable else None,
                                          "value": existing.get((p.organization_id, ind.pk)),
                                          "draft": (p.organization_id, ind.pk) in drafts} for p in parties]} for ind in indicators]
    return render(request, "reporting/targets.html", {"program": program, "years": years, "year": year, "rows": rows,
                                                       "parties": parties, "may_manage": may_manage, "errors": errors,
                                                       "has_drafts": bool(drafts)},
                  status=422 if errors else 200)


@login_required
@throttled(EXCEL)
def targets_excel(request, code: str):
    from django.http import HttpResponse

    from phoihop.programs.access import get_program_for_user
    from phoihop.reporting.targets_excel import build

    program = get_program_for_user(request.user, code)
    try:
        year = int(request.GET.get("nam", program.start.year))
    except ValueError:
        raise Http404 from None
    if not program.start.year <= year <= (program.end or timezone.localdate()).year:
        raise Http404
    response = HttpResponse(build(program, year), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="chi-tieu-{program.code}-{year}.xlsx"'
    return response
