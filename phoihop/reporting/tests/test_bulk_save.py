"""Saving many organisation × period batches at once: one transaction, a fixed number of queries,
the same checks, messages and audit entries as saving row by row."""

import datetime as dt
import math
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import Http404
from django.utils import timezone

from phoihop import factories as f
from phoihop.audit import workflow
from phoihop.audit.context import acting_as
from phoihop.audit.models import AuditEntry
from phoihop.audit.recorder import history_for
from phoihop.core import sql
from phoihop.programs.models import ContentArea
from phoihop.reporting import bulk, services
from phoihop.reporting.models import DataValue, Indicator, Submission, SubmissionStatus

TODAY = dt.date(2019, 7, 20)  # every month from 2019-08 on is open for entry
MONTHS = ["2019-08", "2019-09", "2019-10", "2019-11", "2019-12"]


@pytest.fixture
def program(org_a, org_b):
    program = f.ProgramFactory(code="ct-lo")
    program.content_areas.set(ContentArea.objects.filter(code__in=["gratitude", "recruitment", "propaganda"]))
    f.PartyFactory(program=program, organization=org_a, role="lead")
    f.PartyFactory(program=program, organization=org_b)
    return program


def batch(org, month, *cells, **values):
    cells = [*cells, *(services.CellInput(code, value) for code, value in values.items())]
    return bulk.Batch(org, services.get_period(month), cells)


def save(batches, user, **options):
    return bulk.save_batches(batches, user, today=TODAY, **options)


def stored():
    return {
        (v.organization_id, v.period.code, v.indicator.code, v.option.code if v.option else None): (v.value, v.version)
        for v in DataValue.objects.select_related("period", "indicator", "option")
    }


def test_a_bulk_save_creates_and_updates_values_of_several_organisations_and_months(program, org_a, org_b, sysadmin):
    first = save([*(batch(org_a, m, recruit_called=10, recruit_enlisted=5) for m in MONTHS[:3]),
                  batch(org_b, "2019-08", recruit_called=7)], sysadmin)
    assert [(r.ok, r.saved, r.unchanged) for r in first] == [(True, 2, 0)] * 3 + [(True, 1, 0)]
    second = save([
        batch(org_a, "2019-08", recruit_called=10, recruit_enlisted=6),
        batch(org_b, "2019-08", services.CellInput("propaganda_listeners", "1.234", option="nu"), recruit_called=8),
    ], sysadmin)
    assert [(r.saved, r.unchanged) for r in second] == [(1, 1), (2, 0)]
    values = stored()
    assert values[(org_a.pk, "2019-08", "recruit_called", None)] == (10, 1)
    assert values[(org_a.pk, "2019-08", "recruit_enlisted", None)] == (6, 2)
    assert values[(org_a.pk, "2019-10", "recruit_enlisted", None)] == (5, 1)
    assert values[(org_b.pk, "2019-08", "recruit_called", None)] == (8, 2)
    assert values[(org_b.pk, "2019-08", "propaganda_listeners", "nu")] == (1234, 1)
    assert len(values) == 8
    assert set(DataValue.objects.values_list("updated_by", flat=True)) == {sysadmin.pk}
    assert Submission.objects.count() == 4


def test_a_value_written_in_bulk_reads_back_as_one_saved_by_the_orm(program, org_a, reporter):
    before = timezone.now()
    save([batch(org_a, "2019-08", services.CellInput("gratitude_gift_value", "12,5", comment="  Đợt 1 "))], reporter)
    value = DataValue.objects.get()
    assert value.value == Decimal("12.5") and value.comment == "Đợt 1" and value.text_value == ""
    assert value.version == 1 and value.updated_by == reporter
    assert before <= value.created_at == value.updated_at <= timezone.now()


def test_each_created_or_changed_value_has_its_audit_entry_by_the_acting_user(program, org_a, reporter):
    with acting_as(reporter):
        save([batch(org_a, "2019-08", recruit_called=10), batch(org_a, "2019-09", recruit_called=3)], reporter)
        save([batch(org_a, "2019-08", recruit_called=12), batch(org_a, "2019-09", recruit_called=3)], reporter)
    august = DataValue.objects.get(period__code="2019-08")
    entries = list(history_for(august).order_by("id"))
    assert [e.action for e in entries] == ["create", "update"]
    assert {e.actor for e in entries} == {reporter}
    assert entries[1].changes == {"value": ["10.00", "12.00"]}
    assert AuditEntry.objects.filter(object_repr__contains=": ").count() == 3  # the unchanged September wrote none


def test_bulk_audit_entries_read_exactly_as_those_the_signals_write(program, org_a, reporter):
    """The same changes made row by row (ORM, signals) in August and in bulk in September."""
    august, september = services.get_period("2019-08"), services.get_period("2019-09")
    called = Indicator.objects.get(code="recruit_called")
    with acting_as(reporter):
        services.submission_for(org_a, august)
        one = DataValue.objects.create(organization=org_a, indicator=called, period=august, value=Decimal("10.00"),
                                       comment="Đợt 1", updated_by=reporter)
        one.value, one.version = Decimal("12.00"), 2
        one.save()
        save([bulk.Batch(org_a, september, [services.CellInput("recruit_called", 10, comment="Đợt 1")])], reporter)
        save([bulk.Batch(org_a, september, [services.CellInput("recruit_called", 12, comment="Đợt 1")])], reporter)
    other = DataValue.objects.get(period=september)

    def read(obj, period):
        return [
            (e.action, e.actor_id, e.actor_label, e.note,
             e.object_repr.replace(f"/{period.pk}:", "/P:").replace(period.label, "P"),
             {k: [v if v != period.label else "P" for v in pair] for k, pair in e.changes.items()})
            for e in history_for(obj).order_by("id")
        ]

    assert read(one, august) == read(other, september)
    assert [e[0] for e in read(other, september)] == ["create", "update"]
    assert read(Submission.objects.get(period=august), august) == read(Submission.objects.get(period=september), september)


def test_one_bad_cell_in_one_batch_writes_nothing_in_any_batch(program, org_a, org_b, sysadmin):
    batches = [batch(org_a, "2019-08", recruit_called=10), batch(org_b, "2019-09", recruit_quota=1, recruit_called="abc")]
    entries = AuditEntry.objects.count()
    results = save(batches, sysadmin)
    assert results[0].ok and results[0].saved == 0
    problem = results[1].errors[0]
    assert (problem.where, problem.field) == ("dòng 2", "value") and "không phải là số" in problem.message
    assert not DataValue.objects.exists() and not Submission.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_cell_named_in_two_batches_of_the_same_report_is_entered_twice(program, org_a, sysadmin):
    results = save([batch(org_a, "2019-08", recruit_called=10), batch(org_a, "2019-08", recruit_called=11)], sysadmin)
    assert results[0].ok and "bị nhập hai lần" in results[1].errors[0].message
    assert not DataValue.objects.exists()


def test_stale_versions_in_several_batches_are_all_conflicts_and_nothing_is_written(program, org_a, org_b, sysadmin, reporter):
    save([batch(org_a, "2019-08", recruit_called=10), batch(org_b, "2019-08", recruit_called=20)], sysadmin)
    stale = [services.CellInput("recruit_called", 11, version=0)]
    results = save([
        bulk.Batch(org_a, services.get_period("2019-08"), stale),
        batch(org_a, "2019-09", recruit_called=1),
        bulk.Batch(org_b, services.get_period("2019-08"), [services.CellInput("recruit_called", 21, version=0)]),
    ], reporter, check_permission=False)
    assert [len(r.conflicts) for r in results] == [1, 0, 1]
    conflict = results[2].conflicts[0]
    assert (conflict.theirs, conflict.yours, conflict.by) == (20, 21, "sysadmin")
    assert "sysadmin" in conflict.message() and "21" in conflict.message()
    assert results[1].saved == 0
    values = stored()
    assert values[(org_a.pk, "2019-08", "recruit_called", None)] == (10, 1)
    assert values[(org_b.pk, "2019-08", "recruit_called", None)] == (20, 1)
    assert (org_a.pk, "2019-09", "recruit_called", None) not in values


def test_an_approved_report_refuses_its_batch_and_nothing_else_is_written(program, org_a, sysadmin):
    save([batch(org_a, "2019-08", recruit_called=10)], sysadmin)
    submission = Submission.objects.get(organization=org_a)
    workflow.move(submission, SubmissionStatus.SUBMITTED)
    workflow.move(submission, SubmissionStatus.APPROVED)
    results = save([batch(org_a, "2019-08", recruit_called=11), batch(org_a, "2019-09", recruit_called=1)], sysadmin)
    problem = results[0].errors[0]
    assert problem.field == "period" and "đã được duyệt" in problem.message
    assert results[1].ok and results[1].saved == 0
    assert stored() == {(org_a.pk, "2019-08", "recruit_called", None): (10, 1)}


def test_permission_is_checked_for_every_organisation_before_anything(program, org_a, org_b, reporter, viewer):
    with pytest.raises(Http404):
        save([batch(org_a, "2019-08", recruit_called=1), batch(org_b, "2019-08", recruit_called=1)], reporter)
    with pytest.raises(PermissionDenied):
        save([batch(org_a, "2019-08", recruit_called=1)], viewer)
    assert not DataValue.objects.exists() and not Submission.objects.exists()


@pytest.fixture
def fifty_indicators(program):
    area = ContentArea.objects.create(code="thu-lo", name="Nội dung thử lô")
    program.content_areas.add(area)
    return [Indicator.objects.create(code=f"thu_lo_{n:02d}", name=f"Chỉ số thử {n}", unit="lần", content_area=area)
            for n in range(50)]


def test_the_number_of_queries_does_not_grow_with_the_rows(
    program, org_a, org_b, sysadmin, fifty_indicators, django_assert_max_num_queries,
):
    def ten_batches(months, per_batch, value):
        return [bulk.Batch(org, services.get_period(m), [services.CellInput(i.code, value) for i in fifty_indicators[:per_batch]])
                for org in (org_a, org_b) for m in months]

    small, large = ten_batches(MONTHS, 5, 1), ten_batches([f"2020-{m:02d}" for m in range(1, 6)], 50, 1)
    changed = ten_batches([f"2020-{m:02d}" for m in range(1, 6)], 50, 2)
    counted = []
    for batches, rows in ((small, 50), (large, 500), (changed, 500)):  # new, new, then changed values
        with django_assert_max_num_queries(25) as queries:
            assert sum(r.saved for r in save(batches, sysadmin)) == rows
        counted.append([q["sql"].startswith("INSERT") for q in queries.captured_queries])
    # The look-ups are the same whatever the rows (the changed values need no new reports, one
    # UPDATE); only the INSERTs grow, by one a statement's worth of rows (on SQLite ~100).
    assert [flags.count(False) for flags in counted] == [10, 10, 9]
    values, entries = (lambda n: statements(n, 11)), (lambda n: statements(n, 9))
    assert [flags.count(True) for flags in counted] == [2 + values(50) + entries(50), 2 + values(500) + entries(500), entries(500)]


def statements(rows: int, columns: int) -> int:
    per = min(sql.MAX_ROWS_PER_STATEMENT, (connection.features.max_query_params or 65535) // columns)
    return math.ceil(rows / per)
    assert DataValue.objects.filter(version=2).count() == 500
    assert AuditEntry.objects.filter(action="update", object_repr__endswith=": 2.00").count() == 500


def test_the_indicators_allowed_in_bulk_are_those_of_indicators_for(org_a, org_b):
    old = f.ProgramFactory(code="ct-cu", start=dt.date(2016, 1, 1), end=dt.date(2018, 12, 31))
    old.content_areas.set(ContentArea.objects.filter(code__in=["gratitude"]))
    new = f.ProgramFactory(code="ct-moi", start=dt.date(2019, 1, 1), end=None)
    new.content_areas.set(ContentArea.objects.filter(code__in=["recruitment", "propaganda"]))
    f.PartyFactory(program=old, organization=org_a)
    f.PartyFactory(program=new, organization=org_a)
    f.PartyFactory(program=old, organization=org_b)  # nothing in force in 2019: all its programs
    org_c = f.OrganizationFactory(name="Đoàn Thanh niên thành phố Thử")
    pairs = [(org, services.get_period(code)) for org in (org_a, org_b, org_c) for code in ("2017-05", "2019-08", "2019")]
    allowed = bulk._Allowed([bulk.Batch(org, period, []) for org, period in pairs])
    for org, period in pairs:
        assert allowed.ids(bulk.Batch(org, period, [])) == {i.pk for i in services.indicators_for(org, period)}, (org, period)


def test_the_columns_of_a_new_value_follow_the_model():
    assert bulk._INSERTED == [f.attname for f in DataValue._meta.concrete_fields if not f.primary_key]
