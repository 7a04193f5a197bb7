"""Targets of a program: `GET /api/targets` and `PUT /api/targets` (a batch, whole or nothing)."""

from __future__ import annotations

from typing import Annotated

from django.db import IntegrityError
from django.utils.translation import gettext as _
from ninja import Body, Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, Field

from phoihop.accounts import permissions as perms
from phoihop.audit.context import acting_as
from phoihop.core import bounds, throttle
from phoihop.core.throttle import ApiThrottle
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
    Target,
)
from phoihop.reporting.targets import TargetCells

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
    batches = {code: TargetCells(program) for code, program in programs.items()}  # the one rule: reporting.targets
    errors: list[dict] = []
    for i, row in enumerate(rows):
        batch = batches.get(row.program)
        if batch is None:
            errors.append({"row": i, "field": "program", "message": _("Không có chương trình “%(code)s”.") % {"code": row.program}})
            continue
        problem = batch.add(row.organization, row.indicator, row.year, row.value)
        if problem is not None:
            errors.append({"row": i, "field": problem.field, "message": problem.message})
    if errors:
        return Status(422, {"detail": errors, "conflicts": []})
    try:
        with acting_as(user):
            return services.apply_targets([cell for batch in batches.values() for cell in batch.cells], user)
    except IntegrityError:  # another request created the same target at the same moment
        raise HttpError(409, _("Chỉ tiêu vừa được người khác lưu cùng lúc; không dòng nào được lưu, hãy gửi lại.")) from None


