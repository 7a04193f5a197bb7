"""Excel pages: download an organisation's template, upload a filled-in one, export its values.

Access: the template and the upload are for people who may report for the organisation
(`services.ensure_may_report`: 404 for strangers, 403 for viewers). The export shows what
`access.values_visible_to` allows: own and supervised organisations' values in any state, another
organisation's only once its report for the period is approved (otherwise 404).
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from phoihop.core.throttle import EXCEL, throttled
from phoihop.organizations.models import Organization
from phoihop.reporting import access, excel, exports, periods, services
from phoihop.reporting.models import DataValue, Period, Submission, SubmissionStatus

# A multipart body carries the file plus the boundaries, the CSRF token and headers.
FORM_OVERHEAD_BYTES = 64 * 1024


def _organization_for_reporting(user, org_id: int) -> Organization:
    organization = Organization.objects.filter(pk=org_id).first()
    if organization is None:
        raise Http404(_("Không tìm thấy tổ chức."))
    services.ensure_may_report(user, organization)
    return organization


def _suggested_codes(today: dt.date) -> list[tuple[str, str]]:
    """Period codes worth offering: this month, the quarter, 6 and 9 months, the year."""
    y, m = today.year, today.month
    if today.day >= 15:  # from the 15th the Decree 09 window is next month's
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    codes = [periods.month_code(y, m), f"{y}-Q{(m - 1) // 3 + 1}", f"{y}-H1", f"{y}-9M", str(y)]
    py, pm = (y - 1, 12) if m == 1 else (y, m - 1)
    codes.insert(1, periods.month_code(py, pm))
    return [(code, periods.parse(code).label) for code in codes]


def _page(request, organization: Organization, *, status: int = 200, **extra) -> HttpResponse:
    context = {
        "organization": organization,
        "period_code": request.GET.get("period", "").strip()[:20],
        "suggestions": _suggested_codes(timezone.localdate()),
        "max_mb": excel.MAX_IMPORT_BYTES // (1024 * 1024),
        "may_report": True,
        **extra,
    }
    return render(request, "reporting/excel_page.html", context, status=status)


@csrf_exempt  # checked by _upload once the size is known to be acceptable (see below)
@login_required
@throttled(EXCEL, methods=("POST",))
@require_http_methods(["GET", "POST"])
def import_upload(request, org_id: int):
    """GET: the Excel page of an organisation. POST: import a filled-in template."""
    organization = _organization_for_reporting(request.user, org_id)
    if request.method != "POST":
        return _page(request, organization)
    # Refuse an oversized body before Django parses it (and before the CSRF check, which would
    # read the whole body to find the token).
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > excel.MAX_IMPORT_BYTES + FORM_OVERHEAD_BYTES:
        return _too_big(request, organization, length)
    return _upload(request, organization)


def _too_big(request, organization: Organization, size: int) -> HttpResponse:
    message = _("Tệp quá lớn (khoảng %(size)s MB); chỉ nhận tệp đến %(max)s MB. Không có giá trị nào được ghi.") % {
        "size": size // (1024 * 1024), "max": excel.MAX_IMPORT_BYTES // (1024 * 1024)}
    # No "Connection: close" header: hop-by-hop, refused by WSGI servers (a 500 under runserver).
    return _page(request, organization, status=413, error=message)


@csrf_protect
def _upload(request, organization: Organization) -> HttpResponse:
    upload = request.FILES.get("file")
    if upload is None:
        return _page(request, organization, status=400, error=_("Hãy chọn tệp .xlsx đã điền để nhập."))
    if upload.size > excel.MAX_IMPORT_BYTES:
        return _too_big(request, organization, upload.size)
    result = excel.import_workbook(upload, request.user, organization=organization)
    extra = {"period_code": result.period.code} if result.period else {}
    return _page(request, organization, status=200 if result.ok else 422, result=result, filename=upload.name[:200], **extra)


@login_required
@throttled(EXCEL)
@require_GET
def template_download(request, org_id: int):
    """The template of an organisation for `?period=CODE`."""
    organization = _organization_for_reporting(request.user, org_id)
    code = request.GET.get("period", "").strip()
    if not code:
        return _page(request, organization, status=400, error=_("Hãy ghi mã kỳ báo cáo (ví dụ 2019-07, 2019-Q3, 2019-H1, 2019-9M, 2019)."))
    try:
        period = services.find_period(code, services.convention_for(organization))
    except periods.PeriodCodeError as exc:
        return _page(request, organization, status=400, error=str(exc))
    template = excel.make_template(organization, period)
    response = HttpResponse(template.content, content_type=excel.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, template.filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@throttled(EXCEL)
@require_GET
def export(request, org_id: int):
    """An organisation's values for `?period=CODE` as `?format=xlsx|csv`."""
    organization = Organization.objects.filter(pk=org_id).first()
    if organization is None:
        raise Http404(_("Không tìm thấy tổ chức."))
    fmt = request.GET.get("format", "xlsx").strip().lower()
    code = request.GET.get("period", "").strip()
    convention = services.convention_for(organization)
    error = None
    window = None
    if fmt not in exports.FORMATS:
        error = _("Định dạng xuất phải là xlsx hoặc csv.")
    elif not code:
        error = _("Hãy ghi mã kỳ báo cáo (ví dụ 2019-07, 2019-Q3, 2019-H1, 2019-9M, 2019).")
    else:
        try:
            window = periods.parse(code, convention)
        except periods.PeriodCodeError as exc:
            error = str(exc)
    if error:
        return render(request, "reporting/excel_error.html", {"organization": organization, "error": error}, status=400)
    period = Period.objects.filter(convention=convention, code=window.code).first()
    if not access.may_see_unapproved(request.user, organization.pk):
        approved = period is not None and Submission.objects.filter(
            organization=organization, period=period, status=SubmissionStatus.APPROVED).exists()
        if not approved:
            raise Http404(_("Không tìm thấy số liệu đã duyệt của tổ chức này cho kỳ này."))
    values = access.values_visible_to(request.user).filter(organization=organization, period=period) if period \
        else DataValue.objects.none()
    title = _("Số liệu %(p)s — %(o)s") % {"p": window.label, "o": organization.short_name or organization.name}
    content, content_type, filename = exports.export_table(exports.VALUE_HEADERS, exports.value_rows(values), fmt, title)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    return response
