"""The rollup (results/rollup.py) stays equal to the data values whatever writes them."""

import datetime as dt
import io
import random
from decimal import Decimal

import pytest
from django.db import connection

from phoihop import factories as f
from phoihop.programs.models import ContentArea
from phoihop.reporting import periods, services
from phoihop.reporting.models import (
    DataValue,
    Indicator,
    Period,
    Submission,
    SubmissionStatus,
)
from phoihop.results import aggregation, rollup
from phoihop.results.models import Rollup
from phoihop.results.tests.test_aggregation import AREAS, dec, report, run

D = dt.date
WHOLE_2019 = (D(2019, 1, 1), D(2019, 12, 31))


@pytest.fixture
def three(org_a, org_b):
    org_c = f.OrganizationFactory(name="Hội Chữ thập đỏ thành phố Thử", short_name="Hội CTĐ")
    program = f.ProgramFactory(code="ct-tong-hop", start=D(2019, 1, 1), end=D(2020, 12, 31))
    for order, org in enumerate((org_a, org_b, org_c)):
        f.PartyFactory(program=program, organization=org, order=order)
    program.content_areas.set(ContentArea.objects.filter(code__in=AREAS))
    return program, [org_a, org_b, org_c]


def figures(org_ids, codes, date_from, date_to, **kwargs):
    ids = list(Indicator.objects.filter(code__in=codes).values_list("pk", flat=True))
    return aggregation.data_figures(org_ids, ids, date_from, date_to, **kwargs)


def reference(org_ids, codes, date_from, date_to, **kwargs):
    return figures(org_ids, codes, date_from, date_to, from_values=True, **kwargs)


def plain(found: dict) -> dict:
    return {key: (acc.total, acc.count, acc.maximum, acc.last, acc.last_end) for key, acc in found.items()}


def test_the_triggers_are_installed_by_migrate(db):
    assert set(rollup.TRIGGER_NAMES) <= rollup.installed_triggers()
    assert len(rollup.TRIGGER_NAMES) == 7 + 3 * len(rollup.OTHER_TABLES)


def test_whole_years_are_read_from_the_rollup(org_a):
    report(org_a, "2019-03", {"blood_units": 4})
    report(org_a, "2019-07", {"blood_units": 6})
    assert rollup.pending() > 0
    found = figures([org_a.pk], ["blood_units"], *WHOLE_2019)
    assert rollup.pending() == 0
    assert Rollup.objects.filter(organization_id=org_a.pk, year=2019, approved=True).count() == 1
    (acc,) = found.values()
    assert (acc.total, acc.count, acc.maximum, acc.last) == (dec(10), 2, dec(6), dec(6))


@pytest.mark.parametrize("write", ["save", "queryset_update", "bulk_update", "delete", "raw_sql", "bulk_create"])
def test_every_way_of_writing_a_value_reaches_the_rollup(org_a, write):
    period = report(org_a, "2019-05", {"blood_units": 5})
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019)  # the rollup is filled
    value = DataValue.objects.get(organization=org_a, period=period)
    expected = dec(9)
    if write == "save":
        value.value = dec(9)
        value.save()
    elif write == "queryset_update":
        DataValue.objects.filter(pk=value.pk).update(value=dec(9))
    elif write == "bulk_update":
        value.value = dec(9)
        DataValue.objects.bulk_update([value], ["value"])
    elif write == "delete":
        value.delete()
        expected = None
    elif write == "raw_sql":
        with connection.cursor() as cursor:
            cursor.execute("UPDATE reporting_datavalue SET value = %s WHERE id = %s", [Decimal(9), value.pk])
    elif write == "bulk_create":
        june = services.get_period("2019-06")
        Submission.objects.create(organization=org_a, period=june, status=SubmissionStatus.APPROVED)
        DataValue.objects.bulk_create([DataValue(organization=org_a, period=june, indicator=value.indicator, value=dec(4))])
    found = figures([org_a.pk], ["blood_units"], *WHOLE_2019)
    total = next(iter(found.values())).total if found else None
    assert total == expected
    assert plain(found) == plain(reference([org_a.pk], ["blood_units"], *WHOLE_2019))


def test_approval_changes_what_counts(org_a):
    period = report(org_a, "2019-05", {"blood_units": 5}, status="submitted")
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019) == {}
    assert next(iter(figures([org_a.pk], ["blood_units"], *WHOLE_2019, include_unapproved=True).values())).total == dec(5)
    Submission.objects.filter(organization=org_a, period=period).update(status=SubmissionStatus.APPROVED)
    assert next(iter(figures([org_a.pk], ["blood_units"], *WHOLE_2019).values())).total == dec(5)
    Submission.objects.filter(organization=org_a, period=period).update(status=SubmissionStatus.RETURNED)
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019) == {}
    Submission.objects.filter(organization=org_a, period=period).delete()
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019) == {}


def test_a_period_moved_to_another_year_rebuilds_the_rollup(org_a):
    period = report(org_a, "2019-05", {"blood_units": 5})
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019)
    Period.objects.filter(pk=period.pk).update(end=D(2020, 1, 5))
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019) == {}
    assert next(iter(figures([org_a.pk], ["blood_units"], D(2020, 1, 1), D(2020, 12, 31)).values())).total == dec(5)


def test_lost_triggers_are_put_back_and_the_rollup_rebuilt(org_a):
    report(org_a, "2019-05", {"blood_units": 5})
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019)
    with connection.cursor() as cursor:  # what a table rebuild by a later SQLite migration does
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER rollup_value_update ON reporting_datavalue")
        else:
            cursor.execute("DROP TRIGGER rollup_value_update")
    DataValue.objects.filter(organization=org_a).update(value=dec(8))  # not seen by the rollup
    assert rollup.ensure_triggers() == ["rollup_value_update"]
    assert rollup.ensure_triggers() == []
    assert next(iter(figures([org_a.pk], ["blood_units"], *WHOLE_2019).values())).total == dec(8)


def _trigger_ids() -> dict[str, int]:
    """Each rollup trigger's identity in the catalogue: a recreated trigger gets a new one."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname, oid FROM pg_trigger WHERE tgname LIKE 'rollup\\_%' AND NOT tgisinternal")
        else:
            cursor.execute("SELECT name, rowid FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rollup\\_%' ESCAPE '\\'")
        return dict(cursor.fetchall())


def _installed_body(name: str) -> str:
    """What the database runs for a trigger: its CREATE text (SQLite) or its function (PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_get_functiondef(t.tgfoid) FROM pg_trigger t WHERE t.tgname = %s", [name])
        else:
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [name])
        return cursor.fetchone()[0]


def _also_queue_other(monkeypatch) -> list[str]:
    """Edit the definition of the values' delete trigger: it also queues the "other" pair. The
    triggers whose definition that changes (PostgreSQL: the reports' delete trigger runs the same
    function body)."""
    if connection.vendor == "postgresql":
        monkeypatch.setitem(rollup._PG_FUNCTIONS, "rollup_mark_old", rollup._PG_FUNCTIONS["rollup_mark_old"]
                            + " UNION SELECT -2, -2")
        return ["rollup_submission_delete", "rollup_value_delete"]
    sql = rollup._SQLITE_TRIGGERS["rollup_value_delete"]
    monkeypatch.setitem(rollup._SQLITE_TRIGGERS, "rollup_value_delete", sql.replace(
        " END", f" INSERT OR IGNORE INTO {rollup.DIRTY} (organization_id, period_id) VALUES (-2, -2); END"))
    return ["rollup_value_delete"]


def test_an_edited_trigger_reaches_an_existing_database_at_migrate(org_a, monkeypatch):
    from django.core.management import call_command

    period = report(org_a, "2019-05", {"blood_units": 5, "members_total": 7})
    assert figures([org_a.pk], ["blood_units"], *WHOLE_2019)
    before = _trigger_ids()
    assert rollup.trigger_state() == {"missing": [], "changed": [], "obsolete": []}

    edited = _also_queue_other(monkeypatch)
    assert rollup.trigger_state()["changed"] == edited
    assert "-2, -2" not in _installed_body("rollup_value_delete")
    call_command("migrate", "reporting", verbosity=0)  # its post_migrate hook compares the fingerprints
    assert "-2, -2" in _installed_body("rollup_value_delete")
    after = _trigger_ids()
    assert all(after[name] != before[name] for name in edited)
    assert {k: v for k, v in after.items() if k not in edited} == {
        k: v for k, v in before.items() if k not in edited}  # the others were left alone
    assert rollup.trigger_state() == {"missing": [], "changed": [], "obsolete": []}

    # the edited trigger runs, and the rollup stays right through the rebuild it asked for
    DataValue.objects.filter(organization=org_a, period=period, indicator__code="members_total").delete()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {rollup.DIRTY} WHERE organization_id = -2")
        assert cursor.fetchone() is not None
    assert next(iter(figures([org_a.pk], ["blood_units"], *WHOLE_2019).values())).total == dec(5)
    assert rollup.check()["differences"] == 0

    # run again: nothing is recreated, nothing is marked dirty
    assert rollup.ensure_triggers() == []
    call_command("migrate", "reporting", verbosity=0)
    assert _trigger_ids() == after and rollup.pending() == 0


def test_an_unchanged_database_is_left_alone_and_a_removed_trigger_is_dropped(org_a, monkeypatch):
    report(org_a, "2019-05", {"blood_units": 5})
    rollup.refresh()
    before = _trigger_ids()
    assert rollup.ensure_triggers() == [] and rollup.pending() == 0 and _trigger_ids() == before

    monkeypatch.delitem(rollup._SQLITE_TRIGGERS, "rollup_period_update")
    monkeypatch.setattr(rollup, "_PG_TRIGGERS", [t for t in rollup._PG_TRIGGERS if t[0] != "rollup_period_update"])
    assert rollup.trigger_state()["obsolete"] == ["rollup_period_update"]
    assert rollup.ensure_triggers() == ["rollup_period_update"]
    assert "rollup_period_update" not in rollup.installed_triggers()
    assert rollup.pending() == 1  # the whole rebuild
    if connection.vendor == "postgresql":  # its function went with it
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_proc WHERE proname = 'rollup_mark_period_update_period'")
            assert cursor.fetchone()[0] == 0
    assert rollup.ensure_triggers() == []


def test_a_trigger_created_by_hand_is_replaced_by_the_definition_of_the_code(org_a):
    from django.core.management import call_command

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER rollup_value_insert ON reporting_datavalue")
            cursor.execute("CREATE TRIGGER rollup_value_insert AFTER INSERT ON reporting_datavalue"
                           " FOR EACH STATEMENT EXECUTE FUNCTION rollup_mark_other()")
        else:
            cursor.execute("DROP TRIGGER rollup_value_insert")
            cursor.execute("CREATE TRIGGER rollup_value_insert AFTER INSERT ON reporting_datavalue BEGIN SELECT 1; END")
    assert rollup.trigger_state()["changed"] == ["rollup_value_insert"]
    out = io.StringIO()
    call_command("rollup", stdout=out)
    assert "Trigger khác định nghĩa trong mã: rollup_value_insert" in out.getvalue()
    assert rollup.ensure_triggers() == ["rollup_value_insert"]
    report(org_a, "2019-05", {"blood_units": 5})
    assert next(iter(figures([org_a.pk], ["blood_units"], *WHOLE_2019).values())).total == dec(5)


def test_a_fresh_migrate_has_the_sqlite_queue_index(db):
    """Migration 0007 creates it (on SQLite only); nothing at run time does."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'rollup_dirty_once'")
            (sql,) = cursor.fetchone()
            assert "UNIQUE" in sql and "(organization_id, period_id)" in sql
        else:
            cursor.execute("SELECT count(*) FROM pg_indexes WHERE indexname = 'rollup_dirty_once'")
            assert cursor.fetchone()[0] == 0
    import inspect

    assert "rollup_dirty_once" not in inspect.getsource(rollup)


def test_rebuild_gives_the_same_rows(org_a, org_b):
    report(org_a, "2019-05", {"blood_units": 5, "members_total": 7})
    report(org_b, "2020-02", {"blood_units": 2}, status="submitted")
    figures([org_a.pk, org_b.pk], ["blood_units"], D(2019, 1, 1), D(2020, 12, 31))
    before = sorted(Rollup.objects.values_list("organization_id", "indicator_id", "period_type", "year", "approved", "total"))
    rollup.rebuild()
    after = sorted(Rollup.objects.values_list("organization_id", "indicator_id", "period_type", "year", "approved", "total"))
    assert before == after and len(after) == 3


def test_results_equal_the_values_read_directly_for_random_data_and_windows(three):
    """Property check: any window, any approval mix, both modes: rollup + edges == the values."""
    program, orgs = three
    rng = random.Random(20261130)
    codes = ["blood_units", "members_total", "volunteer_satisfaction", "propaganda_listeners"]
    months = periods.months_between(D(2018, 11, 1), D(2021, 2, 1))
    for org in orgs:
        for code in rng.sample(months, 18):
            values = {c: rng.randint(0, 50) for c in codes[:3] if rng.random() < 0.8}
            if rng.random() < 0.5:
                values["propaganda_listeners"] = {"nam": rng.randint(0, 9), "nu": rng.randint(0, 9)}
            status = rng.choice(["approved", "approved", "approved", "submitted", "returned"])
            report(org, code, values, status=status)
        for code in ("2019-Q2", "2020-Q3"):
            report(org, code, {"blood_units": rng.randint(1, 40)}, status=rng.choice(["approved", "draft"]))
    ids = [o.pk for o in orgs]
    for _ in range(25):
        start = D(2018, 12, 1) + dt.timedelta(days=rng.randint(0, 500))
        end = start + dt.timedelta(days=rng.randint(0, 800))
        for drafts in (False, True):
            for year in (None, start.year):
                got = figures(ids, codes, start, end, include_unapproved=drafts, year=year)
                want = reference(ids, codes, start, end, include_unapproved=drafts, year=year)
                assert plain(got) == plain(want), (start, end, drafts, year)
    # and through results(): the phase (whole years) and a Decree 09 year (edges)
    for window in ((D(2019, 1, 1), D(2020, 12, 31)), (D(2018, 12, 15), D(2019, 12, 14))):
        rows = run(program, *window)
        assert any(r.value is not None for r in rows)


def test_the_command_reports_refreshes_rebuilds_and_checks(org_a):
    import json

    from django.core.management import CommandError, call_command

    report(org_a, "2019-05", {"blood_units": 5})
    out = io.StringIO()
    call_command("rollup", "--format", "json", stdout=out)
    state = json.loads(out.getvalue())
    assert state["waiting"] > 0 and state["rows"] == 1 and state["triggers_missing"] == state["triggers_changed"] == []
    out = io.StringIO()
    call_command("rollup", "--check", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["differences"] == 0
    Rollup.objects.update(total=Decimal(99))  # a rollup gone wrong (never by the triggers)
    with pytest.raises(CommandError, match="rollup --rebuild"):
        call_command("rollup", "--check", stdout=io.StringIO())
    out = io.StringIO()
    call_command("rollup", "--rebuild", stdout=out)
    assert "Dòng tổng hợp sẵn: 1" in out.getvalue()
    assert rollup.check()["differences"] == 0


def test_many_values_of_one_report_queue_one_change(org_a):
    period = report(org_a, "2019-05", {"blood_units": 5})
    rollup.refresh()
    indicators = Indicator.objects.filter(code__in=["members_total", "recruit_called", "recruit_enlisted"])
    DataValue.objects.bulk_create([DataValue(organization=org_a, period=period, indicator=i, value=dec(3)) for i in indicators])
    DataValue.objects.filter(organization=org_a, period=period).update(value=dec(4))
    assert rollup.pending() == (1 if connection.vendor == "sqlite" else 2)  # PostgreSQL: once per statement
    assert rollup.refresh() == 1
