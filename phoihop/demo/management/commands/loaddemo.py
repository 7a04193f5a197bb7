import json

from django.core.management.base import BaseCommand
from django.db import transaction

from phoihop.audit.context import acting_as
from phoihop.demo import organizations, programs, users


class Command(BaseCommand):
    help = "Nạp kịch bản minh họa Bắc Ninh 2019 (chạy lại không thay đổi gì)."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--if-empty", action="store_true", help="Chỉ nạp khi cơ sở dữ liệu chưa có chương trình nào.")
        parser.add_argument("--no-figures", action="store_true", help="Không nạp số liệu và hoạt động minh họa (nhanh hơn).")

    def handle(self, *args, format="text", if_empty=False, no_figures=False, **options):
        from phoihop.programs.models import Program

        if if_empty and Program.objects.exists():
            self._report(format, loaded=False, rows=[])
            return
        import inspect

        from phoihop.demo.catalogs import ensure_catalogs

        with transaction.atomic(), acting_as(label="loaddemo"):
            ensure_catalogs()
            orgs = organizations.load()
            programs.load(orgs)
            for hook in _extra_loaders():
                if "figures" in inspect.signature(hook).parameters:
                    hook(orgs, figures=not no_figures)
                else:
                    hook(orgs)
            rows = users.load(orgs)
        from phoihop.results import rollup

        rollup.refresh()  # the figures' rollup catches up now, not on the first page view
        self._report(format, loaded=True, rows=rows)

    def _report(self, format, loaded, rows):
        password = users.demo_password()
        if format == "json":
            payload = {"loaded": loaded, "password": password, "users": [{"username": u, "role": r, "organization": o} for u, r, o in rows]}
            self.stdout.write(json.dumps(payload, ensure_ascii=False))
            return
        self.stdout.write("Đã nạp dữ liệu minh họa Bắc Ninh 2019." if loaded else "Cơ sở dữ liệu đã có dữ liệu; không nạp lại.")


def _extra_loaders():
    """Demo parts owned by other apps (almanac, reporting…), each a function(orgs)."""
    from phoihop.demo import extras

    return extras.LOADERS
