from __future__ import annotations

import calendar as std_calendar
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.accounts.models import FeedToken
from phoihop.almanac import access, focus, ical, lunar, services
from phoihop.almanac.forms import CommemorationForm, WindowForm, YearThemeForm
from phoihop.almanac.models import Scope
from phoihop.core.bounds import parse_id, parse_year
from phoihop.core.calendar_names import WEEKDAYS_SHORT, month_year
from phoihop.organizations.access import get_organization_for_user
from phoihop.organizations.models import AdministrativeUnit
from phoihop.programs.access import get_program_for_user

WEEKDAYS = WEEKDAYS_SHORT  # "T2" … "CN", translated at render time


def _lunar_cell(day: dt.date, first: bool) -> tuple[str, bool]:
    """The lunar date written in a cell ('1/6' on new moons and at the start of a week, else
    the day) and whether it is the first day of a lunar month."""
    value = lunar.to_lunar(day)
    return (value.short if value.day == 1 or first else str(value.day)), value.day == 1


def month_view(request, year: int | None = None, month: int | None = None):
    """The month grid, public: a visitor sees the national days and the public events only (the
    focus providers give a visitor nothing else), without links to pages that need a login."""
    today = timezone.localdate()
    year = year or today.year
    month = month or today.month
    if not (lunar.MIN_YEAR <= year <= lunar.MAX_YEAR and 1 <= month <= 12):
        raise Http404(_("Tháng nằm ngoài phạm vi lịch (1900 - 2100)."))
    organization = None
    if parse_id(request.GET.get("org")) is not None:
        organization = get_organization_for_user(request.user, parse_id(request.GET["org"]))
    weeks = std_calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    start = max(weeks[0][0], lunar.MIN_DATE)
    end = min(weeks[-1][-1], lunar.MAX_DATE)
    scope = focus.FocusScope(start=start, end=end, user=request.user, organization=organization)
    result = focus.upcoming_focus(scope)
    if not request.user.is_authenticated:
        for item in result.items:
            item.url = ""
    by_day: dict[dt.date, list[focus.FocusItem]] = {}
    for item in result.items:
        if item.date and item.kind not in {focus.THEME, focus.RESOLUTION}:
            by_day.setdefault(item.date, []).append(item)
    rows = []
    for week in weeks:
        cells = []
        for day in week:
            in_range = lunar.MIN_DATE <= day <= lunar.MAX_DATE
            label, new_moon = _lunar_cell(day, first=(day == week[0])) if in_range else ("", False)
            cells.append({
                "date": day,
                "in_month": day.month == month,
                "is_today": day == today,
                "lunar": label,
                "new_moon": new_moon,
                "items": by_day.get(day, []),
            })
        rows.append(cells)
    first, last = dt.date(year, month, 1), dt.date(year, month, std_calendar.monthrange(year, month)[1])
    first_lunar, last_lunar = lunar.to_lunar(first), lunar.to_lunar(last)
    prev_month = (first - dt.timedelta(days=1)) if first > lunar.MIN_DATE else None
    next_month = (last + dt.timedelta(days=1)) if last < lunar.MAX_DATE else None
    context = {
        "year": year,
        "month": month,
        "month_title": month_year(year, month),
        "prev_title": month_year(prev_month.year, prev_month.month) if prev_month else "",
        "next_title": month_year(next_month.year, next_month.month) if next_month else "",
        "weeks": rows,
        "weekdays": WEEKDAYS,
        "first_lunar": first_lunar,
        "last_lunar": last_lunar,
        "year_can_chi": lunar.year_can_chi(first_lunar.year),
        "last_year_can_chi": lunar.year_can_chi(last_lunar.year),
        "anniversaries": sorted(
            (i for i in result.anniversaries if first <= i.date <= last), key=lambda i: (i.date, i.rank)
        ),
        "events": [i for i in result.events if first <= i.date <= last],
        "deadlines": [i for i in result.deadlines + result.activities if first <= i.date <= last],
        "prev_month": prev_month,
        "next_month": next_month,
        "organization": organization,
        "today": today,
    }
    return render(request, "almanac/month.html", context)


def commemoration_list(request):
    """Public: a visitor sees the national catalogue (commemorations_visible_to)."""
    scope = request.GET.get("scope", "")
    items = access.commemorations_visible_to(request.user)
    if scope in Scope.values:
        items = items.filter(scope=scope)
    year = timezone.localdate().year
    rows = []
    for commemoration in items.order_by("month", "day", "code"):
        occurrence = services.occurrences(commemoration, dt.date(year, 1, 1), dt.date(year, 12, 31))
        rows.append({"c": commemoration, "this_year": occurrence[0] if occurrence else None})
    context = {
        "rows": rows,
        "scope": scope,
        "scopes": Scope.choices,
        "year": year,
        "can_add": access.managed_organizations(request.user).exists(),
    }
    return render(request, "almanac/commemoration_list.html", context)


@login_required
def commemoration_add(request):
    organizations = access.managed_organizations(request.user)
    if not organizations.exists():
        raise PermissionDenied
    form = CommemorationForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        commemoration = form.save()
        messages.success(request, _("Đã thêm ngày kỷ niệm “%(name)s”.") % {"name": commemoration.name})
        return redirect("almanac:commemorations")
    return render(request, "almanac/commemoration_form.html", {"form": form, "adding": True})


@login_required
def commemoration_edit(request, pk: int):
    commemoration = access.get_commemoration_for_user(request.user, pk, perms.MANAGE)
    if commemoration.scope == Scope.NATIONAL:
        raise PermissionDenied  # the national catalog is edited in the admin only
    organizations = access.managed_organizations(request.user)
    form = CommemorationForm(request.POST or None, instance=commemoration, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Đã lưu ngày kỷ niệm “%(name)s”.") % {"name": commemoration.name})
        return redirect("almanac:commemorations")
    return render(request, "almanac/commemoration_form.html", {"form": form, "commemoration": commemoration})


@login_required
def theme_list(request):
    themes = access.themes_visible_to(request.user).prefetch_related("resolutions")
    year = request.GET.get("year", "")
    if year.strip():
        parsed = parse_year(year)
        themes = themes.filter(year=parsed) if parsed is not None else themes.none()
    managed = set(perms.org_ids_with(request.user, perms.MANAGE))
    rows = []
    for theme in themes.order_by("-year", "id"):
        owners = access.owner_organization_ids(theme)
        rows.append({
            "theme": theme,
            "resolutions": list(theme.resolutions.all()),
            "can_edit": perms.is_system_admin(request.user) or bool(owners & managed),
        })
    context = {"rows": rows, "year": year, "can_add": access.managed_organizations(request.user).exists()}
    return render(request, "almanac/theme_list.html", context)


def _theme_owner_choices(user):
    organizations = list(access.managed_organizations(user))
    unit_ids = {o.administrative_unit_id for o in organizations if o.administrative_unit_id}
    units = AdministrativeUnit.objects.filter(pk__in=unit_ids).order_by("name")
    return organizations, list(units)


@login_required
def theme_add(request):
    organizations, units = _theme_owner_choices(request.user)
    if not organizations:
        raise PermissionDenied
    form = YearThemeForm(request.POST or None, organizations=organizations, units=units)
    if request.method == "POST" and form.is_valid():
        organization, unit = form.owner_objects()
        try:
            theme = services.save_year_theme(
                year=form.cleaned_data["year"], theme=form.cleaned_data["theme"],
                resolutions=form.resolution_lines(), organization=organization,
                administrative_unit=unit, source=form.cleaned_data["source"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu chủ đề công tác năm %(year)s.") % {"year": theme.year})
            return redirect("almanac:themes")
    return render(request, "almanac/theme_form.html", {"form": form, "adding": True})


@login_required
def theme_edit(request, pk: int):
    theme = access.get_theme_for_user(request.user, pk, perms.MANAGE)
    organizations, units = _theme_owner_choices(request.user)
    if theme.organization and theme.organization not in organizations:
        organizations.append(theme.organization)
    if theme.administrative_unit and theme.administrative_unit not in units:
        units.append(theme.administrative_unit)
    owner = f"org:{theme.organization_id}" if theme.organization_id else f"unit:{theme.administrative_unit_id}"
    initial = {
        "owner": owner, "year": theme.year, "theme": theme.theme, "source": theme.source,
        "resolutions": "\n".join(r.text for r in theme.resolutions.all()),
    }
    form = YearThemeForm(request.POST or None, initial=initial, organizations=organizations, units=units)
    if request.method == "POST" and form.is_valid():
        organization, unit = form.owner_objects()
        new_owners = access.owner_ids(organization.pk if organization else None, unit.pk if unit else None)
        if not perms.can(request.user, perms.MANAGE, new_owners):
            raise PermissionDenied
        try:
            services.save_year_theme(
                year=form.cleaned_data["year"], theme=form.cleaned_data["theme"],
                resolutions=form.resolution_lines(), organization=organization,
                administrative_unit=unit, source=form.cleaned_data["source"], instance=theme,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã lưu chủ đề công tác năm %(year)s.") % {"year": theme.year})
            return redirect("almanac:themes")
    return render(request, "almanac/theme_form.html", {"form": form, "theme": theme})


def focus_scope_from_request(request, start: dt.date, end: dt.date) -> focus.FocusScope:
    """?org=ID or ?program=CODE through the access helpers (404 for what the user may not see)."""
    organization = program = None
    if request.GET.get("program"):
        program = get_program_for_user(request.user, request.GET["program"][:60])
    elif request.GET.get("org"):
        if parse_id(request.GET["org"]) is None:
            raise Http404
        organization = get_organization_for_user(request.user, parse_id(request.GET["org"]))
    return focus.FocusScope(start=start, end=end, user=request.user, organization=organization, program=program)


@login_required
def focus_view(request):
    form = WindowForm(request.GET if ("from" in request.GET or "to" in request.GET) else None)
    start, end = form.window()
    scope = focus_scope_from_request(request, start, end)
    error = ""
    try:
        result = focus.upcoming_focus(scope)
    except services.WindowError as exc:
        error = str(exc)
        result = focus.Focus(scope=scope, items=[])
    context = {
        "form": form,
        "focus": result,
        "scope": scope,
        "error": error,
        "start": start,
        "end": end,
    }
    status = 422 if error else 200
    return render(request, "almanac/focus.html", context, status=status)


def _feed_refusal(message: str) -> HttpResponse:
    return HttpResponse(message, status=403, content_type="text/plain; charset=utf-8")


def _feed_user(request):
    """(user, refusal) for a calendar feed. Calendar clients cannot log in: they send a feed token
    (`?feed=`, accounts.FeedToken: read-only, these feeds only, revocable); a browser uses its
    session. API tokens are not accepted here any more (`?token=` is refused, whatever it holds)."""
    if "token" in request.GET:
        return None, _feed_refusal(_(
            "Mã truy cập API không còn dùng được cho lịch. Hãy tạo “Đường dẫn lịch riêng” (trang Lịch) và "
            "dùng đường dẫn đó trong ứng dụng lịch."))
    raw = request.GET.get("feed", "")
    if raw:
        user = FeedToken.authenticate(raw[:200])
        if user is None:
            return None, _feed_refusal(_("Đường dẫn lịch không hợp lệ hoặc đã bị thu hồi."))
        return user, None
    if request.user.is_authenticated:
        return request.user, None
    return None, redirect_to_login(request.get_full_path())


def _ics_response(request, name: str, scope: focus.FocusScope, filename: str) -> HttpResponse:
    body = ical.build_calendar(name, focus.upcoming_focus(scope), request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def organization_feed(request, pk: int):
    user, refusal = _feed_user(request)
    if refusal is not None:
        return refusal
    organization = get_organization_for_user(user, pk)
    start, end = ical.feed_window()
    scope = focus.FocusScope(start=start, end=end, user=user, organization=organization)
    return _ics_response(request, organization.name, scope, f"to-chuc-{organization.pk}.ics")


def program_feed(request, code: str):
    user, refusal = _feed_user(request)
    if refusal is not None:
        return refusal
    program = get_program_for_user(user, code)
    start, end = ical.feed_window()
    scope = focus.FocusScope(start=start, end=end, user=user, program=program)
    return _ics_response(request, program.title, scope, f"{program.code}.ics")

