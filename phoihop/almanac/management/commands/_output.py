"""Shared bits of the almanac commands: --format, JSON output, Vietnamese errors."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from phoihop.almanac import lunar
from phoihop.almanac.api import parse_solar


class AlmanacCommand(BaseCommand):
    def add_format_argument(self, parser) -> None:
        parser.add_argument(
            "--format", choices=["text", "json"], default="text",
            help="text (mặc định, tiếng Việt) hoặc json",
        )

    def emit_json(self, data) -> None:
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))

    def describe(self, solar_day_of, options) -> None:
        """Print the lunar and solar description of the day `solar_day_of()` gives (text or JSON);
        a lunar-calendar error is the command's Vietnamese error."""
        try:
            info = lunar.describe(solar_day_of())
        except lunar.LunarError as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.emit_json(info)
        else:
            self.stdout.write(describe_text(info))

    def solar_date(self, value: str, label: str = "Ngày"):
        try:
            return parse_solar(value, label)
        except lunar.LunarError as exc:
            raise CommandError(str(exc)) from None


def describe_text(info: dict) -> str:
    """'Âm lịch: mùng 1 tháng Giêng năm Ất Sửu (1/1/1985)' and the can chi of day, month, year."""
    import datetime as dt

    from phoihop.core.formatting import doc_date

    leap = " nhuận" if info["leap"] else ""
    day = info["lunar_day"]
    day_word = f"mùng {day}" if day <= 10 else f"ngày {day}"
    month = lunar.month_label(info["lunar_month"], info["leap"])
    return (
        f"Dương lịch: {doc_date(dt.date.fromisoformat(info['solar']))}\n"
        f"Âm lịch: {day_word} {month} năm {info['year_can_chi']} "
        f"({day}/{info['lunar_month']}{leap}/{info['lunar_year']})\n"
        f"Ngày {info['day_can_chi']}, tháng {info['month_can_chi']}{leap}, năm {info['year_can_chi']}"
    )
