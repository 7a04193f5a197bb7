"""The leader's dashboard answers "how are we doing this year?" at a glance (issue 14, point 5):
the program in force today over its phase to date, quick windows, yearly targets pro rata,
like-for-like comparisons, totals that agree with their rows, no command lines."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from phoihop import factories as f
from phoihop.dashboards import services
from phoihop.dashboards.tests.test_leader_figures import _Rows
from phoihop.organizations.models import OrganizationSuccession
from phoihop.programs.models import ContentArea
from phoihop.reporting import periods
from phoihop.reporting import services as reporting
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    DataValue,
    Indicator,
    Submission,
    Target,
)
from phoihop.results import aggregation

pytestmark = pytest.mark.django_db

D = dt.date
LEADER = "/bang-dieu-khien/lanh-dao/"


def report(org, code, **values):
    """An approved monthly report of `org` with these values (indicator code → number)."""
    period = reporting.get_period(code)
    Submission.objects.update_or_create(organization=org, period=period, defaults={"status": "approved"})
    for ind_code, number in values.items():
        DataValue.objects.create(organization=org, indicator=Indicator.objects.get(code=ind_code), period=period,
                                 value=Decimal(str(number)))


def program_of(code, start, end, orgs, status="in_force", **kwargs):
    program = f.ProgramFactory(code=code, start=start, end=end, status=status, **kwargs)
    program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude", "recruitment"]))
    for order, org in enumerate(orgs):
        f.PartyFactory(program=program, organization=org, order=order)
    return program


@pytest.fixture
def admin_user(db):
    return f.UserFactory(username="quantri", is_superuser=True, is_staff=True)


# ------------------------------------------------------------------ 1. the program it opens on

def test_it_opens_on_the_program_in_force_today_never_a_newer_draft(admin_user, org_a, org_b):
    today = D(2026, 12, 8)
    program_of("ct-cu", D(2019, 7, 9), D(2023, 12, 31), [org_a], status="ended")
    in_force = program_of("ct-hien-hanh", D(2024, 1, 1), D(2028, 12, 31), [org_b], status="signed")
    program_of("ct-du-thao", D(2029, 1, 1), D(2033, 12, 31), [org_a], status="draft")
    assert services.default_program(admin_user, today) == in_force
    # No program covers today: the latest signed one, still not the draft.
    assert services.default_program(admin_user, D(2030, 6, 1)) == in_force
    in_force.status = "draft"
    in_force.save()
    assert services.default_program(admin_user, today).code == "ct-cu"


def test_a_draft_only_when_there_is_nothing_else(admin_user, org_a):
    draft = program_of("ct-du-thao", D(2029, 1, 1), D(2033, 12, 31), [org_a], status="draft")
    assert services.default_program(admin_user, D(2026, 12, 8)) == draft


def test_the_page_opens_on_the_program_in_force_over_its_phase_to_date(client, viewer, org_a, org_b):
    today = timezone.localdate()
    in_force = program_of("ct-hien-hanh", D(today.year - 1, 1, 1), D(today.year + 2, 12, 31), [org_a, org_b])
    program_of("ct-du-thao", D(today.year + 3, 1, 1), D(today.year + 7, 12, 31), [org_a], status="draft")
    client.force_login(viewer)
    response = client.get(LEADER)
    assert response.context["program"] == in_force
    assert (response.context["date_from"], response.context["date_to"]) == (in_force.start, today)
    assert response.context["to_date"]


# ------------------------------------------------------------------ 2. quick windows

def test_quick_windows_compute_the_right_dates(org_a):
    program = program_of("ct-hien-hanh", D(2024, 1, 1), D(2028, 12, 31), [org_a])
    quick = {q.key: (q.date_from, q.date_to) for q in services.quick_windows(program, D(2026, 12, 8))}
    assert quick["this-year"] == (D(2026, 1, 1), D(2026, 12, 8))
    assert quick["last-year"] == (D(2025, 1, 1), D(2025, 12, 31))
    assert quick["phase"] == (D(2024, 1, 1), D(2028, 12, 31))
    assert quick["6-months"] == (D(2026, 6, 9), D(2026, 12, 8))
    assert quick["2024"] == (D(2024, 1, 1), D(2024, 12, 31))
    # The windows stay inside the phase: this year of a program that starts in July.
    program.start = D(2026, 7, 1)
    assert {q.key: q.date_from for q in services.quick_windows(program, D(2026, 12, 8))}["this-year"] == D(2026, 7, 1)
    assert not services.quick_windows(program, D(2026, 3, 31))[3].available  # 6 months before the phase starts


def test_an_ended_program_offers_its_years_and_says_why_this_year_is_not_offered(org_a):
    program = program_of("ct-cu", D(2019, 7, 9), D(2023, 12, 31), [org_a], status="ended")
    quick = {q.key: q for q in services.quick_windows(program, D(2026, 12, 8))}
    assert not quick["this-year"].available and quick["this-year"].note == "ngoài giai đoạn của chương trình"
    assert (quick["phase"].date_from, quick["phase"].date_to) == (D(2019, 7, 9), D(2023, 12, 31))
    assert (quick["2019"].date_from, quick["2019"].date_to) == (D(2019, 7, 9), D(2019, 12, 31))
    assert (quick["2023"].date_from, quick["2023"].date_to) == (D(2023, 1, 1), D(2023, 12, 31))
    assert services.default_window(program, D(2026, 12, 8)) == (D(2019, 7, 9), D(2023, 12, 31))


def test_quick_choices_are_links_and_custom_dates_still_work(client, viewer, org_a, org_b):
    today = timezone.localdate()
    program = program_of("ct-hien-hanh", D(today.year - 1, 1, 1), D(today.year + 2, 12, 31), [org_a, org_b])
    client.force_login(viewer)
    html = client.get(f"{LEADER}?program=ct-hien-hanh").content.decode()
    assert 'data-window="last-year"' in html and 'data-window="this-year"' in html
    response = client.get(f"{LEADER}?program=ct-hien-hanh&window=last-year")
    assert (response.context["date_from"], response.context["date_to"]) == (D(today.year - 1, 1, 1), D(today.year - 1, 12, 31))
    assert any(q["current"] and q["key"] == "last-year" for q in response.context["quick"])
    response = client.get(f"{LEADER}?program=ct-hien-hanh&from=01/02/{today.year - 1}&to=31/03/{today.year - 1}")
    assert (response.context["date_from"], response.context["date_to"]) == (D(today.year - 1, 2, 1), D(today.year - 1, 3, 31))
    response = client.get(f"{LEADER}?program=ct-hien-hanh&window=nam-kia")
    assert response.status_code == 200 and response.context["date_from"] == program.start
    assert "Không có lựa chọn “nam-kia”" in response.content.decode()


def test_an_ended_program_opens_on_its_whole_phase_marked_as_such(client, viewer, org_a):
    program_of("ct-cu", D(2019, 7, 9), D(2023, 12, 31), [org_a], status="ended")
    client.force_login(viewer)
    response = client.get(LEADER)
    assert (response.context["date_from"], response.context["date_to"]) == (D(2019, 7, 9), D(2023, 12, 31))
    assert not response.context["to_date"]  # no "from the start to today" beside "the whole phase"
    assert [q["key"] for q in response.context["quick"] if q["current"]] == ["phase"]
    assert "Năm nay" in response.content.decode() and "ngoài giai đoạn của chương trình" in response.content.decode()


# ------------------------------------------------------------------ 3. yearly targets pro rata

def test_a_yearly_target_counts_pro_rata_for_the_part_of_the_year_shown(client, viewer, org_a, org_b):
    program = program_of("ct-2026", D(2024, 1, 1), D(2028, 12, 31), [org_a, org_b], period_convention=periods.CALENDAR)
    houses = Indicator.objects.get(code="gratitude_houses")
    Target.objects.create(program=program, organization=org_a, indicator=houses, year=2026, value=120)
    Target.objects.create(program=program, organization=org_b, indicator=houses, year=2026, value=60)
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-2026&from=01/01/2026&to=30/11/2026")
    rows = {r.organization: r for r in response.context["figures"].rows if r.indicator == "gratitude_houses"}
    assert rows[org_a.pk].target == Decimal("109.8")  # 120 × 334/365
    assert rows[org_b.pk].target == Decimal("54.9")  # 60 × 334/365
    assert rows[None].target == Decimal("164.7")  # the sum of the rows
    html = response.content.decode()
    assert "Chỉ tiêu năm 2026 tính theo 334/365 ngày (91,5%)" in html
    # A whole year: the whole target, and no note.
    response = client.get(f"{LEADER}?program=ct-2026&from=01/01/2026&to=31/12/2026")
    assert {r.target for r in response.context["figures"].rows if r.indicator == "gratitude_houses" and r.organization} == {120, 60}
    assert 'id="target-notes"' not in response.content.decode()


def test_under_decree_09_this_year_to_early_december_counts_eleven_of_twelve_months(org_a):
    program = program_of("ct-2026", D(2024, 1, 1), D(2028, 12, 31), [org_a])
    assert aggregation.counted_span(program, D(2026, 1, 1), D(2026, 12, 8)) == (D(2025, 12, 15), D(2026, 11, 14))
    assert aggregation.target_shares(program, D(2026, 1, 1), D(2026, 12, 8)) == [(2026, 335, 365)]


# ------------------------------------------------------------------ 4. like-for-like comparison

@pytest.fixture
def phases(org_a, org_b):
    """2019–2023 of old_a (merged into org_a on 01/07/2024), org_b and gone (not a party any more);
    its successor 2024–2028 of org_a, org_b and newcomer."""
    old_a = f.OrganizationFactory(name="Ban cũ", short_name="Ban cũ")
    gone = f.OrganizationFactory(name="Hội đã rời", short_name="Hội rời")
    newcomer = f.OrganizationFactory(name="Hội mới", short_name="Hội mới")
    OrganizationSuccession.objects.create(predecessor=old_a, successor=org_a, kind="merged", effective=D(2024, 7, 1))
    before = program_of("ct-truoc", D(2019, 1, 1), D(2023, 12, 31), [old_a, org_b, gone], status="ended")
    after = program_of("ct-sau", D(2024, 1, 1), D(2028, 12, 31), [org_a, org_b, newcomer])
    after.predecessors.set([before])
    houses = Indicator.objects.get(code="gratitude_houses")
    for org, value in ((org_a, 20), (org_b, 10), (newcomer, 5)):
        Target.objects.create(program=after, organization=org, indicator=houses, year=2026, value=value)
    report(old_a, "2021-03", gratitude_houses=10)  # 2026 − 5 years: the same months
    report(org_b, "2021-04", gratitude_houses=5)
    report(gone, "2021-03", gratitude_houses=100)  # no counterpart: counted nowhere
    report(old_a, "2021-09", gratitude_houses=1000)  # outside the same months
    report(org_b, "2019-03", gratitude_houses=77)  # the previous phase, not the same position
    report(org_a, "2026-03", gratitude_houses=12)
    # A joint activity of the previous phase, led by old_a with org_b: each is credited 7, the
    # total counts it once.
    joint = Activity.objects.create(title="Tặng nhà chung", content_area=ContentArea.objects.get(code="gratitude"),
                                    lead_organization=old_a, program=before, status="done",
                                    start_date=D(2021, 3, 1), end_date=D(2021, 3, 1))
    joint.co_organizers.set([org_b])
    ActivityValue.objects.create(activity=joint, indicator=Indicator.objects.get(code="gratitude_houses"), value=7)
    report(newcomer, "2026-04", gratitude_houses=3)
    return before, after, old_a, gone, newcomer


def test_the_comparison_takes_the_same_months_of_the_previous_phase_and_the_same_organisations(
        client, viewer, org_a, org_b, phases):
    before, after, old_a, gone, newcomer = phases
    found = aggregation.comparison(after, D(2026, 1, 1), D(2026, 6, 30))
    assert (found.kind, found.date_from, found.date_to) == ("phase", D(2021, 1, 1), D(2021, 6, 30))
    assert found.counterparts == {org_a.pk: [old_a.pk], org_b.pk: [org_b.pk], newcomer.pk: []}
    assert found.left_out == (gone.pk,)
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-sau&from=01/01/2026&to=30/06/2026&indicator=gratitude_houses")
    figures = response.context["figures"]
    previous = {r.organization: r.previous_value for r in figures.rows if r.indicator == "gratitude_houses"}
    assert previous == {org_a.pk: Decimal(17), org_b.pk: Decimal(12), newcomer.pk: None, None: Decimal(22)}
    html = response.content.decode()
    assert figures.previous_label == "Cùng kỳ giai đoạn trước"
    assert "từ 01/01/2021 đến 30/06/2021 của giai đoạn trước" in html
    assert "Không tính vào kỳ trước (không tương ứng với bên nào của chương trình này): Hội đã rời." in html


def test_the_phase_to_date_against_a_previous_phase_begun_mid_year_takes_the_same_length_from_its_start(org_a):
    before = program_of("ct-2019", D(2019, 7, 9), D(2023, 12, 31), [org_a], status="ended")
    after = program_of("ct-2024", D(2024, 1, 1), D(2028, 12, 31), [org_a])
    after.predecessors.set([before])
    found = aggregation.comparison(after, D(2024, 1, 1), D(2026, 12, 8))
    assert (found.kind, found.date_from, found.date_to) == ("phase", D(2019, 7, 9), D(2022, 6, 15))
    assert (found.date_to - found.date_from) == (D(2026, 12, 8) - D(2024, 1, 1))
    # This year still compares with the same months: 2026 ↔ 2021.
    found = aggregation.comparison(after, D(2026, 1, 1), D(2026, 12, 8))
    assert (found.date_from, found.date_to) == (D(2021, 1, 1), D(2021, 12, 8))
    # Months before the previous phase began, not from the start: no comparison.
    assert aggregation.comparison(after, D(2024, 2, 1), D(2024, 3, 31)).reason == "outside_previous_phase"


def test_no_comparison_when_the_previous_phase_has_no_matching_months(client, viewer, org_a, org_b):
    short = program_of("ct-ngan", D(2022, 1, 1), D(2023, 12, 31), [org_a, org_b], status="ended")
    after = program_of("ct-sau", D(2024, 1, 1), D(2028, 12, 31), [org_a, org_b])
    after.predecessors.set([short])
    report(org_a, "2022-03", gratitude_houses=9)
    found = aggregation.comparison(after, D(2026, 1, 1), D(2026, 6, 30))
    assert (found.kind, found.reason) == ("none", "outside_previous_phase")
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-sau&from=01/01/2026&to=30/06/2026")
    assert all(r.previous_value is None for r in response.context["figures"].rows)
    html = response.content.decode()
    assert "Không so sánh được với giai đoạn trước: khoảng tương ứng (01/01/2024 – 30/06/2024) nằm ngoài giai đoạn trước" in html
    assert 'id="previous-table"' not in html


def test_no_comparison_for_the_first_year_of_a_program_without_predecessors(client, viewer, org_a, org_b):
    program_of("ct-moi", D(2024, 1, 1), D(2028, 12, 31), [org_a, org_b])
    report(org_a, "2023-03", gratitude_houses=9)  # before the program: not its previous year
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-moi&from=01/01/2024&to=31/12/2024")
    assert response.context["figures"].comparison.reason == "before_phase"
    assert all(r.previous_value is None for r in response.context["figures"].rows)
    assert "chương trình không có giai đoạn trước" in response.content.decode()
    # Its second year compares with its first, same organisations.
    report(org_a, "2024-03", gratitude_houses=4)
    response = client.get(f"{LEADER}?program=ct-moi&from=01/01/2025&to=31/12/2025")
    assert response.context["figures"].comparison.kind == "year"
    assert {r.organization: r.previous_value for r in response.context["figures"].rows
            if r.indicator == "gratitude_houses"}[None] == Decimal(4)


# ------------------------------------------------------------------ 5. totals agree with their rows

def _check_totals(rows):
    """Every sum indicator: the total's value is that of its rows (each joint activity counted
    once: the rows' own parts plus the total's joint part), its target their targets' sum."""
    checked = 0
    sums = set(Indicator.objects.filter(aggregation=Indicator.Aggregation.SUM).values_list("code", flat=True))
    by_indicator = {}
    for row in rows:
        by_indicator.setdefault(row.indicator, []).append(row)
    for code, group in by_indicator.items():
        if code not in sums:
            continue
        total = next(r for r in group if r.organization is None)
        parts = [r for r in group if r.organization is not None]
        present = [r.value for r in parts if r.value is not None]
        expected = sum((r.value - (r.joint_value or 0) for r in parts if r.value is not None), Decimal(0)) + (total.joint_value or 0)
        assert (total.value or Decimal(0)) == expected, code
        checked += bool(present)
        targets = [r.target for r in parts if r.target is not None]
        if targets and total.target is not None:
            assert total.target == sum(targets), code
    return checked


def test_totals_agree_with_their_rows_for_every_figure_shown(client, viewer, org_a, org_b, phases):
    client.force_login(viewer)
    for query in ("from=01/01/2026&to=30/06/2026", "from=01/01/2026&to=30/11/2026", "window=phase"):
        response = client.get(f"{LEADER}?program=ct-sau&{query}&indicator=gratitude_houses")
        assert _check_totals(response.context["figures"].rows) >= 1
        # …and on the page: the total row of the per-organisation table against its rows.
        parser = _Rows()
        parser.feed(response.content.decode())
        # the organisations' rows and the row taking off what they count twice (joint activities)
        shown = [r["cells"] for r in parser.rows if r["key"][0] == "gratitude_houses" and r["key"][1]]
        total = next(r["cells"] for r in parser.rows if r["key"] == ("gratitude_houses", "") and r["cells"][0] == "Tổng cộng")

        def number(text):
            return Decimal(text.replace(".", "").replace(",", ".")) if text not in ("—", "") else Decimal(0)

        for column in (1, 2, 4):  # result, target, previous
            assert sum(number(cells[column]) for cells in shown) == number(total[column]), (query, column)
        assert not response.context["figures"].common_target
    overlap = [r["cells"] for r in parser.rows if r["key"] == ("gratitude_houses", "overlap")]
    assert overlap and overlap[0][4] == "-7"  # the whole phase: the previous joint activity, taken off once


def test_a_program_wide_target_in_the_total_row_is_said_so(client, viewer, org_a, org_b, phases):
    _before, after, *_rest = phases
    Target.objects.create(program=after, indicator=Indicator.objects.get(code="gratitude_houses"), year=2026, value=500)
    client.force_login(viewer)
    response = client.get(f"{LEADER}?program=ct-sau&from=01/01/2026&to=31/12/2026&indicator=gratitude_houses")
    assert response.context["figures"].common_target
    assert "là chỉ tiêu chung của chương trình, không phải tổng chỉ tiêu của các tổ chức" in response.content.decode()


# ------------------------------------------------------------------ 6. no command lines on pages

COMMAND = re.compile(r"phoihop [a-z_]+ |manage\.py|--program|--from |--draft")


def test_no_template_shows_a_command_line():
    offenders = [str(path) for path in Path(settings.BASE_DIR, "templates").rglob("*.html")
                 if COMMAND.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_the_leaders_page_shows_no_command_line(client, admin_user, org_a, org_b, phases):
    client.force_login(admin_user)
    for query in ("program=ct-sau", "program=ct-sau&draft=1", "program=ct-truoc&window=phase"):
        html = client.get(f"{LEADER}?{query}").content.decode()
        assert not COMMAND.search(html), query
        assert "Số liệu tổng hợp từ" in html
