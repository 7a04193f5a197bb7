"""The system administrators' audit pages: logins, and approvals of reports (read-only)."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.accounts import permissions as perms
from phoihop.audit.models import AuditEntry
from phoihop.audit.presenting import value_text
from phoihop.core.bounds import date_in_range, parse_id, range_message
from phoihop.core.net import digest_of, network_of
from phoihop.operations.models import LoginEvent
from phoihop.organizations.models import Organization
from phoihop.reporting.models import Submission, SubmissionStatus

PAGE_SIZE = 50
STEPS = [
    (SubmissionStatus.SUBMITTED.value, gettext_lazy("Gửi duyệt")),
    (SubmissionStatus.CONFIRMED.value, gettext_lazy("Xác nhận")),
    (SubmissionStatus.APPROVED.value, gettext_lazy("Duyệt")),
    (SubmissionStatus.RETURNED.value, gettext_lazy("Trả lại")),
    ("reopened", gettext_lazy("Mở lại")),
]


def system_admin_required(view):
    """Anonymous → the login page; logged in but not a system administrator → 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not perms.is_system_admin(request.user):
            raise PermissionDenied(_("Chỉ quản trị hệ thống được xem nhật ký này."))
        return view(request, *args, **kwargs)

    return wrapped


def _day(request, key: str, errors: list[str]) -> dt.date | None:
    raw = request.GET.get(key, "").strip()
    if not raw:
        return None
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
        if not date_in_range(day):
            errors.append(range_message(_("Ngày “%(d)s”") % {"d": raw[:20]}))
            return None
        return day
    errors.append(_("Ngày “%(d)s” không hợp lệ, hãy nhập dd/mm/yyyy.") % {"d": raw[:20]})
    return None


def _between(qs, request, errors: list[str]):
    start, end = _day(request, "tu", errors), _day(request, "den", errors)
    if start:
        qs = qs.filter(at__date__gte=start)
    if end:
        qs = qs.filter(at__date__lte=end)
    return qs


def _page(request, qs):
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("trang"))
    keep = urlencode([(k, v) for k, v in request.GET.items() if k != "trang" and v])
    return page, keep


@system_admin_required
def index(request):
    now = timezone.now()
    day, week = now - dt.timedelta(days=1), now - dt.timedelta(days=7)
    counts = LoginEvent.objects.aggregate(
        logins_day=Count("pk", filter=Q(kind="login", at__gte=day)),
        failed_day=Count("pk", filter=Q(kind__in=["failed", "locked"], at__gte=day)),
        locked_week=Count("pk", filter=Q(kind="locked", at__gte=week)),
        logins_week=Count("pk", filter=Q(kind="login", at__gte=week)),
    )
    from axes.models import AccessAttempt

    cooloff = settings.AXES_COOLOFF_TIME
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
    if cooloff:
        locked = locked.filter(attempt_time__gte=now - cooloff)
    approvals = _approval_entries().filter(at__gte=week).count()
    return render(request, "operations/index.html", {
        "counts": counts, "approvals_week": approvals,
        "locked": [{"username": a.username, "network": network_of(a.ip_address) if a.ip_address else "",
                    "at": a.attempt_time, "failures": a.failures_since_start} for a in locked.order_by("-attempt_time")[:50]],
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    })


@system_admin_required
def logins(request):
    errors: list[str] = []
    qs = LoginEvent.objects.select_related("user")
    kind = request.GET.get("su_kien", "")
    if kind in LoginEvent.Kind.values:
        qs = qs.filter(kind=kind)
    elif kind == "loi":
        qs = qs.filter(success=False)
    username = request.GET.get("ten", "").strip()[:150]
    if username:
        qs = qs.filter(username__icontains=username)
    address = request.GET.get("ip", "").strip()[:60]
    if address:
        digest = digest_of(address)
        if digest:
            qs = qs.filter(address_digest=digest)
        else:
            errors.append(_("“%(a)s” không phải là một địa chỉ IP.") % {"a": address})
            qs = qs.none()
    qs = _between(qs, request, errors)
    page, keep = _page(request, qs)
    return render(request, "operations/logins.html", {
        "page": page, "keep": keep, "errors": errors, "kinds": LoginEvent.Kind.choices,
        "kind": kind, "ten": username, "ip": address,
        "tu": request.GET.get("tu", ""), "den": request.GET.get("den", ""),
        "days": settings.PHOIHOP_LOGIN_LOG_DAYS,
    }, status=400 if errors else 200)


def _approval_entries():
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Submission), action=AuditEntry.Action.TRANSITION,
    )


@system_admin_required
def approvals(request):
    errors: list[str] = []
    qs = _approval_entries().select_related("actor")
    step = request.GET.get("buoc", "")
    if step in dict(STEPS):
        qs = qs.filter(changes__status__1=step)
    org = request.GET.get("to_chuc", "").strip()[:40]
    if org:
        org_id = parse_id(org)
        if org_id is None:
            errors.append(_("“%(o)s” không phải là mã số của một tổ chức.") % {"o": org[:20]})
            qs = qs.none()
        else:
            ids = [str(pk) for pk in Submission.objects.filter(organization_id=org_id).values_list("pk", flat=True)]
            qs = qs.filter(object_id__in=ids)
    who = request.GET.get("nguoi", "").strip()[:150]
    if who:
        qs = qs.filter(Q(actor__username__icontains=who) | Q(actor_label__icontains=who))
    qs = _between(qs, request, errors)
    page, keep = _page(request, qs)
    submissions = Submission.objects.select_related("organization", "period").in_bulk(
        [pk for pk in (parse_id(e.object_id) for e in page) if pk is not None]
    )
    rows = []
    for entry in page:
        change = (entry.changes or {}).get("status") or [None, None]
        before, after = (list(change) + [None, None])[:2]
        rows.append({
            "entry": entry, "submission": submissions.get(parse_id(entry.object_id)),
            "before": value_text(Submission, "status", before), "after": value_text(Submission, "status", after),
            "after_code": after,
        })
    organizations = Organization.objects.filter(pk__in=Submission.objects.values("organization_id")).order_by("name")
    return render(request, "operations/approvals.html", {
        "page": page, "rows": rows, "keep": keep, "errors": errors, "steps": STEPS, "step": step,
        "organizations": organizations, "org": org, "nguoi": who,
        "tu": request.GET.get("tu", ""), "den": request.GET.get("den", ""),
    }, status=400 if errors else 200)


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' AXES_LOCKOUT_CALLABLE: the Vietnamese lockout page, status 429."""
    cooloff = settings.AXES_COOLOFF_TIME
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_timedelta": cooloff,
        "cooloff_minutes": int(cooloff.total_seconds() // 60) if cooloff else None,
    }, status=settings.AXES_HTTP_RESPONSE_CODE)
