"""Data values: `POST /api/datavalues` (a batch, whole or nothing) and `GET /api/datavalues`."""

from __future__ import annotations

from typing import Annotated

from django.db.models import OuterRef, Subquery
from django.http import HttpResponse
from ninja import Body, Query, Router, Schema, Status
from pydantic import BaseModel, BeforeValidator, Field

from phoihop.audit.context import acting_as
from phoihop.core import throttle
from phoihop.core.throttle import ApiThrottle
from phoihop.reporting import access, bulk
from phoihop.reporting.api.common import (
    DEFAULT_PAGE,
    MAX_OFFSET,
    MAX_ROWS,
    BatchError,
    Error,
    _max_rows,
    _number,
    _page,
    _program,
    _window,
)
from phoihop.reporting.models import (
    Submission,
    SubmissionStatus,
)

router = Router(tags=["reporting"])


class DataValueIn(BaseModel):
    # A plain pydantic model, not a ninja Schema: Schema wraps every object in a DjangoGetter
    # (for reading ORM objects), which made reading a 10 000-row batch cost ~115 ms instead of ~15.
    organization: int = Field(..., description="Mã số (id) tổ chức báo cáo")
    indicator: str = Field(..., min_length=1, max_length=60, description="Mã chỉ số, ví dụ `recruit_enlisted`")
    period: str = Field(..., min_length=1, max_length=40, description="Mã kỳ: 2019-07, 2019-Q3, 2019-H1, 2019-9M, 2019")
    # value and comment: any text, checked by the service (bulk.save_batches) with the messages of
    # the entry page and the Excel import (the request's size bounds them)
    value: int | float | str | None = Field(..., description="Số (1234.5 hoặc chuỗi “1.234,5”), hoặc null để xóa giá trị")
    disaggregation: str | None = Field(None, max_length=40, description="Mã nhóm phân tổ, ví dụ `nam`, `nu`")
    comment: str = Field("", description="Ghi chú, tối đa 500 ký tự")
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
    with acting_as(request.user):
        result = bulk.save_rows(rows, request.user)
    if not result.ok:
        return Status(422, {
            "detail": [{"row": e.row, "field": e.field, "message": e.message} for e in result.errors],
            "conflicts": [_conflict_out(c) for c in result.conflicts],
        })
    return {"saved": result.saved, "unchanged": result.unchanged}


def _conflict_out(found: bulk.RowConflict) -> dict:
    conflict = found.conflict
    return {
        "row": found.row, "organization": found.organization, "period": found.period,
        "indicator": conflict.indicator.code, "disaggregation": conflict.option.code if conflict.option else None,
        "yours": _number(conflict.yours), "theirs": _number(conflict.theirs), "by": conflict.by,
        "message": conflict.message(),
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
    qs = access.values_visible_to(user, unapproved=include_unapproved).select_related("indicator", "period", "option").annotate(
        submission_status=Subquery(same_report.values("status")[:1])
    )
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


