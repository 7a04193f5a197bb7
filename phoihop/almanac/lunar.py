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


# --- Astronomy (Jean Meeus, *Astronomical Algorithms*, 2nd ed.) -------------------------------------


def delta_t(year: float) -> float:
    """ΔT = TT − UT in seconds (Espenak & Meeus, "Polynomial expressions for Delta T", NASA 2006)."""
    if year < 1920:
        t = year - 1900
        return -2.79 + 1.494119 * t - 0.0598939 * t**2 + 0.0061966 * t**3 - 0.000197 * t**4
    if year < 1941:
        t = year - 1920
        return 21.20 + 0.84493 * t - 0.076100 * t**2 + 0.0020936 * t**3
    if year < 1961:
        t = year - 1950
        return 29.07 + 0.407 * t - t**2 / 233 + t**3 / 2547
    if year < 1986:
        t = year - 1975
        return 45.45 + 1.067 * t - t**2 / 260 - t**3 / 718
    if year < 2005:
        t = year - 2000
        return (
            63.86 + 0.3345 * t - 0.060374 * t**2 + 0.0017275 * t**3
            + 0.000651814 * t**4 + 0.00002373599 * t**5
        )
    if year < 2050:
        t = year - 2000
        return 62.92 + 0.32217 * t + 0.005589 * t**2
    return -20 + 32 * ((year - 1820) / 100) ** 2 - 0.5628 * (2150 - year)


# Periodic terms of the true new moon (Meeus ch. 49): (coefficient, power of E, M, M', F, Ω).
_NEW_MOON_TERMS = (
    (-0.40720, 0, 0, 1, 0, 0),
    (0.17241, 1, 1, 0, 0, 0),
    (0.01608, 0, 0, 2, 0, 0),
    (0.01039, 0, 0, 0, 2, 0),
    (0.00739, 1, -1, 1, 0, 0),
    (-0.00514, 1, 1, 1, 0, 0),
    (0.00208, 2, 2, 0, 0, 0),
    (-0.00111, 0, 0, 1, -2, 0),
    (-0.00057, 0, 0, 1, 2, 0),
    (0.00056, 1, 1, 2, 0, 0),
    (-0.00042, 0, 0, 3, 0, 0),
    (0.00042, 1, 1, 0, 2, 0),
    (0.00038, 1, 1, 0, -2, 0),
    (-0.00024, 1, -1, 2, 0, 0),
    (-0.00017, 0, 0, 0, 0, 1),
    (-0.00007, 0, 2, 1, 0, 0),
    (0.00004, 0, 0, 2, -2, 0),
    (0.00004, 0, 3, 0, 0, 0),
    (0.00003, 0, 1, 1, -2, 0),
    (0.00003, 0, 0, 2, 2, 0),
    (-0.00003, 0, 1, 1, 2, 0),
    (0.00003, 0, -1, 1, 2, 0),
    (-0.00002, 0, -1, 1, -2, 0),
    (-0.00002, 0, 1, 3, 0, 0),
    (0.00002, 0, 0, 4, 0, 0),
)
# Planetary arguments A1–A14 (Meeus ch. 49): (coefficient, constant, rate per lunation).
_PLANETARY_TERMS = (
    (0.000325, 299.77, 0.107408),
    (0.000165, 251.88, 0.016321),
    (0.000164, 251.83, 26.651886),
    (0.000126, 349.42, 36.412478),
    (0.000110, 84.66, 18.206239),
    (0.000062, 141.74, 53.303771),
    (0.000060, 207.14, 2.453732),
    (0.000056, 154.84, 7.306860),
    (0.000047, 34.52, 27.261239),
    (0.000042, 207.19, 0.121824),
    (0.000040, 291.34, 1.844379),
    (0.000037, 161.72, 24.198154),
    (0.000035, 239.56, 25.513099),
    (0.000023, 331.55, 3.592518),
)
# Lunation 0 of Meeus is the new moon of 2000-01-06; lunation 0 here is that of 1900-01-01.
_MEEUS_K_OFFSET = 1237


def _new_moon_jd(k: int) -> float:
    """Julian date (UT) of the k-th new moon after the one of 1900-01-01."""
    km = k - _MEEUS_K_OFFSET
    t = km / 1236.85
    dr = math.pi / 180
    jde = (
        2451550.09766 + 29.530588861 * km
        + 0.00015437 * t**2 - 0.000000150 * t**3 + 0.00000000073 * t**4
    )
    e = 1 - 0.002516 * t - 0.0000074 * t**2
    m = (2.5534 + 29.10535670 * km - 0.0000014 * t**2 - 0.00000011 * t**3) * dr
    mp = (
        201.5643 + 385.81693528 * km + 0.0107582 * t**2 + 0.00001238 * t**3 - 0.000000058 * t**4
    ) * dr
    f = (
        160.7108 + 390.67050284 * km - 0.0016118 * t**2 - 0.00000227 * t**3 + 0.000000011 * t**4
    ) * dr
    om = (124.7746 - 1.56375588 * km + 0.0020672 * t**2 + 0.00000215 * t**3) * dr
    for coefficient, e_power, cm, cmp, cf, com in _NEW_MOON_TERMS:
        jde += coefficient * e**e_power * math.sin(cm * m + cmp * mp + cf * f + com * om)
    for i, (coefficient, constant, rate) in enumerate(_PLANETARY_TERMS):
        argument = constant + rate * km - (0.009173 * t**2 if i == 0 else 0)
        jde += coefficient * math.sin(argument * dr)
    year = 2000 + km / 12.3685
    return jde - delta_t(year) / 86400


@lru_cache(maxsize=8192)
def new_moon_day(k: int, tz: float = VIETNAM_TZ) -> int:
    """Julian day number of the local day (UTC+tz) on which the k-th new moon falls."""
    return math.floor(_new_moon_jd(k) + 0.5 + tz / 24)


# Earth's heliocentric longitude, VSOP87 (Bretagnon & Francou 1988) as truncated by Meeus,
# *Astronomical Algorithms*, appendix III (the table NREL's Solar Position Algorithm also uses):
# L = Σ_i τ^i · Σ A·cos(B + C·τ) / 10^8 radians, τ in Julian millennia from J2000.0 (TT).
_VSOP87_L = (
    (
        (175347046, 0, 0), (3341656, 4.6692568, 6283.07585), (34894, 4.6261, 12566.1517),
        (3497, 2.7441, 5753.3849), (3418, 2.8289, 3.5231), (3136, 3.6277, 77713.7715),
        (2676, 4.4181, 7860.4194), (2343, 6.1352, 3930.2097), (1324, 0.7425, 11506.7698),
        (1273, 2.0371, 529.691), (1199, 1.1096, 1577.3435), (990, 5.233, 5884.927),
        (902, 2.045, 26.298), (857, 3.508, 398.149), (780, 1.179, 5223.694),
        (753, 2.533, 5507.553), (505, 4.583, 18849.228), (492, 4.205, 775.523),
        (357, 2.92, 0.067), (317, 5.849, 11790.629), (284, 1.899, 796.298),
        (271, 0.315, 10977.079), (243, 0.345, 5486.778), (206, 4.806, 2544.314),
        (205, 1.869, 5573.143), (202, 2.458, 6069.777), (156, 0.833, 213.299),
        (132, 3.411, 2942.463), (126, 1.083, 20.775), (115, 0.645, 0.98),
        (103, 0.636, 4694.003), (102, 0.976, 15720.839), (102, 4.267, 7.114),
        (99, 6.21, 2146.17), (98, 0.68, 155.42), (86, 5.98, 161000.69), (85, 1.3, 6275.96),
        (85, 3.67, 71430.7), (80, 1.81, 17260.15), (79, 3.04, 12036.46), (75, 1.76, 5088.63),
        (74, 3.5, 3154.69), (74, 4.68, 801.82), (70, 0.83, 9437.76), (62, 3.98, 8827.39),
        (61, 1.82, 7084.9), (57, 2.78, 6286.6), (56, 4.39, 14143.5), (56, 3.47, 6279.55),
        (52, 0.19, 12139.55), (52, 1.33, 1748.02), (51, 0.28, 5856.48), (49, 0.49, 1194.45),
        (41, 5.37, 8429.24), (41, 2.4, 19651.05), (39, 6.17, 10447.39), (37, 6.04, 10213.29),
        (37, 2.57, 1059.38), (36, 1.71, 2352.87), (36, 1.78, 6812.77), (33, 0.59, 17789.85),
        (30, 0.44, 83996.85), (30, 2.74, 1349.87), (25, 3.16, 4690.48),
    ),
    (
        (628331966747, 0, 0), (206059, 2.678235, 6283.07585), (4303, 2.6351, 12566.1517),
        (425, 1.59, 3.523), (119, 5.796, 26.298), (109, 2.966, 1577.344),
        (93, 2.59, 18849.23), (72, 1.14, 529.69), (68, 1.87, 398.15), (67, 4.41, 5507.55),
        (59, 2.89, 5223.69), (56, 2.17, 155.42), (45, 0.4, 796.3), (36, 0.47, 775.52),
        (29, 2.65, 7.11), (21, 5.34, 0.98), (19, 1.85, 5486.78), (19, 4.97, 213.3),
        (17, 2.99, 6275.96), (16, 0.03, 2544.31), (16, 1.43, 2146.17), (15, 1.21, 10977.08),
        (12, 2.83, 1748.02), (12, 3.26, 5088.63), (12, 5.27, 1194.45), (12, 2.08, 4694),
        (11, 0.77, 553.57), (10, 1.3, 6286.6), (10, 4.24, 1349.87), (9, 2.7, 242.73),
        (9, 5.64, 951.72), (8, 5.3, 2352.87), (6, 2.65, 9437.76), (6, 4.67, 4690.48),
    ),
    (
        (52919, 0, 0), (8720, 1.0721, 6283.0758), (309, 0.867, 12566.152), (27, 0.05, 3.52),
        (16, 5.19, 26.3), (16, 3.68, 155.42), (10, 0.76, 18849.23), (9, 2.06, 77713.77),
        (7, 0.83, 775.52), (5, 4.66, 1577.34), (4, 1.03, 7.11), (4, 3.44, 5573.14),
        (3, 5.14, 796.3), (3, 6.05, 5507.55), (3, 1.19, 242.73), (3, 6.12, 529.69),
        (3, 0.31, 398.15), (3, 2.28, 553.57), (2, 4.38, 5223.69), (2, 3.75, 0.98),
    ),
    (
        (289, 5.844, 6283.076), (35, 0, 0), (17, 5.49, 12566.15), (3, 5.2, 155.42),
        (1, 4.72, 3.52), (1, 5.3, 18849.23), (1, 5.97, 242.73),
    ),
    ((114, 3.142, 0), (8, 4.13, 6283.08), (1, 3.84, 12566.15)),
    ((1, 3.14, 0),),
)


def sun_longitude_at(jd_ut: float) -> float:
    """Apparent geocentric longitude of the sun (degrees, equinox of date) at Julian date `jd_ut`.

    VSOP87 (truncated) + FK5 correction + nutation in longitude (Meeus ch. 22, 4 terms) +
    aberration: good to about 1″, i.e. the solar terms to well within a minute.
    """
    jde = jd_ut + delta_t(2000 + (jd_ut - 2451545.0) / 365.25) / 86400
    tau = (jde - 2451545.0) / 365250
    big_l = sum(
        tau**i * sum(a * math.cos(b + c * tau) for a, b, c in series)
        for i, series in enumerate(_VSOP87_L)
    ) / 1e8
    r = (
        1.00013989 + 0.016707 * math.cos(3.0984635 + 6283.07585 * tau)
        + 0.00013956 * math.cos(3.05525 + 12566.1517 * tau)
        + tau * 0.00103019 * math.cos(1.10749 + 6283.07585 * tau)
    )
    t = tau * 10
    dr = math.pi / 180
    omega = (125.04452 - 1934.136261 * t) * dr
    l_sun = (280.4665 + 36000.7698 * t) * dr
    l_moon = (218.3165 + 481267.8813 * t) * dr
    nutation = (
        -17.20 * math.sin(omega) - 1.32 * math.sin(2 * l_sun)
        - 0.23 * math.sin(2 * l_moon) + 0.21 * math.sin(2 * omega)
    )
    arcseconds = -0.09033 + nutation - 20.4898 / r
    return (math.degrees(big_l) + 180 + arcseconds / 3600) % 360


def sun_longitude(jdn: int, tz: float = VIETNAM_TZ) -> float:
    """Apparent longitude of the sun, in degrees [0, 360), at local midnight starting day `jdn`."""
    return sun_longitude_at(jdn - 0.5 - tz / 24)


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
