
from phoihop.almanac.management.commands._output import AlmanacCommand


class Command(AlmanacCommand):
    help = "Đổi một ngày dương lịch (YYYY-MM-DD) sang âm lịch Việt Nam (UTC+7)."

    def add_arguments(self, parser):
        parser.add_argument("date", help="ngày dương lịch, dạng YYYY-MM-DD")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        day = self.solar_date(options["date"])
        self.describe(lambda: day, options)
