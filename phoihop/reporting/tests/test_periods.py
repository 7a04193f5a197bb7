"""Reporting periods: the Decree 09 windows (15th → 14th) at their boundaries, the calendar
convention, labels, bad codes, and the Period rows created from them."""

import datetime as dt

import pytest

from phoihop.reporting import periods, services
from phoihop.reporting.models import Period

D = dt.date


@pytest.mark.parametrize(("code", "start", "end"), [
    ("2019-01", D(2018, 12, 15), D(2019, 1, 14)),
    ("2019-02", D(2019, 1, 15), D(2019, 2, 14)),
    ("2019-03", D(2019, 2, 15), D(2019, 3, 14)),
    ("2019-07", D(2019, 6, 15), D(2019, 7, 14)),
    ("2019-12", D(2019, 11, 15), D(2019, 12, 14)),
    ("2019-Q1", D(2018, 12, 15), D(2019, 3, 14)),
    ("2019-Q2", D(2019, 3, 15), D(2019, 6, 14)),
    ("2019-Q3", D(2019, 6, 15), D(2019, 9, 14)),
    ("2019-Q4", D(2019, 9, 15), D(2019, 12, 14)),
    ("2019-H1", D(2018, 12, 15), D(2019, 6, 14)),
    ("2019-9M", D(2018, 12, 15), D(2019, 9, 14)),
    ("2019", D(2018, 12, 15), D(2019, 12, 14)),
])
def test_decree_09_windows_run_from_the_15th_to_the_14th(code, start, end):
    window = periods.parse(code)
    assert (window.start, window.end) == (start, end)


@pytest.mark.parametrize(("code", "start", "end"), [
    ("2019-01", D(2019, 1, 1), D(2019, 1, 31)),
    ("2019-02", D(2019, 2, 1), D(2019, 2, 28)),
    ("2020-02", D(2020, 2, 1), D(2020, 2, 29)),
    ("2019-04", D(2019, 4, 1), D(2019, 4, 30)),
    ("2019-Q1", D(2019, 1, 1), D(2019, 3, 31)),
    ("2019-Q2", D(2019, 4, 1), D(2019, 6, 30)),
    ("2019-Q4", D(2019, 10, 1), D(2019, 12, 31)),
    ("2019-H1", D(2019, 1, 1), D(2019, 6, 30)),
    ("2019-9M", D(2019, 1, 1), D(2019, 9, 30)),
    ("2019", D(2019, 1, 1), D(2019, 12, 31)),
])
def test_calendar_windows_follow_the_calendar(code, start, end):
    window = periods.parse(code, periods.CALENDAR)
    assert (window.start, window.end) == (start, end)


def _month_containing(day: dt.date) -> str:
    """The Decree 09 month whose window holds `day`, found by trying the neighbours."""
    for code in periods.months_between(day - dt.timedelta(days=31), day + dt.timedelta(days=31)):
        window = periods.parse(code)
        if window.start <= day <= window.end:
            return code
    raise AssertionError(day)


@pytest.mark.parametrize(("day", "code"), [
    (D(2019, 7, 14), "2019-07"),
    (D(2019, 7, 15), "2019-08"),
    (D(2018, 12, 14), "2018-12"),
    (D(2018, 12, 15), "2019-01"),
    (D(2019, 12, 31), "2020-01"),
    (D(2020, 2, 29), "2020-03"),
])
def test_the_14th_closes_a_month_and_the_15th_opens_the_next(day, code):
    assert _month_containing(day) == code


def test_consecutive_decree_09_months_neither_overlap_nor_leave_gaps():
    codes = periods.months_between(D(2018, 1, 1), D(2020, 12, 31))
    windows = [periods.parse(c) for c in codes]
    for before, after in zip(windows, windows[1:], strict=False):
        assert after.start - before.end == dt.timedelta(days=1)


def test_the_quarters_of_a_year_tile_the_year_window():
    quarters = [periods.parse(f"2019-Q{q}") for q in range(1, 5)]
    year = periods.parse("2019")
    assert quarters[0].start == year.start and quarters[-1].end == year.end
    assert sum((q.end - q.start).days + 1 for q in quarters) == (year.end - year.start).days + 1


@pytest.mark.parametrize(("code", "label"), [
    ("2019-07", "Tháng 7/2019"),
    ("2019-Q3", "Quý III/2019"),
    ("2019-H1", "6 tháng đầu năm 2019"),
    ("2019-9M", "9 tháng năm 2019"),
    ("2019", "Năm 2019"),
])
def test_periods_have_vietnamese_labels(code, label):
    assert periods.parse(code).label == label


def test_codes_are_read_case_insensitively_and_trimmed():
    assert periods.parse(" 2019-q3 ").code == "2019-Q3"
    assert periods.parse("2019-9m").type == periods.NINE_MONTHS


@pytest.mark.parametrize("code", ["2019-13", "2019-00", "2019-7", "2019-Q5", "2019-Q0", "2019-H2", "19-07", "1800", "abc", "", None, "2019/07"])
def test_a_bad_period_code_is_refused_with_a_vietnamese_message(code):
    with pytest.raises(periods.PeriodCodeError) as excinfo:
        periods.parse(code)
    message = str(excinfo.value)
    assert "không hợp lệ" in message
    assert "2019-07 (tháng)" in message


def test_months_between_includes_both_ends_across_a_year_end():
    assert periods.months_between(D(2018, 11, 30), D(2019, 2, 1)) == ["2018-11", "2018-12", "2019-01", "2019-02"]
    assert periods.months_between(D(2019, 3, 1), D(2019, 2, 1)) == []


def test_a_monthly_report_is_due_on_the_18th():
    assert periods.default_deadline(periods.parse("2019-07")) == D(2019, 7, 18)


@pytest.mark.django_db
def test_get_period_creates_the_row_once_from_the_window():
    first = services.get_period("2019-q1")
    again = services.get_period("2019-Q1")
    assert first.pk == again.pk
    assert (first.type, first.year, first.start, first.end) == ("quarter", 2019, D(2018, 12, 15), D(2019, 3, 14))
    assert first.deadline == D(2019, 3, 18)
    assert first.closes_on == D(2019, 3, 18) + dt.timedelta(days=services.ENTRY_GRACE_DAYS)
    calendar = services.get_period("2019-Q1", periods.CALENDAR)
    assert calendar.pk != first.pk and calendar.start == D(2019, 1, 1)
    assert Period.objects.count() == 2


@pytest.mark.django_db
def test_get_period_refuses_a_bad_code():
    with pytest.raises(periods.PeriodCodeError):
        services.get_period("2019-Q7")
    assert not Period.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "previous"), [
    ("2019-01", "2018-12"), ("2019-07", "2019-06"), ("2019-Q1", "2018-Q4"), ("2019-Q3", "2019-Q2"),
    ("2019-H1", "2018-H1"), ("2019-9M", "2018-9M"), ("2019", "2018"),
])
def test_the_previous_period_is_the_one_of_the_same_type_just_before(code, previous):
    assert services.previous_period(services.get_period(code)).code == previous


@pytest.mark.django_db
def test_a_period_is_closed_the_day_after_closes_on():
    period = services.get_period("2019-07")
    assert not period.is_closed(period.closes_on)
    assert period.is_closed(period.closes_on + dt.timedelta(days=1))
