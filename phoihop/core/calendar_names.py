"""Month and weekday names in the reader's language: "Tháng 12/2026" reads "December 2026" in
English. One message per month (not "Tháng %(m)s") so each language writes its own month name."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext_lazy

MONTH_YEAR = (
    gettext_noop("Tháng 1/%(y)s"), gettext_noop("Tháng 2/%(y)s"), gettext_noop("Tháng 3/%(y)s"),
    gettext_noop("Tháng 4/%(y)s"), gettext_noop("Tháng 5/%(y)s"), gettext_noop("Tháng 6/%(y)s"),
    gettext_noop("Tháng 7/%(y)s"), gettext_noop("Tháng 8/%(y)s"), gettext_noop("Tháng 9/%(y)s"),
    gettext_noop("Tháng 10/%(y)s"), gettext_noop("Tháng 11/%(y)s"), gettext_noop("Tháng 12/%(y)s"),
)

# A month in a narrow column header ("T12" — "Dec").
MONTH_SHORT = (
    pgettext_lazy("month", "T1"), pgettext_lazy("month", "T2"), pgettext_lazy("month", "T3"),
    pgettext_lazy("month", "T4"), pgettext_lazy("month", "T5"), pgettext_lazy("month", "T6"),
    pgettext_lazy("month", "T7"), pgettext_lazy("month", "T8"), pgettext_lazy("month", "T9"),
    pgettext_lazy("month", "T10"), pgettext_lazy("month", "T11"), pgettext_lazy("month", "T12"),
)

# Column headers of a month grid, Monday first ("T2" … "CN" in Vietnamese).
WEEKDAYS_SHORT = (
    pgettext_lazy("weekday", "T2"), pgettext_lazy("weekday", "T3"), pgettext_lazy("weekday", "T4"),
    pgettext_lazy("weekday", "T5"), pgettext_lazy("weekday", "T6"), pgettext_lazy("weekday", "T7"),
    pgettext_lazy("weekday", "CN"),
)


def month_year(year: int, month: int) -> str:
    """'Tháng 12/2026' ('December 2026' in English)."""
    return _(MONTH_YEAR[month - 1]) % {"y": year}


def month_short(month: int) -> str:
    """'T12' ('Dec' in English)."""
    return str(MONTH_SHORT[month - 1])
