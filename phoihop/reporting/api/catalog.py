"""The catalogue read by clients: indicators and periods (computed from a code, never created by a read)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from phoihop.reporting import periods
from phoihop.reporting.api.common import (
    Error,
    _number,
    _period,
    _program,
)
from phoihop.reporting.models import (
    Indicator,
    Period,
)

router = Router(tags=["reporting"])


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


