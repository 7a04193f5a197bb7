"""The lunar calendar against an independent reference table (see reference_calendar.py)."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from phoihop.almanac import lunar
from phoihop.almanac.tests.reference_calendar import CHINA, VIETNAM

YEARS = range(1900, 2101)


def d(iso: str) -> dt.date:
    return dt.date.fromisoformat(iso)


def test_the_reference_table_covers_every_year_of_the_range():
    assert set(VIETNAM) == set(YEARS)


@pytest.mark.parametrize("year", YEARS)
def test_tet_and_the_leap_month_match_the_reference(year):
    tet, leap, leap_start, after_leap = VIETNAM[year]
    assert lunar.tet(year) == d(tet)
    assert lunar.to_lunar(d(tet)) == lunar.LunarDate(1, 1, year, False)
    assert lunar.to_solar(1, 1, year) == d(tet)
    assert (lunar.leap_month(year) or 0) == leap


@pytest.mark.parametrize("year", [y for y, row in VIETNAM.items() if row[1]])
def test_leap_month_boundaries_match_the_reference(year):
    _tet, leap, leap_start, after_leap = VIETNAM[year]
    first, after = d(leap_start), d(after_leap)
    last = after - dt.timedelta(days=1)
    assert lunar.to_lunar(first) == lunar.LunarDate(1, leap, year, True)
    assert lunar.to_lunar(first - dt.timedelta(days=1)).leap is False
    assert lunar.to_lunar(first - dt.timedelta(days=1)).month == leap
    assert lunar.to_lunar(last).leap is True
    assert lunar.to_lunar(last).day == (after - first).days
    following = lunar.to_lunar(after)
    assert (following.day, following.leap) == (1, False)
    assert following.month == leap % 12 + 1
    assert lunar.to_solar(1, leap, year, leap=True) == first
    assert lunar.to_solar((after - first).days, leap, year, leap=True) == last


@pytest.mark.parametrize("year", sorted(CHINA))
def test_the_years_where_utc7_and_utc8_differ(year):
    vn_tet, vn_leap, *_ = VIETNAM[year]
    cn_tet, cn_leap = CHINA[year]
    assert (lunar.tet(year, lunar.CHINA_TZ), lunar.leap_month(year, lunar.CHINA_TZ) or 0) == (d(cn_tet), cn_leap)
    assert (d(vn_tet), vn_leap) != (d(cn_tet), cn_leap)


def test_no_other_year_differs_between_utc7_and_utc8_in_tet_or_leap_month():
    differing = {
        year for year in YEARS
        if (lunar.tet(year), lunar.leap_month(year))
        != (lunar.tet(year, lunar.CHINA_TZ), lunar.leap_month(year, lunar.CHINA_TZ))
    }
    assert differing == set(CHINA)


def test_tet_1985_and_2007_are_vietnamese_not_chinese():
    assert lunar.tet(1985) == dt.date(1985, 1, 21)
    assert lunar.tet(1985, lunar.CHINA_TZ) == dt.date(1985, 2, 20)
    assert lunar.tet(2007) == dt.date(2007, 2, 17)
    assert lunar.tet(2007, lunar.CHINA_TZ) == dt.date(2007, 2, 18)


def test_random_days_round_trip_across_the_range():
    rng = random.Random(20190709)
    span = (lunar.MAX_DATE - lunar.MIN_DATE).days
    for _ in range(4000):
        day = lunar.MIN_DATE + dt.timedelta(days=rng.randrange(span + 1))
        value = lunar.to_lunar(day)
        assert 1 <= value.day <= 30
        assert lunar.to_solar(value.day, value.month, value.year, value.leap) == day


def test_every_day_of_a_year_with_a_leap_month_round_trips_and_advances_by_one():
    day = dt.date(2020, 1, 1)
    previous = None
    while day.year == 2020:
        value = lunar.to_lunar(day)
        assert lunar.to_solar_lunar(value) == day
        if previous is not None and value.day != 1:
            assert (value.day, value.month, value.leap) == (previous.day + 1, previous.month, previous.leap)
        previous = value
        day += dt.timedelta(days=1)


def test_the_edges_of_the_range():
    assert lunar.to_lunar(dt.date(1900, 1, 1)) == lunar.LunarDate(1, 12, 1899, False)
    assert lunar.to_lunar(dt.date(1900, 1, 31)) == lunar.LunarDate(1, 1, 1900, False)
    assert lunar.to_solar(1, 12, 1899) == dt.date(1900, 1, 1)
    last = lunar.to_lunar(dt.date(2100, 12, 31))
    assert lunar.to_solar_lunar(last) == dt.date(2100, 12, 31)


def test_month_lengths_are_29_or_30_and_years_have_12_or_13_months():
    for year in YEARS:
        months = lunar.year_months(year)
        assert len(months) == (13 if VIETNAM[year][1] else 12)
        assert all(m.length in (29, 30) for m in months)
        assert [m.number for m in months if not m.leap] == list(range(1, 13))


def test_can_chi_of_known_days():
    assert lunar.describe(dt.date(1985, 1, 21))["year_can_chi"] == "Ất Sửu"
    tet_2024 = lunar.describe(dt.date(2024, 2, 10))
    assert (tet_2024["day_can_chi"], tet_2024["month_can_chi"], tet_2024["year_can_chi"]) == (
        "Giáp Thìn", "Bính Dần", "Giáp Thìn",
    )
    assert lunar.describe(dt.date(2019, 7, 27))["year_can_chi"] == "Kỷ Hợi"
    assert lunar.year_can_chi(1954) == "Giáp Ngọ"
    assert lunar.year_can_chi(1975) == "Ất Mão"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((30, 4, 2020, True), "chỉ có 29 ngày"),  # the leap 4th month of 2020 has 29 days
        ((15, 4, 2019, True), "không có tháng nhuận"),
        ((15, 5, 2020, True), "không có tháng 5 nhuận"),
        ((1, 13, 2020, False), "từ 1 đến 12"),
        ((0, 1, 2020, False), "chỉ có"),
        ((1, 1, 1850, False), "ngoài phạm vi"),
        ((1, 1, 2150, False), "ngoài phạm vi"),
        ((2, 12, 2100, False), "ngoài phạm vi"),  # 1/12/2100 is 31/12/2100; the 2nd is in 2101
    ],
)
def test_dates_that_do_not_exist_raise_a_clear_message(args, message):
    with pytest.raises(lunar.LunarError, match=message):
        lunar.to_solar(*args)


def test_a_30th_in_a_short_month_is_refused():
    short = next(m for m in lunar.year_months(2019) if m.length == 29)
    with pytest.raises(lunar.LunarError, match="29 ngày"):
        lunar.to_solar(30, short.number, 2019)


def test_solar_days_outside_the_range_are_refused():
    with pytest.raises(lunar.LunarError, match="ngoài phạm vi"):
        lunar.to_lunar(dt.date(1899, 12, 31))
    with pytest.raises(lunar.LunarError, match="ngoài phạm vi"):
        lunar.to_lunar(dt.date(2101, 1, 1))


def test_month_labels():
    assert lunar.month_label(1) == "tháng Giêng"
    assert lunar.month_label(12) == "tháng Chạp"
    assert lunar.month_label(4, leap=True) == "tháng 4 nhuận"
