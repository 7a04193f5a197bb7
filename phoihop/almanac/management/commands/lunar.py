from django.core.management.base import CommandError

from phoihop.almanac import lunar
from phoihop.almanac.management.commands._output import AlmanacCommand, describe_text


class Command(AlmanacCommand):
    help = "Đổi một ngày dương lịch (YYYY-MM-DD) sang âm lịch Việt Nam (UTC+7)."

    def add_arguments(self, parser):
        parser.add_argument("date", help="ngày dương lịch, dạng YYYY-MM-DD")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        day = self.solar_date(options["date"])
        try:
            info = lunar.describe(day)
        except lunar.LunarError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.emit_json(info)
        else:
            self.stdout.write(describe_text(info))
