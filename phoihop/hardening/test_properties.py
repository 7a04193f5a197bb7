"""Issue 8, point 2: hypothesis property tests of the aggregation rules and the lunar calendar.

Aggregation properties run the real `aggregation.results` on the test database; each example
writes its own program, organisations, periods and values inside a savepoint that is rolled back
afterwards, so examples never see each other's data. Bounded for `make test`
(PHOIHOP_PROPERTY_EXAMPLES, default 25); docs/hardening.md has the long run.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
from decimal import Decimal

import pytest
from django.db import transaction

pytest.importorskip("hypothesis")  # the `test` extra (see docs/hardening.md)

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from phoihop import factories as f  # noqa: E402
from phoihop.almanac import lunar  # noqa: E402

EXAMPLES = int(os.environ.get("PHOIHOP_PROPERTY_EXAMPLES", "25"))
DB_SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                       suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PURE_SETTINGS = settings(max_examples=max(EXAMPLES * 8, 200), deadline=None, derandomize=True, database=None)

WINDOW = (dt.date(2019, 1, 1), dt.date(2019, 12, 31))
MONTHS = [f"2019-{m:02d}" for m in range(1, 13)]
SUM, NUMERATOR, DENOMINATOR, RATIO = "recruit_called", "recruit_enlisted", "recruit_quota", "recruit_quota_pct"

amounts = st.integers(min_value=0, max_value=10_000)
# {org index: {month: value}} for two or three organisations.
org_values = st.lists(st.dictionaries(st.sampled_from(MONTHS), amounts, max_size=3), min_size=2, max_size=3)


class Scenario:
    """A fresh program with n parties, rolled back when the example ends."""

    counter = itertools.count()

    def __init__(self, n_orgs: int):
        from phoihop.programs.models import ContentArea, ProgramStatus

        n = next(self.counter)
        self.program = f.ProgramFactory(code=f"ct-prop-{n}", start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31),
                                        status=ProgramStatus.SIGNED)
        self.program.content_areas.set(ContentArea.objects.filter(code="recruitment"))
        self.orgs = [f.OrganizationFactory(name=f"Tổ chức thử {n}-{i}") for i in range(n_orgs)]
        for i, org in enumerate(self.orgs):
            f.PartyFactory(program=self.program, organization=org, role="lead" if i == 0 else "member", order=i)

    def put(self, org, indicator: str, month: str, value, approved: bool = True) -> None:
        from phoihop.reporting import services
        from phoihop.reporting.models import DataValue, Indicator, Submission, SubmissionStatus

        period = services.get_period(month)
        DataValue.objects.update_or_create(organization=org, indicator=Indicator.objects.get(code=indicator), period=period,
                                           option=None, defaults={"value": Decimal(value)})
        submission, _created = Submission.objects.get_or_create(organization=org, period=period)
        if approved and submission.status != SubmissionStatus.APPROVED:
            Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.APPROVED)

    def activity(self, value: int, lead, co: list, day: dt.date):
        from phoihop.programs.models import ContentArea
        from phoihop.reporting.models import Activity, ActivityValue, Indicator

        activity = Activity.objects.create(title="Hoạt động chung", content_area=ContentArea.objects.get(code="recruitment"),
                                           lead_organization=lead, program=self.program, start_date=day, end_date=day)
        activity.co_organizers.set(co)
        ActivityValue.objects.create(activity=activity, indicator=Indicator.objects.get(code=SUM), value=Decimal(value))
        return activity

    def figures(self, indicator: str, include_unapproved: bool = False) -> tuple[dict, Decimal | None]:
        from phoihop.results import aggregation

        rows = [r for r in aggregation.results([], *WINDOW, include_unapproved=include_unapproved, programs=[self.program])
                if r.indicator == indicator]
        per_org = {r.organization: r.value for r in rows if r.organization is not None}
        total = next(r.value for r in rows if r.organization is None)
        return per_org, total


def rolled_back(test):
    """Run one example inside a savepoint that is always rolled back."""
    def run(*args, **kwargs):
        with transaction.atomic():
            try:
                test(*args, **kwargs)
            finally:
                transaction.set_rollback(True)
    return run


def _fill(scenario: Scenario, values: list[dict], indicator: str = SUM) -> None:
    for org, months in zip(scenario.orgs, values, strict=False):
        for month, value in months.items():
            scenario.put(org, indicator, month, value)


# ---------------------------------------------------------------- aggregation

@pytest.mark.django_db
@DB_SETTINGS
@given(values=org_values)
@rolled_back
def test_the_total_of_a_sum_indicator_is_the_sum_over_organisations(values):
    scenario = Scenario(len(values))
    _fill(scenario, values)
    per_org, total = scenario.figures(SUM)
    expected = [sum(months.values()) if months else None for months in values]
    assert [per_org[o.pk] for o in scenario.orgs] == [None if e is None else Decimal(e) for e in expected]
    reported = [e for e in expected if e is not None]
    assert total == (Decimal(sum(reported)) if reported else None)


@pytest.mark.django_db
@DB_SETTINGS
@given(values=org_values, amount=st.integers(min_value=1, max_value=5_000), data=st.data())
@rolled_back
def test_a_joint_activity_counts_once_in_the_total_and_fully_for_each_organisation(values, amount, data):
    scenario = Scenario(len(values))
    _fill(scenario, values)
    before_orgs, before_total = scenario.figures(SUM)
    credited = data.draw(st.lists(st.sampled_from(scenario.orgs), min_size=1, max_size=len(scenario.orgs), unique=True))
    lead, co = credited[0], credited[1:]
    scenario.activity(amount, lead, co, dt.date(2019, 6, 1))
    scenario.put(lead, NUMERATOR, "2019-06", 0)  # the lead's June report (approved) makes the activity count
    after_orgs, after_total = scenario.figures(SUM)
    assert after_total == (before_total or 0) + amount
    for org in scenario.orgs:
        expected = (before_orgs[org.pk] or 0) + amount if org in credited else before_orgs[org.pk]
        assert after_orgs[org.pk] == expected, org


@pytest.mark.django_db
@DB_SETTINGS
@given(pairs=st.lists(st.tuples(st.integers(0, 5_000), st.integers(1, 5_000)), min_size=2, max_size=3))
@rolled_back
def test_a_ratio_total_is_the_sum_of_numerators_over_the_sum_of_denominators(pairs):
    scenario = Scenario(len(pairs))
    for org, (numerator, denominator) in zip(scenario.orgs, pairs, strict=True):
        scenario.put(org, NUMERATOR, "2019-05", numerator)
        scenario.put(org, DENOMINATOR, "2019-05", denominator)
    per_org, total = scenario.figures(RATIO)
    expected = (Decimal(sum(n for n, _d in pairs)) / Decimal(sum(d for _n, d in pairs)) * 100).quantize(Decimal("0.01"))
    assert total == expected
    for org, (numerator, denominator) in zip(scenario.orgs, pairs, strict=True):
        assert per_org[org.pk] == (Decimal(numerator) / Decimal(denominator) * 100).quantize(Decimal("0.01"))


@pytest.mark.django_db
@DB_SETTINGS
@given(values=org_values, data=st.data())
@rolled_back
def test_approved_only_figures_never_exceed_the_draft_for_non_negative_sums(values, data):
    from phoihop.reporting.models import Submission, SubmissionStatus

    scenario = Scenario(len(values))
    _fill(scenario, values)
    submissions = list(Submission.objects.filter(organization__in=scenario.orgs).order_by("pk"))
    if submissions:
        unapproved = data.draw(st.lists(st.sampled_from(submissions), unique=True))
        Submission.objects.filter(pk__in=[s.pk for s in unapproved]).update(status=SubmissionStatus.SUBMITTED)
    approved_orgs, approved_total = scenario.figures(SUM)
    draft_orgs, draft_total = scenario.figures(SUM, include_unapproved=True)
    assert (approved_total or 0) <= (draft_total or 0)
    for org in scenario.orgs:
        assert (approved_orgs[org.pk] or 0) <= (draft_orgs[org.pk] or 0)
    assert draft_total == (Decimal(sum(sum(m.values()) for m in values)) if any(values) else None)


@pytest.mark.django_db
@DB_SETTINGS
@given(values=org_values, order=st.randoms(use_true_random=False))
def test_figures_do_not_depend_on_the_order_values_were_entered(values, order):
    cells = [(i, month, value) for i, months in enumerate(values) for month, value in months.items()]
    shuffled = list(cells)
    order.shuffle(shuffled)
    outcomes = []
    for sequence in (cells, shuffled):
        with transaction.atomic():
            scenario = Scenario(len(values))
            for i, month, value in sequence:
                scenario.put(scenario.orgs[i], SUM, month, value)
            per_org, total = scenario.figures(SUM)
            outcomes.append(([per_org[o.pk] for o in scenario.orgs], total))
            transaction.set_rollback(True)
    assert outcomes[0] == outcomes[1]


# ---------------------------------------------------------------- lunar calendar

solar_days = st.dates(min_value=lunar.MIN_DATE, max_value=lunar.MAX_DATE)


@PURE_SETTINGS
@given(day=solar_days)
def test_solar_to_lunar_to_solar_is_the_identity(day):
    value = lunar.to_lunar(day)
    assert lunar.to_solar_lunar(value) == day


@PURE_SETTINGS
@given(day=solar_days)
def test_lunar_days_and_months_are_in_bounds(day):
    value = lunar.to_lunar(day)
    month = lunar.month_of(day)
    assert 1 <= value.month <= 12
    assert month.length in (29, 30)
    assert 1 <= value.day <= month.length
    assert value.year in (day.year - 1, day.year)
    if day < lunar.MAX_DATE:  # the next day is the next lunar day, or day 1 of the next month
        following = lunar.to_lunar(day + dt.timedelta(days=1))
        assert following.day == value.day + 1 or (following.day == 1 and value.day == month.length)


@PURE_SETTINGS
@given(year=st.integers(min_value=lunar.MIN_YEAR, max_value=lunar.MAX_YEAR - 1), data=st.data())
def test_lunar_to_solar_to_lunar_is_the_identity(year, data):
    months = lunar.year_months(year)
    month = data.draw(st.sampled_from(months))
    day = data.draw(st.integers(min_value=1, max_value=month.length))
    solar = lunar.to_solar(day, month.number, year, month.leap)
    assert lunar.to_lunar(solar) == lunar.LunarDate(day, month.number, year, month.leap)


@PURE_SETTINGS
@given(year=st.integers(min_value=lunar.MIN_YEAR, max_value=lunar.MAX_YEAR - 1))
def test_a_lunar_year_has_twelve_months_and_at_most_one_leap_month_after_its_namesake(year):
    months = lunar.year_months(year)
    leap = [m for m in months if m.leap]
    assert len(months) == 12 + len(leap) and len(leap) <= 1
    assert [m.number for m in months if not m.leap] == list(range(1, 13))
    for previous, current in itertools.pairwise(months):
        assert current.start == previous.start + previous.length  # months follow each other without gaps
    if leap:
        index = months.index(leap[0])
        assert months[index - 1].number == leap[0].number and not months[index - 1].leap
        assert lunar.leap_month(year) == leap[0].number
        with pytest.raises(lunar.LunarError):
            lunar.to_solar(1, (leap[0].number % 12) + 1, year, leap=True)
    else:
        assert lunar.leap_month(year) is None
    assert 354 - 1 <= sum(m.length for m in months) <= 385
    assert dt.date(year, 1, 21) <= lunar.tet(year) <= dt.date(year, 2, 20)


@PURE_SETTINGS
@given(year=st.integers(min_value=lunar.MIN_YEAR, max_value=lunar.MAX_YEAR - 1),
       month=st.integers(min_value=1, max_value=12))
def test_a_day_that_does_not_exist_is_refused_in_vietnamese(year, month):
    length = lunar.lunar_month(year, month).length
    if length == 29:
        with pytest.raises(lunar.LunarError, match="chỉ có 29 ngày"):
            lunar.to_solar(30, month, year)
    with pytest.raises(lunar.LunarError):
        lunar.to_solar(31, month, year)
    with pytest.raises(lunar.LunarError):
        lunar.to_solar(0, month, year)
