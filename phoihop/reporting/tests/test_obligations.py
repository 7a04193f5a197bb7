"""Issue 14 point 4: obligations follow the organisation's life (`reporting.obligations`).

No organisation owes a report for a month before it existed or after it ended, nor under a draft
program; the rule, "my periods", the reporter's dashboard (recent periods and deadlines), the
office's heat map and the months missing from a program's results all agree; the entry grid of a
month an organisation did not exist in says why instead of showing a grid, and every door refuses
its values.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from phoihop import factories as f
from phoihop.audit.context import acting_as
from phoihop.organizations.models import Organization, OrganizationSuccession
from phoihop.programs.models import Program, ProgramStatus
from phoihop.reporting import bulk, obligations, overview, periods, services
from phoihop.reporting.models import DataValue, Submission, SubmissionStatus
from phoihop.reporting.tests import worlds
from phoihop.results import aggregation

D = dt.date
ENDED, STARTED = D(2025, 6, 30), D(2025, 7, 1)  # the 2025 reorganisation
MONTHS = [periods.month_code(y, m) for y in (2024, 2025, 2026) for m in range(1, 13)]
# Three "todays" whose twelve recent months (my periods) are, together, every month of MONTHS.
TODAYS = [D(2024, 12, 10), D(2025, 12, 10), D(2026, 12, 10)]
REAL_LOCALDATE = timezone.localdate


def on(monkeypatch, today: dt.date) -> None:
    """Pages and services see `today` as the date (a datetime still converts as usual)."""
    monkeypatch.setattr(timezone, "localdate", lambda value=None, timezone=None: REAL_LOCALDATE(value) if value else today)


def member(username: str, role: str, *orgs):
    user = f.UserFactory(username=username)
    for org in orgs:
        f.MembershipFactory(user=user, organization=org, role=role)
    return user


@pytest.fixture
def world(org_a):
    """The district Women's union ended on 30/06/2025, its successor (the regional one) began on
    01/07/2025; both are parties, with org_a (the standing office), of a program in force
    2024–2028. One reporter reports for both; org_a's committee administrator runs the office."""
    old = f.OrganizationFactory(name="Hội LHPN huyện Thử", short_name="Hội LHPN huyện", valid_to=ENDED)
    new = f.OrganizationFactory(name="Hội LHPN khu vực Thử", short_name="Hội LHPN khu vực", valid_from=STARTED)
    OrganizationSuccession.objects.create(predecessor=old, successor=new, kind="reorganised", effective=STARTED)
    program = worlds.program_led_by(org_a, old, new, areas=["gratitude"], committee="BCĐ thử", code="ct-2024-2028",
                                    start=D(2024, 1, 1), end=D(2028, 12, 31), status=ProgramStatus.IN_FORCE)
    reporter = member("bcv-hoi", "reporter", old, new)
    office = member("thuong-truc", "committee_admin", org_a)
    # A report each organisation really sent: old's May 2025 (approved), new's August 2025 (sent).
    for org, code, to in ((old, "2025-05", SubmissionStatus.APPROVED), (new, "2025-08", SubmissionStatus.SUBMITTED)):
        period = services.get_period(code)
        with acting_as(reporter):
            assert bulk.save_values(org, period, reporter, [services.CellInput("gratitude_houses", "2")],
                                    check_permission=False, today=period.start).ok
        submission = services.submission_for(org, period)
        submission.status, submission.submitted_at = to, timezone.make_aware(dt.datetime(period.deadline.year, period.deadline.month, 16))
        submission.save()
    return {"old": old, "new": new, "program": program, "reporter": reporter, "office": office, "lead": org_a}


def expected_owes(org: Organization, code: str) -> bool:
    """The organisation's life alone decides here (the program covers 2024–2028): it existed on
    the month's last day (Decree 09: the 14th)."""
    return org.is_valid_on(periods.parse(code).end)


def test_the_rule_follows_the_organisations_life(world):
    old, new = world["old"], world["new"]
    rule = obligations.Obligations([old, new, world["lead"]])
    for code in MONTHS:
        period = services.find_period(code)
        assert rule.owes(old, period) is expected_owes(old, code), code
        assert rule.owes(new, period) is expected_owes(new, code), code
        assert rule.owes(world["lead"], period), code  # the standing office exists throughout
        assert rule.owes(old, period) != rule.owes(new, period), code  # each month owed by exactly one of them
    # The boundary: Decree 09's July 2025 (15/06 – 14/07) ends after the old body ended.
    assert [c for c in MONTHS if rule.owes(old, services.find_period(c))][-1] == "2025-06"
    assert [c for c in MONTHS if rule.owes(new, services.find_period(c))][0] == "2025-07"
    # Under calendar periods, June is the old body's last month and July the successor's first.
    june, july = periods.parse("2025-06", periods.CALENDAR), periods.parse("2025-07", periods.CALENDAR)
    assert rule.owes(old, june) and not rule.owes(old, july)
    assert rule.owes(new, july) and not rule.owes(new, june)


def _rows_by_code(rows) -> dict[str, overview.PeriodRow]:
    return {r.period.code: r for r in rows}


def test_my_periods_the_reporters_dashboard_and_the_office_heat_map_agree(client, world, monkeypatch):
    old, new, reporter, office = world["old"], world["new"], world["reporter"], world["office"]
    rule = obligations.Obligations([old, new])
    seen: dict[int, set[str]] = {old.pk: set(), new.pk: set()}
    for today in TODAYS:
        on(monkeypatch, today)
        window = overview.recent_month_codes(today, 12)
        client.force_login(reporter)
        tables = {t["organization"].pk: t for t in client.get(reverse("reporting:my_periods")).context["tables"]}
        dashboard = {t["organization"].pk: t for t in client.get(reverse("dashboards:reporter")).context["tables"]}
        client.force_login(office)
        matrix = {row.organization.pk: row for row in
                  client.get(reverse("dashboards:office"), {"nam": str(today.year)}).context["matrix"]}
        for org in (old, new):
            mine = _rows_by_code(tables[org.pk]["rows"])
            owed = {c for c in window if rule.owes(org, services.find_period(c))}
            assert owed == {c for c in window if expected_owes(org, c)}
            # My periods: exactly the months owed (and a month with a report, which here is owed too).
            assert set(mine) == owed, (org.name, today)
            seen[org.pk] |= set(mine)
            for code, row in mine.items():
                period = row.period
                assert row.owed
                assert row.late == (row.submission is None and today > period.deadline), (org.name, code)
            # The reporter's dashboard: the months owed among the last six, and the latest reports,
            # in the same states as in my periods.
            recent = {r.period.code: r for r in dashboard[org.pk]["rows"]}
            for code, row in recent.items():
                assert row.owed or row.submission is not None, (org.name, code, today)
                assert row.owed is expected_owes(org, code)
                if code in mine:
                    assert (row.status_code, row.late) == (mine[code].status_code, mine[code].late), (org.name, code)
            if today == TODAYS[-1]:  # no report after it: the months without one are exactly those owed
                last_six = overview.recent_month_codes(today, 6)
                assert {c for c, r in recent.items() if r.submission is None} == {c for c in last_six if c in owed}
            # The office heat map of the year: a month owed has a state (late when it is), any other
            # is blank ("không phải báo cáo"), never late.
            for cell in matrix[org.pk].cells:
                assert cell.owed is rule.owes(org, cell.period) is expected_owes(org, cell.code), (org.name, cell.code)
                if not cell.owed:
                    assert not cell.late and cell.sub is None and cell.status_code == overview.NOT_OWED and cell.short == ""
                    continue
                mine_row = mine.get(cell.code)
                if mine_row is not None:
                    assert (cell.status_code, cell.late) == (mine_row.status_code, mine_row.late), (org.name, cell.code)
            owed_cells = [c for c in matrix[org.pk].cells if c.owed]
            if owed_cells:
                done = sum(1 for c in owed_cells if c.sub is not None)
                assert matrix[org.pk].completeness == round(100 * done / len(owed_cells))
            else:
                assert matrix[org.pk].completeness is None and matrix[org.pk].timeliness is None
    # Over the three years each one was listed exactly in its life, never outside it.
    assert seen[old.pk] == {c for c in MONTHS if expected_owes(old, c)} == set(MONTHS[:MONTHS.index("2025-06") + 1])
    assert seen[new.pk] == {c for c in MONTHS if expected_owes(new, c)} == set(MONTHS[MONTHS.index("2025-07"):])


def test_pages_mark_late_only_what_is_owed(client, world, monkeypatch):
    on(monkeypatch, D(2026, 12, 10))
    client.force_login(world["reporter"])
    html = client.get(reverse("reporting:my_periods")).content.decode()
    old_part = html.split(world["old"].name)[1].split("<section")[0]
    assert "quá hạn" not in old_part and "Tổ chức đã kết thúc hoạt động ngày 30/06/2025" in old_part
    new_part = html.split(world["new"].name)[1].split("<section")[0]
    assert new_part.count("quá hạn") == 11  # 2026-01 .. 2026-11 passed their deadlines; 2026-12 is due on 18/12


def test_the_deadlines_name_only_who_owes_them(client, world, monkeypatch):
    """On 20/06/2025 the next deadlines (July and August 2025) are the successor's, not the old
    body's, which ends on 30/06; the reporter's dashboard and my periods say the same."""
    today = D(2025, 6, 20)
    on(monkeypatch, today)
    client.force_login(world["reporter"])
    response = client.get(reverse("dashboards:reporter"))
    titles = [item.title for item in response.context["deadlines"]]
    # July's; August's report (due on 18/08) was already sent.
    assert titles == ["Hạn gửi báo cáo tháng 7/2025 — " + world["new"].short_name], titles
    due = {item.url for item in response.context["deadlines"]}
    tables = {t["organization"].pk: t for t in client.get(reverse("reporting:my_periods")).context["tables"]}
    listed_new = {reverse("reporting:grid", args=[world["new"].pk, r.period.code]) for r in tables[world["new"].pk]["rows"]}
    assert due <= listed_new
    assert "2025-07" not in {r.period.code for r in tables[world["old"].pk]["rows"]}


def test_missing_reports_follow_the_organisations_life(world):
    old, new, program = world["old"], world["new"], world["program"]
    missing = aggregation.missing_reports(program, D(2024, 1, 1), D(2026, 12, 31))
    by_org: dict[int, set[str]] = {}
    for org_id, code in missing:
        by_org.setdefault(org_id, set()).add(code)
    in_phase = [c for c in MONTHS if D(2024, 1, 1) <= periods.parse(c).end <= D(2026, 12, 31)]
    assert by_org[old.pk] == {c for c in in_phase if expected_owes(old, c)} - {"2025-05"}  # approved
    assert by_org[new.pk] == {c for c in in_phase if expected_owes(new, c)}  # August was sent, not approved
    assert by_org[world["lead"].pk] == set(in_phase)


def test_the_entry_grid_of_a_month_outside_the_life_says_why(client, world):
    old, new, reporter = world["old"], world["new"], world["reporter"]
    client.force_login(reporter)
    response = client.get(reverse("reporting:grid", args=[old.pk, "2026-01"]))
    assert response.status_code == 200
    assert "grid-form" not in response.content.decode()
    reason = response.context["reason"]
    assert "đã kết thúc hoạt động ngày 30/06/2025" in reason and new.name in reason  # its successor named
    response = client.get(reverse("reporting:grid", args=[new.pk, "2025-06"]))
    assert "grid-form" not in response.content.decode() and "hoạt động từ ngày 01/07/2025" in response.context["reason"]
    # The successor's own month shows its grid.
    assert "grid-form" in client.get(reverse("reporting:grid", args=[new.pk, "2025-07"])).content.decode()
    # Posting to the page or saving through the service writes nothing, with the same message.
    houses = services.indicators_for(old, services.find_period("2026-01")).get(code="gratitude_houses")
    before = (DataValue.objects.count(), Submission.objects.count())
    response = client.post(reverse("reporting:grid", args=[old.pk, "2026-01"]), {f"v-{houses.pk}:0": "4", "action": "save"})
    assert response.status_code == 422 and response.context["reason"] == reason
    result = bulk.save_values(old, services.find_period("2026-01"), reporter, [services.CellInput("gratitude_houses", "4")])
    assert not result.ok and [p.message for p in result.errors] == [reason]
    with pytest.raises(ValidationError, match="đã kết thúc hoạt động"):
        services.submit(services.find_submission(old, services.find_period("2026-01")), reporter)
    assert (DataValue.objects.count(), Submission.objects.count()) == before


def test_a_draft_program_is_owed_nothing(client, org_b, monkeypatch):
    """org_b is a party of a draft program only: it owes no month, nothing is late anywhere, and
    the program misses no report."""
    program = worlds.program_led_by(org_b, areas=["gratitude"], committee="BCĐ dự thảo", code="ct-du-thao",
                                    start=D(2024, 1, 1), end=D(2028, 12, 31))
    assert program.status == ProgramStatus.DRAFT
    rule = obligations.Obligations([org_b])
    assert not any(rule.owes(org_b, services.find_period(c)) for c in MONTHS)
    assert "chương trình phối hợp nào đã ký kết" in rule.refusal(org_b, services.find_period("2026-03"))
    assert aggregation.missing_reports(program, D(2024, 1, 1), D(2026, 12, 31)) == []
    on(monkeypatch, D(2026, 12, 10))
    reporter = member("bcv-b", "reporter", org_b)
    client.force_login(reporter)
    (table,) = client.get(reverse("reporting:my_periods")).context["tables"]
    assert table["rows"] == []
    (mine,) = client.get(reverse("dashboards:reporter")).context["tables"]
    assert mine["rows"] == [] and client.get(reverse("dashboards:reporter")).context["deadlines"] == []
    (row,) = overview.completeness_matrix([org_b], MONTHS, D(2026, 12, 10))
    assert not any(c.owed or c.late for c in row.cells) and row.completeness is None
    # Its grid opens (the body exists), saying that nothing is owed.
    response = client.get(reverse("reporting:grid", args=[org_b.pk, "2026-11"]))
    assert "grid-form" in response.content.decode()
    assert [str(m) for m in response.context["messages"]] == [rule.refusal(org_b, services.find_period("2026-11"))]
    # Once signed, the same months are owed.
    Program.objects.filter(pk=program.pk).update(status=ProgramStatus.SIGNED)
    assert all(obligations.Obligations([org_b]).owes(org_b, services.find_period(c)) for c in MONTHS)


# ---------------------------------------------------------------- the demo (loaddemo, 2025 reorganisation)

@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddemo", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_the_demo_shows_no_late_month_for_dissolved_bodies_in_2026(demo, client, monkeypatch):
    """The demo's city bodies ended on 30/06/2025 and its programs ended in 2023: in December 2026
    they owe nothing, so no page lists a 2026 month for them, let alone one "quá hạn"."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    on(monkeypatch, D(2026, 12, 8))
    dissolved = list(Organization.objects.filter(valid_to__lte=ENDED))
    assert len(dissolved) > 10
    gone = {o.pk for o in dissolved}
    rule = obligations.Obligations(dissolved)
    codes_2026 = [periods.month_code(2026, m) for m in range(1, 13)]
    assert not any(rule.owes(o, services.find_period(c)) for o in dissolved for c in codes_2026)
    phunu = users.get(username="phunu")
    (women,) = Organization.objects.filter(memberships__user=phunu)
    assert women.pk in gone
    client.force_login(phunu)
    for name in ("reporting:my_periods", "dashboards:reporter"):
        response = client.get(reverse(name))
        rows = [r for t in response.context["tables"] if t["organization"].pk in gone for r in t["rows"]]
        # No period after the body ended (so none of 2026, late or not); its last reports may show.
        assert not [r for r in rows if r.period.end > r.organization.valid_to], name
        section = response.content.decode().split(women.name)[-1].split("<section")[0]
        assert "2026" not in section.replace("08/12/2026", ""), name
    client.force_login(users.get(username="thuongtruc"))
    response = client.get(reverse("dashboards:office"), {"nam": "2026"})
    rows = [row for row in response.context["matrix"] if row.organization.pk in gone]
    assert rows and all(not c.late and not c.owed and c.short == "" for row in rows for c in row.cells)
    # The demo's own history is untouched: its 2019–2023 months were owed while the programs ran.
    program = Program.objects.get(code="bn-phoihop-2019-2023")
    assert all(obligations.owes(party.organization, services.find_period("2020-03")) for party in program.parties.all())
