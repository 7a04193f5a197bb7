"""`phoihop makemessages`: Django's own, with the project's options always applied.

The catalogue (locale/en/LC_MESSAGES/django.po) is extracted from the whole repository except
what is not the product, and it never keeps obsolete `#~` entries (the translation memory,
locale/en/memory.json, remembers them instead; see locale/README.md). `make messages` and the
staleness test (phoihop/core/tests/test_catalogue.py) both go through this command.
"""

from django.core.management.commands import makemessages

# Not the product: the virtualenv, data, benchmarks, packaging leftovers.
PROJECT_IGNORES = [".venv", "var", "bench", "build", "dist", "*.egg-info", "node_modules", "staticfiles"]


class Command(makemessages.Command):
    help = makemessages.Command.help + " Phối Hợp: always --no-obsolete, and ignores " + ", ".join(PROJECT_IGNORES) + "."

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *PROJECT_IGNORES]
        options["no_obsolete"] = True
        return super().handle(*args, **options)
