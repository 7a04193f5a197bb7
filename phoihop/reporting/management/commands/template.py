"""`phoihop template --org ID --period CODE -o FILE.xlsx`: the Excel template of an organisation."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from phoihop.organizations.models import Organization
from phoihop.reporting import excel, periods, services


class Command(BaseCommand):
    help = (
        "Tạo mẫu Excel nhập số liệu của một tổ chức cho một kỳ báo cáo: các chỉ số của tổ chức, "
        "số liệu kỳ trước, chỉ tiêu năm, số liệu đã nhập; cấu trúc được khóa, chỉ ô nhập liệu mở."
    )

    def add_arguments(self, parser):
        parser.add_argument("--org", type=int, required=True, help="mã (id) của tổ chức, như trong API")
        parser.add_argument("--period", required=True,
                            help="mã kỳ báo cáo: 2019-07 (tháng), 2019-Q3 (quý), 2019-H1 (6 tháng), 2019-9M (9 tháng), 2019 (năm)")
        parser.add_argument("--convention", choices=[periods.DECREE_09, periods.CALENDAR],
                            help="cách chốt số liệu (mặc định: theo chương trình của tổ chức)")
        parser.add_argument("-o", "--output", help="tệp .xlsx cần ghi (mặc định: mau-so-lieu-<tổ chức>-<kỳ>.xlsx)")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="text (mặc định, tiếng Việt) hoặc json")

    def handle(self, *args, **options):
        organization = Organization.objects.filter(pk=options["org"]).first()
        if organization is None:
            raise CommandError(f"Không có tổ chức mã {options['org']}.")
        convention = options.get("convention") or services.convention_for(organization)
        try:
            period = services.find_period(options["period"], convention)
        except periods.PeriodCodeError as exc:
            raise CommandError(str(exc)) from None
        template = excel.make_template(organization, period)
        path = Path(options.get("output") or template.filename)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(f"Tên tệp phải có đuôi .xlsx: {path}")
        try:
            path.write_bytes(template.content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror}") from None
        if options["format"] == "json":
            self.stdout.write(json.dumps({
                "file": str(path), "organization": organization.pk, "organization_name": organization.name,
                "period": period.code, "period_label": period.label, "convention": period.convention,
                "rows": template.rows,
            }, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"Đã tạo {path}: mẫu nhập số liệu {period.label} của {organization.name} ({template.rows} dòng chỉ số)."
        )
