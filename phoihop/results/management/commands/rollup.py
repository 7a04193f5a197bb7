"""`phoihop rollup`: the pre-aggregated figures (results/rollup.py) — state, refresh, rebuild, check.

    phoihop rollup                 # rows stored and changes waiting (then refreshed)
    phoihop rollup --rebuild       # recompute everything from the values
    phoihop rollup --check         # compare with a recomputation; exit code 1 on a difference
    phoihop rollup --format json

Normally nothing needs doing: database triggers queue every change and each read catches up.
`triggers_missing` / `triggers_changed` list the triggers absent from the database or installed
from another definition than the code's or no longer defined (`phoihop migrate` puts them right,
docs/adr/0005-rollup.md).
"""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from phoihop.core.formatting import number_vi
from phoihop.results import rollup
from phoihop.results.models import Rollup


class Command(BaseCommand):
    help = "Trạng thái, làm mới, dựng lại hoặc kiểm tra bảng tổng hợp sẵn (rollup) của số liệu."

    def add_arguments(self, parser):
        action = parser.add_mutually_exclusive_group()
        action.add_argument("--rebuild", action="store_true", help="tính lại toàn bộ từ số liệu gốc")
        action.add_argument("--check", action="store_true", help="so sánh với một lần tính lại; lỗi nếu khác")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args, **options):
        triggers = rollup.trigger_state()
        missing, changed = triggers["missing"], sorted(triggers["changed"] + triggers["obsolete"])
        waiting = rollup.pending()
        report: dict = {"triggers_missing": missing, "triggers_changed": changed, "waiting": waiting}
        if options["rebuild"]:
            report["recomputed_cells"] = rollup.rebuild()
        elif options["check"]:
            report.update(rollup.check())
        else:
            report["recomputed_cells"] = rollup.refresh()
        report["rows"] = Rollup.objects.count()
        if options["format"] == "json":
            self.stdout.write(json.dumps(report, ensure_ascii=False))
        else:
            self.stdout.write(f"Dòng tổng hợp sẵn: {number_vi(report['rows'])}")
            self.stdout.write(f"Ô số liệu chờ tính lại (trước lệnh): {number_vi(waiting)}")
            if "recomputed_cells" in report:
                self.stdout.write(f"Ô đã tính lại: {number_vi(report['recomputed_cells'])}")
            if "differences" in report:
                self.stdout.write(f"Khác với số liệu gốc: {number_vi(report['differences'])}")
            if missing:
                self.stdout.write(f"Thiếu trigger: {', '.join(missing)} — chạy “phoihop migrate” để cài lại.")
            if changed:
                self.stdout.write(f"Trigger khác định nghĩa trong mã: {', '.join(changed)} — chạy “phoihop migrate” để cài lại.")
        if options["check"] and report["differences"]:
            raise CommandError(f"Bảng tổng hợp sẵn khác số liệu gốc ở {report['differences']} dòng; chạy “phoihop rollup --rebuild”.")
