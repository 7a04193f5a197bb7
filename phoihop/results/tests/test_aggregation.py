"""aggregation.py against hand-computed figures: one test per rule (docs/aggregation.md)."""

import datetime as dt
from decimal import Decimal

import pytest

from phoihop import factories as f
from phoihop.programs.models import ContentArea
from phoihop.reporting import credits, periods, services
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    DataValue,
    Indicator,
    Submission,
    Target,
)
from phoihop.results import aggregation, rollup

D = dt.date
AREAS = ["humanitarian_charity", "recruitment", "socio_economic", "propaganda"]
YEAR_2019 = (D(2018, 12, 15), D(2019, 12, 14))  # the Decree 09 year 2019


def dec(x) -> Decimal:
    return Decimal(str(x)).quantize(Decimal("0.01"))


def report(org, code, values, status="approved", convention=periods.DECREE_09):
    """`org` reports `values` ({indicator code: number or {option code: number}}) for `code`."""
    period = services.get_period(code, convention)
    Submission.objects.update_or_create(organization=org, period=period, defaults={"status": status})
    for ind_code, value in values.items():
        indicator = Indicator.objects.get(code=ind_code)
        cells = value.items() if isinstance(value, dict) else [(None, value)]
        for option_code, number in cells:
            option = indicator.disaggregation.options.get(code=option_code) if option_code else None
            DataValue.objects.create(organization=org, indicator=indicator, period=period, option=option, value=dec(number))
    return period


def activity(lead, end, values, co=(), program=None, status="done", title="Hoạt động thử"):
    act = Activity.objects.create(
        title=title, content_area=ContentArea.objects.get(code="humanitarian_charity"), lead_organization=lead,
        program=program, status=status, start_date=end, end_date=end,
    )
    act.co_organizers.set(co)
    for code, number in values.items():
        ActivityValue.objects.create(activity=act, indicator=Indicator.objects.get(code=code), value=dec(number))
    return act


def figures(rows, indicator, *orgs) -> tuple:
    """The figures of `orgs` for `indicator`, in that order, then the total."""
    return (*(cell(rows, indicator, org) for org in orgs), cell(rows, indicator))


def cell(rows, indicator, org=None, field="value", year=None):
    """One figure of `results()` rows: the total when `org` is None."""
    org_id = org.pk if org is not None else None
    found = [r for r in rows if r.indicator == indicator and r.organization == org_id and r.year == year]
    assert len(found) == 1, (indicator, org_id, year, len(found))
    return getattr(found[0], field)


@pytest.fixture
def org_c(db):
    return f.OrganizationFactory(name="Hội Chữ thập đỏ thành phố Thử", short_name="Hội CTĐ")


@pytest.fixture
def program(org_a, org_b, org_c):
    program = f.ProgramFactory(code="ct-tong-hop", start=D(2019, 1, 1), end=D(2020, 12, 31))
    for order, org in enumerate((org_a, org_b, org_c)):
        f.PartyFactory(program=program, organization=org, order=order)
    program.content_areas.set(ContentArea.objects.filter(code__in=AREAS))
    return program


def run(program, date_from=YEAR_2019[0], date_to=YEAR_2019[1], **kwargs):
    return aggregation.results([program.code], date_from, date_to, **kwargs)


# ------------------------------------------------------------------ sum, and nobody reporting

def test_sum_adds_the_months_per_organisation_and_the_organisations_in_the_total(program, org_a, org_b, org_c):
    report(org_a, "2019-01", {"blood_units": 10})
    report(org_a, "2019-02", {"blood_units": 15})
    report(org_b, "2019-02", {"blood_units": 7})
    rows = run(program)
    assert figures(rows, "blood_units", org_a, org_b) == (dec(25), dec(7), dec(32))


def test_an_organisation_that_reported_nothing_has_none_not_zero(program, org_a, org_c):
    report(org_a, "2019-01", {"blood_units": 10})
    rows = run(program)
    assert cell(rows, "blood_units", org_c) is None
    assert cell(rows, "members_total", org_a) is None


def test_a_reported_zero_stays_zero(program, org_a):
    report(org_a, "2019-01", {"blood_units": 0})
    rows = run(program)
    assert cell(rows, "blood_units", org_a) == dec(0)
    assert cell(rows, "blood_units") == dec(0)


def test_a_program_whose_parties_did_not_report_gives_empty_figures(program):
    rows = run(program)
    assert rows, "every indicator still has its rows"
    assert all(r.value is None and r.previous_value is None and r.joint_value is None for r in rows)


def test_a_program_without_parties_gives_only_empty_totals(db):
    lonely = f.ProgramFactory(code="ct-khong-ben")
    lonely.content_areas.set(ContentArea.objects.filter(code="recruitment"))
    rows = aggregation.results([lonely.code], *YEAR_2019)
    assert {r.organization for r in rows} == {None}
    assert all(r.value is None for r in rows)


def test_an_unknown_program_code_gives_no_rows(db):
    assert aggregation.results(["khong-co"], *YEAR_2019) == []


def test_disaggregated_values_are_added_up(program, org_a):
    report(org_a, "2019-03", {"propaganda_listeners": {"nam": 40, "nu": 60}})
    assert cell(run(program), "propaganda_listeners", org_a) == dec(100)


# ------------------------------------------------------------------ average, last, max

def test_average_is_the_mean_over_time_then_the_mean_of_the_organisations(program, org_a, org_b):
    report(org_a, "2019-01", {"volunteer_satisfaction": 80})
    report(org_a, "2019-02", {"volunteer_satisfaction": 90})
    report(org_b, "2019-01", {"volunteer_satisfaction": 70})
    rows = run(program)
    # the mean of the organisations (85 + 70) / 2, not of the three reports (80 + 90 + 70) / 3
    assert figures(rows, "volunteer_satisfaction", org_a, org_b) == (dec(85), dec(70), dec("77.5"))


def test_average_keeps_two_decimals(program, org_a):
    for code, value in (("2019-01", 1), ("2019-02", 1), ("2019-03", 2)):
        report(org_a, code, {"volunteer_satisfaction": value})
    assert cell(run(program), "volunteer_satisfaction", org_a) == dec("1.33")


def test_last_takes_the_latest_period_and_adds_the_organisations(program, org_a, org_b, org_c):
    report(org_a, "2019-01", {"members_total": 100})
    report(org_a, "2019-02", {"members_total": 120})
    report(org_b, "2019-Q1", {"members_total": 50})
    rows = run(program)
    assert figures(rows, "members_total", org_a, org_b, org_c) == (dec(120), dec(50), None, dec(170))


def test_last_prefers_a_later_period_of_another_type(program, org_a):
    report(org_a, "2019-01", {"members_total": 100})
    report(org_a, "2019-02", {"members_total": 120})
    report(org_a, "2019-H1", {"members_total": 130})
    assert cell(run(program), "members_total", org_a) == dec(130)


def test_last_adds_the_options_of_the_latest_period(program, org_a):
    indicator = Indicator.objects.get(code="members_total")
    indicator.disaggregation = Indicator.objects.get(code="propaganda_listeners").disaggregation
    indicator.save()
    report(org_a, "2019-01", {"members_total": {"nam": 10, "nu": 20}})
    report(org_a, "2019-02", {"members_total": {"nam": 11, "nu": 25}})
    assert cell(run(program), "members_total", org_a) == dec(36)


@pytest.fixture
def peak(program):
    """A max indicator split by sex (the catalogue has none)."""
    return Indicator.objects.create(
        code="peak_volunteers", name="Số tình nguyện viên cao nhất trong một kỳ", unit="người",
        content_area=ContentArea.objects.get(code="humanitarian_charity"), aggregation="max",
        disaggregation=Indicator.objects.get(code="propaganda_listeners").disaggregation,
    )


def test_max_takes_the_largest_period_total_not_the_largest_cell(peak, program, org_a, org_b):
    report(org_a, "2019-01", {"peak_volunteers": {"nam": 3, "nu": 4}})  # 7
    report(org_a, "2019-02", {"peak_volunteers": {"nam": 6, "nu": 0}})  # 6
    report(org_b, "2019-01", {"peak_volunteers": {"nam": 5}})
    rows = run(program)
    assert figures(rows, "peak_volunteers", org_a, org_b) == (dec(7), dec(5), dec(7))


# ------------------------------------------------------------------ ratio

def test_a_ratio_divides_the_aggregated_parts_never_averages_ratios(program, org_a, org_b):
    report(org_a, "2019-03", {"recruit_enlisted": 9, "recruit_quota": 10})
    report(org_b, "2019-03", {"recruit_enlisted": 1, "recruit_quota": 10})
    rows = run(program)
    # the total: 10 / 20, and here also the mean by chance
    assert figures(rows, "recruit_quota_pct", org_a, org_b) == (dec(90), dec(10), dec(50))


def test_a_ratio_weighs_organisations_by_their_denominators(program, org_a, org_b):
    report(org_a, "2019-03", {"recruit_enlisted": 9, "recruit_quota": 10})
    report(org_b, "2019-03", {"recruit_enlisted": 10, "recruit_quota": 40})
    rows = run(program)
    assert cell(rows, "recruit_quota_pct", org_b) == dec(25)
    # 19 / 50 = 38 %, not the mean of 90 % and 25 % (57,5 %)
    assert cell(rows, "recruit_quota_pct") == dec(38)


def test_a_ratio_over_time_divides_the_sums(program, org_a):
    report(org_a, "2019-02", {"recruit_enlisted": 1, "recruit_quota": 1})
    report(org_a, "2019-03", {"recruit_enlisted": 2, "recruit_quota": 9})
    assert cell(run(program), "recruit_quota_pct", org_a) == dec(30)


def test_a_ratio_without_denominator_or_with_a_zero_one_is_none(program, org_a, org_b):
    report(org_a, "2019-03", {"recruit_enlisted": 5})
    report(org_b, "2019-03", {"recruit_enlisted": 0, "recruit_quota": 0})
    rows = run(program)
    assert figures(rows, "recruit_quota_pct", org_a, org_b) == (None, None, None)


# ------------------------------------------------------------------ joint activities

@pytest.fixture
def approved_march(org_a, org_b, org_c):
    for org in (org_a, org_b, org_c):
        report(org, "2019-03", {})


def test_a_joint_activity_counts_for_each_organisation_and_once_in_the_total(program, org_a, org_b, org_c, approved_march):
    report(org_a, "2019-03", {"blood_units": 10})
    report(org_b, "2019-03", {"blood_units": 20})
    activity(org_a, D(2019, 3, 1), {"blood_units": 100}, co=[org_b, org_c], program=program, title="Ngày hội hiến máu")
    rows = run(program)
    # the total: 10 + 20 + 100, not 10 + 20 + 3 × 100
    assert figures(rows, "blood_units", org_a, org_b, org_c) == (dec(110), dec(120), dec(100), dec(130))
    for org in (org_a, org_b, org_c, None):
        assert cell(rows, "blood_units", org, "joint_value") == dec(100)


def test_an_activity_run_alone_is_credited_but_not_joint(program, org_a, org_b, org_c, approved_march):
    activity(org_a, D(2019, 3, 1), {"blood_units": 100}, co=[org_b, org_c], program=program)
    activity(org_b, D(2019, 3, 2), {"blood_units": 5}, program=program)
    rows = run(program)
    assert cell(rows, "blood_units", org_b) == dec(105)
    assert cell(rows, "blood_units", org_b, "joint_value") == dec(100)
    assert cell(rows, "blood_units") == dec(105)
    assert cell(rows, "blood_units", None, "joint_value") == dec(100)
    assert cell(rows, "blood_units", org_a, "joint_value") == dec(100)


def test_a_lead_listed_again_as_co_organiser_is_credited_once(program, org_a, org_b, approved_march):
    activity(org_a, D(2019, 3, 1), {"blood_units": 100}, co=[org_a, org_b], program=program)
    rows = run(program)
    assert cell(rows, "blood_units", org_a) == dec(100)
    assert cell(rows, "blood_units") == dec(100)


def test_activities_of_another_program_planned_or_cancelled_do_not_count(program, org_a, org_b, approved_march):
    other = f.ProgramFactory(code="ct-khac")
    activity(org_a, D(2019, 3, 1), {"blood_units": 100}, co=[org_b], program=other)
    activity(org_a, D(2019, 3, 1), {"blood_units": 200}, co=[org_b], program=program, status="cancelled")
    activity(org_a, D(2019, 3, 1), {"blood_units": 300}, co=[org_b], program=program, status="planned")
    activity(org_a, D(2019, 3, 1), {"blood_units": 4}, co=[org_b])  # no program: counts
    rows = run(program)
    assert cell(rows, "blood_units", org_a) == dec(4)
    assert cell(rows, "blood_units") == dec(4)


def test_an_activity_counts_in_the_window_of_its_end_date(program, org_a, org_b, approved_march):
    report(org_a, "2019-04", {})
    activity(org_a, D(2019, 3, 14), {"blood_units": 1}, co=[org_b], program=program)
    activity(org_a, D(2019, 3, 15), {"blood_units": 20}, co=[org_b], program=program)
    rows = run(program, D(2019, 2, 15), D(2019, 3, 14))
    assert cell(rows, "blood_units") == dec(1)


def test_an_activity_figure_of_zero_is_a_figure(program, org_a, org_b, approved_march):
    activity(org_a, D(2019, 3, 1), {"blood_units": 0}, co=[org_b], program=program)
    rows = run(program)
    assert cell(rows, "blood_units", org_b) == dec(0)
    assert cell(rows, "blood_units") == dec(0)


def test_activity_figures_do_not_feed_non_sum_indicators(program, org_a, org_b, approved_march):
    activity(org_a, D(2019, 3, 1), {"volunteer_satisfaction": 99}, co=[org_b], program=program)
    rows = run(program)
    assert cell(rows, "volunteer_satisfaction", org_a) is None
    assert cell(rows, "volunteer_satisfaction") is None


def test_joint_figures_count_in_ratios_once(program, org_a, org_b, approved_march):
    report(org_a, "2019-03", {"recruit_quota": 10})
    report(org_b, "2019-03", {"recruit_quota": 10})
    activity(org_a, D(2019, 3, 1), {"recruit_enlisted": 10}, co=[org_b], program=program)
    rows = run(program)
    assert cell(rows, "recruit_quota_pct", org_a) == dec(100)
    assert cell(rows, "recruit_quota_pct") == dec(50)


def test_joint_values_for_an_organisation_and_a_period(program, org_a, org_b, org_c):
    activity(org_a, D(2019, 3, 1), {"blood_units": 100}, co=[org_b, org_c], program=program)
    activity(org_b, D(2019, 3, 2), {"blood_units": 5})
    activity(org_b, D(2019, 3, 20), {"blood_units": 1000}, co=[org_a])  # next month
    blood = Indicator.objects.get(code="blood_units").pk
    march = services.get_period("2019-03")
    assert credits.joint_values_for(org_b, march) == {blood: dec(105)}  # drafts included
    assert credits.joint_values_for(org_c, march) == {blood: dec(100)}
    assert credits.joint_values_for(f.OrganizationFactory(), march) == {}


# ------------------------------------------------------------------ which periods count

def test_periods_of_different_length_count_once_each(program, org_a, org_b, org_c):
    for code in ("2019-01", "2019-02", "2019-03"):
        report(org_a, code, {"blood_units": 10})
    report(org_a, "2019-Q1", {"blood_units": 30})  # the same quarter again: must not add
    report(org_b, "2019-Q1", {"blood_units": 25})
    report(org_c, "2019", {"blood_units": 12})
    rows = run(program)
    assert figures(rows, "blood_units", org_a, org_b, org_c) == (dec(30), dec(25), dec(12), dec(67))


def test_a_period_counts_when_its_window_ends_inside(program, org_a):
    report(org_a, "2019-01", {"blood_units": 1})  # 15/12/2018 – 14/01/2019
    report(org_a, "2019-02", {"blood_units": 10})  # 15/01 – 14/02/2019
    report(org_a, "2019-03", {"blood_units": 100})  # 15/02 – 14/03/2019
    assert cell(run(program, D(2019, 1, 14), D(2019, 1, 14)), "blood_units") == dec(1)
    assert cell(run(program, D(2019, 1, 15), D(2019, 3, 13)), "blood_units") == dec(10)
    assert cell(run(program, D(2019, 1, 15), D(2019, 3, 14)), "blood_units") == dec(110)
    assert cell(run(program, D(2019, 1, 1), D(2019, 12, 31)), "blood_units") == dec(111)
    assert cell(run(program, D(2019, 3, 15), D(2019, 12, 31)), "blood_units") is None


def test_the_calendar_convention_uses_calendar_months(program, org_a):
    report(org_a, "2019-01", {"blood_units": 1}, convention=periods.CALENDAR)  # ends 31/01
    report(org_a, "2019-02", {"blood_units": 10}, convention=periods.CALENDAR)  # ends 28/02
    assert cell(run(program, D(2019, 1, 1), D(2019, 1, 31)), "blood_units") == dec(1)
    assert cell(run(program, D(2019, 1, 15), D(2019, 2, 28)), "blood_units") == dec(11)


# ------------------------------------------------------------------ approval

def test_only_approved_reports_count_unless_asked_for_drafts(program, org_a, org_b, approved_march):
    report(org_a, "2019-01", {"blood_units": 10})
    report(org_a, "2019-02", {"blood_units": 20}, status="submitted")
    report(org_a, "2019-04", {"blood_units": 30}, status="returned")
    report(org_a, "2019-05", {"blood_units": 40}, status="draft")
    period = services.get_period("2019-06")
    DataValue.objects.create(organization=org_b, indicator=Indicator.objects.get(code="blood_units"), period=period, value=5)
    approved = run(program)
    assert cell(approved, "blood_units", org_a) == dec(10)
    assert cell(approved, "blood_units", org_b) is None
    assert cell(approved, "blood_units") == dec(10)
    draft = run(program, include_unapproved=True)
    assert cell(draft, "blood_units", org_a) == dec(100)
    assert cell(draft, "blood_units", org_b) == dec(5)
    assert cell(draft, "blood_units") == dec(105)


def test_an_activity_counts_once_the_leads_report_for_its_date_is_approved(program, org_a, org_b):
    report(org_a, "2019-03", {}, status="submitted")
    report(org_b, "2019-03", {})
    activity(org_a, D(2019, 3, 1), {"blood_units": 100}, co=[org_b], program=program)
    assert cell(run(program), "blood_units", org_b) is None
    assert cell(run(program, include_unapproved=True), "blood_units", org_b) == dec(100)
    Submission.objects.filter(organization=org_a).update(status="approved")
    assert cell(run(program), "blood_units", org_b) == dec(100)


def test_an_approved_quarterly_report_also_approves_its_activities(program, org_a, org_b):
    report(org_a, "2019-Q1", {})
    activity(org_a, D(2019, 3, 1), {"blood_units": 100}, co=[org_b], program=program)
    assert cell(run(program), "blood_units") == dec(100)


# ------------------------------------------------------------------ targets

@pytest.fixture
def targets(program, org_a, org_b):
    blood = Indicator.objects.get(code="blood_units")
    members = Indicator.objects.get(code="members_total")
    rows = [
        (org_a, blood, 2019, 100), (org_a, blood, 2020, 120), (org_a, blood, None, 250),
        (org_b, blood, 2019, 50), (org_b, blood, 2020, 50),
        (org_a, members, 2019, 500), (org_a, members, 2020, 550),
        (None, Indicator.objects.get(code="recruit_quota_pct"), None, 100),
        (None, Indicator.objects.get(code="recruit_enlisted"), 2019, 300),
    ]
    for org, indicator, year, value in rows:
        Target.objects.create(program=program, organization=org, indicator=indicator, year=year, value=value)


def test_yearly_targets_of_the_window_years_are_added_pro_rata_by_days(program, targets, org_a, org_b):
    # 01/06/2019 – 30/06/2020: 214 of the 365 days of 2019, 182 of the 366 days of 2020.
    program.period_convention = periods.CALENDAR
    program.save()
    rows = run(program, D(2019, 6, 1), D(2020, 6, 30))
    assert cell(rows, "blood_units", org_a, "target") == dec("58.6") + dec("59.7")  # 100 × 214/365 + 120 × 182/366
    assert cell(rows, "blood_units", org_b, "target") == dec("29.3") + dec("24.9")
    assert cell(rows, "blood_units", None, "target") == dec("172.5")
    assert cell(rows, "members_total", org_a, "target") == dec(550)  # a stock: the latest year's, whole
    assert aggregation.target_shares(program, D(2019, 6, 1), D(2020, 6, 30)) == [(2019, 214, 365), (2020, 182, 366)]


def test_a_yearly_target_is_for_the_programs_part_of_its_year(program, targets, org_a):
    program.start = D(2019, 7, 1)  # the 2019 target covers July–December
    program.period_convention = periods.CALENDAR
    program.save()
    assert aggregation.target_shares(program, D(2019, 7, 1), D(2019, 12, 31)) == []
    program.period_convention = periods.DECREE_09  # the year 2019 is 15/12/2018 – 14/12/2019
    program.save()
    # The months counted end on 14/12/2019: the year 2019 whole, nothing of 2020's target.
    assert aggregation.counted_span(program, D(2019, 7, 1), D(2019, 12, 31)) == (D(2019, 6, 15), D(2019, 12, 14))
    assert aggregation.target_shares(program, D(2019, 7, 1), D(2019, 12, 31)) == []
    program.period_convention = periods.CALENDAR
    program.save()
    rows = run(program, D(2019, 7, 1), D(2019, 9, 30))
    assert cell(rows, "blood_units", org_a, "target") == dec("50.0")  # 100 × 92/184


def test_one_year_uses_that_years_target(program, targets, org_a):
    rows = run(program, D(2019, 1, 1), D(2019, 12, 31))
    assert cell(rows, "blood_units", org_a, "target") == dec(100)
    assert cell(rows, "blood_units", None, "target") == dec(150)


def test_the_phase_target_applies_when_the_window_covers_the_phase(program, targets, org_a, org_b):
    rows = run(program, D(2019, 1, 1), D(2020, 12, 31))
    assert cell(rows, "blood_units", org_a, "target") == dec(250)
    assert cell(rows, "blood_units", org_b, "target") == dec(100)  # no phase target: its years
    assert cell(rows, "blood_units", None, "target") == dec(350)
    assert cell(rows, "recruit_quota_pct", None, "target") == dec(100)
    assert cell(rows, "recruit_quota_pct", org_a, "target") is None


def test_a_stock_indicator_takes_the_latest_years_target(program, targets, org_a):
    rows = run(program, D(2019, 1, 1), D(2020, 12, 31))
    assert cell(rows, "members_total", org_a, "target") == dec(550)


def test_a_program_wide_target_replaces_the_sum_of_the_organisations(program, targets, org_a, org_b):
    Target.objects.create(program=program, organization=org_a, indicator=Indicator.objects.get(code="recruit_enlisted"), year=2019, value=200)
    rows = run(program, D(2019, 1, 1), D(2019, 12, 31))
    assert cell(rows, "recruit_enlisted", org_a, "target") == dec(200)
    assert cell(rows, "recruit_enlisted", None, "target") == dec(300)


def test_achieved_percentage_compares_value_and_target(program, targets, org_a, org_b):
    report(org_a, "2019-05", {"blood_units": 80})
    report(org_b, "2019-05", {"blood_units": 70})
    rows = run(program, D(2019, 1, 1), D(2019, 12, 31))
    assert cell(rows, "blood_units", org_a, "achieved_pct") == Decimal("80.0")
    assert cell(rows, "blood_units", org_b, "achieved_pct") == Decimal("140.0")
    assert cell(rows, "blood_units", None, "achieved_pct") == Decimal("100.0")
    assert cell(rows, "members_total", org_a, "achieved_pct") is None  # no value


def test_the_summed_total_target_needs_a_target_for_every_organisation_that_reported(program, targets, org_a, org_b, org_c):
    report(org_a, "2019-05", {"blood_units": 80})
    report(org_c, "2019-05", {"blood_units": 70})  # org_c has no target
    rows = run(program, D(2019, 1, 1), D(2019, 12, 31))
    assert cell(rows, "blood_units", org_a, "target") == dec(100)
    assert cell(rows, "blood_units", None, "target") is None
    assert cell(rows, "blood_units", None, "achieved_pct") is None


# ------------------------------------------------------------------ previous phase, by year

@pytest.fixture
def predecessor(program, org_a, org_b):
    before = f.ProgramFactory(code="ct-truoc", start=D(2016, 1, 1), end=D(2018, 12, 31))
    f.PartyFactory(program=before, organization=org_a)
    f.PartyFactory(program=before, organization=org_b)
    program.predecessors.set([before])
    return before


def test_the_previous_value_of_a_whole_phase_is_the_same_length_of_the_predecessors_phase(program, predecessor, org_a, org_b, org_c):
    # 2019–2020 against the first two years of 2016–2018 (moved back 2019 − 2016 = 3 years).
    report(org_a, "2017-05", {"blood_units": 40})
    report(org_b, "2017-03", {"blood_units": 5})
    report(org_a, "2018-05", {"blood_units": 1000})  # the predecessor's third year: not the same position
    report(org_a, "2019-05", {"blood_units": 50})
    activity(org_a, D(2017, 3, 1), {"blood_units": 7}, co=[org_b], program=predecessor)
    activity(org_a, D(2017, 3, 2), {"blood_units": 900}, co=[org_b], program=f.ProgramFactory(code="ct-la"))
    report(org_a, "2017-03", {})
    rows = run(program, D(2019, 1, 1), D(2020, 12, 31))
    assert cell(rows, "blood_units", org_a, "previous_value") == dec(47)
    assert cell(rows, "blood_units", org_b, "previous_value") == dec(12)
    assert cell(rows, "blood_units", org_c, "previous_value") is None
    assert cell(rows, "blood_units", None, "previous_value") == dec(52)
    assert cell(rows, "blood_units", org_a) == dec(50)


def test_the_previous_value_of_part_of_a_phase_is_the_same_months_of_the_predecessors_corresponding_year(program, predecessor, org_a):
    report(org_a, "2017-05", {"blood_units": 50})
    report(org_a, "2019-05", {"blood_units": 70})  # a year earlier, but the program's own phase
    report(org_a, "2020-05", {"blood_units": 60})
    report(org_a, "2017-08", {"blood_units": 1000})  # outside the moved window
    rows = run(program, D(2020, 1, 1), D(2020, 6, 30))
    assert cell(rows, "blood_units", org_a) == dec(60)
    assert cell(rows, "blood_units", org_a, "previous_value") == dec(50)


def test_by_year_gives_one_row_per_year_with_the_year_before_as_previous(program, org_a, org_b):
    report(org_a, "2019-03", {"blood_units": 10, "members_total": 100})
    report(org_a, "2020-03", {"blood_units": 20, "members_total": 110})
    report(org_b, "2020-12", {"blood_units": 1})
    rows = run(program, D(2019, 1, 1), D(2020, 12, 31), by_year=True)
    assert {r.year for r in rows} == {2019, 2020}
    assert cell(rows, "blood_units", org_a, year=2019) == dec(10)
    assert cell(rows, "blood_units", org_a, "previous_value", year=2019) is None
    assert cell(rows, "blood_units", org_a, year=2020) == dec(20)
    assert cell(rows, "blood_units", org_a, "previous_value", year=2020) == dec(10)
    assert cell(rows, "blood_units", None, year=2020) == dec(21)
    assert cell(rows, "members_total", org_a, year=2020) == dec(110)
    whole = run(program, D(2019, 1, 1), D(2020, 12, 31))
    assert cell(whole, "blood_units") == dec(31)


def test_by_year_puts_a_decree_09_december_report_in_the_next_year(program, org_a):
    report(org_a, "2020-01", {"blood_units": 3})  # 15/12/2019 – 14/01/2020
    rows = run(program, D(2019, 1, 1), D(2020, 12, 31), by_year=True)
    assert cell(rows, "blood_units", org_a, year=2019) is None
    assert cell(rows, "blood_units", org_a, year=2020) == dec(3)


# ------------------------------------------------------------------ missing reports, scale

def test_missing_reports_lists_the_months_without_an_approved_report(org_a, org_b):
    program = f.ProgramFactory(code="ct-thieu", start=D(2019, 7, 9), end=D(2019, 9, 30), status="signed")  # a draft is owed nothing
    f.PartyFactory(program=program, organization=org_a)
    f.PartyFactory(program=program, organization=org_b)
    report(org_a, "2019-07", {})
    report(org_b, "2019-08", {}, status="submitted")
    missing = aggregation.missing_reports(program, D(2019, 1, 1), D(2019, 12, 31))
    assert sorted(missing) == sorted([
        (org_a.pk, "2019-08"), (org_a.pk, "2019-09"),
        (org_b.pk, "2019-07"), (org_b.pk, "2019-08"), (org_b.pk, "2019-09"),
    ])
    # the window decides too: 2019-07 ends on 14/7, before the 20th
    assert (org_b.pk, "2019-07") not in aggregation.missing_reports(program, D(2019, 7, 20), D(2019, 9, 30))


def test_the_number_of_queries_does_not_grow_with_the_data(program, org_a, org_b, org_c, django_assert_max_num_queries):
    report(org_a, "2019-01", {"blood_units": 1, "members_total": 5})
    activity(org_a, D(2019, 1, 1), {"blood_units": 2}, co=[org_b])
    services.get_period("2020-03")  # a period in the window's last part, as the big case has (no values yet)
    rollup.refresh()  # the rollup's catching up is counted by the writes, not by this read
    with django_assert_max_num_queries(40) as small:
        run(program, D(2018, 12, 15), D(2020, 12, 14))
    for code in periods.months_between(D(2019, 2, 1), D(2020, 12, 1)):
        for org in (org_a, org_b, org_c):
            report(org, code, {"blood_units": 1, "members_total": 5, "volunteer_satisfaction": 90,
                               "propaganda_listeners": {"nam": 1, "nu": 2}})
        activity(org_a, D(int(code[:4]), int(code[5:]), 1), {"blood_units": 2}, co=[org_b, org_c])
    rollup.refresh()
    with django_assert_max_num_queries(len(small.captured_queries)):
        rows = run(program, D(2018, 12, 15), D(2020, 12, 14))
    assert cell(rows, "blood_units") == dec(1 + 2 + 23 * 3 + 23 * 2)


def test_compute_can_be_called_directly_with_any_organisations(program, org_a, org_b):
    report(org_a, "2019-03", {"blood_units": 4})
    blood = Indicator.objects.get(code="blood_units")
    figures = aggregation.compute(program, [org_a.pk, org_b.pk], [blood], *YEAR_2019)
    assert figures.per_org == {(org_a.pk, blood.pk): dec(4), (org_b.pk, blood.pk): None}
    assert figures.total == {blood.pk: dec(4)}
    assert aggregation.compute(None, [], [blood], *YEAR_2019).total == {blood.pk: None}


def test_the_worked_example_of_the_documentation(program, org_a, org_b, org_c):
    """docs/aggregation.md, section 4: A = org_a, B = org_b, C = org_c."""
    report(org_a, "2019-03", {"blood_units": 10, "recruit_enlisted": 9, "recruit_quota": 10, "volunteer_satisfaction": 80})
    report(org_a, "2019-08", {"blood_units": 20, "volunteer_satisfaction": 90})
    report(org_b, "2019-Q1", {"blood_units": 15})
    report(org_b, "2019-Q2", {"blood_units": 40}, status="returned")
    report(org_b, "2019-03", {"recruit_enlisted": 1, "recruit_quota": 10, "volunteer_satisfaction": 70})
    for month in range(1, 13):
        report(org_b, f"2019-{month:02d}", {"members_total": 24000 if month < 12 else 24300})
    report(org_c, "2019", {"members_total": 6500})
    report(org_c, "2019-03", {})
    activity(org_c, D(2019, 3, 1), {"blood_units": 100}, co=[org_a, org_b], program=program)
    blood = Indicator.objects.get(code="blood_units")
    Target.objects.create(program=program, organization=org_a, indicator=blood, year=2019, value=120)
    Target.objects.create(program=program, organization=org_b, indicator=blood, year=2019, value=100)

    rows = run(program)
    assert [cell(rows, "blood_units", o) for o in (org_a, org_b, org_c, None)] == [dec(130), dec(115), dec(100), dec(145)]
    assert {cell(rows, "blood_units", o, "joint_value") for o in (org_a, org_b, org_c, None)} == {dec(100)}
    assert [cell(rows, "recruit_quota_pct", o) for o in (org_a, org_b, org_c, None)] == [dec(90), dec(10), None, dec(50)]
    assert [cell(rows, "members_total", o) for o in (org_a, org_b, org_c, None)] == [None, dec(24300), dec(6500), dec(30800)]
    assert [cell(rows, "volunteer_satisfaction", o) for o in (org_a, org_b, None)] == [dec(85), dec(70), dec("77.5")]
    assert [cell(rows, "blood_units", o, "target") for o in (org_a, org_b, org_c, None)] == [dec(120), dec(100), None, dec(220)]
    assert [cell(rows, "blood_units", o, "achieved_pct") for o in (org_a, org_b, None)] == [
        Decimal("108.3"), Decimal("115.0"), Decimal("65.9")]

    draft = run(program, include_unapproved=True)
    assert cell(draft, "blood_units", org_b) == dec(155)
    assert cell(draft, "blood_units") == dec(185)
