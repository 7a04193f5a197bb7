"""`GET /api/results`: the figures of `phoihop results`, from the aggregation module.

Its own router, registered by phoihop/api/urls.py next to reporting's (same URL, schema and
tag as when it lived in phoihop/reporting/api/). Parsing and error shapes are reporting's
(`reporting.api.common`), visibility is `reporting.access`; see docs/adr/0006-read-side.md.
"""

from __future__ import annotations

from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import create_model

from phoihop.core import bounds, throttle
from phoihop.core.throttle import ApiThrottle
from phoihop.reporting import access
from phoihop.reporting.api.common import (
    Error,
    _program,
    _window,
)
from phoihop.results import aggregation

router = Router(tags=["reporting"])


# The schema is the row's JSON form, declared once (aggregation.JSON_FIELDS).
ResultOut = create_model("ResultOut", __base__=Schema, **{name: (kind, ...) for name, kind in aggregation.JSON_FIELDS.items()})


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
    bounds.check_program_count(len(set(program)))
    programs = [_program(request.user, code) for code in dict.fromkeys(program)]
    drafts = access.draft_scope(request.user, programs) if draft else None
    if draft and drafts is None:
        raise HttpError(403, "Bản nháp có số liệu chưa duyệt chỉ dành cho đơn vị quản lý mọi bên của chương trình.")
    start, end = _window(date_from, date_to)
    start = start or min(p.start for p in programs)
    end = end or max(p.end or timezone.localdate() for p in programs)
    if end < start:
        raise HttpError(422, "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    bounds.check_results_window(start, end, programs=len(programs))
    rows = aggregation.results([], start, end, include_unapproved=access.includes_unapproved(drafts, programs),
                               by_year=by_year, programs=programs)
    return [row.as_json(approved_only=not draft) for row in rows]
