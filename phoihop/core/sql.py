"""Set-based writes with as little Python per row as the database allows (bulk imports).

`insert_rows` and `update_rows` take plain tuples of the values a model's fields hold, convert
them as the ORM would (`field.get_db_prep_save`, column by column: once per distinct value where
values repeat, not at all where the field leaves them as they are) and send them in a few
statements. No model instances, no defaults, no `auto_now`, no signals: callers pass every value
and record what they change themselves (`audit.recorder.write_entries_bulk`). At 10 000 rows on
SQLite, `bulk_create` spends ~55 µs a row (an instance, then every field prepared); these ~15.
See docs/adr/0004-bulk-writes.md.

`decimal_of` and `date_of` read the other way: a value of a raw SQL row as the ORM would give it
(SQLite returns floats and text where PostgreSQL returns Decimals and dates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.db import NotSupportedError, connections, router
from django.db.models import Field, Model

MAX_ROWS_PER_STATEMENT = 1000

# Types a field converts alike whatever the value (true of Django's own fields): when a column's
# first value of such a type comes back from `get_db_prep_save` equal and of the same type, the
# column's values of that type are sent as they are. (bool is not among them: True is 1.)
_PLAIN = (str, int, Decimal, type(None))


def _column(field: Field, values: tuple, connection) -> Sequence:
    """One column's values converted as the ORM would, with as few calls as possible."""
    prep = field.get_db_prep_save
    kinds = set(map(type, values))
    plain = {kind for kind in kinds & set(_PLAIN) if _unchanged(prep, next(v for v in values if type(v) is kind), connection)}
    if kinds <= plain:
        return values
    if all(isinstance(v, (dt.date, *_PLAIN)) for v in values):  # hashable, e.g. one timestamp for all rows
        converted = {}
        for value in set(values):
            converted[(type(value), value)] = value if type(value) in plain else prep(value, connection)
        return [converted[(type(v), v)] for v in values]
    return [v if type(v) in plain else prep(v, connection) for v in values]


def _unchanged(prep, sample, connection) -> bool:
    converted = prep(sample, connection)
    return type(converted) is type(sample) and converted == sample


def _prepare(model: type[Model], field_names: Sequence[str], rows: Iterable[Sequence], connection) -> tuple[list, list]:
    fields = [model._meta.get_field(name) for name in field_names]
    rows = list(rows)
    if not rows:
        return fields, []
    if any(len(row) != len(fields) for row in rows):
        raise ValueError(f"every row needs {len(fields)} values: {', '.join(field_names)}")
    columns = [_column(field, values, connection) for field, values in zip(fields, zip(*rows, strict=True), strict=True)]
    return fields, list(zip(*columns, strict=True))


def insert_rows(
    model: type[Model], field_names: Sequence[str], rows: Iterable[Sequence], *, returning: Sequence[str] = (),
) -> list[tuple]:
    """INSERT one row per tuple of values, in `field_names` order (attnames: "organization_id"),
    many rows a statement (on SQLite a third faster than executemany).

    With `returning`, the inserted rows' values of those columns come back (as the database driver
    gives them; e.g. the id and a unique key to match ids to rows), in no promised order."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields, prepared = _prepare(model, field_names, rows, connection)
    if not prepared:
        return []
    if returning and not connection.features.can_return_rows_from_bulk_insert:
        raise NotSupportedError("insert_rows(returning=…) needs INSERT … RETURNING (SQLite ≥ 3.35, PostgreSQL).")
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)}) VALUES "
    tail = f" RETURNING {', '.join(quote(model._meta.get_field(name).column) for name in returning)}" if returning else ""
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per = min(MAX_ROWS_PER_STATEMENT, (connection.features.max_query_params or 65535) // len(fields))
    out: list[tuple] = []
    with connection.cursor() as cursor:
        for start in range(0, len(prepared), per):
            chunk = prepared[start:start + per]
            cursor.execute(head + ", ".join([one] * len(chunk)) + tail, [value for row in chunk for value in row])
            if returning:
                out.extend(tuple(row) for row in cursor.fetchall())
    return out


def update_rows(model: type[Model], field_names: Sequence[str], rows: Iterable[Sequence]) -> None:
    """UPDATE `field_names` of each row: a tuple (pk, *values in `field_names` order)."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    fields, prepared = _prepare(model, [pk.attname, *field_names], rows, connection)
    if not prepared:
        return
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields[1:])
    sql = f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row[1:], row[0]) for row in prepared])


# ------------------------------------------------------------------ raw rows

CENT = Decimal("0.01")


def decimal_of(raw) -> Decimal | None:
    """A number from a raw SQL row (SQLite gives floats, PostgreSQL Decimals) as a 2-place Decimal."""
    if raw is None:
        return None
    value = raw if isinstance(raw, Decimal) else Decimal(str(raw))
    return value.quantize(CENT)


def date_of(raw) -> dt.date | None:
    """A date from a raw SQL row (SQLite gives text)."""
    if raw is None or isinstance(raw, dt.date):
        return raw
    return dt.date.fromisoformat(str(raw)[:10])
