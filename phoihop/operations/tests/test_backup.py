"""`phoihop backup` → `phoihop restore` into a fresh empty database: every table row by row and
every uploaded file byte by byte come back; a refusal leaves the target untouched.

Runs on the engine of the test run: SQLite (scratch databases are new files) or PostgreSQL (new
databases created with the test role's CREATEDB). Everything happens as in real life, in separate
`phoihop` processes on scratch databases: `migrate`, some data (backup_data.py: factories, an
approved report, an activity with an uploaded file, files with Vietnamese names), `backup`,
`restore`. The test database is not touched, so no transactional test is needed.

Archives are authenticated (issue 12): an HMAC over the manifest with the backup key, which the
first backup generated in the source's var folder; a forged archive is refused even when every
checksum in it was recomputed.
"""

from __future__ import annotations

import hashlib
import hmac
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


def phoihop(*args: str, database: dict, var: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    extra = env or {}
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("PHOIHOP_") and k not in ("DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env.update({"PHOIHOP_DATABASE_URL": url(database), "PHOIHOP_VAR_DIR": str(var), **extra})
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
    return {"database": database, "var": var, "media": var / "media", "archive": archive, "made": json.loads(made.stdout),
            "key_file": var / backup.KEY_FILE, "key": (var / backup.KEY_FILE).read_bytes().strip()}


def _rewrite(source: Path, target: Path, change) -> None:
    """A copy of the archive `source` where `change(name, content)` gives each member's new content
    (None: the member is left out)."""
    with tarfile.open(source) as original, tarfile.open(target, "w:gz") as out:
        for info in original:
            if not info.isfile():
                out.addfile(info)
                continue
            content = change(info.name, original.extractfile(info).read())
            if content is None:
                continue
            info.size = len(content)
            out.addfile(info, io.BytesIO(content))


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
    # The key was generated by this first backup, owner-only, outside the archive.
    assert oct(source["key_file"].stat().st_mode & 0o777) == "0o600" and len(source["key"]) >= 32
    assert made["authenticated"] is True and made["key_id"] == backup.key_id(source["key"])
    with tarfile.open(archive) as tar:
        names = set(tar.getnames())
        raw_manifest = tar.extractfile(backup.MANIFEST).read()
        manifest = json.loads(raw_manifest)
        signature = json.loads(tar.extractfile(backup.SIGNATURE).read())
        assert tar.getnames()[-1] == backup.SIGNATURE
        assert all(source["key"] not in tar.extractfile(m).read() for m in tar.getmembers() if m.isfile())
    assert signature["algorithm"] == "HMAC-SHA256"
    assert signature["hmac"] == hmac.new(source["key"], raw_manifest, hashlib.sha256).hexdigest()
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
    assert summary["authenticated"] is True

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
        backup.restore_backup(damaged, target=target, media_root=media_root, key=source["key"])
    assert "ảnh đẹp.jpg" in str(refused.value)
    assert not media_root.exists()
    with django_db_blocker.unblock():
        assert _all_rows(target) == {}
    # --verify says the same without writing anything; the intact archive verifies.
    out = io.StringIO()
    call_command("restore", str(source["archive"]), "--verify", "--database-url", url(target), "--format", "json",
                 "--key-file", str(source["key_file"]), stdout=out)
    assert json.loads(out.getvalue())["verified_only"] is True
    with pytest.raises(CommandError, match="bị hỏng"):
        call_command("restore", str(damaged), "--verify", "--database-url", url(target),
                     "--key-file", str(source["key_file"]), stdout=io.StringIO())


def test_a_backup_of_another_engine_is_refused(source, scratch):
    other = "postgresql" if ENGINE == backup.SQLITE else "sqlite3"
    target = {**scratch.new("cheo"), "ENGINE": f"django.db.backends.{other}", "NAME": str(scratch.folder / "cheo.sqlite3")}
    if other == "postgresql":
        target["NAME"] = "khong_dung_den"
    with pytest.raises(backup.BackupError, match="khôi phục chéo"):
        backup.restore_backup(source["archive"], target=target, media_root=scratch.folder / "m-cheo", verify_only=True,
                              key=source["key"])


def _forge(source: dict, folder: Path) -> Path:
    """What an attacker with the archive but not the key can make: a changed file, and a manifest
    whose checksums were all recomputed to match (the old manifest.hmac kept)."""
    forged = folder / "gia-mao.tar.gz"
    new_image = b"\xff\xd8\xff\xe0 anh da bi thay \xff\xd9"

    def change(name, content):
        if name.endswith("ảnh đẹp.jpg"):
            return new_image
        if name == backup.MANIFEST:
            manifest = json.loads(content)
            member = next(m for m in manifest["files"] if m.endswith("ảnh đẹp.jpg"))
            manifest["files"][member] = {"sha256": hashlib.sha256(new_image).hexdigest(), "size": len(new_image)}
            return json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
        return content

    _rewrite(source["archive"], forged, change)
    return forged


def test_a_forged_archive_with_recomputed_checksums_is_refused(source, scratch, django_db_blocker):
    forged = _forge(source, scratch.folder)
    target = scratch.new("gia")
    media_root = scratch.folder / "media-gia"
    with pytest.raises(backup.BackupError, match="Chữ ký xác thực của bản sao lưu không khớp"):
        backup.restore_backup(forged, target=target, media_root=media_root, key=source["key"])
    # Through the command too (and with --verify): exit status 1, nothing restored.
    for extra in ([], ["--verify"]):
        done = phoihop("restore", str(forged), "--database-url", url(target), "--media-root", str(media_root),
                       *extra, database=source["database"], var=source["var"])
        assert done.returncode == 1 and "không khớp" in done.stderr and "Traceback" not in done.stderr
    # --allow-unauthenticated does not let a wrong HMAC through.
    with pytest.raises(backup.BackupError, match="không khớp"):
        backup.restore_backup(forged, target=target, media_root=media_root, key=source["key"],
                              allow_unauthenticated=True)
    assert not media_root.exists()
    with django_db_blocker.unblock():
        assert _all_rows(target) == {}


def test_an_archive_without_its_hmac_needs_allow_unauthenticated(source, scratch):
    """Archives made before the HMAC existed (or stripped of it) are refused unless the operator
    says, knowingly, that they are genuine."""
    stripped = scratch.folder / "khong-chu-ky.tar.gz"
    _rewrite(source["archive"], stripped, lambda name, content: None if name == backup.SIGNATURE else content)
    target = scratch.new("khong-ky")
    with pytest.raises(backup.BackupError, match="không có chữ ký xác thực"):
        backup.restore_backup(stripped, target=target, media_root=scratch.folder / "m-khong-ky", verify_only=True,
                              key=source["key"])
    done = phoihop("restore", str(stripped), "--verify", "--database-url", url(target),
                   database=source["database"], var=source["var"])
    assert done.returncode == 1 and "--allow-unauthenticated" in done.stderr
    done = phoihop("restore", str(stripped), "--verify", "--allow-unauthenticated", "--database-url", url(target),
                   "--format", "json", database=source["database"], var=source["var"])
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["authenticated"] is False and "không có chữ ký" in done.stderr


def test_another_key_is_refused(source, scratch, django_db_blocker):
    """A restore on a machine with another backup key (a new var folder, or PHOIHOP_BACKUP_KEY)
    refuses the archive; the right key (PHOIHOP_BACKUP_KEY or --key-file) restores it."""
    target = scratch.new("khoa-khac")
    media_root = scratch.folder / "media-khoa-khac"
    with pytest.raises(backup.BackupError, match="khóa sao lưu khác"):
        backup.restore_backup(source["archive"], target=target, media_root=media_root, key=b"k" * 20 + b"khac-9f3Qz-Lr8vX2pN7")
    other_var = scratch.folder / "var-may-khac"
    done = phoihop("restore", str(source["archive"]), "--database-url", url(target), "--media-root", str(media_root),
                   database=target, var=other_var)
    assert done.returncode == 1 and "Không có khóa sao lưu" in done.stderr  # no key here: none is invented
    assert not (other_var / backup.KEY_FILE).exists()
    env_key = {"PHOIHOP_BACKUP_KEY": "mot-khoa-khac-du-dai-9f3Qz-Lr8vX2pN7wB4mT6yH1cJ5dK0sA"}
    done = phoihop("restore", str(source["archive"]), "--database-url", url(target), "--media-root", str(media_root),
                   database=target, var=other_var, env=env_key)
    assert done.returncode == 1 and "khóa sao lưu khác" in done.stderr
    assert not media_root.exists()
    with django_db_blocker.unblock():
        assert _all_rows(target) == {}
    done = phoihop("restore", str(source["archive"]), "--database-url", url(target), "--media-root", str(media_root),
                   "--verify", database=target, var=other_var,
                   env={"PHOIHOP_BACKUP_KEY": source["key"].decode()})
    assert done.returncode == 0, done.stderr
    assert "chữ ký hợp lệ" in done.stdout
    done = phoihop("restore", str(source["archive"]), "--database-url", url(target), "--media-root", str(media_root),
                   "--key-file", str(source["key_file"]), database=target, var=other_var, env=env_key)
    assert done.returncode == 0, done.stderr
    assert _files(media_root) == _files(source["media"])
