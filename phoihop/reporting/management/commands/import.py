"""`phoihop import FILE.xlsx [--user USERNAME]`: import a filled-in Excel template, all or nothing."""

from __future__ import annotations

import json

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from phoihop.audit.context import acting_as
from phoihop.reporting import excel


class Command(BaseCommand):
    help = (
        "Nhập tệp Excel (mẫu của Phối Hợp) đã điền số liệu. Kiểm tra toàn bộ trước: có lỗi thì không ghi "
        "giá trị nào, in từng lỗi theo dạng “Trang!Ô: lý do” và thoát với mã lỗi khác 0."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx đã điền")
        parser.add_argument("--user", help="nhập với quyền của người dùng này (mặc định: nhập của hệ thống, không kiểm tra quyền)")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="text (mặc định, tiếng Việt) hoặc json")

    def handle(self, *args, **options):
        user = None
        if options.get("user"):
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None or not user.is_active:
                raise CommandError(f"Không có người dùng “{options['user']}” (hoặc tài khoản đã bị khóa).")
        if user is not None:
            with acting_as(user):
                result = excel.import_workbook(options["file"], user)
        else:
            with acting_as(label="phoihop import"):
                result = excel.import_workbook(options["file"], None, check_permission=False)
        if options["format"] == "json":
            self.stdout.write(json.dumps(result.as_dict(), ensure_ascii=False, indent=2))
        else:
            for problem in result.problems:
                self.stdout.write(str(problem))
        if not result.ok:
            raise CommandError(f"Không nhập: {len(result.problems)} lỗi; chưa ghi giá trị nào.")
        if options["format"] != "json":
            where = f" {result.period.label} của {result.organization.name}" if result.period and result.organization else ""
            self.stdout.write(f"Đã nhập{where}: lưu {result.saved} giá trị, {result.unchanged} giá trị không đổi.")
