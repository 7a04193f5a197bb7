"""The sane range of every date and number the product accepts, in one place.

Every door (pages, API, Excel import, commands) checks dates against `DATE_MIN`..`DATE_MAX`:
a date outside it is a typing mistake, never data, and it would otherwise reach code whose own
range is narrower (a Decree 09 month of 15/12/2100 belongs to the year 2101, outside the periods'
and the lunar calendar's 1900–2100). The upper bound stays a year inside those ranges so that any
period or lunar date computed from an accepted date exists.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATE_MIN = dt.date(1900, 1, 1)
DATE_MAX = dt.date(2099, 12, 31)
YEAR_MIN = DATE_MIN.year
YEAR_MAX = DATE_MAX.year


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
