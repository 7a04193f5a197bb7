"""Backup archive details that need no database dump: rotation, unsafe archive members."""

import io
import os
import tarfile
from pathlib import Path

import pytest
from django.db import connection

from phoihop.operations import backup


def test_rotation_keeps_the_newest_archives(db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for i in range(5):
        path = folder / f"phoihop-2026010{i}-000000.tar.gz"
        path.write_bytes(b"x")
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    (folder / "khac.tar.gz").write_bytes(b"not ours")
    deleted = backup.rotate(folder, keep=2)
    assert sorted(Path(p).name for p in deleted) == [f"phoihop-2026010{i}-000000.tar.gz" for i in range(3)]
    assert sorted(p.name for p in folder.iterdir()) == ["khac.tar.gz", "phoihop-20260103-000000.tar.gz", "phoihop-20260104-000000.tar.gz"]


def test_a_member_outside_the_archive_layout_is_refused(db, tmp_path):
    evil = tmp_path / "evil.tar.gz"
    with tarfile.open(evil, "w:gz") as tar:
        info = tarfile.TarInfo("media/../../thoat-ra-ngoai.txt")
        info.size = 1
        tar.addfile(info, io.BytesIO(b"x"))
    with pytest.raises(backup.BackupError, match="không hợp lệ"):
        backup.restore_backup(evil, target=dict(connection.settings_dict), media_root=tmp_path / "m", verify_only=True)
    assert not (tmp_path.parent / "thoat-ra-ngoai.txt").exists()
