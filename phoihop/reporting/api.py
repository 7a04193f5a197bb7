"""Reporting API: data values, indicators, periods, targets, activities and the approval workflow.

Registered by phoihop/api/urls.py as `api.add_router("/", router)`; see docs/api-reporting.md.

The router stays thin: rules live in `services` (saving values, validation, approval) and
visibility in `access` (the same helpers the pages use). Every write runs in one transaction and
either lands whole or not at all; bad input answers 422 with a Vietnamese message, never a 500.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, Subquery
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BaseModel, BeforeValidator, Field

from phoihop.accounts import permissions as perms
from phoihop.audit.context import acting_as
from phoihop.core import bounds
from phoihop.operations import throttle
from phoihop.operations.throttle import ApiThrottle
from phoihop.organizations.models import Organization
from phoihop.programs import access as program_access
from phoihop.programs.models import ContentArea
from phoihop.reporting import access, activities, bulk, periods, services
from phoihop.reporting.models import (
    Activity,
    DataValue,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
    Target,
)

router = Router(tags=["reporting"])

MAX_ROWS = 50_000  # rows per POST /datavalues and PUT /targets, and per page of a GET
DEFAULT_PAGE = 10_000
MAX_OFFSET = 2**53  # beyond it SQLite answers "datatype mismatch", PostgreSQL "bigint out of range"


# ------------------------------------------------------------------ helpers

def _number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a JSON number: int when whole, else float (two decimals, exact)."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def _date(value: str | None, label: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise HttpError(422, f"{label} “{value[:40]}” không đúng dạng YYYY-MM-DD.") from None
    if not bounds.date_in_range(day):
        raise HttpError(422, bounds.range_message(f"{label} {value.strip()}"))
    return day


def _window(date_from: str | None, date_to: str | None) -> tuple[dt.date | None, dt.date | None]:
    start, end = _date(date_from, "Ngày bắt đầu"), _date(date_to, "Ngày kết thúc")
    if start and end and end < start:
        raise HttpError(422, "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    return start, end


def _period(code: str, convention: str) -> Period:
    """The Period for a code, stored or computed (never created by a read); a bad code → 422
    with the Vietnamese message."""
    try:
        return services.find_period(code, convention)
    except periods.PeriodCodeError as exc:
        raise HttpError(422, str(exc)) from None


def _found(fetch, *args, message: str | None = None):
    """Call an access helper; its Http404 becomes a 404 with a Vietnamese `detail` (django-ninja
    answers a bare Http404 with "Not Found")."""
    try:
        return fetch(*args)
    except Http404 as exc:
        raise HttpError(404, message or str(exc) or "Không tìm thấy.") from None


def _program(user, code: str):
    return _found(program_access.get_program_for_user, user, code)


def _max_rows(value: Any) -> Any:
    if isinstance(value, list) and len(value) > MAX_ROWS:
        raise ValueError(
            f"Mỗi lần gửi tối đa {MAX_ROWS:,} dòng (đã gửi {len(value):,} dòng); hãy chia thành nhiều lần gửi.".replace(",", ".")
        )
    return value


def _page(qs, response: HttpResponse, limit: int, offset: int):
    response["X-Total-Count"] = str(qs.count())
    return qs[offset:offset + limit]


Number = int | float | Annotated[str, Field(max_length=60)] | None


# ------------------------------------------------------------------ schemas

class Error(Schema):
    detail: dict | str | list


class RowError(Schema):
    row: int | None = Field(None, description="Số thứ tự dòng trong danh sách gửi lên (tính từ 0)")
    field: str | None = None
    message: str


class ConflictOut(Schema):
    row: int | None
    organization: int
    period: str
    indicator: str
    disaggregation: str | None
    yours: int | float | None
    theirs: int | float | None
    by: str
    message: str


class BatchError(Schema):
    detail: list[RowError]
    conflicts: list[ConflictOut] = Field(default_factory=list)


class DataValueIn(BaseModel):
    # A plain pydantic model, not a ninja Schema: Schema wraps every object in a DjangoGetter
    # (for reading ORM objects), which made reading a 10 000-row batch cost ~115 ms instead of ~15.
    organization: int = Field(..., description="Mã số (id) tổ chức báo cáo")
    indicator: str = Field(..., min_length=1, max_length=60, description="Mã chỉ số, ví dụ `recruit_enlisted`")
    period: str = Field(..., min_length=1, max_length=40, description="Mã kỳ: 2019-07, 2019-Q3, 2019-H1, 2019-9M, 2019")
    value: Number = Field(..., description="Số (1234.5 hoặc chuỗi “1.234,5”), hoặc null để xóa giá trị")
    disaggregation: str | None = Field(None, max_length=40, description="Mã nhóm phân tổ, ví dụ `nam`, `nu`")
    comment: str = Field("", max_length=500)
    version: int | None = Field(None, ge=0, description="Phiên bản số liệu khi bắt đầu sửa (0 = chưa có); để phát hiện xung đột")


class DataValueOut(Schema):
    organization: int
    indicator: str
    period: str
    value: int | float | None
    disaggregation: str | None
    comment: str
    version: int
    status: str


class SaveOut(Schema):
    saved: int
    unchanged: int


class OptionOut(Schema):
    code: str
    name: str


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    value_type: str
    content_area: str
    aggregation: str
    disaggregation: str | None
    options: list[OptionOut]
    numerator: str | None
    denominator: str | None
    ratio_scale: int
    min_value: int | float | None
    max_value: int | float | None
    required: bool
    description: str


class PeriodOut(Schema):
    code: str
    convention: str
    type: str
    label: str
    year: int
    start: dt.date
    end: dt.date
    deadline: dt.date
    closes_on: dt.date


class TargetIn(Schema):
    program: str = Field(..., min_length=1, max_length=60)
    organization: int | None = Field(None, description="null = chỉ tiêu chung của chương trình")
    indicator: str = Field(..., min_length=1, max_length=60)
    year: int | None = Field(None, ge=bounds.YEAR_MIN, le=bounds.YEAR_MAX, description="null = cả giai đoạn")
    value: Number = Field(..., description="null = xóa chỉ tiêu")


class TargetOut(Schema):
    program: str
    organization: int | None
    indicator: str
    year: int | None
    value: int | float | None


class TargetSaveOut(Schema):
    saved: int
    unchanged: int
    deleted: int


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


class SubmissionOut(Schema):
    organization: int
    organization_name: str
    period: str
    period_label: str
    convention: str
    status: str
    deadline: dt.date
    entry_open: bool
    submitted_at: dt.datetime | None
    approved_at: dt.datetime | None
    return_reason: str
    reopened_until: dt.date | None


class ProblemOut(Schema):
    where: str
    message: str
    severity: str


class SubmitOut(SubmissionOut):
    warnings: list[ProblemOut]


class SubmitError(Schema):
    detail: list[ProblemOut] | dict | str


class ReturnIn(Schema):
    reason: str = Field("", max_length=2000)


class ReopenIn(Schema):
    until: dt.date
    reason: str = Field("", max_length=1000)


# ------------------------------------------------------------------ data values

@router.post(
    "datavalues",
    response={200: SaveOut, 401: Error, 403: Error, 404: Error, 422: BatchError, 429: Error},
    summary="Gửi số liệu theo lô (cả lô hoặc không dòng nào)",
    throttle=ApiThrottle(throttle.BULK),
)
def post_datavalues(request, rows: Annotated[list[DataValueIn], BeforeValidator(_max_rows), Body(...)]):
    """Save a batch `[{organization, indicator, period, value, disaggregation?, comment?, version?}]`.

    The batch lands whole or not at all. Sending the same batch again changes nothing
    (`saved` 0). Errors come back per row (`row` = index in the list, from 0)."""
    user = request.user
    orgs = Organization.objects.in_bulk({r.organization for r in rows})
    for org in orgs.values():  # strangers → 404, a role too low → 403; the whole batch is refused
        _found(services.ensure_may_report, user, org, message=f"Không tìm thấy tổ chức mã số {org.pk} trong các tổ chức của bạn.")
    errors: list[dict] = []
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    conventions = services.conventions_for(orgs.values())
    codes: dict[tuple[str, str], str | periods.PeriodCodeError] = {}  # (as sent, convention) → code
    for i, row in enumerate(rows):
        if row.organization not in orgs:
            errors.append({"row": i, "field": "organization", "message": f"Không có tổ chức mã số {row.organization}."})
            continue
        sent = (row.period, conventions[row.organization])
        if sent not in codes:
            try:
                codes[sent] = periods.parse(*sent).code
            except periods.PeriodCodeError as exc:
                codes[sent] = exc
        if isinstance(codes[sent], periods.PeriodCodeError):
            errors.append({"row": i, "field": "period", "message": str(codes[sent])})
            continue
        groups[(row.organization, codes[sent])].append(i)
    conflicts: list[dict] = []
    with transaction.atomic(), acting_as(user):
        found_periods: dict[tuple[str, str], Period] = {}
        batches = []
        for (org_id, code), indexes in groups.items():
            convention = conventions[org_id]
            if (code, convention) not in found_periods:
                found_periods[(code, convention)] = services.find_period(code, convention)  # stored by save_batches
            cells = [
                services.CellInput(
                    indicator=rows[i].indicator, value=rows[i].value, option=rows[i].disaggregation,
                    comment=rows[i].comment, version=rows[i].version,
                )
                for i in indexes
            ]
            batches.append(bulk.Batch(
                orgs[org_id], found_periods[(code, convention)], cells,
                where=lambda n, _cell, indexes=indexes: str(indexes[n]),
            ))
        results = bulk.save_batches(batches, user, check_permission=False)
        for ((org_id, code), indexes), result in zip(groups.items(), results, strict=True):
            for problem in result.errors:
                row_no = int(problem.where) if problem.where.isdigit() else indexes[0]
                field = getattr(problem, "field", None) or (None if problem.where else "period")
                errors.append({"row": row_no, "field": field, "message": problem.message})
            for conflict in result.conflicts:
                conflicts.append(_conflict_out(conflict, rows, indexes, org_id, code))
        saved = sum(r.saved for r in results)
        unchanged = sum(r.unchanged for r in results)
        if errors or conflicts:
            transaction.set_rollback(True)
    if errors or conflicts:
        if conflicts and not errors:
            errors.append({"row": None, "field": None, "message": "Có số liệu vừa được người khác sửa; không dòng nào được lưu."})
        return Status(422, {"detail": sorted(errors, key=lambda e: (e["row"] is None, e["row"] or 0)), "conflicts": conflicts})
    return {"saved": saved, "unchanged": unchanged}


def _conflict_out(conflict: services.Conflict, rows, indexes: list[int], org_id: int, code: str) -> dict:
    option = conflict.option
    row_no = None
    for i in indexes:
        row = rows[i]
        same_indicator = row.indicator in (conflict.indicator.code, str(conflict.indicator.pk))
        same_option = (row.disaggregation or None) in ((option.code, str(option.pk)) if option else (None,))
        if same_indicator and same_option:
            row_no = i
            break
    return {
        "row": row_no, "organization": org_id, "period": code, "indicator": conflict.indicator.code,
        "disaggregation": option.code if option else None, "yours": _number(conflict.yours),
        "theirs": _number(conflict.theirs), "by": conflict.by, "message": conflict.message(),
    }


@router.get(
    "datavalues",
    response={200: list[DataValueOut], 401: Error, 404: Error, 422: Error},
    summary="Số liệu (cùng dạng với khi gửi, để gửi lại được)",
)
def list_datavalues(
    request,
    response: HttpResponse,
    program: str | None = Query(None, max_length=60, description="Mã chương trình: các bên và chỉ số của chương trình"),
    org: int | None = Query(None, description="Mã số tổ chức"),
    date_from: str | None = Query(None, alias="from", description="Kỳ kết thúc từ ngày (YYYY-MM-DD)"),
    date_to: str | None = Query(None, alias="to", description="Kỳ kết thúc đến ngày (YYYY-MM-DD)"),
    include_unapproved: bool = Query(False, description="Kèm số liệu chưa duyệt của tổ chức mình"),
    limit: int = Query(DEFAULT_PAGE, ge=1, le=MAX_ROWS),
    offset: int = Query(0, ge=0, le=MAX_OFFSET),
):
    """Values in the POST shape plus `version` and `status`. Only approved values unless
    `include_unapproved=true`, which adds unapproved values of the caller's own organisations
    (and those it supervises as a standing office); other organisations' unapproved values are
    never shown. The total count is in the `X-Total-Count` header."""
    user = request.user
    start, end = _window(date_from, date_to)
    same_report = Submission.objects.filter(organization_id=OuterRef("organization_id"), period_id=OuterRef("period_id"))
    approved = Exists(same_report.filter(status=SubmissionStatus.APPROVED))
    qs = DataValue.objects.select_related("indicator", "period", "option").annotate(
        submission_status=Subquery(same_report.values("status")[:1])
    )
    if not include_unapproved:
        qs = qs.filter(approved)
    elif not perms.is_system_admin(user):
        qs = qs.filter(Q(organization_id__in=access.supervised_org_ids(user)) | approved)
    if program:
        found = _program(user, program)
        qs = qs.filter(
            organization_id__in=found.parties.values("organization_id"),
            indicator__content_area__in=found.content_areas.all(),
        )
    if org is not None:
        qs = qs.filter(organization_id=org)
    if start:
        qs = qs.filter(period__end__gte=start)
    if end:
        qs = qs.filter(period__end__lte=end)
    qs = qs.order_by(
        "period__start", "period__type", "organization_id", "indicator__content_area__order", "indicator__order",
        "indicator__code", "option__order", "option_id",
    )
    return [
        {
            "organization": v.organization_id, "indicator": v.indicator.code, "period": v.period.code,
            "value": _number(v.value), "disaggregation": v.option.code if v.option_id else None,
            "comment": v.comment, "version": v.version, "status": v.submission_status or SubmissionStatus.DRAFT,
        }
        for v in _page(qs, response, limit, offset)
    ]


# ------------------------------------------------------------------ indicators and periods

def _indicator_out(i: Indicator) -> dict:
    return {
        "code": i.code, "name": i.name, "unit": i.unit, "value_type": i.value_type,
        "content_area": i.content_area.code, "aggregation": i.aggregation,
        "disaggregation": i.disaggregation.code if i.disaggregation_id else None,
        "options": [{"code": o.code, "name": o.name} for o in i.disaggregation.options.all()] if i.disaggregation_id else [],
        "numerator": i.numerator.code if i.numerator_id else None,
        "denominator": i.denominator.code if i.denominator_id else None,
        "ratio_scale": i.ratio_scale, "min_value": _number(i.min_value), "max_value": _number(i.max_value),
        "required": i.required, "description": i.description,
    }


@router.get("indicators", response={200: list[IndicatorOut], 401: Error, 404: Error}, summary="Danh mục chỉ số")
def list_indicators(
    request,
    content_area: str | None = Query(None, max_length=50, description="Mã nội dung phối hợp"),
    program: str | None = Query(None, max_length=60, description="Chỉ các chỉ số thuộc nội dung của chương trình này"),
):
    qs = Indicator.objects.select_related("content_area", "disaggregation", "numerator", "denominator").prefetch_related(
        "disaggregation__options"
    )
    if content_area:
        qs = qs.filter(content_area__code=content_area)
    if program:
        found = _program(request.user, program)
        qs = qs.filter(content_area__in=found.content_areas.all())
    return [_indicator_out(i) for i in qs]


def _period_out(p: Period) -> dict:
    return {
        "code": p.code, "convention": p.convention, "type": p.type, "label": p.label, "year": p.year,
        "start": p.start, "end": p.end, "deadline": p.deadline, "closes_on": p.closes_on,
    }


def _convention(value: str) -> str:
    if value not in Period.Convention.values:
        raise HttpError(422, f"Cách chốt số liệu “{value}” không hợp lệ. Dùng: {', '.join(Period.Convention.values)}.")
    return value


@router.get("periods", response={200: list[PeriodOut], 401: Error, 422: Error}, summary="Các kỳ báo cáo đã có")
def list_periods(
    request,
    type: str | None = Query(None, max_length=12, description="month, quarter, half, nine_months, year"),
    year: int | None = Query(None, ge=1900, le=2100),
    convention: str = Query(periods.DECREE_09, max_length=10, description="decree09 hoặc calendar"),
):
    """Periods already in use (values or a report written for them). Any other period is
    described by `GET /api/periods/{code}`, computed from its code; it is stored when values are
    first saved or a report sent for it."""
    qs = Period.objects.filter(convention=_convention(convention))
    if type:
        if type not in Period.Type.values:
            raise HttpError(422, f"Loại kỳ “{type}” không hợp lệ. Dùng: {', '.join(Period.Type.values)}.")
        qs = qs.filter(type=type)
    if year is not None:
        qs = qs.filter(year=year)
    return [_period_out(p) for p in qs.order_by("start", "type")]


@router.get("periods/{code}", response={200: PeriodOut, 401: Error, 422: Error}, summary="Một kỳ báo cáo (tính từ mã kỳ, không tạo gì)")
def get_period(request, code: str, convention: str = Query(periods.DECREE_09, max_length=10, description="decree09 hoặc calendar")):
    return _period_out(_period(code[:40], _convention(convention)))


# ------------------------------------------------------------------ targets

@router.get("targets", response={200: list[TargetOut], 401: Error, 404: Error}, summary="Chỉ tiêu của một chương trình")
def list_targets(request, program: str = Query(..., max_length=60, description="Mã chương trình")):
    found = _program(request.user, program)
    qs = Target.objects.filter(program=found).select_related("indicator").order_by(
        "year", "organization_id", "indicator__content_area__order", "indicator__order", "indicator__code"
    )
    return [
        {"program": found.code, "organization": t.organization_id, "indicator": t.indicator.code, "year": t.year, "value": _number(t.value)}
        for t in qs
    ]


@router.put(
    "targets",
    response={200: TargetSaveOut, 401: Error, 403: Error, 409: Error, 422: BatchError, 429: Error},
    summary="Đặt chỉ tiêu theo lô (cả lô hoặc không dòng nào)",
    throttle=ApiThrottle(throttle.BULK),
)
def put_targets(request, rows: Annotated[list[TargetIn], BeforeValidator(_max_rows), Body(...)]):
    """Upsert `[{program, organization|null, indicator, year|null, value}]`; `value: null` removes
    the target. Needs the manage role in one of each program's parties or standing offices; a
    party's committee administrator changes only its own organisation's targets, the standing
    office everyone's and the program's overall ones (otherwise 403, nothing saved)."""
    user = request.user
    programs = {p.code: p for p in program_access.programs_visible_to(user).filter(code__in={r.program for r in rows})}
    for program in programs.values():
        if not perms.can(user, perms.MANAGE, program.related_organization_ids()):
            raise HttpError(403, f"Bạn không có quyền đặt chỉ tiêu cho chương trình “{program.code}”.")
    allowed = {
        code: {
            i.code: i for i in Indicator.objects.filter(content_area__programs=p).exclude(aggregation=Indicator.Aggregation.RATIO)
        }
        for code, p in programs.items()
    }
    parties = {code: set(p.parties.values_list("organization_id", flat=True)) for code, p in programs.items()}
    known = set(Indicator.objects.values_list("code", flat=True))
    errors: list[dict] = []
    planned = []
    seen = set()
    for i, row in enumerate(rows):
        program = programs.get(row.program)
        if program is None:
            errors.append({"row": i, "field": "program", "message": f"Không có chương trình “{row.program}”."})
            continue
        indicator = allowed[row.program].get(row.indicator)
        if indicator is None:
            message = (f"Chỉ số “{row.indicator}” không thuộc các nội dung phối hợp của chương trình (hoặc là chỉ số tỷ lệ, tự tính)."
                       if row.indicator in known else f"Không có chỉ số “{row.indicator}”.")
            errors.append({"row": i, "field": "indicator", "message": message})
            continue
        if row.organization is not None and row.organization not in parties[row.program]:
            errors.append({"row": i, "field": "organization", "message": f"Tổ chức mã số {row.organization} không phải là một bên của chương trình."})
            continue
        last_year = program.end.year if program.end else 2100
        if row.year is not None and not program.start.year <= row.year <= last_year:
            errors.append({"row": i, "field": "year", "message": f"Năm {row.year} nằm ngoài giai đoạn {program.phase_label} của chương trình."})
            continue
        key = (program.pk, row.organization, indicator.pk, row.year)
        if key in seen:
            errors.append({"row": i, "field": None, "message": f"Chỉ tiêu “{indicator.code}” bị nhập hai lần."})
            continue
        seen.add(key)
        try:
            value = services.parse_number(row.value, indicator)
        except ValueError as exc:
            errors.append({"row": i, "field": "value", "message": f"{indicator.name}: {exc}"})
            continue
        problem = services.check_range(value, indicator)
        if problem:
            errors.append({"row": i, "field": "value", "message": f"{indicator.name}: {problem}"})
            continue
        planned.append((program, row.organization, indicator, row.year, value))
    if errors:
        return Status(422, {"detail": errors, "conflicts": []})
    try:
        return _save_targets(planned, user)
    except IntegrityError:  # another request created the same target at the same moment
        raise HttpError(409, "Chỉ tiêu vừa được người khác lưu cùng lúc; không dòng nào được lưu, hãy gửi lại.") from None


def _save_targets(planned: list[tuple], user) -> dict:
    with acting_as(user):
        return services.apply_targets([(program, org_id, indicator.pk, year, value)
                                       for program, org_id, indicator, year, value in planned], user)


# ------------------------------------------------------------------ activities

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


# ------------------------------------------------------------------ submissions and approval

def _submission_out(s: Submission) -> dict:
    return {
        "organization": s.organization_id, "organization_name": s.organization.name, "period": s.period.code,
        "period_label": s.period.label, "convention": s.period.convention, "status": s.status,
        "deadline": s.period.deadline, "entry_open": s.entry_open(), "submitted_at": s.submitted_at,
        "approved_at": s.approved_at, "return_reason": s.return_reason, "reopened_until": s.reopened_until,
    }


def _problem_out(p: services.Problem) -> dict:
    return {"where": p.where, "message": p.message, "severity": p.severity}


@router.get("submissions", response={200: list[SubmissionOut], 401: Error}, summary="Báo cáo kỳ của các tổ chức")
def list_submissions(
    request,
    org: int | None = Query(None, description="Mã số tổ chức"),
    period: str | None = Query(None, max_length=40, description="Mã kỳ, ví dụ 2019-07"),
    status: str | None = Query(None, max_length=10, description="draft, submitted, returned, approved"),
):
    """Reports of the caller's own organisations and of those it supervises as a standing office."""
    qs = Submission.objects.filter(organization_id__in=access.supervised_org_ids(request.user))
    if org is not None:
        qs = qs.filter(organization_id=org)
    if period:
        qs = qs.filter(period__code=period.strip().upper())
    if status:
        qs = qs.filter(status=status)
    qs = qs.select_related("organization", "period").order_by("-period__start", "period__type", "organization__name")
    return [_submission_out(s) for s in qs[:MAX_ROWS]]


def _act_on(user, org_id: int, period_code: str, action) -> Any:
    """Run `action(submission)` in one transaction; an error leaves nothing behind. The period
    and report are looked up without creating them; the services store them when they write."""
    organization = Organization.objects.filter(pk=org_id).first()
    if organization is None:
        raise HttpError(404, "Không tìm thấy báo cáo.")
    convention = services.convention_for(organization)
    period_code = period_code[:40]
    try:
        periods.parse(period_code, convention)
    except periods.PeriodCodeError as exc:
        raise HttpError(422, str(exc)) from None
    try:
        with transaction.atomic(), acting_as(user):
            period = services.find_period(period_code, convention)
            return action(services.find_submission(organization, period))
    except Http404:
        raise HttpError(404, "Không tìm thấy báo cáo.") from None


def _fresh(submission: Submission) -> dict:
    """The report as stored now (one looked up unsaved is found by its organisation and period)."""
    stored = Submission.objects.select_related("organization", "period")
    if submission.pk is not None:
        return _submission_out(stored.get(pk=submission.pk))
    found = stored.filter(organization_id=submission.organization_id, period__convention=submission.period.convention,
                          period__code=submission.period.code).first()
    return _submission_out(found or submission)


@router.post(
    "submissions/{org_id}/{period_code}/submit",
    response={200: SubmitOut, 401: Error, 403: Error, 404: Error, 422: SubmitError},
    summary="Gửi báo cáo kỳ để duyệt",
)
def submit(request, org_id: int, period_code: str):
    """Refused with 422 and the list of blocking problems while a validation error remains;
    warnings do not block and come back in `warnings`."""
    user = request.user

    def action(submission):
        problems = services.submit(submission, user)
        if any(p.severity == "error" for p in problems):
            transaction.set_rollback(True)
            return Status(422, {"detail": [_problem_out(p) for p in problems]})
        return {**_fresh(submission), "warnings": [_problem_out(p) for p in problems]}

    return _act_on(user, org_id, period_code, action)


@router.post(
    "submissions/{org_id}/{period_code}/approve",
    response={200: SubmissionOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Duyệt báo cáo kỳ",
)
def approve(request, org_id: int, period_code: str):
    return _act_on(request.user, org_id, period_code, lambda s: _fresh(services.approve(s, request.user)))


@router.post(
    "submissions/{org_id}/{period_code}/return",
    response={200: SubmissionOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Trả lại báo cáo kỳ để sửa",
)
def return_report(request, org_id: int, period_code: str, payload: ReturnIn):
    return _act_on(request.user, org_id, period_code, lambda s: _fresh(services.return_for_changes(s, request.user, payload.reason)))


@router.post(
    "submissions/{org_id}/{period_code}/reopen",
    response={200: SubmissionOut, 401: Error, 403: Error, 404: Error, 422: Error},
    summary="Mở lại kỳ báo cáo để nhập bổ sung",
)
def reopen(request, org_id: int, period_code: str, payload: ReopenIn):
    return _act_on(request.user, org_id, period_code, lambda s: _fresh(services.reopen(s, request.user, payload.until, payload.reason)))


# ------------------------------------------------------------------ results (aggregation)

class ResultOut(Schema):
    program: str
    content_area: str
    indicator: str
    indicator_name: str
    unit: str
    organization: int | None
    organization_name: str | None
    year: int | None
    value: int | float | None
    target: int | float | None
    achieved_pct: int | float | None
    previous_value: int | float | None
    joint_value: int | float | None
    approved_only: bool


@router.get("results", response={200: list[ResultOut], 401: Error, 403: Error, 404: Error, 422: Error, 429: Error},
            throttle=ApiThrottle(throttle.RESULTS),
            summary="Kết quả theo chương trình, nội dung, chỉ số, tổ chức (như lệnh phoihop results)")
def get_results(
    request,
    program: list[str] = Query(..., description="Mã chương trình; lặp lại để lấy nhiều chương trình"),  # noqa: B008 (django-ninja declares parameters this way)
    date_from: str | None = Query(None, alias="from", description="Từ ngày YYYY-MM-DD (mặc định: đầu giai đoạn)"),
    date_to: str | None = Query(None, alias="to", description="Đến ngày YYYY-MM-DD (mặc định: cuối giai đoạn)"),
    draft: bool = Query(False, description="Tính cả số liệu chưa duyệt (chỉ người duyệt, quản trị của các bên)"),
    by_year: bool = False,
):
    """Every figure comes from the aggregation module, the same rows as `phoihop results`."""
    from django.utils import timezone

    from phoihop.reporting import aggregation

    bounds.check_program_count(len(set(program)))
    programs = [_program(request.user, code) for code in dict.fromkeys(program)]
    if draft:
        for p in programs:
            if not access.may_see_drafts(request.user, p):
                raise HttpError(403, "Bản nháp có số liệu chưa duyệt chỉ dành cho đơn vị quản lý mọi bên của chương trình.")
    start, end = _window(date_from, date_to)
    start = start or min(p.start for p in programs)
    end = end or max(p.end or timezone.localdate() for p in programs)
    if end < start:
        raise HttpError(422, "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    bounds.check_results_window(start, end, programs=len(programs))
    rows = aggregation.results([], start, end, include_unapproved=draft, by_year=by_year, programs=programs)
    return [row.as_json(approved_only=not draft) for row in rows]
