"""`phoihop benchgen --scale city|province|nation [--seed N]`: synthetic data for the benchmarks.

The generator lives in the top-level `bench` package (bench/generator.py, see bench/README.md);
this command only wires it to `phoihop`. It writes into the configured database
(PHOIHOP_DATABASE_URL) and refuses a database that holds other data: use a separate one, e.g.
PHOIHOP_DATABASE_URL=sqlite:///var/bench/city.sqlite3 phoihop migrate && … phoihop benchgen.
`python -m bench run` does all of that by itself.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

ROOT = Path(__file__).resolve().parents[4]


class Command(BaseCommand):
    help = "Sinh dữ liệu tổng hợp để đo hiệu năng (thành phố, tỉnh, toàn quốc); in số dòng đã tạo theo từng loại."

    def add_arguments(self, parser):
        parser.add_argument("--scale", required=True, choices=["smoke", "city", "province", "nation"])
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--force", action="store_true",
                            help="Ghi cả vào cơ sở dữ liệu đang có dữ liệu khác (không khuyến nghị)")
        parser.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, scale, seed, force, format, **options):
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        try:
            from bench import generator
            from bench.scales import SCALES
        except ImportError as exc:  # an installed copy without the source tree
            raise CommandError("Không tìm thấy thư mục bench/ của mã nguồn Phối Hợp.") from exc
        from django.db import connection

        if scale == "nation" and connection.vendor != "postgresql":
            raise CommandError("Quy mô toàn quốc (~10 triệu số liệu) chỉ chạy trên PostgreSQL.")
        existing = generator.already_generated()
        if existing:
            raise CommandError(f"Cơ sở dữ liệu đã có dữ liệu thử tải ({existing}); hãy dùng cơ sở dữ liệu mới.")
        if generator.foreign_data() and not force:
            raise CommandError("Cơ sở dữ liệu này đã có dữ liệu khác (không phải dữ liệu thử tải); "
                               "hãy trỏ PHOIHOP_DATABASE_URL tới một cơ sở dữ liệu riêng, hoặc thêm --force.")
        quiet = format == "json"
        counts = generator.generate(scale, seed, out=(lambda text: None) if quiet else self.stdout.write)
        if quiet:
            self.stdout.write(json.dumps({"scale": scale, "seed": seed, "rows": dict(counts),
                                          "nominal_values": SCALES[scale].nominal_values}, ensure_ascii=False))
            return
        self.stdout.write(f"Đã tạo dữ liệu thử tải quy mô {scale} (seed {seed}):")
        generator.print_counts(counts, self.stdout.write)
