"""Shared fixtures and helpers of the Excel and export tests (no tests of its own).

org_a is a party of a program on three content areas (gratitude, recruitment, propaganda), so it
reports their indicators; `period` is a quarter that is open for entry whenever the tests run.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from phoihop.reporting import bulk, excel, periods, services
from phoihop.reporting.models import DataValue
from phoihop.reporting.tests.worlds import program_led_by

AREAS = ["gratitude", "recruitment", "propaganda"]


def open_period_code() -> str:
    """The quarter whose window holds today: open for entry and within the entry horizon,
    whenever the tests run (values of earlier periods are saved with their own `today`)."""
    return periods.covering(timezone.localdate(), periods.QUARTER)


@pytest.fixture
def program(org_a, org_b):
    return program_led_by(org_a, org_b, areas=AREAS, code="ct-excel", title="Chương trình phối hợp thử Excel",
                          start=dt.date(2019, 1, 1), end=None)


@pytest.fixture
def period(program, org_a):
    return services.get_period(open_period_code(), services.convention_for(org_a))


@pytest.fixture
def template(org_a, period, reporter):
    """org_a's Excel template of `period`, after its reporter saved a quota of 50."""
    save(org_a, period, reporter, {"recruit_quota": 50})
    return excel.build_template(org_a, period)


def save(org, period, user, values: dict, **kwargs) -> services.SaveResult:
    """Save {code or (code, option code): value} through the service, as the grid page would."""
    cells = []
    for key, value in values.items():
        code, option = key if isinstance(key, tuple) else (key, None)
        cells.append(services.CellInput(indicator=code, option=option, value=value, **kwargs))
    result = bulk.save_values(org, period, user, cells, check_permission=False, today=period.start)
    assert result.ok, (result.errors, result.conflicts)
    return result


def load(content: bytes, **kwargs):
    return openpyxl.load_workbook(io.BytesIO(content), **kwargs)


def to_bytes(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def rows_by_key(ws) -> dict[tuple[str, str | None], int]:
    """{(indicator code, option name or None): row number} of the data sheet."""
    rows = {}
    for r in range(excel.FIRST_DATA_ROW, ws.max_row + 1):
        code = ws[f"B{r}"].value
        if code:
            rows[(code, ws[f"D{r}"].value)] = r
    return rows


def fill(content: bytes, values: dict, comments: dict | None = None) -> bytes:
    """The template with values typed into column H (and comments into I).

    Keys are an indicator code or (code, option name)."""
    wb = load(content)
    ws = wb[excel.DATA_SHEET]
    rows = rows_by_key(ws)
    for key, value in values.items():
        r = rows[key if isinstance(key, tuple) else (key, None)]
        ws[f"H{r}"] = value
    for key, text in (comments or {}).items():
        r = rows[key if isinstance(key, tuple) else (key, None)]
        ws[f"I{r}"] = text
        ws[f"I{r}"].data_type = "s"
    return to_bytes(wb)


def edit(content: bytes, change) -> bytes:
    """Apply `change(ws, rows)` to the data sheet and return the new workbook."""
    wb = load(content)
    ws = wb[excel.DATA_SHEET]
    change(ws, rows_by_key(ws))
    return to_bytes(wb)


def stored(org, period) -> dict:
    return {
        (v.indicator.code, v.option.code if v.option else None): v.value
        for v in DataValue.objects.filter(organization=org, period=period).select_related("indicator", "option")
    }


D = Decimal
