"""`phoihop prune-logins [--days N]`: delete login-log entries older than the retention period."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone

from phoihop.operations.management.commands._common import OperationsCommand
from phoihop.operations.models import LoginEvent


class Command(OperationsCommand):
    help = "Xóa các mục nhật ký đăng nhập cũ hơn N ngày (mặc định PHOIHOP_LOGIN_LOG_DAYS = 365). Chạy bằng cron."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="giữ bao nhiêu ngày gần nhất")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else settings.PHOIHOP_LOGIN_LOG_DAYS
        if days < 1:
            raise CommandError("Số ngày phải từ 1 trở lên.")
        cutoff = timezone.now() - dt.timedelta(days=days)
        deleted, _by_model = LoginEvent.objects.filter(at__lt=cutoff).delete()
        if options["format"] == "json":
            self.emit_json({"deleted": deleted, "before": cutoff.isoformat(timespec="seconds"), "days": days})
        else:
            self.stdout.write(f"Đã xóa {deleted} mục nhật ký đăng nhập cũ hơn {days} ngày.")
