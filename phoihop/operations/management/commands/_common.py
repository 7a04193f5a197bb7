"""Shared bits of the operations commands: --format and JSON output."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand


class OperationsCommand(BaseCommand):
    def add_format_argument(self, parser) -> None:
        parser.add_argument("--format", choices=["text", "json"], default="text",
                            help="text (mặc định, tiếng Việt) hoặc json")

    def emit_json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))


def size_vi(n: int) -> str:
    from phoihop.core.formatting import number_vi

    for unit, factor in (("GB", 1024 ** 3), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= factor:
            return f"{number_vi(round(n / factor, 1))} {unit}"
    return f"{number_vi(n)} byte"
