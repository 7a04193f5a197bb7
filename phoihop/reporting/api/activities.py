"""Activities: list, read, create, update, delete; every rule is `reporting.activities`'."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from phoihop.audit.context import acting_as
from phoihop.organizations.models import Organization
from phoihop.programs import access as program_access
from phoihop.programs.models import ContentArea
from phoihop.reporting import access, activities, services
from phoihop.reporting.api.common import (
    MAX_OFFSET,
    Error,
    _found,
    _number,
    _page,
    _program,
    _window,
)
from phoihop.reporting.models import (
    Activity,
)

router = Router(tags=["reporting"])


class ActivityValueIn(Schema):
    indicator: str = Field(..., min_length=1, max_length=60)
    value: int | float | Annotated[str, Field(max_length=60)]


class ActivityValueOut(Schema):
    indicator: str
    value: int | float | None


class ActivityIn(Schema):
    title: str = Field(..., min_length=1, max_length=400)
    program: str | None = Field(None, max_length=60, description="Mã chương trình (tùy chọn)")
    content_area: str = Field(..., min_length=1, max_length=50, description="Mã nội dung phối hợp")
    lead_organization: int
    co_organizers: list[int] = Field(default_factory=list, max_length=100)
    status: Literal["planned", "done", "cancelled"] = "done"
    start_date: dt.date
    end_date: dt.date
    place_text: str = Field("", max_length=300)
    participants: int | None = Field(None, ge=0, le=100_000_000)
    funds_spent: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="Triệu đồng")
    funds_mobilised: Decimal | None = Field(None, ge=0, max_digits=14, decimal_places=2, description="Triệu đồng")
    result: str = Field("", max_length=20000)
    values: list[ActivityValueIn] = Field(default_factory=list, max_length=200)


class ActivityOut(Schema):
    id: int
    title: str
    program: str | None
    content_area: str
    lead_organization: int
    lead_organization_name: str
    co_organizers: list[int]
    status: str
    start_date: dt.date
    end_date: dt.date
    place_text: str
    participants: int | None
    funds_spent: int | float | None
    funds_mobilised: int | float | None
    result: str
    values: list[ActivityValueOut]



def _activity_out(a: Activity) -> dict:
    return {
        "id": a.pk, "title": a.title, "program": a.program.code if a.program_id else None,
        "content_area": a.content_area.code, "lead_organization": a.lead_organization_id,
        "lead_organization_name": a.lead_organization.name,
        "co_organizers": sorted(o.pk for o in a.co_organizers.all()), "status": a.status,
        "start_date": a.start_date, "end_date": a.end_date, "place_text": a.place_text,
        "participants": a.participants, "funds_spent": _number(a.funds_spent),
        "funds_mobilised": _number(a.funds_mobilised), "result": a.result,
        "values": [{"indicator": v.indicator.code, "value": _number(v.value)} for v in a.values.all()],
    }


def _activities(qs):
    return qs.select_related("program", "content_area", "lead_organization").prefetch_related("co_organizers", "values__indicator")


@router.get("activities", response={200: list[ActivityOut], 401: Error, 404: Error, 422: Error}, summary="Danh sách hoạt động")
def list_activities(
    request,
    response: HttpResponse,
    program: str | None = Query(None, max_length=60, description="Mã chương trình"),
    org: int | None = Query(None, description="Tổ chức chủ trì hoặc phối hợp"),
    date_from: str | None = Query(None, alias="from", description="Kết thúc từ ngày (YYYY-MM-DD)"),
    date_to: str | None = Query(None, alias="to", description="Kết thúc đến ngày (YYYY-MM-DD)"),
    limit: int = Query(1000, ge=1, le=10_000),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Activities the caller may see: those of its own (and supervised) organisations, and any
    other whose lead organisation's month report covering the end date is approved."""
    start, end = _window(date_from, date_to)
    qs = access.activities_visible_to(request.user)
    if program:
        qs = qs.filter(program=_program(request.user, program))
    if org is not None:
        qs = qs.filter(Q(lead_organization_id=org) | Q(co_organizers=org)).distinct()
    if start:
        qs = qs.filter(end_date__gte=start)
    if end:
        qs = qs.filter(end_date__lte=end)
    return [_activity_out(a) for a in _page(_activities(qs).order_by("-end_date", "id"), response, limit, offset)]


@router.get("activities/{activity_id}", response={200: ActivityOut, 401: Error, 404: Error}, summary="Một hoạt động")
def get_activity(request, activity_id: int):
    activity = _found(access.get_activity_for_user, request.user, activity_id)
    return _activity_out(_activities(Activity.objects.filter(pk=activity.pk)).get())


def _activity_from(user, payload: ActivityIn, activity: Activity) -> tuple[Activity, dict[str, list[str]]]:
    """`activity` holding the payload's fields (codes read into objects); unknown codes as errors.
    Every rule on the values is `activities`' (the same for the pages and the admin)."""
    errors: dict[str, list[str]] = defaultdict(list)
    lead = Organization.objects.filter(pk=payload.lead_organization).first()
    if lead is None:
        raise ValidationError({"lead_organization": [_("Không có tổ chức mã số %(id)s.") % {"id": payload.lead_organization}]})
    content_area = ContentArea.objects.filter(code=payload.content_area).first()
    if content_area is None:
        errors["content_area"].append(_("Không có nội dung phối hợp “%(code)s”.") % {"code": payload.content_area})
    program = None
    if payload.program:
        program = program_access.programs_visible_to(user).filter(code=payload.program).first()
        if program is None:
            errors["program"].append(_("Không có chương trình “%(code)s”.") % {"code": payload.program})
    activity.title, activity.program, activity.lead_organization = payload.title, program, lead
    if content_area is not None:
        activity.content_area = content_area
    for name in ("status", "start_date", "end_date", "place_text", "participants", "funds_spent", "funds_mobilised", "result"):
        setattr(activity, name, getattr(payload, name))
    return activity, errors


def _write_activity(request, payload: ActivityIn, activity: Activity | None):
    user = request.user
    stored = activity
    activity, errors = _activity_from(user, payload, activity or Activity())
    message = _("Không tìm thấy tổ chức mã số %(id)s trong các tổ chức của bạn.") % {"id": payload.lead_organization}
    _found(services.ensure_may_report, user, activity.lead_organization, message=message)
    if errors:
        raise ValidationError(dict(errors))
    figures = [(item.indicator, item.value) for item in payload.values]
    with acting_as(user):
        if stored is None:
            activity = activities.create_activity(user, activity, co_organizers=payload.co_organizers, figures=figures)
        else:
            activity = activities.update_activity(user, activity, co_organizers=payload.co_organizers, figures=figures)
    return _activity_out(_activities(Activity.objects.filter(pk=activity.pk)).get())


@router.post(
    "activities",
    response={201: ActivityOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Ghi một hoạt động",
)
def create_activity(request, payload: ActivityIn):
    """The lead organisation must be one the caller reports for. A done activity is counted in
    the lead's month report covering its end date, so that month must still be open for entry
    (the rule of `reporting.activities`, the same for the pages and the admin)."""
    return Status(201, _write_activity(request, payload, None))


@router.put(
    "activities/{activity_id}",
    response={200: ActivityOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Sửa một hoạt động",
)
def update_activity(request, activity_id: int, payload: ActivityIn):
    """Replace the activity's fields, co-organisers and figures with the payload's. Refused (422)
    when the month of the activity, before or after the change, is closed for entry, submitted
    or approved."""
    activity = _found(access.get_activity_for_user, request.user, activity_id)
    _found(services.ensure_may_report, request.user, activity.lead_organization)
    return _write_activity(request, payload, activity)


@router.delete(
    "activities/{activity_id}",
    response={204: None, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Xóa một hoạt động",
)
def delete_activity(request, activity_id: int):
    """Delete the activity with its figures and attachments; refused (422) in a locked month."""
    activity = _found(access.get_activity_for_user, request.user, activity_id)
    with acting_as(request.user):
        activities.delete_activity(request.user, activity)
    return Status(204, None)


