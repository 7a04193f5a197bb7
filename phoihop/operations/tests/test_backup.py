"""`phoihop backup` → `phoihop restore` into a fresh empty database: every table row by row and
every uploaded file byte by byte come back; a refusal leaves the target untouched.

Runs on the engine of the test run: SQLite (scratch databases are new files) or PostgreSQL (new
databases created with the test role's CREATEDB). Everything happens as in real life, in separate
`phoihop` processes on scratch databases: `migrate`, some data (backup_data.py: factories, an
approved report, an activity with an uploaded file, files with Vietnamese names), `backup`,
`restore`. The test database is not touched, so no transactional test is needed.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.utils import load_backend

from phoihop.operations import backup

ENGINE = backup.engine_of(connection.settings_dict)


def _need_tools():
    if ENGINE == backup.POSTGRESQL:
        for tool in ("pg_dump", "pg_restore"):
            try:
                backup.pg_tool(tool)
            except backup.BackupError:
                pytest.skip(f"{tool} is not installed (package postgresql-client); the PostgreSQL backup needs it")


class Scratch:
    """New empty databases of the test run's engine, dropped at the end (PostgreSQL)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.base = dict(connection.settings_dict)
        self.created: list[str] = []

    def new(self, label: str) -> dict:
        if ENGINE == backup.SQLITE:
            return {**self.base, "NAME": str(self.folder / f"{label}.sqlite3")}
        name = f"phoihop_bk_{label}_{uuid.uuid4().hex[:10]}"
        with backup._pg_connect({**self.base, "NAME": "postgres"}, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        self.created.append(name)
        return {**self.base, "NAME": name}

    def drop_all(self) -> None:
        if not self.created:
            return
        with backup._pg_connect({**self.base, "NAME": "postgres"}, autocommit=True) as conn:
            for name in self.created:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url(settings_dict: dict) -> str:
    if ENGINE == backup.SQLITE:
        return f"sqlite:///{settings_dict['NAME']}"
    return (f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD']}@{settings_dict['HOST'] or 'localhost'}"
            f":{settings_dict['PORT'] or 5432}/{settings_dict['NAME']}")


def phoihop(*args: str, database: dict, var: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PHOIHOP_") and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"PHOIHOP_DATABASE_URL": url(database), "PHOIHOP_VAR_DIR": str(var)})
    return subprocess.run([sys.executable, "-m", "phoihop", *args], env=env, capture_output=True, text=True,
                          timeout=180, check=False)


@pytest.fixture(scope="module")
def scratch(tmp_path_factory):
    _need_tools()
    scratch = Scratch(tmp_path_factory.mktemp("sao-luu"))
    yield scratch
    scratch.drop_all()


@pytest.fixture(scope="module")
def source(scratch):
    """A scratch database migrated and loaded by `phoihop` processes, and its backup."""
    database = scratch.new("nguon")
    var = scratch.folder / "var-nguon"
    for args in (["migrate", "--noinput", "-v0"],
                 ["shell", "-c", "from phoihop.operations.tests.backup_data import load; load()"]):
        done = phoihop(*args, database=database, var=var)
        assert done.returncode == 0, done.stderr
    archive = scratch.folder / "phoihop-sao-luu.tar.gz"
    made = phoihop("backup", "-o", str(archive), "--format", "json", database=database, var=var)
    assert made.returncode == 0, made.stderr
    return {"database": database, "var": var, "media": var / "media", "archive": archive, "made": json.loads(made.stdout)}


def _wrapper(settings_dict: dict):
    """A Django connection to a scratch database, with the same type conversions as the app's."""
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias=f"scratch_{uuid.uuid4().hex[:6]}")


def _all_rows(settings_dict: dict) -> dict[str, list[tuple]]:
    conn = _wrapper(settings_dict)
    tables = {}
    try:
        with conn.cursor() as cursor:
            for table in sorted(conn.introspection.table_names(cursor)):
                keys = conn.introspection.get_primary_key_columns(cursor, table) or []
                order = ", ".join(conn.ops.quote_name(k) for k in keys) or "1"
                cursor.execute(f"SELECT * FROM {conn.ops.quote_name(table)} ORDER BY {order}")
                tables[table] = cursor.fetchall()
    finally:
        conn.close()
    return tables


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_backup_then_restore_gives_back_every_row_and_every_file(source, scratch, django_db_blocker):
    made, archive = source["made"], source["archive"]
    assert made["ok"] and made["engine"] == ENGINE and made["file"] == str(archive)
    assert made["media_files"] == 3 and made["tables"] > 50 and made["rows"] > 300 and len(made["sha256"]) == 64
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        manifest = json.loads(tar.extractfile(backup.MANIFEST).read())
    assert manifest["format"] == backup.FORMAT and manifest["format_version"] == backup.FORMAT_VERSION
    assert manifest["engine"] == ENGINE and manifest["app_version"] and manifest["created_at"]
    assert {"media/news/2019/07/ảnh đẹp.jpg", "media/rỗng.txt"} <= names
    assert any(n.startswith("media/attachments/") and n.endswith("/biên bản bàn giao.pdf") for n in names)
    assert manifest["tables"]["reporting_datavalue"]["rows"] == 2
    assert all(len(t["sha256"]) == 64 for t in manifest["tables"].values())

    target = scratch.new("dich")
    restored_media = scratch.folder / "media-dich"
    done = phoihop("restore", str(archive), "--database-url", url(target), "--media-root", str(restored_media),
                   "--format", "json", database=source["database"], var=source["var"])
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)
    assert summary["ok"] and summary["tables"] == made["tables"] and summary["rows"] == made["rows"]
    assert summary["pending_migrations"] == [] and summary["sha256"] == made["sha256"]

    with django_db_blocker.unblock():
        source_rows, restored_rows = _all_rows(source["database"]), _all_rows(target)
        assert sorted(restored_rows) == sorted(source_rows)
        for table, rows in source_rows.items():
            assert restored_rows[table] == rows, f"table {table} differs after restore"
        assert len(source_rows["reporting_datavalue"]) == 2 and len(source_rows["audit_auditentry"]) > 5
        # Sequences came back too: a new row gets a fresh id.
        restored = _wrapper(target)
        try:
            with restored.cursor() as cursor:
                cursor.execute("INSERT INTO django_content_type (app_label, model) VALUES ('thu', 'sau_khoi_phuc')")
                cursor.execute("SELECT max(id) FROM django_content_type")
                assert cursor.fetchone()[0] > max(r[0] for r in source_rows["django_content_type"])
        finally:
            restored.close()
    assert _files(restored_media) == _files(source["media"])
    assert [p.name for p in scratch.folder.iterdir() if p.name.startswith(".phoihop-")] == []  # no leftovers

    # A second restore into the now full database: exit status 1, a Vietnamese reason, nothing changed.
    again = phoihop("restore", str(archive), "--database-url", url(target), "--media-root", str(scratch.folder / "m2"),
                    "--format", "json", database=source["database"], var=source["var"])
    assert again.returncode == 1
    assert json.loads(again.stdout)["ok"] is False
    assert "không trống" in again.stderr and "Không có gì bị thay đổi" in again.stderr
    assert not (scratch.folder / "m2").exists()


def test_restore_refuses_a_damaged_archive_and_leaves_the_target_empty(source, scratch, django_db_blocker):
    damaged = scratch.folder / "hong.tar.gz"
    with tarfile.open(source["archive"]) as original, tarfile.open(damaged, "w:gz") as out:
        for info in original:
            content = original.extractfile(info).read() if info.isfile() else None
            if info.name.endswith("ảnh đẹp.jpg"):
                content = content[:-1] + bytes([content[-1] ^ 1])  # one bit flipped
            out.addfile(info, io.BytesIO(content) if content is not None else None)
    target = scratch.new("hong")
    media_root = scratch.folder / "media-hong"
    with pytest.raises(backup.BackupError, match="bị hỏng hoặc đã bị sửa") as refused:
        backup.restore_backup(damaged, target=target, media_root=media_root)
    assert "ảnh đẹp.jpg" in str(refused.value)
    assert not media_root.exists()
    with django_db_blocker.unblock():
        assert _all_rows(target) == {}
    # --verify says the same without writing anything; the intact archive verifies.
    out = io.StringIO()
    call_command("restore", str(source["archive"]), "--verify", "--database-url", url(target), "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["verified_only"] is True
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", str(damaged), "--verify", "--database-url", url(target), stdout=io.StringIO())


def test_a_backup_of_another_engine_is_refused(source, scratch):
    other = "postgresql" if ENGINE == backup.SQLITE else "sqlite3"
    target = {**scratch.new("cheo"), "ENGINE": f"django.db.backends.{other}", "NAME": str(scratch.folder / "cheo.sqlite3")}
    if other == "postgresql":
        target["NAME"] = "khong_dung_den"
    with pytest.raises(backup.BackupError, match="khôi phục chéo"):
        backup.restore_backup(source["archive"], target=target, media_root=scratch.folder / "m-cheo", verify_only=True)
