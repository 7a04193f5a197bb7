"""Dates and numbers the Vietnamese way: 09/7/2019 in documents, 1.234.567,5 everywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal


def doc_date(value: dt.date) -> str:
    """Date as written in Vietnamese official text: leading zero for days < 10 and months 1, 2.

    >>> doc_date(dt.date(2019, 8, 8))
    '08/8/2019'
    """
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{value.day:02d}/{month}/{value.year}"


def short_date(value: dt.date | None) -> str:
    """dd/mm/yyyy, the form used in lists and forms."""
    return value.strftime("%d/%m/%Y") if value else ""


def place_date_line(place: str, value: dt.date) -> str:
    """'Bắc Ninh, ngày 09 tháng 7 năm 2019' (Decree 30/2020 rules for leading zeros)."""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


def number_vi(value: int | float | Decimal | None, decimals: int | None = None) -> str:
    """1234567.5 → '1.234.567,5'. `decimals` fixes the digits after the comma."""
    if value is None:
        return ""
    if decimals is None:
        text = format(Decimal(str(value)).normalize(), "f") if not isinstance(value, int) else str(value)
        if "." in text:
            whole, frac = text.split(".")
        else:
            whole, frac = text, ""
    else:
        whole, _, frac = f"{Decimal(str(value)):.{decimals}f}".partition(".")
    sign = ""
    if whole.startswith("-"):
        sign, whole = "-", whole[1:]
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    result = sign + ".".join(groups)
    return f"{result},{frac}" if frac else result


def json_number(value: Decimal | None) -> int | float | None:
    """A stored decimal as a JSON number: an integer when whole, else a float (two decimals, exact).
    The one form of a figure in the API and in `phoihop results --format json`."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
