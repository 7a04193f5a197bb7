from django.core.management.base import CommandError

from phoihop.almanac import reminders
from phoihop.almanac.management.commands._output import AlmanacCommand


class Command(AlmanacCommand):
    help = (
        "Gửi thư nhắc việc (sự kiện, hạn báo cáo) trước N ngày cho những người liên quan. "
        "Chạy bằng cron hằng ngày; mỗi lời nhắc chỉ gửi một lần, kể cả khi chạy lại."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, action="append",
            help="nhắc trước bao nhiêu ngày (có thể lặp lại; mặc định 7 và 1)",
        )
        parser.add_argument("--dry-run", action="store_true", help="chỉ liệt kê, không gửi")
        parser.add_argument("--date", help="coi hôm nay là ngày này (YYYY-MM-DD), để thử")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        days = sorted(set(options["days"] or reminders.DEFAULT_DAYS))
        if any(n < 0 or n > 366 for n in days):
            raise CommandError("Số ngày nhắc trước phải từ 0 đến 366.")
        today = self.solar_date(options["date"]) if options.get("date") else None
        result = reminders.send_reminders(today, days, dry_run=options["dry_run"])
        if options["format"] == "json":
            self.emit_json({
                "sent": [{"key": r.key, "email": r.email, "subject": r.subject} for r in result.sent],
                "skipped": result.skipped,
                "without_email": result.without_email,
                "failed": [{"key": r.key, "error": r.error} for r in result.failed],
                "would_send": [{"email": e, "subject": s} for e, s in result.would_send],
                "unsent_claims": [r.key for r in result.unsent_claims],
            })
        else:
            if options["dry_run"]:
                self.stdout.write(f"Sẽ gửi {len(result.would_send)} thư nhắc việc:")
                for email, subject in result.would_send:
                    self.stdout.write(f"- {email}: {subject}")
            else:
                self.stdout.write(
                    f"Đã gửi {len(result.sent)} thư; bỏ qua {result.skipped} thư đã gửi trước đó; "
                    f"{result.without_email} người nhận chưa có địa chỉ thư."
                )
            for claim in result.failed:
                self.stderr.write(f"Gửi không được: {claim.email} — {claim.error}")
            for claim in result.unsent_claims:
                self.stderr.write(f"Cảnh báo: lời nhắc {claim.key} đã ghi nhận nhưng chưa chắc đã gửi (lần chạy trước bị dừng giữa chừng).")
        if result.failed:
            raise CommandError(f"{len(result.failed)} thư nhắc việc gửi không được.")
