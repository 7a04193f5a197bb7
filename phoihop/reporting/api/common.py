"""What every reporting endpoint shares: error shapes, number and date parsing, paging, limits."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpResponse
from ninja import Schema
from ninja.errors import HttpError
from pydantic import Field

from phoihop.core import bounds
from phoihop.core.formatting import json_number
from phoihop.programs import access as program_access
from phoihop.reporting import periods, services
from phoihop.reporting.models import (
    Period,
)

MAX_ROWS = 50_000  # rows per POST /datavalues and PUT /targets, and per page of a GET
DEFAULT_PAGE = 10_000
MAX_OFFSET = 2**53  # beyond it SQLite answers "datatype mismatch", PostgreSQL "bigint out of range"



_number = json_number  # a stored decimal as a JSON number (core.formatting)


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


