from django.core.management.base import CommandError

from phoihop.almanac import services
from phoihop.almanac.management.commands._output import AlmanacCommand
from phoihop.core.formatting import doc_date


class Command(AlmanacCommand):
    help = "Liệt kê các ngày kỷ niệm (số năm, năm tròn / năm lẻ 5) trong một khoảng thời gian."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="date_from", required=True, help="từ ngày, YYYY-MM-DD")
        parser.add_argument("--to", dest="date_to", required=True, help="đến ngày, YYYY-MM-DD")
        parser.add_argument("--org", type=int, help="chỉ ngày toàn quốc và ngày riêng của tổ chức này (id)")
        self.add_format_argument(parser)

    def handle(self, *args, **options):
        start = self.solar_date(options["date_from"], "Ngày bắt đầu")
        end = self.solar_date(options["date_to"], "Ngày kết thúc")
        commemorations = None
        if options.get("org"):
            orgs = {options["org"]}
            commemorations = services.commemorations_for(orgs, services.unit_ids_for(orgs))
        try:
            found = services.anniversaries(start, end, commemorations)
        except services.WindowError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.emit_json([
                {k: v for k, v in a.as_dict().items() if k in {"name", "origin", "date", "years", "kind", "text"}}
                for a in found
            ])
            return
        if not found:
            self.stdout.write(f"Không có ngày kỷ niệm nào từ {doc_date(start)} đến {doc_date(end)}.")
            return
        self.stdout.write(f"Ngày kỷ niệm từ {doc_date(start)} đến {doc_date(end)}:")
        for a in found:
            kind = f" [{a.kind_label}]" if a.kind_label else ""
            self.stdout.write(f"- {doc_date(a.date)}: {a.text}{kind}")
