"""Vietnamese ordering in the database.

PostgreSQL orders with its ICU collation `vi-x-icu`; on SQLite the same name is registered on
every connection with the pure-Python key of `phoihop.core.vietnamese`. Code calls `vi_order()`
and never cares which engine it runs on.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet
from django.db.models.functions import Collate

from phoihop.core.vietnamese import compare

SQLITE_NAME = "vi"
POSTGRES_NAME = "vi-x-icu"


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_NAME, compare)


def collation_name() -> str:
    return POSTGRES_NAME if connection.vendor == "postgresql" else SQLITE_NAME


def vi_field(field: str) -> Collate:
    return Collate(F(field), collation_name())


def vi_order(queryset: QuerySet, *fields: str) -> QuerySet:
    """Order `queryset` by `fields` in Vietnamese order ("-name" for descending)."""
    ordering = []
    for field in fields:
        desc = field.startswith("-")
        expr = vi_field(field.lstrip("-"))
        ordering.append(expr.desc() if desc else expr.asc())
    return queryset.order_by(*ordering)
