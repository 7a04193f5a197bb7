"""`phoihop results`: the figures of one or more programs over a window, as JSON or a table.

    phoihop results --program bn-phoihop-2019-2023 --from 2019-07-09 --to 2023-12-31 --format json

Every figure comes from results.aggregation.results(), the same source as pages and documents.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from phoihop.core import bounds
from phoihop.core.formatting import number_vi, short_date
from phoihop.programs.models import Program
from phoihop.results import aggregation


def _date(raw: str, label: str) -> dt.date:
    text = (raw or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise CommandError(f"{label} “{raw}” không hợp lệ; hãy ghi theo dạng YYYY-MM-DD (ví dụ 2019-07-09).")


def _row_json(row: aggregation.ResultRow, draft: bool) -> dict:
    return row.as_json(approved_only=not draft)


def _cell(value: Decimal | None) -> str:
    return "—" if value is None else number_vi(value)


def _line(cells: list[str], widths: list[int]) -> str:
    """The organisation on the left, the figures aligned on the right."""
    return "  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()


class Command(BaseCommand):
    help = "Kết quả thực hiện chương trình phối hợp: số liệu từng tổ chức và tổng cộng, chỉ tiêu, kỳ trước."

    def add_arguments(self, parser):
        parser.add_argument("--program", action="append", required=True, metavar="MÃ",
                            help="mã chương trình (lặp lại để lấy nhiều chương trình)")
        parser.add_argument("--from", dest="date_from", help="từ ngày, YYYY-MM-DD (mặc định: đầu giai đoạn)")
        parser.add_argument("--to", dest="date_to", help="đến ngày, YYYY-MM-DD (mặc định: cuối giai đoạn)")
        parser.add_argument("--draft", action="store_true", help="tính cả số liệu chưa được duyệt (bản nháp)")
        parser.add_argument("--by-year", action="store_true", help="tách theo từng năm")
        parser.add_argument("--format", choices=["text", "json"], default="text", help="text (mặc định, tiếng Việt) hoặc json")

    def handle(self, *args, program, date_from=None, date_to=None, draft=False, by_year=False, format="text", **options):
        codes = list(dict.fromkeys(c.strip() for c in program))
        found = {p.code: p for p in Program.objects.filter(code__in=codes)}
        unknown = [c for c in codes if c not in found]
        if unknown:
            raise CommandError("Không có chương trình " + ", ".join(f"“{c}”" for c in unknown) + ".")
        programs = [found[c] for c in codes]
        start = _date(date_from, "Ngày bắt đầu") if date_from else min(p.start for p in programs)
        end = _date(date_to, "Ngày kết thúc") if date_to else max(p.end or timezone.localdate() for p in programs)
        if end < start:
            raise CommandError(f"Ngày kết thúc {short_date(end)} phải sau hoặc bằng ngày bắt đầu {short_date(start)}.")
        try:
            bounds.check_results_window(start, end, programs=len(programs))
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        rows = aggregation.results(codes, start, end, include_unapproved=draft, by_year=by_year, programs=programs)
        if format == "json":
            # One row per line: valid JSON that `head`, `grep` and diffs can still read.
            lines = ",\n".join(json.dumps(_row_json(r, draft), ensure_ascii=False) for r in rows)
            self.stdout.write(f"[\n{lines}\n]" if rows else "[]")
            return
        self._text(programs, rows, start, end, draft)

    def _text(self, programs, rows, start, end, draft) -> None:
        out = self.stdout
        titles = {p.code: p.title for p in programs}
        out.write(f"KẾT QUẢ THỰC HIỆN CHƯƠNG TRÌNH PHỐI HỢP từ {short_date(start)} đến {short_date(end)}")
        out.write("(CÓ CẢ SỐ LIỆU CHƯA DUYỆT — bản nháp)" if draft else "(chỉ tính số liệu đã duyệt)")
        headers = ["Tổ chức", "Kết quả", "Chỉ tiêu", "Đạt %", "Kỳ trước", "Trong đó phối hợp"]
        blocks: dict[tuple, list] = {}
        for row in rows:
            blocks.setdefault((row.program, row.year), []).append(row)
        for (code, year), block in blocks.items():
            out.write("")
            out.write(f"{titles.get(code, code)} ({code})" + (f" — năm {year}" if year else ""))
            lines = [[
                r.organization_name or "TỔNG CỘNG", _cell(r.value), _cell(r.target),
                "—" if r.achieved_pct is None else number_vi(r.achieved_pct, 1),
                _cell(r.previous_value), _cell(r.joint_value),
            ] for r in block]
            widths = [max(len(x[i]) for x in [headers, *lines]) for i in range(len(headers))]
            indicator = None
            for r, cells in zip(block, lines, strict=True):
                if r.indicator != indicator:
                    indicator = r.indicator
                    out.write("")
                    out.write(f"  {r.indicator_name} ({r.unit})")
                    out.write("    " + _line(headers, widths))
                out.write("    " + _line(cells, widths))
