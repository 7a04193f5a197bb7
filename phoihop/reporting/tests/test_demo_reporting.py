"""The demo figures of `loaddemo` (phoihop/demo/reporting.py): plausible, complete, marked, once.

The demo is loaded once for the module inside a transaction that is rolled back at the end, so
the other test modules never see it.
"""

import datetime as dt
import re
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, F
from django.utils import timezone

from phoihop.audit.models import AuditEntry
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program
from phoihop.reporting import periods, services
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    DataValue,
    Plan,
    Submission,
    SubmissionStatus,
    Target,
)
from phoihop.results import aggregation

D = dt.date
CODES = ["bn-chqs-ctxh-2013-2019", "bn-dv-chqs-2016-2019", "bn-phoihop-2019-2023"]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo", verbosity=0)
        programs = {p.code: p for p in Program.objects.filter(code__in=CODES)}
        org_ids = {o for p in programs.values() for o in p.parties.values_list("organization_id", flat=True)}
        orgs = {o.short_name: o for o in Organization.objects.filter(pk__in=org_ids)}
        yield {"programs": programs, "orgs": orgs}
        transaction.set_rollback(True)


@pytest.fixture
def programs(demo, db):
    return demo["programs"]


@pytest.fixture
def orgs(demo, db):
    return demo["orgs"]


def values_of(org, indicator):
    """{month code: total} of one organisation's values for one indicator."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for code, value in DataValue.objects.filter(organization=org, indicator__code=indicator).values_list("period__code", "value"):
        totals[code] += value
    return dict(totals)


def test_every_party_reports_every_year_of_its_programs(orgs):
    assert len(orgs) == 11
    for name, org in orgs.items():
        years = set(DataValue.objects.filter(organization=org).values_list("period__year", flat=True))
        expected = set(range(2016, 2024)) if name == "Ban Dân vận Thành ủy" else set(range(2013, 2024))
        assert years == expected, name


def test_values_are_monthly_decree_09_periods_from_2013_to_2023(demo, db):
    kinds = set(DataValue.objects.values_list("period__type", "period__convention").distinct())
    assert kinds == {(periods.MONTH, periods.DECREE_09)}
    codes = set(DataValue.objects.values_list("period__code", flat=True))
    assert min(codes) == "2013-01" and max(codes) == "2023-12"
    assert DataValue.objects.count() > 5000


@pytest.mark.parametrize("code", ["2013-05", "2016-02", "2019-06", "2019-07", "2021-08", "2023-11"])
def test_an_organisation_reports_only_the_indicators_of_its_programs_in_force(orgs, code):
    period = services.get_period(code)
    for org in orgs.values():
        reported = set(DataValue.objects.filter(organization=org, period=period).values_list("indicator_id", flat=True))
        allowed = set(services.indicators_for(org, period).values_list("pk", flat=True)) if services.programs_of(org, period.end).exists() else set()
        assert reported <= allowed, (org.short_name, code)


def test_figures_are_sized_to_each_organisations_role(orgs):
    def total(name, indicator):
        return sum(values_of(orgs[name], indicator).values(), Decimal(0))

    assert total("Hội CTĐ thành phố", "blood_units") > 3 * total("Hội CCB thành phố", "blood_units")
    assert total("MTTQ thành phố", "social_fund") > total("Hội LHPN thành phố", "social_fund")
    assert total("Ban CHQS thành phố", "militia_trained") > 0
    assert total("Hội LHPN thành phố", "militia_trained") == 0
    for name in orgs:
        if name != "Ban CHQS thành phố":
            assert not values_of(orgs[name], "recruit_quota"), name


def test_recruitment_happens_after_tet_and_enlisted_stays_within_called_and_near_quota(orgs):
    chqs = orgs["Ban CHQS thành phố"]
    called, quota, enlisted = (values_of(chqs, c) for c in ("recruit_called", "recruit_quota", "recruit_enlisted"))
    assert set(quota) == set(enlisted) == set(called)
    assert {int(code[:4]) for code in quota} == set(range(2013, 2024))
    for code in quota:
        assert code[5:] in {"02", "03"}, code
        assert enlisted[code] <= called[code]
        assert quota[code] - 2 <= enlisted[code] <= quota[code]
        assert 150 <= quota[code] <= 320


def test_gifts_come_at_tet_and_around_27_7(orgs):
    months = set()
    for org in orgs.values():
        months |= {code[5:] for code in values_of(org, "gratitude_gifts")}
    assert months <= {"01", "02", "08"}
    assert "08" in months  # 15/7 – 14/8 holds 27/7


def test_stock_figures_evolve_slowly(orgs):
    series = values_of(orgs["Hội LHPN thành phố"], "members_total")
    assert len(series) > 40
    codes = sorted(series)
    for before, after in zip(codes, codes[1:], strict=False):
        assert abs(series[after] - series[before]) <= series[before] * Decimal("0.02"), (before, after)


def test_disaggregated_values_have_options(demo, db):
    assert not DataValue.objects.filter(indicator__disaggregation__isnull=False, option__isnull=True).exists()
    assert DataValue.objects.filter(indicator__code="gratitude_gifts", option__code="gia_dinh_liet_si").exists()


def test_every_month_in_force_has_one_report_mostly_approved(orgs):
    for org in orgs.values():
        value_months = set(DataValue.objects.filter(organization=org).values_list("period_id", flat=True))
        report_months = set(Submission.objects.filter(organization=org).values_list("period_id", flat=True))
        assert value_months <= report_months, org.short_name
    statuses = dict(Submission.objects.values_list("status").annotate(n=Count("id")))
    assert statuses["approved"] > 1300
    assert 3 <= statuses["returned"] <= 8
    assert statuses["draft"] >= 2 and statuses["submitted"] >= 1
    approved = Submission.objects.filter(status="approved").first()
    assert approved.submitted_at and approved.approved_at and approved.submitted_at < approved.approved_at


def test_returned_reports_say_why_in_vietnamese(demo, db):
    for submission in Submission.objects.filter(status="returned"):
        assert len(submission.return_reason) > 20
        assert re.search(r"đề nghị", submission.return_reason)
        assert submission.entry_open()


def test_the_last_month_is_open_for_a_few_organisations(demo, db):
    december = services.get_period("2023-12")
    open_ = Submission.objects.filter(period=december, status="draft")
    assert 2 <= open_.count() <= 4
    for submission in open_:
        assert submission.period.is_closed()  # the real today is years later…
        assert submission.reopened_until > timezone.localdate()
        assert submission.entry_open()  # …so entry was reopened for the demo
    assert Submission.objects.filter(period=december, status="approved").exists()
    assert not Submission.objects.filter(period__year__gte=2024).exists()


def test_plans_one_per_program_year(programs):
    for program in programs.values():
        years = set(Plan.objects.filter(program=program).values_list("year", flat=True))
        assert years == set(range(program.start.year, program.end.year + 1)), program.code


def test_activities_are_marked_demo_and_five_to_fifteen_a_year(orgs):
    assert not Activity.objects.filter(is_demo=False).exists()
    for name, org in orgs.items():
        first = 2016 if name == "Ban Dân vận Thành ủy" else 2013
        for year in range(first, 2024):
            alone = Activity.objects.filter(lead_organization=org, start_date__year=year, co_organizers__isnull=True).count()
            assert 5 <= alone <= 15, (name, year, alone)
    sample = Activity.objects.exclude(place_text="").first()
    assert sample.title and sample.content_area_id and sample.program_id and sample.plan_id


def test_activities_fit_their_program(demo, db):
    for activity in Activity.objects.select_related("program", "plan").prefetch_related("co_organizers"):
        program = activity.program
        assert program.start <= activity.end_date <= program.end, activity.title
        assert activity.plan.program_id == program.pk
        assert program.content_areas.filter(pk=activity.content_area_id).exists(), activity.title
        parties = set(program.parties.values_list("organization_id", flat=True))
        assert activity.credited_organization_ids() <= parties, activity.title


def test_only_joint_activities_carry_figures(demo, db):
    assert ActivityValue.objects.exists()
    assert not ActivityValue.objects.filter(activity__co_organizers__isnull=True).exists()
    for value in ActivityValue.objects.select_related("activity__program", "indicator"):
        assert value.activity.program.content_areas.filter(pk=value.indicator.content_area_id).exists()


def test_the_seed_article_events_are_there(orgs):
    gratitude = Activity.objects.get(title__contains="72 năm Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2019)")
    assert gratitude.content_area.code == "gratitude"
    assert gratitude.start_date <= D(2019, 7, 27) and gratitude.end_date >= D(2019, 7, 20)
    assert gratitude.is_joint and gratitude.lead_organization == orgs["Ban CHQS thành phố"]
    assert gratitude.program.code == "bn-phoihop-2019-2023"
    assert gratitude.values.get(indicator__code="gratitude_gifts").value > 0
    liberation = Activity.objects.filter(title__contains="65 năm Ngày giải phóng thành phố Bắc Ninh (08/8/1954 - 08/8/2019)")
    assert liberation.count() >= 2
    assert all(D(2019, 7, 20) <= a.end_date <= D(2019, 8, 8) for a in liberation)


def test_joint_figures_count_once_in_the_results(programs):
    program = programs["bn-phoihop-2019-2023"]
    start, end = D(2019, 7, 9), D(2023, 12, 31)
    rows = aggregation.results([program.code], start, end)
    total = next(r for r in rows if r.indicator == "gratitude_gifts" and r.organization is None)
    own = sum(
        DataValue.objects.filter(
            indicator__code="gratitude_gifts", organization__in=program.parties.values("organization"),
            period__end__gte=start, period__end__lte=end,
        ).filter(
            organization__submissions__period=F("period"), organization__submissions__status="approved",
        ).values_list("value", flat=True), Decimal(0),
    )
    assert total.joint_value > 0
    assert own < total.value <= own + total.joint_value
    per_org = sum(r.value or 0 for r in rows if r.indicator == "gratitude_gifts" and r.organization is not None)
    assert per_org > total.value  # each co-organiser is credited, the total counts the activity once


def test_targets_are_close_to_what_was_achieved(programs, orgs):
    program = programs["bn-phoihop-2019-2023"]
    assert Target.objects.filter(program=program, organization__isnull=True, year__isnull=True).count() >= 3
    assert Target.objects.filter(program=program, organization=orgs["Hội CTĐ thành phố"], indicator__code="blood_units").count() == 5
    chqs = orgs["Ban CHQS thành phố"]
    for target in Target.objects.filter(organization=chqs, indicator__code="recruit_enlisted"):
        assert target.value == values_of(chqs, "recruit_quota")[next(c for c in values_of(chqs, "recruit_quota") if c.startswith(str(target.year)))]
    rows = aggregation.results([program.code], program.start, program.end)
    with_target = [r for r in rows if r.organization is None and r.target is not None]
    assert len(with_target) >= 8
    for row in with_target:
        assert Decimal(60) <= row.achieved_pct <= Decimal(160), (row.indicator, row.value, row.target)
    pct = next(r for r in rows if r.indicator == "recruit_quota_pct" and r.organization is None)
    assert Decimal(98) <= pct.value <= Decimal(100)


def test_the_previous_phase_comes_from_the_two_predecessors(programs):
    program = programs["bn-phoihop-2019-2023"]
    rows = aggregation.results([program.code], program.start, program.end)
    blood = next(r for r in rows if r.indicator == "blood_units" and r.organization is None)
    assert blood.previous_value and blood.previous_value > blood.value * Decimal("0.8")  # 6½ years before, 4½ now


def test_history_records_one_summary_per_organisation(orgs):
    for org in orgs.values():
        entries = AuditEntry.objects.filter(object_id=str(org.pk), note__startswith="loaddemo: nạp ")
        assert entries.count() == 1, org.short_name
        assert "số liệu minh họa" in entries.get().note
        assert entries.get().actor_label == "loaddemo"


def test_loading_again_changes_nothing(orgs):
    from phoihop.demo import organizations
    from phoihop.demo import reporting as demo_reporting

    models = (DataValue, Submission, Activity, ActivityValue, Target, Plan, AuditEntry)
    before = {m: m.objects.count() for m in models}
    demo_reporting.load(organizations.load())
    assert {m: m.objects.count() for m in models} == before


def test_the_month_of_a_day_follows_decree_09(db):
    from phoihop.demo.reporting import month_of

    for day in (D(2019, 7, 14), D(2019, 7, 15), D(2019, 12, 15), D(2020, 2, 29)):
        window = periods.parse(month_of(day))
        assert window.start <= day <= window.end


def test_the_approval_log_shows_each_demo_report_sent_and_approved_or_returned_at_its_date(demo, db):
    from django.contrib.contenttypes.models import ContentType

    entries = AuditEntry.objects.filter(content_type=ContentType.objects.get_for_model(Submission), action="transition")
    approved = Submission.objects.filter(status=SubmissionStatus.APPROVED).select_related("organization", "period").first()
    steps = {tuple(e.changes["status"]): e.at for e in entries.filter(object_id=str(approved.pk))}
    assert steps == {("draft", "submitted"): approved.submitted_at, ("submitted", "approved"): approved.approved_at}
    returned = Submission.objects.filter(status=SubmissionStatus.RETURNED).first()
    step = entries.get(object_id=str(returned.pk), changes__status=["submitted", "returned"])
    assert step.note == returned.return_reason and step.at > returned.submitted_at
    sent = Submission.objects.exclude(submitted_at=None).count()
    assert entries.filter(changes__status=["draft", "submitted"]).count() == sent
