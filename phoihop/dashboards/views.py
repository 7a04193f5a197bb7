"""Dashboards per role: the reporter's, the standing office's and the leader's (docs/dashboards.md).

Views stay thin: check who may look, read the filters, call dashboards.services, render.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.accounts import permissions as perms
from phoihop.almanac.focus import FocusScope, upcoming_focus
from phoihop.core import bounds
from phoihop.core.formatting import short_date
from phoihop.core.vietnamese import lower_first
from phoihop.dashboards import services
from phoihop.organizations.models import Organization
from phoihop.programs.access import get_program_for_user, programs_visible_to
from phoihop.reporting import access as reporting_access
from phoihop.reporting import periods

FOCUS_DAYS = 60


def _tabs(request, current: str) -> list[dict]:
    labels = {"reporter": _("Cán bộ báo cáo"), "office": _("Thường trực"), "leader": _("Lãnh đạo")}
    return [{"name": n, "label": labels[n], "url_name": f"dashboards:{n}", "current": n == current}
            for n in ("reporter", "office", "leader") if n in services.dashboards_for(request.user)]


def _focus(user, today: dt.date):
    return upcoming_focus(FocusScope(today, today + dt.timedelta(days=FOCUS_DAYS), user=user))


@login_required
def index(request):
    """The most relevant dashboard for the user's roles."""
    return redirect(f"dashboards:{services.dashboards_for(request.user)[0]}")


@login_required
def reporter(request):
    """My organisations: returned reports with the reason, drafts still open, recent periods and
    their deadlines, the next deadlines."""
    if not services.may_use_reporter(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    org_ids = perms.org_ids_with(request.user, perms.REPORT)
    organizations = Organization.objects.filter(pk__in=org_ids).order_by("name")
    focus = _focus(request.user, today) if org_ids else None
    return render(request, "dashboards/reporter.html", {
        "tabs": _tabs(request, "reporter"), "today": today,
        "returned": services.returned_reports(org_ids),
        "open_reports": services.open_reports(org_ids, today),
        "tables": [{"organization": org, "rows": services.recent_period_rows(org, today)} for org in organizations],
        "deadlines": focus.deadlines if focus else [], "focus_days": FOCUS_DAYS,
    })


@login_required
def office(request):
    """The standing office: completeness and timeliness (organisation × month), the approval
    queue, the months without an approved report, the upcoming focus."""
    if not services.may_use_office(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    organizations = list(services.reporting_organizations(reporting_access.supervised_org_ids(request.user)))
    org_ids = [o.pk for o in organizations]
    raw_year = request.GET.get("nam", "").strip()
    year = bounds.parse_year(raw_year)
    codes, shown_year = services.heat_map_months(org_ids, today, year)
    start, end = periods.parse(codes[0]).start, periods.parse(codes[-1]).end
    return render(request, "dashboards/office.html", {
        "tabs": _tabs(request, "office"), "today": today,
        "months": [{"code": c, "month": int(c[5:7]), "year": c[:4]} for c in codes], "year": shown_year, "fallback": shown_year is not None and year is None,
        "years": services.reported_years(org_ids), "bad_year": bool(raw_year) and year is None,
        "matrix": services.completeness_matrix(organizations, codes, today),
        "queue": services.approvable_submissions(request.user),
        "missing": services.missing_monthly_reports(set(org_ids), start, end),
        "window_start": start, "window_end": end,
        "focus": _focus(request.user, today), "focus_days": FOCUS_DAYS,
    })


def _parse_date(raw: str) -> dt.date | None:
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _window(request, program, today: dt.date) -> tuple[dt.date, dt.date, list[str]]:
    """The window: typed dates ?from=&to= (dd/mm/yyyy or YYYY-MM-DD) when given, else a quick
    choice ?window=this-year|last-year|phase|6-months|YYYY, else the phase to date."""
    date_from, date_to = services.default_window(program, today)
    errors = []
    key = request.GET.get("window", "").strip()[:20]
    if key:
        chosen = next((q for q in services.quick_windows(program, today) if q.key == key), None)
        if chosen is None:
            errors.append(_("Không có lựa chọn “%(k)s”; đang hiển thị từ đầu giai đoạn đến nay.") % {"k": key})
        elif not chosen.available:
            errors.append(_("%(l)s: %(n)s; đang hiển thị từ đầu giai đoạn đến nay.") % {"l": chosen.label, "n": chosen.note})
        else:
            date_from, date_to = chosen.date_from, chosen.date_to
    for key, label in (("from", _("Từ ngày")), ("to", _("Đến ngày"))):
        raw = request.GET.get(key, "").strip()[:20]
        if not raw:
            continue
        day = _parse_date(raw)
        if day is None:
            errors.append(_("%(f)s “%(d)s” không hợp lệ, hãy nhập dd/mm/yyyy.") % {"f": label, "d": raw})
        elif not bounds.date_in_range(day):
            errors.append(bounds.range_message(f"{label} {raw}"))
        elif key == "from":
            date_from = day
        else:
            date_to = day
    if date_to < date_from:
        errors.append(_("Đến ngày %(b)s phải sau hoặc bằng từ ngày %(a)s; đang hiển thị từ đầu giai đoạn đến nay.")
                      % {"a": short_date(date_from), "b": short_date(date_to)})
        date_from, date_to = services.default_window(program, today)
    try:
        bounds.check_results_window(date_from, date_to)
    except ValidationError as exc:
        # Too long a window (asked for, or the whole phase of a program without an end): its
        # last PHOIHOP_RESULTS_MAX_YEARS years, and the reason.
        date_from = bounds.last_years(date_to, settings.PHOIHOP_RESULTS_MAX_YEARS)
        errors.extend(exc.messages)
        errors.append(_("Đang hiển thị từ %(a)s đến %(b)s.") % {"a": short_date(date_from), "b": short_date(date_to)})
    return date_from, date_to, errors


def _quick_links(request, program, today: dt.date, date_from: dt.date, date_to: dt.date) -> list[dict]:
    """The quick choices as links keeping the program, the draft box and the indicator."""
    keep = {k: request.GET[k] for k in ("draft", "indicator") if request.GET.get(k)}
    links = []
    for q in services.quick_windows(program, today):
        query = QueryDict(mutable=True)
        query.update({"program": program.code, "window": q.key, **keep})
        links.append({"key": q.key, "label": q.label, "url": f"?{query.urlencode()}", "available": q.available,
                      "note": q.note, "current": q.available and (q.date_from, q.date_to) == (date_from, date_to),
                      "span": f"{short_date(q.date_from)} – {short_date(q.date_to)}" if q.available else ""})
    return links


ROWS_SHOWN = 30


@login_required
def leader(request):
    """Progress of a program against its targets, by content area and by organisation, and
    against the previous phase: charts, each followed by its figures as a table."""
    code = request.GET.get("program", "").strip()
    program = get_program_for_user(request.user, code) if code else services.default_program(request.user)
    context = {"tabs": _tabs(request, "leader"), "program": program,
               "programs": programs_visible_to(request.user).order_by("-start", "code")}
    if program is None:
        return render(request, "dashboards/leader.html", context)
    today = timezone.localdate()
    date_from, date_to, errors = _window(request, program, today)
    may_draft = services.may_see_drafts(request.user, program)
    asked_draft = request.GET.get("draft") == "1"
    drafts = reporting_access.draft_scope(request.user, [program]) if asked_draft else None
    draft = drafts is not None
    figures = services.leader_figures(program, date_from, date_to, drafts=drafts,
                                      indicator=request.GET.get("indicator", "").strip() or None)
    mark = " — " + _("BẢN NHÁP") if draft else ""
    window = f"{short_date(date_from)} – {short_date(date_to)}"
    # A province program may have hundreds of parties: the per-organisation tables show the
    # first ROWS_SHOWN unless asked for all (the charts and totals always cover everyone).
    show_all = request.GET.get("orgs") == "all"
    shown = None if show_all else ROWS_SHOWN
    all_rows = request.GET.copy()
    all_rows["orgs"] = "all"
    chosen = figures.indicator_total
    context.update({
        "figures": figures, "errors": errors, "date_from": date_from, "date_to": date_to,
        "quick": _quick_links(request, program, today, date_from, date_to),
        "typed": {k: request.GET.get(k, "").strip()[:20] for k in ("from", "to") if request.GET.get(k, "").strip()},
        # "from the start to today" is a choice of its own only while the phase is running
        "to_date": program.start <= today < services.phase_end(program, today)
        and (date_from, date_to) == services.default_window(program, today),
        "organizations_shown": figures.organizations[:shown], "indicator_rows_shown": figures.indicator_figures[:shown],
        "rows_shown": ROWS_SHOWN, "all_rows_url": f"?{all_rows.urlencode()}#organizations",
        "rows_hidden": 0 if show_all else max(len(figures.organizations) - ROWS_SHOWN, len(figures.indicator_figures) - ROWS_SHOWN, 0),
        "draft": draft, "may_draft": may_draft, "comparable_codes": {f.indicator for f in figures.comparable}, "draft_refused": asked_draft and not may_draft,
        "achievement_chart": services.achievement_chart(
            figures.targets, _("Kết quả so với chỉ tiêu, %(w)s") % {"w": window} + mark),
        "organization_chart": services.organization_chart(
            figures.indicator_figures, chosen.unit if chosen else "", figures.previous_label),
        "comparison_chart": services.comparison_chart(
            figures.comparable, _("Kết quả so với %(p)s (%%)") % {"p": lower_first(figures.previous_label)} + mark,
            _("So với %(p)s (%%)") % {"p": lower_first(figures.previous_label)}),
    })
    return render(request, "dashboards/leader.html", context)
