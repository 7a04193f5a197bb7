"""`phoihop restore FILE [--database-url URL] [--media-root DIR] [--verify] [--key-file FILE]
[--allow-unauthenticated] [--format json]`."""

from __future__ import annotations

import dj_database_url
from django.conf import settings
from django.core.management.base import CommandError
from django.db import connections

from phoihop.core.formatting import number_vi
from phoihop.operations.backup import BackupError, restore_backup
from phoihop.operations.management.commands._common import OperationsCommand, size_vi


class Command(OperationsCommand):
    help = (
        "Khôi phục một bản sao lưu của “phoihop backup” vào một cơ sở dữ liệu TRỐNG (chưa chạy migrate) và một "
        "thư mục tệp tải lên trống. Kiểm tra chữ ký xác thực (HMAC, bằng khóa sao lưu) và mã kiểm tra của từng bảng, "
        "từng tệp; lỗi thì không thay đổi gì. "
        "Dừng dịch vụ web trước khi khôi phục."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao lưu .tar.gz")
        parser.add_argument("--database-url",
                            help="cơ sở dữ liệu đích, dạng như PHOIHOP_DATABASE_URL (mặc định: cơ sở dữ liệu đang cấu hình)")
        parser.add_argument("--media-root", help="thư mục tệp tải lên đích (mặc định: MEDIA_ROOT đang cấu hình)")
        parser.add_argument("--verify", action="store_true",
                            help="chỉ kiểm tra bản sao lưu (chữ ký, mã kiểm tra, và với SQLite từng bảng), không ghi gì")
        parser.add_argument("--key-file",
                            help="tệp khóa sao lưu (backup_key của máy đã tạo bản sao lưu); mặc định: PHOIHOP_BACKUP_KEY "
                                 "hoặc PHOIHOP_VAR_DIR/backup_key")
        parser.add_argument("--allow-unauthenticated", action="store_true",
                            help="chấp nhận bản sao lưu KHÔNG có chữ ký (tạo bởi phiên bản cũ, trước khi có chữ ký); "
                                 "chỉ dùng khi chắc chắn tệp chưa bị sửa. Chữ ký sai thì vẫn bị từ chối")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        if options.get("database_url"):
            target = dj_database_url.parse(options["database_url"])
        else:
            target = dict(connections["default"].settings_dict)
        media_root = options.get("media_root") or settings.MEDIA_ROOT
        try:
            summary = restore_backup(options["file"], target=target, media_root=media_root,
                                     verify_only=options["verify"], key_path=options.get("key_file"),
                                     allow_unauthenticated=options["allow_unauthenticated"])
        except BackupError as exc:
            if options["format"] == "json":
                self.emit_json({"ok": False, "error": str(exc)})
            raise CommandError(str(exc)) from None
        if not summary.authenticated:
            self.stderr.write("Cảnh báo: bản sao lưu này không có chữ ký xác thực (--allow-unauthenticated); "
                              "không có gì chứng minh nó chưa bị sửa.")
        if options["format"] == "json":
            self.emit_json(summary.as_dict())
            return
        what = (f"{summary.tables} bảng, {number_vi(summary.rows)} dòng, {summary.media_files} tệp tải lên "
                f"({size_vi(summary.media_bytes)}); sao lưu lúc {summary.created_at}, phiên bản {summary.app_version}")
        if summary.verified_only:
            signed = f", chữ ký hợp lệ (khóa {summary.key_id})" if summary.authenticated else ""
            self.stdout.write(f"Bản sao lưu {summary.file} nguyên vẹn{signed}: {what}.")
            return
        checked = "Chữ ký xác thực và mọi mã kiểm tra đều khớp." if summary.authenticated else "Mọi mã kiểm tra đều khớp."
        self.stdout.write(f"Đã khôi phục {summary.file} vào {summary.database}: {what}. {checked}")
        if summary.pending_migrations:
            self.stdout.write(
                f"Bản sao lưu thuộc phiên bản cũ hơn: hãy chạy “phoihop migrate” ({len(summary.pending_migrations)} "
                "thay đổi cấu trúc chưa áp dụng).")
