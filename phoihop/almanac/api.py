"""Almanac API: anniversaries in a window, solar → lunar and lunar → solar.

Registered by phoihop/api/urls.py as `api.add_router("/almanac", router)`. A date that does not
exist, or lies outside 1900–2100, gives 422 `{"detail": "<Vietnamese message>"}`.
"""

from __future__ import annotations

import datetime as dt
import re

from ninja import Query, Router, Schema
from ninja.errors import HttpError

from phoihop.almanac import lunar, services

router = Router(tags=["almanac"])

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_solar(value: str, label: str = "Ngày") -> dt.date:
    """'YYYY-MM-DD' → date, or LunarError with a Vietnamese message (also used by the CLI)."""
    match = _ISO.match((value or "").strip())
    if not match:
        raise lunar.LunarError(f"{label} “{value}” không đúng dạng YYYY-MM-DD.")
    year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise lunar.LunarError(f"Ngày {day:02d}/{month:02d}/{year} không tồn tại trong dương lịch.") from None


def parse_lunar(value: str) -> tuple[int, int, int]:
    """'YYYY-MM-DD' read as a lunar date → (day, month, year); existence is checked by to_solar."""
    match = _ISO.match((value or "").strip())
    if not match:
        raise lunar.LunarError(f"Ngày âm lịch “{value}” không đúng dạng YYYY-MM-DD.")
    year, month, day = (int(g) for g in match.groups())
    return day, month, year


class AnniversaryOut(Schema):
    name: str
    origin: dt.date | None
    date: dt.date
    years: int | None
    kind: str
    text: str
    code: str
    calendar: str
    scope: str


class LunarOut(Schema):
    solar: dt.date
    lunar_day: int
    lunar_month: int
    lunar_year: int
    leap: bool
    year_can_chi: str
    month_can_chi: str
    day_can_chi: str


@router.get("anniversaries", response=list[AnniversaryOut], summary="Ngày kỷ niệm trong một khoảng thời gian")
def list_anniversaries(request, date_from: str = Query(..., alias="from"), date_to: str = Query(..., alias="to")):
    """Every anniversary between `from` and `to` (YYYY-MM-DD, inclusive, at most 3 years):
    national days and the local days of the caller's organisations."""
    from phoihop.accounts import permissions as perms

    try:
        start = parse_solar(date_from, "Ngày bắt đầu")
        end = parse_solar(date_to, "Ngày kết thúc")
        user = request.user
        if perms.is_system_admin(user):
            commemorations = services.commemorations_for()
        else:
            orgs = perms.org_ids(user) if user and user.is_authenticated else set()
            commemorations = services.commemorations_for(orgs, services.unit_ids_for(orgs))
        found = services.anniversaries(start, end, commemorations)
    except (lunar.LunarError, services.WindowError) as exc:
        raise HttpError(422, str(exc)) from None
    return [a.as_dict() for a in found]


@router.get("lunar/{day}", response=LunarOut, summary="Đổi ngày dương lịch sang âm lịch")
def solar_to_lunar(request, day: str):
    try:
        return lunar.describe(parse_solar(day))
    except lunar.LunarError as exc:
        raise HttpError(422, str(exc)) from None


@router.get("solar/{day}", response=LunarOut, summary="Đổi ngày âm lịch sang dương lịch")
def lunar_to_solar(request, day: str, leap: bool = False):
    """`day` is the lunar date as YYYY-MM-DD; `leap=true` for a day of the leap month."""
    try:
        lunar_day, lunar_month, lunar_year = parse_lunar(day)
        return lunar.describe(lunar.to_solar(lunar_day, lunar_month, lunar_year, leap))
    except lunar.LunarError as exc:
        raise HttpError(422, str(exc)) from None
