"""Issue 8, point 3: an Excel import, an approval and a review generation killed half-way.

Each operation runs as a real process (`phoihop import`, `phoihop review-report`, a small
script for the approval and for issuing a review through its page) against a database of its
own — a SQLite file in tmp_path, or a PostgreSQL database created for the test when the suite
runs on PostgreSQL — and is killed with SIGKILL at a chosen point (crash_hooks.py, put in the
process by a sitecustomize wrapper; production code has no hook) or at a random moment. Then:
the database is intact (SQLite: PRAGMA integrity_check and foreign_key_check), nothing is
half-written (all values of the file or none; the approval with its audit entry or neither; an
issued review with its stored report), and running the operation again succeeds.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings

from phoihop.hardening.crash_hooks import SITECUSTOMIZE

REPO = Path(__file__).resolve().parents[2]
PHOIHOP = [sys.executable, "-m", "phoihop"]
SCENARIO = [sys.executable, "-m", "phoihop.hardening.scenario"]
IS_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


# ---------------------------------------------------------------- databases of their own

class Database:
    """A throw-away database for the subprocesses, with plain SQL access for the checks."""

    def __init__(self, url: str, path: Path | None = None, name: str | None = None):
        self.url, self.path, self.name = url, path, name

    def query(self, sql: str, *params) -> list[tuple]:
        if self.path is not None:
            import sqlite3

            with sqlite3.connect(self.path) as conn:
                return conn.execute(sql, params).fetchall()
        import psycopg

        with psycopg.connect(self.url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), params).fetchall()

    def one(self, sql: str, *params):
        return self.query(sql, *params)[0][0]

    def check_integrity(self) -> None:
        if self.path is not None:
            assert self.query("PRAGMA integrity_check") == [("ok",)]
            assert self.query("PRAGMA foreign_key_check") == []


def _pg_admin():
    import psycopg

    db = settings.DATABASES["default"]
    return psycopg.connect(host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], password=db["PASSWORD"],
                           dbname="postgres", autocommit=True)


def _drop_pg_database(name: str) -> None:
    """Drop a scratch database. WITH (FORCE) ends the sessions still on it; an autovacuum worker
    started on the new database can only be ended by a member of pg_signal_backend (granted by
    .ci/run): without it, wait for the worker to finish and try again."""
    import psycopg

    for attempt in range(60):
        try:
            with _pg_admin() as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except (psycopg.errors.InsufficientPrivilege, psycopg.errors.ObjectInUse):
            if attempt == 59:
                raise
            time.sleep(0.5)


def _pg_url(name: str) -> str:
    db = settings.DATABASES["default"]
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT'] or 5432}/{name}"


def _env(url: str, var: Path, hook: str | None = None, marker: Path | None = None, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PHOIHOP_", "PYTEST_", "DJANGO_"))}
    env.update({
        "PHOIHOP_DATABASE_URL": url, "PHOIHOP_VAR_DIR": str(var), "PHOIHOP_SECRET_KEY": "khoa-thu-nghiem-sap-nguon",
        "PHOIHOP_LOG_LEVEL": "ERROR", "PYTHONPATH": f"{var / 'hook'}{os.pathsep}{REPO}", "PYTHONDONTWRITEBYTECODE": "1",
    })
    if hook:
        env.update({"PHOIHOP_CRASH_HOOK": hook, "PHOIHOP_CRASH_MARKER": str(marker)})
    env.update(extra)
    return env


def _run(cmd: list[str], env: dict, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A migrated database with the scenario, made once per worker; each test gets a copy."""
    folder = tmp_path_factory.mktemp("sap-nguon")
    (folder / "hook").mkdir()
    (folder / "hook" / "sitecustomize.py").write_text(SITECUSTOMIZE)
    created = []
    if IS_POSTGRES:
        name = f"phoihop_crash_{uuid.uuid4().hex[:10]}"
        with _pg_admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        created.append(name)
        url = _pg_url(name)
    else:
        url = f"sqlite:///{folder / 'base.sqlite3'}"
    for cmd in (PHOIHOP + ["migrate", "--noinput", "-v0"], SCENARIO + ["setup", str(folder)]):
        done = _run(cmd, _env(url, folder), timeout=300)
        assert done.returncode == 0, done.stderr[-3000:]
    yield {"folder": folder, "url": url, "pg_name": created[0] if created else None}
    if created:
        _drop_pg_database(created[0])


@dataclass
class World:
    db: Database
    folder: Path
    scenario: dict

    def env(self, hook: str | None = None, **extra) -> dict:
        return _env(self.db.url, self.folder, hook, self.folder / "reached", **extra)


@pytest.fixture
def world(base, tmp_path):
    shutil.copytree(base["folder"], tmp_path, dirs_exist_ok=True)
    if IS_POSTGRES:
        name = f"phoihop_crash_{uuid.uuid4().hex[:10]}"
        with _pg_admin() as admin:
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{base["pg_name"]}"')
        db = Database(_pg_url(name), name=name)
    else:
        db = Database(f"sqlite:///{tmp_path / 'base.sqlite3'}", path=tmp_path / "base.sqlite3")
    yield World(db, tmp_path, json.loads((tmp_path / "scenario.json").read_text()))
    if IS_POSTGRES:
        _drop_pg_database(db.name)


def run_and_kill(cmd: list[str], env: dict, marker: Path | None, *, delay: float | None = None, timeout: float = 60) -> bool:
    """Start `cmd`; SIGKILL it once `marker` appears (plus a few random ms) or after `delay`
    seconds. True when it was killed, False when it finished first."""
    process = subprocess.Popen(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.monotonic()
    try:
        while process.poll() is None:
            elapsed = time.monotonic() - started
            if (marker is not None and marker.exists()) or (delay is not None and elapsed >= delay):
                time.sleep(random.uniform(0, 0.03))
                process.send_signal(signal.SIGKILL)
                process.wait(10)
                return True
            assert elapsed < timeout, "the process neither reached the crash point nor finished"
            time.sleep(0.01)
        assert marker is None, f"finished before the crash point: {process.stderr.read()[-2000:]}"
        return False
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(10)
        process.stderr.close()


# ---------------------------------------------------------------- the Excel import

def _import_state(w: World) -> tuple[int, int]:
    values = w.db.one(
        "SELECT count(*) FROM reporting_datavalue v JOIN reporting_period p ON p.id = v.period_id "
        "WHERE v.organization_id = ? AND p.code = ?", w.scenario["organization"], w.scenario["import_period"])
    created = w.db.one(
        "SELECT count(*) FROM audit_auditentry a JOIN django_content_type t ON t.id = a.content_type_id "
        "WHERE t.app_label = 'reporting' AND t.model = 'datavalue' AND a.action = 'create'")
    return values, created


def _import(w: World) -> list[str]:
    return PHOIHOP + ["import", str(w.folder / "filled.xlsx"), "--user", "baocao"]


def test_an_import_killed_mid_transaction_writes_nothing_and_can_be_run_again(world):
    before = _import_state(world)
    assert run_and_kill(_import(world), world.env("datavalue-save"), world.folder / "reached")
    world.db.check_integrity()
    assert _import_state(world) == before, "a killed import left part of its values (or their audit entries)"
    done = _run(_import(world), world.env())
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    rows = world.scenario["import_rows"]
    assert _import_state(world) == (before[0] + rows, before[1] + rows)


@pytest.mark.parametrize("seed", [1, 2])
def test_an_import_killed_at_a_random_moment_is_all_or_nothing(world, seed):
    rng = random.Random(seed + int(os.environ.get("PHOIHOP_CRASH_SEED", "0")))
    before = _import_state(world)
    rows = world.scenario["import_rows"]
    run_and_kill(_import(world), world.env(), None, delay=rng.uniform(0.8, 3.5))
    world.db.check_integrity()
    after = _import_state(world)
    assert after in (before, (before[0] + rows, before[1] + rows)), (before, after)
    done = _run(_import(world), world.env())
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert _import_state(world) == (before[0] + rows, before[1] + rows)


# ---------------------------------------------------------------- the approval

def _approval_state(w: World) -> tuple:
    status, approved_at = w.db.query("SELECT status, approved_at FROM reporting_submission WHERE id = ?", w.scenario["submission"])[0]
    transitions = w.db.one(
        "SELECT count(*) FROM audit_auditentry a JOIN django_content_type t ON t.id = a.content_type_id "
        "WHERE t.model = 'submission' AND a.object_id = ? AND a.action = 'transition' AND CAST(a.changes AS TEXT) LIKE ?",
        str(w.scenario["submission"]), '%"approved"%')
    return status, approved_at is not None, transitions


def test_an_approval_killed_before_commit_leaves_the_report_submitted_and_can_be_approved_again(world):
    assert _approval_state(world) == ("submitted", False, 0)
    assert run_and_kill(SCENARIO + ["approve", str(world.folder)], world.env("approval-recorded"), world.folder / "reached")
    world.db.check_integrity()
    assert _approval_state(world) == ("submitted", False, 0)
    done = _run(SCENARIO + ["approve", str(world.folder)], world.env())
    assert done.returncode == 0, done.stderr[-2000:]
    assert _approval_state(world) == ("approved", True, 1)


# ---------------------------------------------------------------- the review report

def _valid_docx(path: Path) -> bool:
    if not path.exists() or not zipfile.is_zipfile(path):
        return False
    from docx import Document

    try:
        Document(str(path))
    except Exception:  # noqa: BLE001 - any failure to open is "not a valid report"
        return False
    return True


def test_a_review_report_killed_while_writing_keeps_the_previous_file_and_can_be_run_again(world):
    out = world.folder / "bao-cao" / "so-ket.docx"
    cmd = PHOIHOP + ["review-report", str(world.scenario["review"]), "-o", str(out)]
    done = _run(cmd, world.env())
    assert done.returncode == 0 and _valid_docx(out), done.stderr[-2000:]
    assert run_and_kill(cmd, world.env("docx-write", PHOIHOP_CRASH_DIR=str(out.parent)), world.folder / "reached")
    world.db.check_integrity()
    assert _valid_docx(out), "the report file was left half-written (truncated .docx)"
    out.unlink()
    assert run_and_kill(cmd, world.env("docx-write", PHOIHOP_CRASH_DIR=str(out.parent)), world.folder / "reached")
    assert not out.exists() or _valid_docx(out), "a first report killed while writing left a corrupt .docx"
    done = _run(cmd, world.env())
    assert done.returncode == 0 and _valid_docx(out), done.stderr[-2000:]


def _review_state(w: World) -> tuple[str, int]:
    status = w.db.one("SELECT status FROM reviews_review WHERE id = ?", w.scenario["review"])
    issued = w.db.one("SELECT count(*) FROM reviews_issuedreport WHERE review_id = ?", w.scenario["review"])
    return status, issued


def test_issuing_a_review_killed_half_way_is_consistent_and_can_be_issued_again(world):
    """The page moves the review to "issued" and stores the issued report: both or neither."""
    assert _review_state(world) == ("held", 0)
    assert run_and_kill(SCENARIO + ["issue", str(world.folder)], world.env("before-issue-report"), world.folder / "reached")
    world.db.check_integrity()
    assert _review_state(world) in (("held", 0), ("issued", 1)), "the review is issued without its stored report"
    done = _run(SCENARIO + ["issue", str(world.folder)], world.env())
    assert done.returncode == 0, done.stderr[-2000:]
    assert _review_state(world) == ("issued", 1), "issuing again does not complete the issue"
