"""Targets of a program: `GET /api/targets` and `PUT /api/targets` (a batch, whole or nothing)."""

from __future__ import annotations

from typing import Annotated

from django.db import IntegrityError
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field

from phoihop.accounts import permissions as perms
from phoihop.audit.context import acting_as
from phoihop.core import bounds
from phoihop.operations import throttle
from phoihop.operations.throttle import ApiThrottle
from phoihop.programs import access as program_access
from phoihop.reporting import services
from phoihop.reporting.api.common import (
    BatchError,
    Error,
    Number,
    _max_rows,
    _number,
    _program,
)
from phoihop.reporting.models import (
    Indicator,
    Target,
)

router = Router(tags=["reporting"])


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


