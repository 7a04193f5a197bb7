
from phoihop.almanac import lunar
from phoihop.almanac.api import parse_lunar
from phoihop.almanac.management.commands._output import AlmanacCommand


class Command(AlmanacCommand):
    help = "Đổi một ngày âm lịch (YYYY-MM-DD, --leap nếu là tháng nhuận) sang dương lịch."

    def add_arguments(self, parser):
        parser.add_argument("date", help="ngày âm lịch, dạng YYYY-MM-DD (năm-tháng-ngày âm lịch)")
        parser.add_argument("--leap", action="store_true", help="ngày thuộc tháng nhuận")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        def solar_day():
            day, month, year = parse_lunar(options["date"])
            return lunar.to_solar(day, month, year, options["leap"])

        self.describe(solar_day, options)
