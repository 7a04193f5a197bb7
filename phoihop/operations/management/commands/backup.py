"""`phoihop backup -o FILE|DIR [--keep N] [--format json]`: one archive with the database and uploads."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from phoihop.core.formatting import number_vi
from phoihop.operations.backup import BackupError, create_backup
from phoihop.operations.management.commands._common import OperationsCommand, size_vi


class Command(OperationsCommand):
    help = (
        "Sao lưu cơ sở dữ liệu (SQLite: bản sao trực tuyến; PostgreSQL: pg_dump) và các tệp tải lên vào một tệp "
        ".tar.gz có mã kiểm tra cho từng bảng và từng tệp, ký bằng khóa sao lưu (HMAC-SHA256; PHOIHOP_BACKUP_KEY hoặc "
        "PHOIHOP_VAR_DIR/backup_key, tạo ở lần sao lưu đầu tiên). Chạy được khi hệ thống đang hoạt động."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "-o", "--output",
            help="tệp sao lưu, hoặc một thư mục có sẵn (tên tệp tự đặt phoihop-NĂMTHÁNGNGÀY-GIỜ.tar.gz); "
                 "mặc định: thư mục backups trong PHOIHOP_VAR_DIR",
        )
        parser.add_argument("--keep", type=int,
                            help="khi ghi vào thư mục: chỉ giữ N bản sao lưu mới nhất (phoihop-*.tar.gz) trong đó")
        parser.add_argument("--database", default="default", help="bí danh cơ sở dữ liệu (mặc định: default)")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        output = options.get("output")
        if not output:
            output = Path(settings.VAR_DIR) / "backups"
            output.mkdir(mode=0o700, exist_ok=True)
        if options.get("keep") is not None and not Path(output).is_dir():
            raise CommandError("--keep chỉ dùng khi -o là một thư mục.")
        try:
            summary = create_backup(output, using=options["database"], keep=options.get("keep"))
        except BackupError as exc:
            if options["format"] == "json":
                self.emit_json({"ok": False, "error": str(exc)})
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.emit_json(summary.as_dict())
            return
        self.stdout.write(
            f"Đã sao lưu vào {summary.file} ({size_vi(summary.size)}): {summary.tables} bảng, "
            f"{number_vi(summary.rows)} dòng, {summary.media_files} tệp tải lên ({size_vi(summary.media_bytes)}).\n"
            f"SHA-256 của tệp sao lưu: {summary.sha256}\n"
            f"Ký bằng khóa sao lưu {summary.key_id}: giữ khóa này (tách khỏi các bản sao lưu) để khôi phục được."
        )
        for path in summary.deleted:
            self.stdout.write(f"Đã xóa bản sao lưu cũ: {path}")
