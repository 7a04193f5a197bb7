"""Backup and restore: one `.tar.gz` holding the database dump, the uploaded files and a manifest.

Archive layout (format version 1)::

    database/phoihop.sqlite3   SQLite: a consistent copy made with the online backup API
    database/phoihop.pgdump    PostgreSQL: `pg_dump --format=custom` (restored with `pg_restore`)
    media/<path>               every file under MEDIA_ROOT (symbolic links are skipped)
    manifest.json              last: format, versions, engine, time, migrations, and checksums —
                               SHA-256 of every member, row count + SHA-256 of every table

The table checksums are computed from the very snapshot that was dumped (SQLite: the copy;
PostgreSQL: the exported snapshot pg_dump runs in), so a restore can prove it got every row back.
A restore only ever writes into an empty database and an empty media folder, checks every
checksum before anything is visible, and is all-or-nothing: SQLite is restored into a temporary
file that replaces the target in one rename; PostgreSQL is restored in one transaction
(`pg_restore --single-transaction`), and rolled back by dropping what it created if the
checksums then disagree. Restoring across engines is not supported.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

FORMAT = "phoihop-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database/phoihop.sqlite3"
PG_MEMBER = "database/phoihop.pgdump"
MEDIA_PREFIX = "media/"
ARCHIVE_PREFIX = "phoihop-"
ARCHIVE_SUFFIX = ".tar.gz"
_CHUNK = 1024 * 1024

SQLITE = "sqlite"
POSTGRESQL = "postgresql"


class BackupError(Exception):
    """A refusal or failure, with a Vietnamese message for the operator."""


# ---------------------------------------------------------------- engines and connections

def engine_of(settings_dict: dict) -> str:
    engine = settings_dict.get("ENGINE", "")
    if engine.endswith("sqlite3"):
        return SQLITE
    if "postgresql" in engine:
        return POSTGRESQL
    raise BackupError(f"Chưa hỗ trợ sao lưu cơ sở dữ liệu loại “{engine}” (chỉ SQLite và PostgreSQL).")


def describe_target(settings_dict: dict) -> str:
    """Where a database is, without its password."""
    if engine_of(settings_dict) == SQLITE:
        return str(settings_dict.get("NAME", ""))
    host = settings_dict.get("HOST") or "socket"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgresql://{settings_dict.get('USER') or ''}@{host}{port}/{settings_dict.get('NAME')}"


_LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT", "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT", "options": "PGOPTIONS", "application_name": "PGAPPNAME",
    "target_session_attrs": "PGTARGETSESSIONATTRS", "passfile": "PGPASSFILE", "service": "PGSERVICE",
}


def pg_params(settings_dict: dict) -> dict:
    """psycopg.connect() keyword arguments from a Django DATABASES entry."""
    params = {"dbname": settings_dict.get("NAME") or "postgres"}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if settings_dict.get(key):
            params[name] = str(settings_dict[key])
    for key, value in (settings_dict.get("OPTIONS") or {}).items():
        if key in _LIBPQ_OPTIONS and value not in (None, ""):
            params[key] = str(value)
    return params


def pg_env(settings_dict: dict) -> dict:
    """The environment for pg_dump / pg_restore: the password never appears on a command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    params = pg_params(settings_dict)
    for name, var in (("host", "PGHOST"), ("port", "PGPORT"), ("user", "PGUSER"),
                      ("password", "PGPASSWORD"), ("dbname", "PGDATABASE")):
        if params.get(name):
            env[var] = params[name]
    for key, var in _LIBPQ_OPTIONS.items():
        if params.get(key):
            env[var] = params[key]
    return env


def pg_tool(name: str) -> str:
    """The path of pg_dump / pg_restore: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
                        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0)
    if candidates:
        return str(candidates[-1])
    raise BackupError(
        f"Không tìm thấy lệnh {name}. Hãy cài gói postgresql-client cùng phiên bản chính với máy chủ "
        "PostgreSQL (Debian: apt-get install postgresql-client)."
    )


def _pg_connect(settings_dict: dict, **kwargs):
    import psycopg

    try:
        return psycopg.connect(**pg_params(settings_dict), **kwargs)
    except psycopg.OperationalError as exc:
        hint = " Hãy tạo trước một cơ sở dữ liệu trống (createdb)." if "does not exist" in str(exc) else ""
        raise BackupError(
            f"Không kết nối được cơ sở dữ liệu {describe_target(settings_dict)}: {str(exc).strip()}.{hint}"
        ) from None


def _run(command: list[str], env: dict, what: str) -> None:
    completed = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        tail = "\n".join((completed.stderr or completed.stdout).strip().splitlines()[-8:])
        raise BackupError(f"{what} không thành công (mã lỗi {completed.returncode}):\n{tail}")


# ---------------------------------------------------------------- table checksums

def _canonical(value):
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return f"f:{value!r}"
    if isinstance(value, decimal.Decimal):
        return f"d:{value}"
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return f"t:{value.isoformat()}"
    if isinstance(value, dt.timedelta):
        return f"i:{value.total_seconds()!r}"
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "b:" + base64.b64encode(bytes(value)).decode()
    if isinstance(value, (dict, list)):
        return "j:" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return f"s:{value}"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _digest_cursor(cursor) -> tuple[int, str]:
    digest = hashlib.sha256()
    count = 0
    while True:
        rows = cursor.fetchmany(2000)
        if not rows:
            break
        for row in rows:
            digest.update(json.dumps([_canonical(v) for v in row], ensure_ascii=False,
                                     separators=(",", ":")).encode())
            digest.update(b"\n")
            count += 1
    return count, digest.hexdigest()


def sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def sqlite_order_by(conn: sqlite3.Connection, table: str) -> str:
    info = conn.execute(f"PRAGMA table_info({_quote(table)})").fetchall()
    keys = [row[1] for row in sorted((r for r in info if r[5]), key=lambda r: r[5])]
    return ", ".join(_quote(k) for k in keys) if keys else "rowid"


def sqlite_digests(conn: sqlite3.Connection) -> dict[str, dict]:
    result = {}
    for table in sqlite_tables(conn):
        cursor = conn.execute(f"SELECT * FROM {_quote(table)} ORDER BY {sqlite_order_by(conn, table)}")
        rows, sha = _digest_cursor(cursor)
        result[table] = {"rows": rows, "sha256": sha}
    return result


def pg_tables(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY c.relname").fetchall()]


def pg_order_by(conn, table: str) -> str:
    keys = [r[0] for r in conn.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary "
        "ORDER BY array_position(i.indkey::int2[], a.attnum)", [_quote(table)]).fetchall()]
    if keys:
        return ", ".join(_quote(k) for k in keys)
    count = conn.execute(
        "SELECT count(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped",
        [_quote(table)]).fetchone()[0]
    return ", ".join(str(i) for i in range(1, count + 1))


def pg_digests(conn) -> dict[str, dict]:
    """Checksums of every table, read in the connection's current transaction (its snapshot)."""
    conn.execute("SET TIME ZONE 'UTC'")
    result = {}
    for table in pg_tables(conn):
        order = pg_order_by(conn, table)
        with conn.cursor(name=f"phoihop_digest_{uuid.uuid4().hex[:8]}") as cursor:
            cursor.itersize = 2000
            cursor.execute(f"SELECT * FROM {_quote(table)} ORDER BY {order}")
            rows, sha = _digest_cursor(cursor)
        result[table] = {"rows": rows, "sha256": sha}
    return result


def _migrations_from_rows(rows) -> list[list[str]]:
    return sorted([app, name] for app, name in rows)


# ---------------------------------------------------------------- writing the archive

def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


class _HashingReader(io.RawIOBase):
    """Reads a file while hashing exactly the bytes handed to tarfile."""

    def __init__(self, fh):
        self.fh = fh
        self.digest = hashlib.sha256()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        data = self.fh.read(size)
        self.digest.update(data)
        return data


def app_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("phoihop")
    except PackageNotFoundError:
        return "unknown"


@dataclass
class Summary:
    file: str = ""
    engine: str = ""
    database: str = ""
    created_at: str = ""
    app_version: str = ""
    tables: int = 0
    rows: int = 0
    media_files: int = 0
    media_bytes: int = 0
    size: int = 0
    sha256: str = ""
    deleted: list[str] = field(default_factory=list)
    pending_migrations: list[str] = field(default_factory=list)
    verified_only: bool = False

    def as_dict(self) -> dict:
        return {"ok": True, **self.__dict__}


def _dump_sqlite(settings_dict: dict, using: str, out: Path) -> tuple[dict, list]:
    from django.db import connections

    connection = connections[using]
    if connection.is_in_memory_db():
        # An in-memory database (the tests') is only reachable through Django's own connection,
        # which must not hold a transaction open: the copy would wait for it forever.
        if connection.in_atomic_block:
            raise BackupError("Không sao lưu được khi đang ở trong một giao dịch (transaction) chưa kết thúc.")
        connection.ensure_connection()
        source, own = connection.connection, False
    else:
        # Our own connection: it reads the last committed state (WAL: writers are not blocked).
        source, own = sqlite3.connect(settings_dict["NAME"], timeout=60), True
    target = sqlite3.connect(out)
    try:
        # One step (pages=-1): a consistent copy of one committed state.
        source.backup(target)
    finally:
        target.close()
        if own:
            source.close()
    copy = sqlite3.connect(out)
    try:
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        digests = sqlite_digests(copy)
        migrations = _migrations_from_rows(copy.execute("SELECT app, name FROM django_migrations").fetchall()) \
            if "django_migrations" in digests else []
    finally:
        copy.close()
    return digests, migrations


def _dump_postgresql(settings_dict: dict, out: Path) -> tuple[dict, list]:
    import psycopg

    pg_dump = pg_tool("pg_dump")
    with _pg_connect(settings_dict, autocommit=False) as snap:
        snap.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        snap.read_only = True
        snapshot = snap.execute("SELECT pg_export_snapshot()").fetchone()[0]
        # pg_dump reads the very snapshot this transaction holds, so the checksums below match it.
        _run([pg_dump, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}",
              f"--file={out}", "--dbname", settings_dict["NAME"]], pg_env(settings_dict), "pg_dump")
        digests = pg_digests(snap)
        migrations = _migrations_from_rows(snap.execute("SELECT app, name FROM django_migrations").fetchall()) \
            if "django_migrations" in digests else []
        snap.rollback()
    return digests, migrations


def _media_files(media_root: Path) -> list[tuple[Path, str]]:
    files = []
    if not media_root.is_dir():
        return files
    for directory, dirnames, filenames in os.walk(media_root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(directory) / name
            if path.is_symlink() or not path.is_file():
                continue
            files.append((path, path.relative_to(media_root).as_posix()))
    return files


def default_filename(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now()
    return f"{ARCHIVE_PREFIX}{now:%Y%m%d-%H%M%S}{ARCHIVE_SUFFIX}"


def create_backup(output: Path | str, *, using: str = "default", media_root: Path | str | None = None,
                  keep: int | None = None) -> Summary:
    """Write one archive. `output` is a file, or an existing directory (a dated name is chosen);
    with `keep`, only the `keep` newest phoihop-*.tar.gz of that directory are kept."""
    from django.conf import settings
    from django.db import connections

    settings_dict = connections[using].settings_dict
    engine = engine_of(settings_dict)
    media_root = Path(media_root if media_root is not None else settings.MEDIA_ROOT)
    output = Path(output)
    into_directory = output.is_dir()
    if into_directory:
        output = output / default_filename()
    elif not output.parent.is_dir():
        raise BackupError(f"Thư mục {output.parent} không tồn tại.")
    summary = Summary(file=str(output), engine=engine, database=describe_target(settings_dict),
                      created_at=dt.datetime.now().astimezone().isoformat(timespec="seconds"), app_version=app_version())
    old_umask = os.umask(0o077)  # the archive holds password hashes and personal data: owner only
    try:
        with tempfile.TemporaryDirectory(dir=output.parent, prefix=".phoihop-backup-") as tmp:
            tmp = Path(tmp)
            member = SQLITE_MEMBER if engine == SQLITE else PG_MEMBER
            dump = tmp / Path(member).name
            if engine == SQLITE:
                digests, migrations = _dump_sqlite(settings_dict, using, dump)
            else:
                digests, migrations = _dump_postgresql(settings_dict, dump)
            partial = tmp / "archive.tar.gz"
            files: dict[str, dict] = {}
            with tarfile.open(partial, "w:gz", compresslevel=6, format=tarfile.PAX_FORMAT) as tar:
                files[member] = {"sha256": _sha256_file(dump), "size": dump.stat().st_size}
                tar.add(dump, arcname=member, recursive=False)
                for path, relative in _media_files(media_root):
                    arcname = MEDIA_PREFIX + relative
                    info = tar.gettarinfo(path, arcname=arcname)
                    with open(path, "rb") as fh:
                        reader = _HashingReader(fh)
                        tar.addfile(info, reader)
                    files[arcname] = {"sha256": reader.digest.hexdigest(), "size": info.size}
                    summary.media_files += 1
                    summary.media_bytes += info.size
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION, "app_version": summary.app_version,
                    "engine": engine, "created_at": summary.created_at, "database": member,
                    "tables": digests, "migrations": migrations, "files": files,
                }
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(dt.datetime.now().timestamp())
                info.mode = 0o600
                tar.addfile(info, io.BytesIO(data))
            os.chmod(partial, 0o600)
            os.replace(partial, output)  # appears whole or not at all
    finally:
        os.umask(old_umask)
    summary.tables = len(digests)
    summary.rows = sum(t["rows"] for t in digests.values())
    summary.size = output.stat().st_size
    summary.sha256 = _sha256_file(output)
    if keep is not None and into_directory:
        summary.deleted = rotate(output.parent, keep)
    return summary


def rotate(directory: Path, keep: int) -> list[str]:
    """Delete all but the `keep` newest phoihop-*.tar.gz archives of a directory."""
    if keep < 1:
        raise BackupError("--keep phải từ 1 trở lên.")
    archives = sorted(
        (p for p in directory.glob(f"{ARCHIVE_PREFIX}*{ARCHIVE_SUFFIX}") if p.is_file()),
        key=lambda p: (p.stat().st_mtime, p.name), reverse=True,
    )
    deleted = []
    for path in archives[keep:]:
        path.unlink()
        deleted.append(str(path))
    return deleted


# ---------------------------------------------------------------- reading the archive

def _safe_member(info: tarfile.TarInfo) -> str | None:
    """The member's relative path when it is a plain file inside database/ or media/ (or the
    manifest); directories are skipped; anything else refuses the archive."""
    name = info.name
    path = PurePosixPath(name)
    if info.isdir():
        return None
    if not info.isfile() or path.is_absolute() or ".." in path.parts or "\\" in name or name != path.as_posix():
        raise BackupError(f"Tệp sao lưu có mục không hợp lệ: “{name}”. Không khôi phục.")
    if name != MANIFEST and not (name.startswith(MEDIA_PREFIX) or name in (SQLITE_MEMBER, PG_MEMBER)):
        raise BackupError(f"Tệp sao lưu có mục lạ: “{name}”. Không khôi phục.")
    return name


def _extract(archive: Path, into: Path) -> tuple[dict, dict[str, str]]:
    """Every member into `into`, hashed on the way; returns the manifest and {member: sha256}."""
    hashes: dict[str, str] = {}
    manifest = None
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for info in tar:
                name = _safe_member(info)
                if name is None:
                    continue
                source = tar.extractfile(info)
                if name == MANIFEST:
                    try:
                        manifest = json.loads(source.read(64 * 1024 * 1024).decode())
                    except (ValueError, UnicodeDecodeError):
                        raise BackupError("Tệp mô tả (manifest.json) của bản sao lưu bị hỏng.") from None
                    continue
                if name in hashes:
                    raise BackupError(f"Tệp sao lưu có mục lặp lại: “{name}”. Không khôi phục.")
                target = into / name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                with open(target, "wb") as out:
                    while chunk := source.read(_CHUNK):
                        digest.update(chunk)
                        out.write(chunk)
                hashes[name] = digest.hexdigest()
    except (tarfile.TarError, EOFError, OSError) as exc:
        raise BackupError(f"Không đọc được tệp sao lưu {archive}: {exc}") from None
    if manifest is None:
        raise BackupError("Tệp này không phải bản sao lưu của Phối Hợp (không có manifest.json).")
    return manifest, hashes


def _check_manifest(manifest: dict, hashes: dict[str, str], engine: str) -> None:
    if manifest.get("format") != FORMAT:
        raise BackupError("Tệp này không phải bản sao lưu của Phối Hợp.")
    if not isinstance(manifest.get("format_version"), int) or manifest["format_version"] > FORMAT_VERSION:
        raise BackupError(
            f"Bản sao lưu dùng định dạng {manifest.get('format_version')}, mới hơn định dạng phiên bản này đọc được "
            f"({FORMAT_VERSION}). Hãy cài phiên bản Phối Hợp mới hơn để khôi phục.")
    if manifest.get("engine") != engine:
        names = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}
        raise BackupError(
            f"Bản sao lưu này của {names.get(manifest.get('engine'), manifest.get('engine'))}, còn cơ sở dữ liệu đích là "
            f"{names[engine]}. Không hỗ trợ khôi phục chéo giữa hai loại cơ sở dữ liệu.")
    expected = manifest.get("files") or {}
    missing = sorted(set(expected) - set(hashes))
    extra = sorted(set(hashes) - set(expected))
    wrong = sorted(name for name in set(expected) & set(hashes) if expected[name].get("sha256") != hashes[name])
    if missing or extra or wrong:
        parts = []
        if wrong:
            parts.append("sai mã kiểm tra: " + ", ".join(wrong[:5]))
        if missing:
            parts.append("thiếu: " + ", ".join(missing[:5]))
        if extra:
            parts.append("thừa: " + ", ".join(extra[:5]))
        raise BackupError("Bản sao lưu bị hỏng hoặc đã bị sửa (" + "; ".join(parts) + "). Không khôi phục.")
    if manifest.get("database") != (SQLITE_MEMBER if engine == SQLITE else PG_MEMBER) or manifest["database"] not in hashes:
        raise BackupError("Bản sao lưu không có dữ liệu của cơ sở dữ liệu. Không khôi phục.")


def _migration_state(manifest: dict) -> list[str]:
    """Refuse a backup made by newer code; return the migrations still to apply after restoring."""
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    on_disk = set(loader.disk_migrations)
    installed = {config.label for config in apps.get_app_configs()}
    applied = {tuple(m) for m in manifest.get("migrations") or []}
    unknown = sorted(f"{a}.{n}" for a, n in applied if a in installed and (a, n) not in on_disk)
    if unknown:
        raise BackupError(
            "Bản sao lưu được tạo bởi phiên bản Phối Hợp mới hơn phiên bản đang cài (có thay đổi cấu trúc dữ liệu mà "
            f"phiên bản này chưa có: {', '.join(unknown[:5])}). Hãy cài phiên bản mới hơn rồi khôi phục.")
    return sorted(f"{a}.{n}" for a, n in on_disk if (a, n) not in applied and a in installed)


def _compare_tables(expected: dict, found: dict) -> None:
    if set(expected) != set(found):
        missing = sorted(set(expected) - set(found))
        extra = sorted(set(found) - set(expected))
        raise BackupError(f"Các bảng sau khôi phục không khớp bản sao lưu (thiếu: {missing[:5]}, thừa: {extra[:5]}).")
    wrong = [t for t in expected if expected[t] != found[t]]
    if wrong:
        raise BackupError(
            "Số liệu sau khôi phục không khớp mã kiểm tra của bản sao lưu ở các bảng: " + ", ".join(sorted(wrong)[:10]))


def _media_empty(media_root: Path) -> None:
    if media_root.exists() and (not media_root.is_dir() or any(media_root.iterdir())):
        raise BackupError(
            f"Thư mục tệp tải lên {media_root} không trống. Chỉ khôi phục vào thư mục trống: hãy chuyển thư mục cũ "
            "sang chỗ khác (hoặc chỉ định --media-root tới một thư mục mới) rồi chạy lại.")


def _place_media(extracted: Path, media_root: Path) -> None:
    """Move the restored files into place in one rename; returns the folder moved (for undo)."""
    source = extracted / MEDIA_PREFIX.rstrip("/")
    if not source.is_dir():
        source.mkdir(parents=True)
    media_root.parent.mkdir(parents=True, exist_ok=True)
    staged = Path(tempfile.mkdtemp(dir=media_root.parent, prefix=".phoihop-media-"))
    staged.rmdir()
    shutil.move(str(source), staged)  # a rename when on the same file system
    if media_root.exists():
        media_root.rmdir()  # checked empty before
    os.replace(staged, media_root)


# ---------------------------------------------------------------- restore

def read_manifest(archive: Path | str) -> dict:
    with tempfile.TemporaryDirectory(prefix=".phoihop-manifest-") as tmp:
        manifest, _hashes = _extract(Path(archive), Path(tmp))
    return manifest


def _sqlite_target(settings_dict: dict) -> Path:
    name = str(settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        raise BackupError("Không khôi phục vào cơ sở dữ liệu SQLite trong bộ nhớ; hãy chỉ định một tệp.")
    return Path(name)


def _sqlite_table_count(path: Path) -> int:
    if not path.exists() or path.stat().st_size == 0:
        return 0
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            return conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"Tệp {path} không phải cơ sở dữ liệu SQLite trống ({exc}). Không khôi phục.") from None


def _pg_table_count(conn) -> int:
    return conn.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S') AND n.nspname = current_schema()").fetchone()[0]


def _pg_drop_everything(settings_dict: dict) -> None:
    """Undo a restore into a database that was empty before: drop what it created."""
    with _pg_connect(settings_dict, autocommit=True) as conn:
        for relkind, kind in (("v", "VIEW"), ("m", "MATERIALIZED VIEW"), ("r", "TABLE"), ("p", "TABLE"), ("S", "SEQUENCE")):
            names = [r[0] for r in conn.execute(
                "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = %s AND n.nspname = current_schema()", [relkind]).fetchall()]
            for name in names:
                conn.execute(f"DROP {kind} IF EXISTS {_quote(name)} CASCADE")


def restore_backup(archive: Path | str, *, target: dict, media_root: Path | str, verify_only: bool = False) -> Summary:
    """Restore `archive` into the database `target` (a Django DATABASES entry) and `media_root`.

    Both must be empty. With `verify_only`, check the archive (checksums, and for SQLite every
    table) without writing anything."""
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"Không có tệp sao lưu {archive}.")
    old_umask = os.umask(0o077)  # restored files hold personal data: owner only
    try:
        return _restore(archive, target, Path(media_root), verify_only)
    finally:
        os.umask(old_umask)


def _restore(archive: Path, target: dict, media_root: Path, verify_only: bool) -> Summary:
    engine = engine_of(target)
    summary = Summary(file=str(archive), engine=engine, database=describe_target(target), verified_only=verify_only)
    if not verify_only:
        if engine == SQLITE:
            db_path = _sqlite_target(target)
            tables = _sqlite_table_count(db_path)
            staging_parent = db_path.parent
        else:
            with _pg_connect(target, autocommit=True) as conn:
                tables = _pg_table_count(conn)
            staging_parent = media_root.parent
        if tables:
            raise BackupError(
                f"Cơ sở dữ liệu đích {describe_target(target)} không trống (đã có {tables} bảng hoặc đối tượng). Chỉ khôi phục vào "
                "cơ sở dữ liệu trống, chưa chạy migrate: " + (
                    "hãy chuyển tệp cũ (kèm tệp -wal, -shm) sang chỗ khác hoặc chỉ định một tệp mới."
                    if engine == SQLITE else "hãy tạo một cơ sở dữ liệu mới (createdb) và chỉ định nó.")
                + " Không có gì bị thay đổi.")
        _media_empty(media_root)
        staging_parent.mkdir(parents=True, exist_ok=True)
    else:
        staging_parent = None
    with tempfile.TemporaryDirectory(dir=staging_parent, prefix=".phoihop-restore-") as tmp:
        tmp = Path(tmp)
        manifest, hashes = _extract(archive, tmp)
        _check_manifest(manifest, hashes, engine)
        summary.pending_migrations = _migration_state(manifest)
        summary.created_at = manifest.get("created_at", "")
        summary.app_version = manifest.get("app_version", "")
        expected = manifest.get("tables") or {}
        summary.tables = len(expected)
        summary.rows = sum(t.get("rows", 0) for t in expected.values())
        media = {k: v for k, v in (manifest.get("files") or {}).items() if k.startswith(MEDIA_PREFIX)}
        summary.media_files = len(media)
        summary.media_bytes = sum(v.get("size", 0) for v in media.values())
        summary.size = archive.stat().st_size
        summary.sha256 = _sha256_file(archive)
        dump = tmp / manifest["database"]
        if engine == SQLITE:
            _restore_sqlite(dump, expected, target, media_root, tmp, verify_only)
        else:
            _restore_postgresql(dump, expected, target, media_root, tmp, verify_only)
    return summary


def _restore_sqlite(dump: Path, expected: dict, target: dict, media_root: Path, tmp: Path, verify_only: bool) -> None:
    conn = sqlite3.connect(dump)
    try:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"Cơ sở dữ liệu trong bản sao lưu bị hỏng: {check}. Không khôi phục.")
        _compare_tables(expected, sqlite_digests(conn))
    finally:
        conn.close()
    if verify_only:
        return
    db_path = _sqlite_target(target)
    from django.db import connections

    for connection in connections.all(initialized_only=True):
        if str(connection.settings_dict.get("NAME")) == str(db_path):
            connection.close()
    if _sqlite_table_count(db_path):  # someone wrote meanwhile
        raise BackupError(f"Cơ sở dữ liệu đích {db_path} vừa có dữ liệu. Không khôi phục.")
    for suffix in ("-wal", "-shm", "-journal"):  # left by the empty database, if any
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    os.chmod(dump, 0o600)
    os.replace(dump, db_path)
    try:
        _place_media(tmp, media_root)
    except OSError as exc:
        os.replace(db_path, dump)  # undo: the target is empty again
        raise BackupError(f"Không chép được tệp tải lên vào {media_root}: {exc}. Đã hoàn tác.") from None


def _restore_postgresql(dump: Path, expected: dict, target: dict, media_root: Path, tmp: Path, verify_only: bool) -> None:
    pg_restore = pg_tool("pg_restore")
    env = pg_env(target)
    if verify_only:
        _run([pg_restore, "--list", str(dump)], env, "Đọc bản sao lưu PostgreSQL (pg_restore --list)")
        return
    _run([pg_restore, "--single-transaction", "--exit-on-error", "--no-owner", "--no-privileges",
          "--dbname", target["NAME"], str(dump)], env, "Khôi phục PostgreSQL (pg_restore)")
    try:
        with _pg_connect(target, autocommit=False) as conn:
            found = pg_digests(conn)
            conn.rollback()
        _compare_tables(expected, found)
        _place_media(tmp, media_root)
    except (BackupError, OSError) as exc:
        _pg_drop_everything(target)
        if isinstance(exc, BackupError):
            raise BackupError(f"{exc} Đã xóa phần vừa khôi phục; cơ sở dữ liệu đích trống như trước.") from None
        raise BackupError(f"Không chép được tệp tải lên vào {media_root}: {exc}. Đã hoàn tác.") from None
