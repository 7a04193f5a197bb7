"""Vietnamese reporting periods and their data windows.

Decree 09/2019/NĐ-CP (Article 12) sets the windows of statistical reports of state
administrative bodies; programs follow them unless they choose calendar periods:

- month:    15th of the previous month → 14th of the month
- quarter:  15th of the month before the quarter → 14th of its last month
- 6 months: 15/12 of the previous year → 14/6
- 9 months: 15/12 of the previous year → 14/9
- year:     15/12 of the previous year → 14/12

Period codes: `2019-07` (month), `2019-Q3` (quarter), `2019-H1` (6 months), `2019-9M`
(9 months), `2019` (year), `P:<program code>` (the whole phase of a program).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from phoihop.core.calendar_names import month_year

MONTH, QUARTER, HALF, NINE_MONTHS, YEAR, PHASE = "month", "quarter", "half", "nine_months", "year", "phase"
DECREE_09, CALENDAR = "decree09", "calendar"

_PATTERNS = [
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), MONTH),
    (re.compile(r"^(\d{4})-Q([1-4])$"), QUARTER),
    (re.compile(r"^(\d{4})-H1$"), HALF),
    (re.compile(r"^(\d{4})-9M$"), NINE_MONTHS),
    (re.compile(r"^(\d{4})$"), YEAR),
]


class PeriodCodeError(ValueError):
    pass


@dataclass(frozen=True)
class Window:
    type: str
    code: str
    year: int
    start: dt.date
    end: dt.date
    label: str


def _day(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _prev_month(year: int, month: int) -> tuple[int, int]:
    return (year - 1, 12) if month == 1 else (year, month - 1)


def parse(code: str, convention: str = DECREE_09) -> Window:
    """The window of a period code under a convention; PeriodCodeError with a Vietnamese message."""
    code = (code or "").strip().upper()
    for pattern, kind in _PATTERNS:
        match = pattern.match(code)
        if not match:
            continue
        year = int(match.group(1))
        if not 1900 <= year <= 2100:
            break
        part = int(match.group(2)) if kind in (MONTH, QUARTER) else 0
        start, end = _window(kind, year, part, convention)
        return Window(kind, code, year, start, end, label(kind, year, part))
    raise PeriodCodeError(
        _("Mã kỳ báo cáo “%(code)s” không hợp lệ. Dùng: 2019-07 (tháng), 2019-Q3 (quý), 2019-H1 (6 tháng), 2019-9M (9 tháng), 2019 (năm).")
        % {"code": code}
    )


def _window(kind: str, year: int, part: int, convention: str) -> tuple[dt.date, dt.date]:
    if convention == CALENDAR:
        if kind == MONTH:
            return dt.date(year, part, 1), _day(year, part, 31)
        if kind == QUARTER:
            return dt.date(year, 3 * part - 2, 1), _day(year, 3 * part, 31)
        if kind == HALF:
            return dt.date(year, 1, 1), dt.date(year, 6, 30)
        if kind == NINE_MONTHS:
            return dt.date(year, 1, 1), dt.date(year, 9, 30)
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if kind == MONTH:
        py, pm = _prev_month(year, part)
        return dt.date(py, pm, 15), dt.date(year, part, 14)
    if kind == QUARTER:
        py, pm = _prev_month(year, 3 * part - 2)
        return dt.date(py, pm, 15), dt.date(year, 3 * part, 14)
    start = dt.date(year - 1, 12, 15)
    end = {HALF: dt.date(year, 6, 14), NINE_MONTHS: dt.date(year, 9, 14), YEAR: dt.date(year, 12, 14)}[kind]
    return start, end


QUARTER_YEAR = (gettext_noop("Quý I/%(y)s"), gettext_noop("Quý II/%(y)s"), gettext_noop("Quý III/%(y)s"),
                gettext_noop("Quý IV/%(y)s"))


def label(kind: str, year: int, part: int = 0) -> str:
    """The name of a period in the active language ("Tháng 12/2026", "December 2026")."""
    if kind == MONTH:
        return month_year(year, part)
    if kind == QUARTER:
        return _(QUARTER_YEAR[part - 1]) % {"y": year}
    if kind == HALF:
        return _("6 tháng đầu năm %(y)s") % {"y": year}
    if kind == NINE_MONTHS:
        return _("9 tháng năm %(y)s") % {"y": year}
    return _("Năm %(y)s") % {"y": year}


def display_label(code: str, stored: str = "") -> str:
    """The name of a period from its code, in the reader's language (a stored Period.label is
    the Vietnamese text of the day it was created); `stored` for codes without a rule (phases)."""
    try:
        window = parse(code)
    except PeriodCodeError:
        return stored or code
    return window.label


def covering(day: dt.date, kind: str = MONTH, convention: str = DECREE_09) -> str:
    """The code of the month, quarter or year period whose window holds `day` (under Decree 09
    a day from the 15th on belongs to the next month's window)."""
    y, m = day.year, day.month
    if convention == DECREE_09 and day.day >= 15:
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    if kind == MONTH:
        return month_code(y, m)
    if kind == QUARTER:
        return f"{y}-Q{(m - 1) // 3 + 1}"
    if kind == YEAR:
        return str(y)
    raise ValueError(kind)


def month_code(year: int, month: int) -> str:
    return f"{year}-{month:02d}"


def months_between(start: dt.date, end: dt.date) -> list[str]:
    """Month codes from the month of `start` to the month of `end`, inclusive."""
    codes, y, m = [], start.year, start.month
    while (y, m) <= (end.year, end.month):
        codes.append(month_code(y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return codes


def default_deadline(window: Window) -> dt.date:
    """Reports are due a few days after the window closes (the 18th for a month ending on the 14th)."""
    return window.end + dt.timedelta(days=4)
