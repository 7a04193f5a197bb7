"""The benchmark databases: never the dev database.

SQLite files live in var/bench/<scale>.sqlite3; PostgreSQL databases are `phoihop_bench_<scale>`
on the server of PHOIHOP_BENCH_PG (default postgres://phoihop:phoihop@127.0.0.1:55432). Everything
here runs before Django is set up, because the database URL is read once, at settings import.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("PHOIHOP_BENCH_DIR", ROOT / "var" / "bench"))
DEFAULT_PG = "postgres://phoihop:phoihop@127.0.0.1:55432"


def engine_of(url: str) -> str:
    return "sqlite" if url.startswith("sqlite:") else "postgres"


def database_url(scale: str, db: str, explicit: str | None = None) -> str:
    if explicit:
        return explicit
    if db == "sqlite":
        VAR.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{VAR / f'{scale}.sqlite3'}"
    base = os.environ.get("PHOIHOP_BENCH_PG", DEFAULT_PG).rstrip("/")
    parts = urlsplit(base)
    return urlunsplit((parts.scheme, parts.netloc, f"/phoihop_bench_{scale}", "", ""))


def sqlite_path(url: str) -> Path:
    return Path(url[len("sqlite:///"):]) if url.startswith("sqlite:////") else Path(url[len("sqlite:///"):]).resolve()


def _pg_admin(url: str):
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit((parts.scheme, parts.netloc, "/postgres", "", ""))
    return psycopg.connect(admin, autocommit=True), parts.path.lstrip("/")


def prepare(url: str, regenerate: bool = False) -> None:
    """Create the database if missing; with `regenerate`, drop it first."""
    if engine_of(url) == "sqlite":
        path = sqlite_path(url)
        path.parent.mkdir(parents=True, exist_ok=True)
        if regenerate:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    conn, name = _pg_admin(url)
    with conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and regenerate:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def drop(url: str) -> None:
    if engine_of(url) == "sqlite":
        prepare(url, regenerate=True)
        return
    conn, name = _pg_admin(url)
    with conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def setup_django(url: str) -> None:
    """Point the settings at `url` and set Django up (once per process)."""
    os.environ["PHOIHOP_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "phoihop.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def server_version() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return "PostgreSQL " + cursor.fetchone()[0].split()[0]
        cursor.execute("SELECT sqlite_version()")
        return "SQLite " + cursor.fetchone()[0]


def settle() -> None:
    """Between writing and measuring: on SQLite fold the write-ahead log back into the database
    (a long WAL slows every read and its mapped index inflates RSS); on PostgreSQL refresh the
    planner statistics of the big tables, as autovacuum would after a bulk load. First the rollup
    catches up with what the previous benchmark wrote and undid."""
    from django.db import connection

    from phoihop.results import rollup

    rollup.refresh()  # catch up with the writes a benchmark made and undid (as the next read would)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            for table in ("reporting_datavalue", "reporting_submission", "reporting_target", "reporting_activity"):
                cursor.execute(f"ANALYZE {table}")
