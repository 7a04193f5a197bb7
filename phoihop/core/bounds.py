"""The sane range of every date and number the product accepts, in one place.

Every door (pages, API, Excel import, commands) checks dates against `DATE_MIN`..`DATE_MAX`:
a date outside it is a typing mistake, never data, and it would otherwise reach code whose own
range is narrower (a Decree 09 month of 15/12/2100 belongs to the year 2101, outside the periods'
and the lunar calendar's 1900–2100). The upper bound stays a year inside those ranges so that any
period or lunar date computed from an accepted date exists.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
YEAR_MIN = DATE_MIN.year
YEAR_MAX = DATE_MAX.year
# Database ids are 64-bit (BigAutoField); a number typed in a URL beyond that is no id at all.
# SQLite cannot even bind it (OverflowError) and PostgreSQL refuses it ("bigint out of range").
ID_MAX = 2**63 - 1
_DIGITS = re.compile(r"[0-9]{1,19}")


def date_in_range(value: dt.date | None) -> bool:
    return value is None or DATE_MIN <= value <= DATE_MAX


def range_message(label: str = "") -> str:
    text = _("phải trong khoảng %(min)s - %(max)s.") % {
        "min": DATE_MIN.strftime("%d/%m/%Y"), "max": DATE_MAX.strftime("%d/%m/%Y"),
    }
    return f"{label} {text}" if label else _("Ngày %(rest)s") % {"rest": text}


def check_date(value: dt.date | None, field: str = "", label: str = "") -> dt.date | None:
    """Return `value`, or raise ValidationError (keyed by `field` when given) naming the range."""
    if date_in_range(value):
        return value
    message = range_message(label)
    raise ValidationError({field: [message]} if field else message)


def parse_id(raw: object) -> int | None:
    """A database id typed in a query string or a form (ASCII digits, 1..ID_MAX), else None.

    `str.isdigit()` is not enough: it accepts "²" and "١٢", and any length."""
    text = str(raw if raw is not None else "").strip()
    if not _DIGITS.fullmatch(text):
        return None
    value = int(text)
    return value if 0 < value <= ID_MAX else None


def parse_year(raw: object) -> int | None:
    """A year typed in a query string or a form, inside YEAR_MIN..YEAR_MAX, else None."""
    text = str(raw if raw is not None else "").strip()
    if not re.fullmatch(r"[0-9]{4}", text):
        return None
    value = int(text)
    return value if YEAR_MIN <= value <= YEAR_MAX else None


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29/02 → 28/02
        return day.replace(year=day.year + years, day=28)


def last_years(end: dt.date, years: int) -> dt.date:
    """The first day of the window of `years` years ending on `end` (the longest one allowed)."""
    return max(_years_after(end, -years) + dt.timedelta(days=1), DATE_MIN)


def check_program_count(programs: int) -> None:
    """At most PHOIHOP_RESULTS_MAX_PROGRAMS programs in one aggregation (before any is read)."""
    from django.conf import settings

    max_programs = settings.PHOIHOP_RESULTS_MAX_PROGRAMS
    if programs > max_programs:
        raise ValidationError({"program": [
            _("Tối đa %(n)s chương trình mỗi lần (đã chọn %(k)s).") % {"n": max_programs, "k": programs}]})


def check_results_window(start: dt.date, end: dt.date, programs: int = 1) -> None:
    """The cost bound of every aggregation a user asks for (API /api/results, `phoihop results`,
    the leader's dashboard, review reports): dates in range, at most PHOIHOP_RESULTS_MAX_PROGRAMS
    programs and a window of at most PHOIHOP_RESULTS_MAX_YEARS years. Raises ValidationError
    (keyed by the parameter at fault) with the Vietnamese message."""
    from django.conf import settings

    check_program_count(programs)
    max_years = settings.PHOIHOP_RESULTS_MAX_YEARS
    check_date(start, "from", _("Từ ngày"))
    check_date(end, "to", _("Đến ngày"))
    if end >= _years_after(start, max_years):
        raise ValidationError({"to": [
            _("Khoảng thời gian tối đa %(n)s năm mỗi lần (đang là %(a)s - %(b)s); hãy chọn từ ngày, đến ngày hẹp hơn.")
            % {"n": max_years, "a": start.strftime("%d/%m/%Y"), "b": end.strftime("%d/%m/%Y")}]})


def validate_date(value: dt.date | dt.datetime | None) -> None:
    """Validator of a form's date (or date-and-time) field: DATE_MIN..DATE_MAX."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not date_in_range(day):
        raise ValidationError(range_message(), code="date_range")
