from django.core.management.base import CommandError

from phoihop.almanac import lunar
from phoihop.almanac.api import parse_lunar
from phoihop.almanac.management.commands._output import AlmanacCommand, describe_text


class Command(AlmanacCommand):
    help = "Đổi một ngày âm lịch (YYYY-MM-DD, --leap nếu là tháng nhuận) sang dương lịch."

    def add_arguments(self, parser):
        parser.add_argument("date", help="ngày âm lịch, dạng YYYY-MM-DD (năm-tháng-ngày âm lịch)")
        parser.add_argument("--leap", action="store_true", help="ngày thuộc tháng nhuận")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        try:
            day, month, year = parse_lunar(options["date"])
            info = lunar.describe(lunar.to_solar(day, month, year, options["leap"]))
        except lunar.LunarError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.emit_json(info)
        else:
            self.stdout.write(describe_text(info))
