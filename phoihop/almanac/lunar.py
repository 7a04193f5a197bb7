"""The Vietnamese lunisolar calendar (âm lịch), 1900–2100, computed for UTC+7.

Written from the published astronomical algorithm of Hồ Ngọc Đức ("Thuật toán tính âm lịch",
https://www.informatik.uni-leipzig.de/~duc/amlich/calrules.html), itself built on Jean Meeus,
*Astronomical Algorithms* (new moons: ch. 49 of the 2nd ed., low-precision terms; apparent solar
longitude: ch. 25). The rules of the calendar:

1. A lunar month starts on the local day (here UTC+7) of a new moon.
2. Month 11 is the month containing the winter solstice (sun at 270°).
3. If there are 13 new moons between two months 11 (a "leap sui"), the first month after
   month 11 in which the sun enters no new 30° sector (no major solar term, "trung khí") is
   the leap month; it takes the number of the month before it.

The same rules at UTC+8 give the Chinese calendar; the two differ when a new moon or a solar
term falls between 16:00 and 17:00 UTC (see docs/almanac.md for the years where Tết or the
leap month differ). Only `tz` changes between them, so the UTC+8 variant is kept for that
comparison and for tests.

Every conversion is checked: a date that does not exist (the 30th of a 29-day month, a leap
month the year does not have, a year outside 1900–2100) raises `LunarError` with a Vietnamese
message; the functions never return a guessed answer.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

VIETNAM_TZ = 7.0
CHINA_TZ = 8.0

MIN_YEAR = 1900
MAX_YEAR = 2100
MIN_DATE = dt.date(MIN_YEAR, 1, 1)
MAX_DATE = dt.date(MAX_YEAR, 12, 31)

CAN = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
CHI = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")
MONTH_NAMES = {
    1: "Giêng", 2: "Hai", 3: "Ba", 4: "Tư", 5: "Năm", 6: "Sáu",
    7: "Bảy", 8: "Tám", 9: "Chín", 10: "Mười", 11: "Mười một", 12: "Chạp",
}

# Julian day number of 0001-01-01 minus its proleptic-Gregorian ordinal.
_JD_OFFSET = 1721425
_SYNODIC_MONTH = 29.530588853
_NEW_MOON_EPOCH = 2415021.076998695  # JD of the new moon of 1900-01-01 (k = 0)


class LunarError(ValueError):
    """A date that does not exist or lies outside 1900–2100. The message is Vietnamese."""


@dataclass(frozen=True)
class LunarDate:
    day: int
    month: int
    year: int
    leap: bool = False

    def __str__(self) -> str:
        return f"{self.day}/{self.month}{' nhuận' if self.leap else ''}/{self.year}"

    @property
    def short(self) -> str:
        """'10/3' or '15/4 nhuận' — how a lunar day is written in a calendar cell."""
        return f"{self.day}/{self.month}{' nhuận' if self.leap else ''}"

    @property
    def year_can_chi(self) -> str:
        return year_can_chi(self.year)

    @property
    def month_can_chi(self) -> str:
        return month_can_chi(self.year, self.month)


@dataclass(frozen=True)
class LunarMonth:
    number: int
    leap: bool
    year: int
    start: int  # Julian day number of day 1
    length: int  # 29 or 30

    @property
    def first_day(self) -> dt.date:
        return jd_to_date(self.start)


# --- Julian day numbers -------------------------------------------------------------------------


def jd_from_date(day: dt.date) -> int:
    return day.toordinal() + _JD_OFFSET


def jd_to_date(jd: int) -> dt.date:
    return dt.date.fromordinal(jd - _JD_OFFSET)


# --- Astronomy (Meeus, as simplified by Hồ Ngọc Đức) --------------------------------------------


def _new_moon_jd(k: int) -> float:
    """Julian date (TT corrected to UT) of the k-th new moon after 1900-01-01."""
    t = k / 1236.85
    t2 = t * t
    t3 = t2 * t
    dr = math.pi / 180
    jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3
    jd1 += 0.00033 * math.sin((166.56 + 132.87 * t - 0.009173 * t2) * dr)
    m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3  # sun's mean anomaly
    mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3  # moon's mean anomaly
    f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3  # moon's argument of latitude
    c1 = (
        (0.1734 - 0.000393 * t) * math.sin(dr * m)
        + 0.0021 * math.sin(dr * 2 * m)
        - 0.4068 * math.sin(dr * mpr)
        + 0.0161 * math.sin(dr * 2 * mpr)
        - 0.0004 * math.sin(dr * 3 * mpr)
        + 0.0104 * math.sin(dr * 2 * f)
        - 0.0051 * math.sin(dr * (m + mpr))
        - 0.0074 * math.sin(dr * (m - mpr))
        + 0.0004 * math.sin(dr * (2 * f + m))
        - 0.0004 * math.sin(dr * (2 * f - m))
        - 0.0006 * math.sin(dr * (2 * f + mpr))
        + 0.0010 * math.sin(dr * (2 * f - mpr))
        + 0.0005 * math.sin(dr * (2 * mpr + m))
    )
    if t < -11:
        delta_t = 0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    else:
        delta_t = -0.000278 + 0.000265 * t + 0.000262 * t2
    return jd1 + c1 - delta_t


@lru_cache(maxsize=8192)
def new_moon_day(k: int, tz: float = VIETNAM_TZ) -> int:
    """Julian day number of the local day (UTC+tz) on which the k-th new moon falls."""
    return math.floor(_new_moon_jd(k) + 0.5 + tz / 24)


def sun_longitude(jdn: int, tz: float = VIETNAM_TZ) -> float:
    """Apparent longitude of the sun, in degrees [0, 360), at local midnight starting day `jdn`."""
    t = (jdn - 2451545.5 - tz / 24) / 36525
    t2 = t * t
    dr = math.pi / 180
    m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2
    l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2
    dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * math.sin(dr * m)
    dl += (0.019993 - 0.000101 * t) * math.sin(dr * 2 * m) + 0.000290 * math.sin(dr * 3 * m)
    return (l0 + dl) % 360


def _sun_sector(jdn: int, tz: float) -> int:
    """Which 30° sector (0–11) the sun is in at the start of day `jdn`."""
    return math.floor(sun_longitude(jdn, tz) / 30)


def _k_of(jdn: int) -> int:
    return math.floor((jdn - _NEW_MOON_EPOCH) / _SYNODIC_MONTH + 0.5)


@lru_cache(maxsize=1024)
def month11_start(year: int, tz: float = VIETNAM_TZ) -> int:
    """JDN of day 1 of lunar month 11 of `year` (the month holding the winter solstice)."""
    off = jd_from_date(dt.date(year, 12, 31)) - 2415021
    k = math.floor(off / _SYNODIC_MONTH)
    start = new_moon_day(k, tz)
    if _sun_sector(start, tz) >= 9:  # the solstice is still ahead of this new moon
        start = new_moon_day(k - 1, tz)
    return start


@lru_cache(maxsize=1024)
def _sui(year: int, tz: float) -> tuple[LunarMonth, ...]:
    """The months from month 11 of `year` up to (not including) month 11 of `year + 1`."""
    a11 = month11_start(year, tz)
    b11 = month11_start(year + 1, tz)
    k = _k_of(a11)
    count = round((b11 - a11) / _SYNODIC_MONTH)
    leap_offset = None
    if count == 13:
        # The first month after month 11 in which the sun enters no new sector is the leap one.
        for i in range(1, 14):
            if _sun_sector(new_moon_day(k + i, tz), tz) == _sun_sector(new_moon_day(k + i + 1, tz), tz):
                leap_offset = i
                break
        if leap_offset is None:  # pragma: no cover - cannot happen astronomically
            raise LunarError(f"Không xác định được tháng nhuận năm {year + 1}.")
    months: list[LunarMonth] = []
    number = 10
    for i in range(count):
        leap = i == leap_offset
        if not leap:
            number = number % 12 + 1
        start = new_moon_day(k + i, tz)
        end = new_moon_day(k + i + 1, tz) if i + 1 < count else b11
        months.append(LunarMonth(number, leap, year if number >= 11 else year + 1, start, end - start))
    return tuple(months)


def year_months(year: int, tz: float = VIETNAM_TZ) -> list[LunarMonth]:
    """Every month of lunar year `year`, from month 1 (Tết) to month 12, the leap one in place."""
    return [m for m in _sui(year - 1, tz) + _sui(year, tz) if m.year == year]


def leap_month(year: int, tz: float = VIETNAM_TZ) -> int | None:
    """The number of the leap month of lunar year `year`, or None."""
    return next((m.number for m in year_months(year, tz) if m.leap), None)


def tet(year: int, tz: float = VIETNAM_TZ) -> dt.date:
    """Tết Nguyên đán (1/1 lunar) of lunar year `year`."""
    return year_months(year, tz)[0].first_day


# --- Conversions ----------------------------------------------------------------------------------


def _check_solar(day: dt.date) -> None:
    if not (MIN_DATE <= day <= MAX_DATE):
        raise LunarError(
            f"Ngày {day.day:02d}/{day.month:02d}/{day.year} nằm ngoài phạm vi lịch âm hỗ trợ "
            f"(01/01/{MIN_YEAR} - 31/12/{MAX_YEAR})."
        )


def month_of(day: dt.date, tz: float = VIETNAM_TZ) -> LunarMonth:
    """The lunar month that contains solar day `day`."""
    jdn = jd_from_date(day)
    sui_year = day.year if jdn >= month11_start(day.year, tz) else day.year - 1
    for month in reversed(_sui(sui_year, tz)):
        if month.start <= jdn:
            return month
    raise AssertionError("unreachable: a sui covers its whole span")  # pragma: no cover


def to_lunar(day: dt.date, tz: float = VIETNAM_TZ) -> LunarDate:
    """Solar → lunar."""
    _check_solar(day)
    month = month_of(day, tz)
    return LunarDate(jd_from_date(day) - month.start + 1, month.number, month.year, month.leap)


def lunar_month(year: int, month: int, leap: bool = False, tz: float = VIETNAM_TZ) -> LunarMonth:
    """Month `month` (leap or not) of lunar year `year`; LunarError if the year has no such month."""
    if not (1 <= month <= 12):
        raise LunarError(f"Tháng âm lịch phải từ 1 đến 12 (nhận được {month}).")
    if not (MIN_YEAR - 1 <= year <= MAX_YEAR):
        raise LunarError(f"Năm âm lịch {year} nằm ngoài phạm vi hỗ trợ ({MIN_YEAR} - {MAX_YEAR}).")
    for candidate in year_months(year, tz):
        if candidate.number == month and candidate.leap == leap:
            return candidate
    leap_number = leap_month(year, tz)
    if leap_number is None:
        raise LunarError(f"Năm âm lịch {year} ({year_can_chi(year)}) không có tháng nhuận.")
    raise LunarError(
        f"Năm âm lịch {year} ({year_can_chi(year)}) không có tháng {month} nhuận "
        f"(tháng nhuận năm đó là tháng {leap_number})."
    )


def to_solar(day: int, month: int, year: int, leap: bool = False, tz: float = VIETNAM_TZ) -> dt.date:
    """Lunar → solar. Raises LunarError for a date that does not exist."""
    target = lunar_month(year, month, leap, tz)
    if not (1 <= day <= target.length):
        raise LunarError(
            f"Tháng {month}{' nhuận' if leap else ''} năm âm lịch {year} ({year_can_chi(year)}) "
            f"chỉ có {target.length} ngày (nhận được ngày {day})."
        )
    result = jd_to_date(target.start + day - 1)
    _check_solar(result)
    return result


def to_solar_lunar(lunar: LunarDate, tz: float = VIETNAM_TZ) -> dt.date:
    return to_solar(lunar.day, lunar.month, lunar.year, lunar.leap, tz)


# --- Can chi (sexagenary names) --------------------------------------------------------------------


def year_can_chi(year: int) -> str:
    return f"{CAN[(year + 6) % 10]} {CHI[(year + 8) % 12]}"


def month_can_chi(year: int, month: int) -> str:
    """Can chi of lunar month `month` of `year` (a leap month shares it with its regular month)."""
    return f"{CAN[(year * 12 + month + 3) % 10]} {CHI[(month + 1) % 12]}"


def day_can_chi(day: dt.date) -> str:
    jdn = jd_from_date(day)
    return f"{CAN[(jdn + 9) % 10]} {CHI[(jdn + 1) % 12]}"


def month_label(month: int, leap: bool = False) -> str:
    """'tháng Giêng', 'tháng Chạp', 'tháng 4 nhuận'."""
    name = MONTH_NAMES[month] if month in (1, 12) else str(month)
    return f"tháng {name}{' nhuận' if leap else ''}"


def describe(day: dt.date, tz: float = VIETNAM_TZ) -> dict:
    """Everything the CLI and the API print for a solar day."""
    lunar = to_lunar(day, tz)
    return {
        "solar": day.isoformat(),
        "lunar_day": lunar.day,
        "lunar_month": lunar.month,
        "lunar_year": lunar.year,
        "leap": lunar.leap,
        "year_can_chi": year_can_chi(lunar.year),
        "month_can_chi": month_can_chi(lunar.year, lunar.month),
        "day_can_chi": day_can_chi(day),
    }
