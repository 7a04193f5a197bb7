"""Saving values for many organisation × period batches at once, set-based (issue 7).

`save_batches(batches, user)` is the one code path for saving values (`save_values` is
a batch of one; the API and the Excel import hand over everything at once). It checks exactly
what saving row by row checked, with the same messages, but in a fixed number of queries:

- permission: once per organisation;
- reports (Submission): fetched in one locking query, the missing ones created in one INSERT;
- indicators each organisation reports: from its programs, content areas and indicators, loaded
  once for all organisations (`services.indicators_for` computed in memory);
- indicators and disaggregation options named by the cells: loaded once into dicts;
- stored values of every batch: one locking query per few hundred batches;
- then multi-row INSERTs of the new values, one UPDATE statement run for every changed one
  (version + 1), and the audit entries the signals would have written, in multi-row INSERTs too
  (`phoihop.core.sql`: the ORM's bulk_create costs more than the whole target of issue 7).

All of it runs in one transaction: any error or conflict in any batch writes nothing at all.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from django.contrib.auth import get_user_model
from django.db import IntegrityError, router, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from phoihop.audit.recorder import (
    created_changes,
    snapshot,
    snapshot_of,
    updated_changes,
    write_entries_bulk,
)
from phoihop.core.models import normalized_text
from phoihop.core.sql import insert_rows, update_rows
from phoihop.organizations.models import Organization
from phoihop.programs.models import Program, ProgramParty
from phoihop.reporting import obligations, periods
from phoihop.reporting.models import DataValue, DisaggregationOption, Indicator, Period, Submission
from phoihop.reporting.services import (
    CellInput,
    Conflict,
    Problem,
    SaveResult,
    beyond_horizon,
    check_range,
    conventions_for,
    ensure_may_report,
    find_period,
    locked_message,
    parse_number,
    stored_period,
)

PAIRS_PER_QUERY = 500  # (organisation, period) pairs per look-up of stored values or reports
_COMMENT_FIELD = DataValue._meta.get_field("comment")
COMMENT_CHARS = _COMMENT_FIELD.max_length  # a longer comment is refused, never cut
_MAX_ID = 2**63 - 1

Key = tuple[int, int]  # (organisation id, period id)


@dataclass
class Batch:
    """The cells one organisation saves for one period. `where(i, cell)` labels a problem's
    place (a row, a sheet cell); by default "dòng i+1"."""

    organization: Organization
    period: Period
    cells: Sequence[CellInput]
    where: Callable[[int, CellInput], str] | None = None

    @property
    def key(self) -> Key:
        return (self.organization.pk, self.period.pk)

    def place(self, i: int) -> str:
        if self.where is None:
            return _("dòng %(n)s") % {"n": i + 1}
        return self.where(i, self.cells[i])


@dataclass
class _Planned:
    """A checked cell, to be compared with the stored value and written."""

    batch: Batch
    result: SaveResult
    indicator: Indicator
    option: DisaggregationOption | None
    value: Decimal | None
    comment: str
    version: int | None


def save_values(
    organization: Organization, period: Period, user, cells: list[CellInput], *,
    check_permission: bool = True, today: dt.date | None = None, where=None,
) -> SaveResult:
    """Save a batch of cells for one organisation and period: all of them or none.

    A cell whose `version` is older than the stored one is a conflict: nothing is saved and the
    result names both values. `where(i, cell)` labels a problem's place (a row, a sheet cell).
    A batch of one for `save_batches`, the one code path for saving values.
    """
    batch = Batch(organization, period, cells, where)
    return save_batches([batch], user, check_permission=check_permission, today=today)[0]


class Row(Protocol):
    """One value sent as a flat row (the API's `DataValueIn`, an exchange import's row…)."""

    organization: int
    indicator: str
    period: str
    value: object
    disaggregation: str | None
    comment: str
    version: int | None


@dataclass
class RowProblem:
    row: int | None  # index in the rows sent, from 0; None: the batch as a whole
    field: str | None
    message: str


@dataclass
class RowConflict:
    row: int | None
    organization: int
    period: str
    conflict: Conflict


def save_rows(rows: Sequence[Row], user) -> SaveResult:
    """Save flat rows (organisation id, indicator code, period code, value, option code, comment,
    version) of any organisations and periods: all of them or none, through `save_batches`.

    An organisation the user does not report for refuses the whole batch first (404 for a
    stranger, 403 for a role too low). Every problem names its row (index from 0); a conflict
    (a value changed since `version`) refuses the batch too, with one message for the batch. The
    result's `errors` are `RowProblem`s and its `conflicts` `RowConflict`s."""
    orgs = Organization.objects.in_bulk({r.organization for r in rows})
    for org in orgs.values():
        try:
            ensure_may_report(user, org)
        except Http404:
            raise Http404(_("Không tìm thấy tổ chức mã số %(id)s trong các tổ chức của bạn.") % {"id": org.pk}) from None
    result = SaveResult()
    groups: dict[tuple[int, str], list[int]] = defaultdict(list)
    conventions = conventions_for(orgs.values())
    codes: dict[tuple[str, str], str | periods.PeriodCodeError] = {}  # (as sent, convention) → code
    for i, row in enumerate(rows):
        if row.organization not in orgs:
            result.errors.append(RowProblem(i, "organization", _("Không có tổ chức mã số %(id)s.") % {"id": row.organization}))
            continue
        sent = (row.period, conventions[row.organization])
        if sent not in codes:
            try:
                codes[sent] = periods.parse(*sent).code
            except periods.PeriodCodeError as exc:
                codes[sent] = exc
        if isinstance(codes[sent], periods.PeriodCodeError):
            result.errors.append(RowProblem(i, "period", str(codes[sent])))
            continue
        groups[(row.organization, codes[sent])].append(i)
    with transaction.atomic():
        found: dict[tuple[str, str], Period] = {}
        batches = []
        for (org_id, code), indexes in groups.items():
            convention = conventions[org_id]
            if (code, convention) not in found:
                found[(code, convention)] = find_period(code, convention)  # stored by save_batches
            cells = [CellInput(indicator=rows[i].indicator, value=rows[i].value, option=rows[i].disaggregation,
                               comment=rows[i].comment, version=rows[i].version) for i in indexes]
            batches.append(Batch(orgs[org_id], found[(code, convention)], cells,
                                 where=lambda n, _cell, indexes=indexes: str(indexes[n])))
        saved = save_batches(batches, user, check_permission=False)
        for ((org_id, code), indexes), batch_result in zip(groups.items(), saved, strict=True):
            for problem in batch_result.errors:
                row_no = int(problem.where) if problem.where.isdigit() else indexes[0]
                field_name = getattr(problem, "field", None) or (None if problem.where else "period")
                result.errors.append(RowProblem(row_no, field_name, problem.message))
            for conflict in batch_result.conflicts:
                result.conflicts.append(RowConflict(_row_of(conflict, rows, indexes), org_id, code, conflict))
        if result.errors or result.conflicts:
            transaction.set_rollback(True)
        else:
            result.saved = sum(r.saved for r in saved)
            result.unchanged = sum(r.unchanged for r in saved)
    if result.conflicts and not result.errors:
        result.errors.append(RowProblem(None, None, _("Có số liệu vừa được người khác sửa; không dòng nào được lưu.")))
    result.errors.sort(key=lambda e: (e.row is None, e.row or 0))
    return result


def _row_of(conflict: Conflict, rows: Sequence[Row], indexes: list[int]) -> int | None:
    """The index of the row that sent the conflicting cell (its indicator and option, by code or id)."""
    option = conflict.option
    for i in indexes:
        row = rows[i]
        same_indicator = row.indicator in (conflict.indicator.code, str(conflict.indicator.pk))
        same_option = (row.disaggregation or None) in ((option.code, str(option.pk)) if option else (None,))
        if same_indicator and same_option:
            return i
    return None


def save_batches(
    batches: Sequence[Batch], user, *, check_permission: bool = True, today: dt.date | None = None,
) -> list[SaveResult]:
    """Save every batch, all of them or none; one SaveResult per batch, in order.

    A batch's errors and conflicts are those `save_values` reported for it alone; when any batch
    has one, nothing is written (and no result counts anything as saved). A cell named twice for
    the same organisation and period, even in two batches, is an error. A period starting more
    than `PHOIHOP_ENTRY_HORIZON_DAYS` after the real date (`today` only moves the closing rule)
    is refused before anything else is checked (`services.beyond_horizon`), and so is a period
    the organisation did not exist on the last day of (`obligations.life_refusal`); a computed
    period is stored here, by the write.
    """
    if check_permission:
        for organization in {b.organization.pk: b.organization for b in batches}.values():
            ensure_may_report(user, organization)
    results = [SaveResult() for _batch in batches]
    if not batches:
        return results
    for batch, result in zip(batches, results, strict=True):  # a period too far ahead takes no values
        too_far = beyond_horizon(batch.period)  # from the real date, not the `today` of the closing rule
        if too_far:
            result.errors.append(Problem("", too_far, field="period"))
        gone = obligations.life_refusal(batch.organization, batch.period)  # it did not exist then
        if gone:
            result.errors.append(Problem("", gone, field="period"))
    if any(r.errors for r in results):
        return results
    with transaction.atomic(), _without_gc_pauses():
        _store_periods(batches)
        submissions = _lock_submissions(batches)
        catalogue = _Catalogue(cell.indicator for batch in batches for cell in batch.cells)
        allowed = _Allowed(batches)
        planned: list[_Planned] = []
        seen: dict[Key, set] = defaultdict(set)
        for batch, result in zip(batches, results, strict=True):
            submission = submissions[batch.key]
            if not submission.entry_open(today):
                result.errors.append(Problem("", locked_message(submission), field="period"))
                continue
            planned.extend(_check(batch, result, catalogue, allowed.ids(batch), seen[batch.key]))
        planned = [cell for cell in planned if not cell.result.errors]  # as before: a batch with errors has no conflicts
        writes, conflicts = _compare(planned, _stored_values({cell.batch.key for cell in planned}))
        _report(conflicts)
        if any(not r.ok for r in results):
            transaction.set_rollback(True)
            return results
        _write(writes, user if getattr(user, "pk", None) else None)
        for cell, _current in writes:
            cell.result.saved += 1
    return results


@contextlib.contextmanager
def _without_gc_pauses():
    """Python's cycle collector, left on, walks the whole heap again and again while a batch makes
    its few dozen objects a row: a fifth of a 10 000-row save (~150 ms). None of them is a
    cycle; collection resumes at the end."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ---------------------------------------------------------------- reports

def _pairs_q(keys: Iterable[Key]) -> Q:
    """organisation × period pairs as one condition: per period, its organisations."""
    by_period: dict[int, list[int]] = defaultdict(list)
    for org_id, period_id in keys:
        by_period[period_id].append(org_id)
    condition = Q(pk__in=[])
    for period_id, org_ids in by_period.items():
        condition |= Q(period_id=period_id, organization_id__in=org_ids)
    return condition


def _chunks(items: Iterable, size: int):
    items = sorted(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _store_periods(batches: Sequence[Batch]) -> None:
    """Periods are stored by the first write for them: a batch's computed (unsaved) period is
    replaced by its row, created if needed (`services.find_period` never creates one)."""
    stored: dict[tuple[str, str], Period] = {}
    for batch in batches:
        if batch.period.pk is None:
            key = (batch.period.convention, batch.period.code)
            if key not in stored:
                stored[key] = stored_period(batch.period)
            batch.period = stored[key]


def _lock_submissions(batches: Sequence[Batch]) -> dict[Key, Submission]:
    """The report of every batch, locked; the missing ones created (and recorded) in bulk."""
    wanted = {b.key: b for b in batches}
    found: dict[Key, Submission] = {}
    for chunk in _chunks(wanted, PAIRS_PER_QUERY):
        for submission in Submission.objects.select_for_update().filter(_pairs_q(chunk)):
            found[(submission.organization_id, submission.period_id)] = submission
    missing = [b for key, b in wanted.items() if key not in found]
    if missing:
        try:
            with transaction.atomic():
                created = _create_submissions(missing)
        except IntegrityError:  # another request created one of them meanwhile: one by one, as before
            for batch in missing:
                existing, _created = Submission.objects.get_or_create(organization=batch.organization, period=batch.period)
                found[batch.key] = Submission.objects.select_for_update().get(pk=existing.pk)
        else:
            found.update(created)
    for key, submission in found.items():  # the messages name the period and organisation
        submission.organization, submission.period = wanted[key].organization, wanted[key].period
    return found


def _create_submissions(batches: list[Batch]) -> dict[Key, Submission]:
    fields = [f for f in Submission._meta.concrete_fields if not f.primary_key]
    created = [Submission(organization=b.organization, period=b.period) for b in batches]
    rows = [tuple(f.pre_save(s, True) for f in fields) for s in created]  # defaults and timestamps, as save() sets them
    returned = insert_rows(Submission, [f.attname for f in fields], rows, returning=["id", "organization_id", "period_id"])
    ids = {(org_id, period_id): pk for pk, org_id, period_id in returned}
    for submission in created:
        submission.pk = ids[(submission.organization_id, submission.period_id)]
        submission._state.adding = False
    write_entries_bulk((s, "create", created_changes(snapshot(s))) for s in created)
    return {(s.organization_id, s.period_id): s for s in created}


# ---------------------------------------------------------------- what each organisation reports

class _Allowed:
    """`services.indicators_for(organization, period)` as id sets, for every batch at once: the
    indicators (not ratios, not text) of the content areas of the organisation's programs in force
    at the period's end, or of all its programs when none is in force then."""

    def __init__(self, batches: Sequence[Batch]) -> None:
        org_ids = {b.organization.pk for b in batches}
        self.programs: dict[int, dict[int, tuple[dt.date, dt.date | None]]] = defaultdict(dict)
        for org_id, program_id, start, end in ProgramParty.objects.filter(organization_id__in=org_ids).values_list(
                "organization_id", "program_id", "program__start", "program__end"):
            self.programs[org_id][program_id] = (start, end)
        program_ids = {p for programs in self.programs.values() for p in programs}
        areas: dict[int, set[int]] = defaultdict(set)
        through = Program.content_areas.through
        for program_id, area_id in through.objects.filter(program_id__in=program_ids).values_list("program_id", "contentarea_id"):
            areas[area_id].add(program_id)
        self.indicators: dict[int, set[int]] = defaultdict(set)  # program id → indicator ids
        reported = (Indicator.objects.filter(content_area_id__in=areas)
                    .exclude(aggregation=Indicator.Aggregation.RATIO).exclude(value_type=Indicator.ValueType.TEXT))
        for area_id, indicator_id in reported.values_list("content_area_id", "pk"):
            for program_id in areas[area_id]:
                self.indicators[program_id].add(indicator_id)
        self._cache: dict[tuple[int, dt.date], set[int]] = {}

    def ids(self, batch: Batch) -> set[int]:
        org_id, day = batch.organization.pk, batch.period.end
        if (org_id, day) not in self._cache:
            programs = self.programs.get(org_id, {})
            in_force = [p for p, (start, end) in programs.items() if start <= day and (end is None or end >= day)]
            ids: set[int] = set()
            for program_id in in_force or programs:
                ids |= self.indicators.get(program_id, set())
            self._cache[(org_id, day)] = ids
        return self._cache[(org_id, day)]


# ---------------------------------------------------------------- indicators and options named by the cells

def _as_id(ref) -> int | None:
    """The id a reference names when it is written as one (as `pk=ref` read it), else None."""
    if isinstance(ref, int) or str(ref).isdigit():
        try:
            number = int(ref)
        except ValueError:  # other Unicode digits ("²")
            return None
        return number if 0 <= number <= _MAX_ID else None
    return None


class _Catalogue:
    """The indicators the cells name and their disaggregation options, loaded once; look-ups
    answer as the per-cell queries of saving row by row did: an indicator by id when written as
    one, else (or when no such id) by code; an option of the indicator's disaggregation by id when
    written as digits, else by code."""

    def __init__(self, refs: Iterable) -> None:
        refs = set(refs)
        ids = {n for n in map(_as_id, refs) if n is not None}
        codes = {str(ref) for ref in refs}
        found = list(Indicator.objects.select_related("disaggregation").filter(Q(pk__in=ids) | Q(code__in=codes)))
        self.by_id = {i.pk: i for i in found}
        self.by_code = {i.code: i for i in found}
        self.option_by_id: dict[tuple[int, int], DisaggregationOption] = {}
        self.option_by_code: dict[tuple[int, str], DisaggregationOption] = {}
        disaggregations = {i.disaggregation_id for i in found if i.disaggregation_id}
        for option in DisaggregationOption.objects.filter(disaggregation_id__in=disaggregations):
            self.option_by_id[(option.disaggregation_id, option.pk)] = option
            self.option_by_code[(option.disaggregation_id, option.code)] = option
        self._cache: dict = {}
        self._option_codes: dict[int, str] | None = None

    def indicator(self, ref) -> Indicator | None:
        if ref not in self._cache:
            number = _as_id(ref)
            found = self.by_id.get(number) if number is not None else None
            self._cache[ref] = found or self.by_code.get(str(ref))
        return self._cache[ref]

    def option(self, indicator: Indicator, ref) -> tuple[DisaggregationOption | None, str | None]:
        if ref in (None, "", 0, "0"):
            if indicator.disaggregation_id:
                return None, _("chỉ số này cần ghi theo phân tổ “%(d)s”") % {"d": indicator.disaggregation.name}
            return None, None
        if not indicator.disaggregation_id:
            return None, _("chỉ số này không có phân tổ")
        if str(ref).isdigit():
            option = self.option_by_id.get((indicator.disaggregation_id, _as_id(ref)))
        else:
            option = self.option_by_code.get((indicator.disaggregation_id, str(ref)))
        if option is None:
            return None, _("không có nhóm phân tổ “%(o)s”") % {"o": self._option_name(ref)}
        return option, None

    def _option_name(self, ref) -> str:
        """An option named by id (the entry page's way) is named by its code, as the API and the
        workbook name it; an unknown reference as it was sent. Every option's code is read once,
        at the first such reference (the options are a short list)."""
        if not str(ref).isdigit():
            return str(ref)
        if self._option_codes is None:
            self._option_codes = dict(DisaggregationOption.objects.values_list("pk", "code"))
        return self._option_codes.get(_as_id(ref)) or str(ref)


# ---------------------------------------------------------------- checking and comparing

def _check(batch: Batch, result: SaveResult, catalogue: _Catalogue, allowed: set[int], seen: set) -> list[_Planned]:
    """The batch's cells checked one by one, with the messages saving row by row gave."""
    planned = []
    for i, cell in enumerate(batch.cells):
        indicator = catalogue.indicator(cell.indicator)
        if indicator is None:
            result.errors.append(Problem(batch.place(i), _("không có chỉ số “%(c)s”") % {"c": cell.indicator}, field="indicator"))
            continue
        if indicator.pk not in allowed:
            result.errors.append(Problem(batch.place(i), _("“%(c)s” không thuộc các chỉ số tổ chức này báo cáo") % {"c": indicator.name}, field="indicator"))
            continue
        option, problem = catalogue.option(indicator, cell.option)
        if problem:
            result.errors.append(Problem(batch.place(i), problem, field="disaggregation"))
            continue
        key = (indicator.pk, option.pk if option else None)
        if key in seen:
            result.errors.append(Problem(batch.place(i), _("chỉ số “%(c)s” bị nhập hai lần") % {"c": indicator.name}, field="indicator"))
            continue
        seen.add(key)
        comment = normalized_text(_COMMENT_FIELD, cell.comment or "")  # as stored: the length the rule counts
        if len(comment) > COMMENT_CHARS:
            result.errors.append(Problem(batch.place(i), f"{indicator.name}: " + _(
                "ghi chú dài %(n)s ký tự, quá giới hạn %(max)s ký tự") % {"n": len(comment), "max": COMMENT_CHARS},
                field="comment"))
            continue
        try:
            value = parse_number(cell.value, indicator)
        except ValueError as exc:
            result.errors.append(Problem(batch.place(i), f"{indicator.name}: {exc}", field="value"))
            continue
        problem = check_range(value, indicator)
        if problem:
            result.errors.append(Problem(batch.place(i), f"{indicator.name}: {problem}", field="value"))
            continue
        planned.append(_Planned(batch, result, indicator, option, value, comment, cell.version))
    return planned


def _stored_values(keys: set[Key]) -> dict[tuple[int, int, int, int | None], DataValue]:
    """The stored values of these organisation × period pairs, locked, by (org, period, indicator, option)."""
    stored = {}
    for chunk in _chunks(keys, PAIRS_PER_QUERY):
        for value in DataValue.objects.select_for_update().filter(_pairs_q(chunk)):
            stored[(value.organization_id, value.period_id, value.indicator_id, value.option_id)] = value
    return stored


@dataclass
class _PendingConflict:
    planned: _Planned
    theirs: Decimal | None
    by_id: int | None


def _compare(planned: list[_Planned], existing: dict) -> tuple[list, list[_PendingConflict]]:
    """(writes, conflicts): a write is (planned cell, stored value or None); unchanged cells are
    counted, a cell left empty where nothing is stored among them (it writes no empty row)."""
    writes, conflicts = [], []
    for cell in planned:
        org_id, period_id = cell.batch.key
        current = existing.get((org_id, period_id, cell.indicator.pk, cell.option.pk if cell.option else None))
        current_version = current.version if current else 0
        if cell.version is not None and cell.version != current_version:
            theirs = current.value if current else None
            if theirs != cell.value:
                conflicts.append(_PendingConflict(cell, theirs, current.updated_by_id if current else None))
                continue
        if current and current.value == cell.value and current.comment == cell.comment:
            cell.result.unchanged += 1
            continue
        if current is None and cell.value is None and not cell.comment:  # left empty where nothing is stored
            cell.result.unchanged += 1
            continue
        writes.append((cell, current))
    return writes, conflicts


def _report(conflicts: list[_PendingConflict]) -> None:
    """Each conflict in its batch's result, naming who saved the stored value (one query for all)."""
    users = get_user_model().objects.in_bulk({c.by_id for c in conflicts if c.by_id})
    for c in conflicts:
        by = users[c.by_id].get_username() if c.by_id in users else ""
        c.planned.result.conflicts.append(Conflict(c.planned.indicator, c.planned.option, c.planned.value, c.theirs, by))


# ---------------------------------------------------------------- writing

# Every column of a new value, in the model's field order (DataValue.from_db reads them so; a test
# checks this list against the model).
_INSERTED = ["created_at", "updated_at", "organization_id", "indicator_id", "period_id", "option_id", "value",
             "text_value", "comment", "version", "updated_by_id"]
_KEY = ["organization_id", "period_id", "indicator_id", "option_id"]
_UPDATED = ["value", "comment", "version", "updated_by_id", "updated_at"]


def _snapshot_of_cell(cell: _Planned, value: Decimal | None, text_value: str, comment: str) -> dict:
    """The audit snapshot of the cell's row holding these values (its relations are the batch's)."""
    return snapshot_of(DataValue, {
        "organization": cell.batch.organization, "indicator": cell.indicator, "period": cell.batch.period,
        "option": cell.option, "value": value, "text_value": text_value, "comment": comment,
    })


def _write(writes: list[tuple[_Planned, DataValue | None]], updated_by) -> None:
    """Insert the new values, update the changed ones (version + 1), and record each change as
    the audit signals would have (`save()` is never called: see phoihop/core/sql.py)."""
    now = timezone.now()
    by_id = updated_by.pk if updated_by is not None else None
    comment_field = DataValue._meta.get_field("comment")
    new_rows, changed_rows, entries = [], [], []
    for cell, current in writes:
        comment = normalized_text(comment_field, cell.comment)
        if current is None:
            org_id, period_id = cell.batch.key
            option_id = cell.option.pk if cell.option else None
            new_rows.append((now, now, org_id, cell.indicator.pk, period_id, option_id, cell.value, "", comment, 1, by_id))
            entries.append((cell, None, None))
            continue
        before = _snapshot_of_cell(cell, current.value, current.text_value, current.comment)
        current.value, current.comment, current.version = cell.value, comment, current.version + 1
        current.updated_by_id, current.updated_at = by_id, now
        changed_rows.append((current.pk, current.value, current.comment, current.version, by_id, now))
        entries.append((cell, current, before))
    returned = insert_rows(DataValue, _INSERTED, new_rows, returning=["id", *_KEY])
    ids = {tuple(row[1:]): row[0] for row in returned}
    update_rows(DataValue, _UPDATED, changed_rows)
    db = router.db_for_write(DataValue)
    created = iter(new_rows)

    def audited():
        for cell, current, before in entries:
            if current is None:
                row = next(created)
                pk = ids[(row[2], row[4], row[3], row[5])]
                value = DataValue.from_db(db, ["id", *_INSERTED], (pk, *row))
                yield value, "create", created_changes(_snapshot_of_cell(cell, value.value, value.text_value, value.comment))
            else:
                changes = updated_changes(before, _snapshot_of_cell(cell, current.value, current.text_value, current.comment))
                if changes:  # a comment that differed only before normalising records nothing, as save() did
                    yield current, "update", changes

    write_entries_bulk(audited())
