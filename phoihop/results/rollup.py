"""Pre-aggregated figures per organisation × indicator × period type × year, kept right on every write.

`aggregation.data_figures()` reads whole years from `Rollup` instead of every data value: a
province's five-year phase is ~50 000 rollup rows instead of ~1 M values. Correctness does not
depend on any code path remembering to update it:

- database triggers on `reporting_datavalue`, `reporting_submission` (its status) and
  `reporting_period` (its type and end) append the changed (organisation, period) pairs to
  `RollupDirty` — whatever wrote the row: the grid, the API, the Excel import, the admin, a
  migration or raw SQL;
- `refresh()` — called before every read — claims the dirty pairs and recomputes, from the data
  values, every rollup row of the (organisation, period type, year) they fall in.

A row holds what the window query needs to combine years exactly: the total, the number of
periods, the largest period value, the latest period's end and its value. Rows are split by
approval (the organisation's report for the period approved or not), so the approved-only mode
reads `approved = true` and the draft mode adds both.

The triggers are checked after every `migrate` (`ensure_triggers`, on `post_migrate`) by the
SHA-256 fingerprint of their definition: missing ones are installed (SQLite drops a table's
triggers when Django rebuilds the table), ones whose definition here changed are dropped and
created again, ones no longer defined are dropped, the others are left alone. When any was
touched, every cell is marked dirty, so the rollup is rebuilt by the next read. `phoihop rollup
--rebuild` does the same by hand. Why triggers, and how to change one safely:
docs/adr/0005-rollup.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from typing import NamedTuple

from django.db import connections, transaction

from phoihop.core.sql import date_of, decimal_of
from phoihop.reporting.models import SubmissionStatus

DIRTY = "reporting_rollupdirty"
ROLLUP = "reporting_rollup"
VERSION = "reporting_rollupversion"
# PostgreSQL: one advisory lock serialises refreshes (two refreshes of the same year must not
# interleave their delete and insert). SQLite serialises writers by itself.
ADVISORY_KEY = 7_150_302

# ------------------------------------------------------------------ triggers

def _queue(row: str) -> str:
    """SQLite: queue the (organisation, period) of the OLD or NEW row."""
    return f"INSERT OR IGNORE INTO {DIRTY} (organization_id, period_id) VALUES ({row}.organization_id, {row}.period_id);"


def _sqlite_cell_triggers(table: str, short: str, changed: list[str]) -> dict[str, str]:
    """Insert, update (when one of `changed` differs: both the old and the new cell) and delete."""
    when = " OR ".join(f"OLD.{column} IS NOT NEW.{column}" for column in changed)
    return {
        f"rollup_{short}_insert": f"CREATE TRIGGER rollup_{short}_insert AFTER INSERT ON {table} BEGIN {_queue('NEW')} END",
        f"rollup_{short}_update": (f"CREATE TRIGGER rollup_{short}_update AFTER UPDATE ON {table} WHEN {when}"
                                   f" BEGIN {_queue('OLD')} {_queue('NEW')} END"),
        f"rollup_{short}_delete": f"CREATE TRIGGER rollup_{short}_delete AFTER DELETE ON {table} BEGIN {_queue('OLD')} END",
    }


_SQLITE_TRIGGERS = {
    **_sqlite_cell_triggers("reporting_datavalue", "value",
                            ["value", "organization_id", "period_id", "indicator_id", "option_id"]),
    **_sqlite_cell_triggers("reporting_submission", "submission", ["status", "organization_id", "period_id"]),
    "rollup_period_update": f"""
        CREATE TRIGGER rollup_period_update AFTER UPDATE ON reporting_period
        WHEN OLD.type IS NOT NEW.type OR OLD."end" IS NOT NEW."end"
        BEGIN INSERT OR IGNORE INTO {DIRTY} (organization_id, period_id) VALUES (-1, -1); END""",
}

# PostgreSQL: statement-level triggers with transition tables, so a bulk write (COPY, a
# multi-row INSERT) marks each (organisation, period) once per statement, not once per row.
_PG_FUNCTIONS = {
    "rollup_mark_new": f"""
        INSERT INTO {DIRTY} (organization_id, period_id)
        SELECT DISTINCT organization_id, period_id FROM rollup_new""",
    "rollup_mark_old": f"""
        INSERT INTO {DIRTY} (organization_id, period_id)
        SELECT DISTINCT organization_id, period_id FROM rollup_old""",
    "rollup_mark_value_update": f"""
        INSERT INTO {DIRTY} (organization_id, period_id)
        SELECT DISTINCT x.organization_id, x.period_id FROM rollup_old o JOIN rollup_new n ON n.id = o.id,
          LATERAL (VALUES (o.organization_id, o.period_id), (n.organization_id, n.period_id)) AS x(organization_id, period_id)
        WHERE o.value IS DISTINCT FROM n.value OR o.organization_id <> n.organization_id
           OR o.period_id <> n.period_id OR o.indicator_id <> n.indicator_id
           OR o.option_id IS DISTINCT FROM n.option_id""",
    "rollup_mark_submission_update": f"""
        INSERT INTO {DIRTY} (organization_id, period_id)
        SELECT DISTINCT x.organization_id, x.period_id FROM rollup_old o JOIN rollup_new n ON n.id = o.id,
          LATERAL (VALUES (o.organization_id, o.period_id), (n.organization_id, n.period_id)) AS x(organization_id, period_id)
        WHERE o.status IS DISTINCT FROM n.status OR o.organization_id <> n.organization_id
           OR o.period_id <> n.period_id""",
    "rollup_mark_period_update": f"""
        INSERT INTO {DIRTY} (organization_id, period_id)
        SELECT -1, -1 WHERE EXISTS (SELECT 1 FROM rollup_old o JOIN rollup_new n ON n.id = o.id
          WHERE o.type IS DISTINCT FROM n.type OR o."end" IS DISTINCT FROM n."end")""",
}

# (trigger name, table, event, transition tables, function). PostgreSQL caches a function's
# plans against the transition tables' row type, so each table has functions of its own.
_PG_TRIGGERS = [
    ("rollup_value_insert", "reporting_datavalue", "INSERT", "NEW TABLE AS rollup_new", "rollup_mark_new"),
    ("rollup_value_update", "reporting_datavalue", "UPDATE", "OLD TABLE AS rollup_old NEW TABLE AS rollup_new",
     "rollup_mark_value_update"),
    ("rollup_value_delete", "reporting_datavalue", "DELETE", "OLD TABLE AS rollup_old", "rollup_mark_old"),
    ("rollup_submission_insert", "reporting_submission", "INSERT", "NEW TABLE AS rollup_new", "rollup_mark_new"),
    ("rollup_submission_update", "reporting_submission", "UPDATE", "OLD TABLE AS rollup_old NEW TABLE AS rollup_new",
     "rollup_mark_submission_update"),
    ("rollup_submission_delete", "reporting_submission", "DELETE", "OLD TABLE AS rollup_old", "rollup_mark_old"),
    ("rollup_period_update", "reporting_period", "UPDATE", "OLD TABLE AS rollup_old NEW TABLE AS rollup_new",
     "rollup_mark_period_update"),
]

# Everything else `aggregation.results()` reads: a write to any of these only replaces the
# "other" version token (no rollup row depends on them).
OTHER_TABLES = (
    "reporting_submission",  # an activity counts when its lead's report is approved
    "reporting_activity", "reporting_activityvalue", "reporting_activity_co_organizers", "reporting_target",
    "reporting_indicator", "programs_program", "programs_programparty", "programs_program_predecessors",
    "programs_program_content_areas", "programs_contentarea", "organizations_organization",
)
OTHER = (-2, -2)  # the dirty pair that means "something else than values changed"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def _other_name(table: str, event: str) -> str:
    return f"rollup_other_{table}_{event.lower()}"


for _table in OTHER_TABLES:
    for _event in EVENTS:
        _SQLITE_TRIGGERS[_other_name(_table, _event)] = (
            f"CREATE TRIGGER {_other_name(_table, _event)} AFTER {_event} ON {_table}"
            f" BEGIN INSERT OR IGNORE INTO {DIRTY} (organization_id, period_id) VALUES (-2, -2); END"
        )

TRIGGER_NAMES = tuple(_SQLITE_TRIGGERS)
_PG_OTHER_FUNCTION = "rollup_mark_other"


def normalised(sql: str) -> str:
    """A definition with its whitespace collapsed (what its fingerprint is taken of)."""
    return " ".join(sql.split())


def fingerprint(*statements: str) -> str:
    return hashlib.sha256("\n".join(normalised(s) for s in statements).encode()).hexdigest()


class Definition(NamedTuple):
    """How a trigger is installed: its table, its function (PostgreSQL) and the statements."""

    table: str
    function: str | None
    statements: tuple[str, ...]

    @property
    def fingerprint(self) -> str:
        return fingerprint(*self.statements)


def _pg_function(name: str, body: str) -> str:
    return f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body}; RETURN NULL; END $$"


def _table_of(sql: str) -> str:
    return sql.split(" ON ", 1)[1].split()[0]


def definitions(vendor: str) -> dict[str, Definition]:
    """Each trigger's name → its definition (on PostgreSQL its function first), built from the
    code as it is now. Their fingerprints are what `ensure_triggers` compares."""
    if vendor != "postgresql":
        return {name: Definition(_table_of(sql), None, (sql,)) for name, sql in _SQLITE_TRIGGERS.items()}
    found = {}
    for name, table, event, referencing, function in _PG_TRIGGERS:
        own = f"{function}_{table.removeprefix('reporting_')}"
        found[name] = Definition(table, own, (
            _pg_function(own, _PG_FUNCTIONS[function]),
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING {referencing}"
            f" FOR EACH STATEMENT EXECUTE FUNCTION {own}()",
        ))
    other = _pg_function(_PG_OTHER_FUNCTION, f"INSERT INTO {DIRTY} (organization_id, period_id) VALUES (-2, -2)")
    for table in OTHER_TABLES:
        for event in EVENTS:
            name = _other_name(table, event)
            found[name] = Definition(table, _PG_OTHER_FUNCTION, (
                other,
                f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH STATEMENT EXECUTE FUNCTION {_PG_OTHER_FUNCTION}()",
            ))
    return found


_COMMENT = "phoihop rollup sha256:"  # PostgreSQL: the comment on a trigger holds its fingerprint


def _installed(using: str) -> dict[str, tuple[str | None, str]]:
    """The rollup triggers in the database: name → (fingerprint of what is installed, how to drop it).
    SQLite keeps each trigger's CREATE text, so its fingerprint is taken of that text; PostgreSQL
    keeps a rewritten definition, so the fingerprint written at installation is read from the
    trigger's comment (a trigger created by hand has none, so it counts as changed)."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'rollup\\_%' ESCAPE '\\'")
            return {name: (fingerprint(sql), f'DROP TRIGGER IF EXISTS "{name}"') for name, sql in cursor.fetchall()}
        cursor.execute(
            "SELECT t.tgname, t.tgrelid::regclass::text, obj_description(t.oid, 'pg_trigger') FROM pg_trigger t"
            " WHERE t.tgname LIKE 'rollup\\_%' AND NOT t.tgisinternal"
        )
        return {
            name: (comment.removeprefix(_COMMENT) if comment and comment.startswith(_COMMENT) else None,
                   f'DROP TRIGGER IF EXISTS "{name}" ON {table}')
            for name, table, comment in cursor.fetchall()
        }


def installed_triggers(using: str = "default") -> set[str]:
    return set(_installed(using))


def _compare(expected: dict[str, Definition], present: dict[str, tuple[str | None, str]]) -> dict[str, list[str]]:
    return {
        "missing": sorted(set(expected) - set(present)),
        "changed": sorted(name for name in set(expected) & set(present) if present[name][0] != expected[name].fingerprint),
        "obsolete": sorted(set(present) - set(expected)),
    }


def trigger_state(using: str = "default") -> dict[str, list[str]]:
    """Compare the database's triggers with the code: {"missing", "changed" (installed from another
    definition), "obsolete" (no longer defined)}, each a sorted list of trigger names."""
    return _compare(definitions(connections[using].vendor), _installed(using))


def _tables_exist(connection) -> bool:
    return {ROLLUP, DIRTY} <= set(connection.introspection.table_names())


def ensure_triggers(using: str = "default") -> list[str]:
    """Make the database's triggers those of the code: install the missing ones, drop and
    recreate those whose definition changed, drop the obsolete ones; leave the others alone.
    The names touched (sorted); when there are any, every cell is marked dirty (a trigger that
    was missing or different may have missed changes), so the next read rebuilds the rollup."""
    connection = connections[using]
    if not _tables_exist(connection):
        return []
    expected, present = definitions(connection.vendor), _installed(using)
    state = _compare(expected, present)
    touched = sorted(state["missing"] + state["changed"] + state["obsolete"])
    if not touched:
        return []
    with transaction.atomic(using=using), connection.cursor() as cursor:
        for name in state["obsolete"] + state["changed"]:
            cursor.execute(present[name][1])
        for name in state["missing"] + state["changed"]:
            definition = expected[name]
            for statement in definition.statements:
                cursor.execute(statement)
            if connection.vendor == "postgresql":  # a hex digest: nothing to quote
                cursor.execute(f"COMMENT ON TRIGGER {name} ON {definition.table} IS '{_COMMENT}{definition.fingerprint}'")
        if connection.vendor == "postgresql":
            _drop_unused_functions(cursor, {definition.function for definition in expected.values()})
        mark_all_dirty(using)
    return touched


def _drop_unused_functions(cursor, wanted: set[str]) -> None:
    """PostgreSQL: drop the rollup's trigger functions no trigger uses any more."""
    cursor.execute(
        "SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
        " WHERE n.nspname = current_schema() AND p.proname LIKE 'rollup\\_%' AND p.prorettype = 'trigger'::regtype"
    )
    for (name,) in cursor.fetchall():
        if name not in wanted:
            cursor.execute(f'DROP FUNCTION IF EXISTS "{name}"()')


EVERYTHING = (-1, -1)  # the dirty pair that means "rebuild the whole rollup" (a period changed)


def mark_all_dirty(using: str = "default") -> None:
    """Ask for a whole rebuild: the next read recomputes the rollup from every data value."""
    with connections[using].cursor() as cursor:
        verb = "INSERT OR IGNORE" if connections[using].vendor == "sqlite" else "INSERT"
        cursor.execute(f"{verb} INTO {DIRTY} (organization_id, period_id) VALUES (%s, %s)", list(EVERYTHING))


def after_migrate(sender, using="default", **kwargs) -> None:
    ensure_triggers(using)


# ------------------------------------------------------------------ refresh

def _claim(cursor, vendor: str) -> set[tuple[int, int]]:
    """Take the dirty pairs out of the queue (inside the refresh's transaction)."""
    if vendor == "postgresql":
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_KEY])
        cursor.execute(
            f"WITH taken AS (DELETE FROM {DIRTY} RETURNING organization_id, period_id)"
            " SELECT DISTINCT organization_id, period_id FROM taken"
        )
        return {(o, p) for o, p in cursor.fetchall()}
    # SQLite: the transaction already holds the write lock (IMMEDIATE), so nothing can be
    # added between the read and the delete.
    cursor.execute(f"SELECT MAX(id) FROM {DIRTY}")
    (top,) = cursor.fetchone()
    if top is None:
        return set()
    cursor.execute(f"SELECT DISTINCT organization_id, period_id FROM {DIRTY} WHERE id <= %s", [top])
    pairs = {(o, p) for o, p in cursor.fetchall()}
    cursor.execute(f"DELETE FROM {DIRTY} WHERE id <= %s", [top])
    return pairs


# Every cell (organisation × indicator × period, options added up) of the given organisations
# with a period of the given type ending in [start, end], then per organisation × indicator ×
# approval: total, periods, largest, latest end and the latest period's value.
_RECOMPUTE_SQL = """
WITH cell AS (
    SELECT v.organization_id AS o, v.indicator_id AS i, p."end" AS pe, SUM(v.value) AS val,
           COALESCE(MAX(s.status), '') = %s AS ok
    FROM reporting_datavalue v
    JOIN reporting_period p ON p.id = v.period_id
    LEFT JOIN reporting_submission s ON s.organization_id = v.organization_id AND s.period_id = v.period_id
    WHERE v.value IS NOT NULL AND p.type = %s AND p."end" >= %s AND p."end" <= %s AND v.organization_id IN ({orgs})
    GROUP BY v.organization_id, v.indicator_id, v.period_id, p."end"
),
ranked AS (SELECT o, i, pe, val, ok, MAX(pe) OVER (PARTITION BY o, i, ok) AS le FROM cell)
SELECT o, i, ok, SUM(val) AS t, COUNT(*) AS n, MAX(val) AS mx, MAX(le) AS lend,
       SUM(CASE WHEN pe = le THEN val ELSE 0 END) AS lv
FROM ranked GROUP BY o, i, ok
"""

CHUNK = 500  # organisations per statement (well under SQLite's parameter limit)


def _rows_of(cursor, period_type: str, year: int, marks: str, chunk: list[int]) -> set[tuple]:
    cursor.execute(
        f'SELECT organization_id, indicator_id, approved, total, "count", top, last_end, last_value FROM {ROLLUP}'
        f" WHERE period_type = %s AND year = %s AND organization_id IN ({marks})",
        [period_type, year, *chunk],
    )
    return {(o, i, bool(ok), *_figures(t, n, mx, le, lv)) for o, i, ok, t, n, mx, le, lv in cursor.fetchall()}


def _figures(total, count, top, last_end, last_value) -> tuple:
    """A rollup row's figures as comparable values, whichever database read them."""
    return decimal_of(total), count, decimal_of(top), date_of(last_end), decimal_of(last_value)


def _recompute(cursor, period_type: str, year: int, org_ids: list[int], *, compare: bool = True) -> set[bool]:
    """Recompute the rows of (type, year) for the organisations; the approval flags whose rows
    changed ({True, False} when not compared)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    changed: set[bool] = set() if compare else {True, False}
    for i in range(0, len(org_ids), CHUNK):
        chunk = org_ids[i:i + CHUNK]
        marks = ", ".join(["%s"] * len(chunk))
        before = _rows_of(cursor, period_type, year, marks, chunk) if compare else set()
        cursor.execute(
            f"DELETE FROM {ROLLUP} WHERE period_type = %s AND year = %s AND organization_id IN ({marks})",
            [period_type, year, *chunk],
        )
        cursor.execute(
            f"INSERT INTO {ROLLUP} (organization_id, indicator_id, period_type, year, approved, total, count, top,"
            " last_end, last_value)"
            f" SELECT o, i, %s, %s, ok, t, n, mx, lend, lv FROM ({_RECOMPUTE_SQL.format(orgs=marks)}) AS fresh",
            [period_type, year, SubmissionStatus.APPROVED, period_type, start, end, *chunk],
        )
        if compare:
            after = _rows_of(cursor, period_type, year, marks, chunk)
            changed |= {row[2] for row in before ^ after}
    return changed


# ------------------------------------------------------------------ version tokens

VERSIONS = ("approved", "draft", "other")


def _replace_tokens(cursor, names) -> None:
    for name in sorted(set(names)):
        token = secrets.token_hex(16)
        cursor.execute(f"UPDATE {VERSION} SET token = %s WHERE name = %s", [token, name])
        if cursor.rowcount == 0:
            cursor.execute(f"INSERT INTO {VERSION} (name, token) VALUES (%s, %s)", [name, token])


def stamp(include_unapproved: bool, using: str = "default") -> tuple | None:
    """The tokens the figures of that mode depend on (after a refresh); None when a token is
    missing (then nothing may be cached)."""
    names = VERSIONS if include_unapproved else ("approved", "other")
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT name, token FROM {VERSION} WHERE name IN ({', '.join(['%s'] * len(names))})", list(names))
        found = dict(cursor.fetchall())
    if set(found) != set(names):
        return None
    return tuple(found[name] for name in names)


def refresh(using: str = "default") -> int:
    """Recompute the rollup rows of every dirty cell; the number of (organisation, period) pairs.
    Replaces the version token of each kind of figure that changed."""
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {DIRTY} LIMIT 1")
        if cursor.fetchone() is None:
            return 0
    with transaction.atomic(using=using), connection.cursor() as cursor:
        pairs = _claim(cursor, connection.vendor)
        if not pairs:
            return 0
        changed: set[str] = set()
        if OTHER in pairs:
            changed.add("other")
            pairs.discard(OTHER)
        if EVERYTHING in pairs:
            _rebuild_all(cursor)
            _replace_tokens(cursor, VERSIONS)
            return len(pairs)
        period_ids = sorted({p for _o, p in pairs})
        kinds: dict[int, tuple[str, int]] = {}
        for i in range(0, len(period_ids), CHUNK):
            chunk = period_ids[i:i + CHUNK]
            cursor.execute(
                f'SELECT id, type, "end" FROM reporting_period WHERE id IN ({", ".join(["%s"] * len(chunk))})', chunk,
            )
            for pk, kind, end in cursor.fetchall():
                kinds[pk] = (kind, date_of(end).year)
        orgs_by_key: dict[tuple[str, int], set[int]] = defaultdict(set)
        for org_id, period_id in pairs:
            if period_id in kinds:  # a deleted period has no values left
                orgs_by_key[kinds[period_id]].add(org_id)
        for (kind, year), org_ids in sorted(orgs_by_key.items()):
            flags = _recompute(cursor, kind, year, sorted(org_ids))
            changed |= {"approved" if flag else "draft" for flag in flags}
        _replace_tokens(cursor, changed)
    return len(pairs)


def _everything(cursor) -> tuple[list[int], list[tuple[str, int]]]:
    """(every organisation with values, every (period type, year) with values)."""
    cursor.execute("SELECT DISTINCT organization_id FROM reporting_datavalue ORDER BY organization_id")
    org_ids = [row[0] for row in cursor.fetchall()]
    cursor.execute('SELECT DISTINCT p.type, p."end" FROM reporting_period p'
                   " WHERE EXISTS (SELECT 1 FROM reporting_datavalue v WHERE v.period_id = p.id)")
    return org_ids, sorted({(kind, date_of(end).year) for kind, end in cursor.fetchall()})


def _rebuild_all(cursor) -> None:
    """Every rollup row again, one (period type, year) at a time: memory stays flat at any scale."""
    cursor.execute(f"DELETE FROM {ROLLUP}")
    org_ids, keys = _everything(cursor)
    for kind, year in keys:
        _recompute(cursor, kind, year, org_ids, compare=False)


def rebuild(using: str = "default") -> int:
    """Recompute the whole rollup (normally never needed: the triggers keep it right)."""
    mark_all_dirty(using)
    return refresh(using)


def pending(using: str = "default") -> int:
    with connections[using].cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {DIRTY}")
        return cursor.fetchone()[0]


def check(using: str = "default") -> dict:
    """Compare the stored rollup with a recomputation from the values (after a refresh):
    {"rows": stored rows, "differences": keys that differ, "examples": a few of them}."""
    refresh(using)
    connection = connections[using]
    with connection.cursor() as cursor:
        org_ids, keys = _everything(cursor)
        expected = {}
        for kind, year in keys:
            for i in range(0, len(org_ids), CHUNK):
                chunk = org_ids[i:i + CHUNK]
                cursor.execute(
                    _RECOMPUTE_SQL.format(orgs=", ".join(["%s"] * len(chunk))),
                    [SubmissionStatus.APPROVED, kind, dt.date(year, 1, 1), dt.date(year, 12, 31), *chunk],
                )
                for o, i_, ok, total, n, top, last_end, last_value in cursor.fetchall():
                    expected[(o, i_, kind, year, bool(ok))] = _figures(total, n, top, last_end, last_value)
        cursor.execute(
            f'SELECT organization_id, indicator_id, period_type, year, approved, total, "count", top, last_end, last_value FROM {ROLLUP}'
        )
        stored = {(o, i_, kind, year, bool(ok)): _figures(total, n, top, last_end, last_value)
                  for o, i_, kind, year, ok, total, n, top, last_end, last_value in cursor.fetchall()}
    differing = sorted(k for k in set(expected) | set(stored) if expected.get(k) != stored.get(k))
    return {"rows": len(stored), "differences": len(differing), "examples": [list(k) for k in differing[:5]]}
