"""`phoihop compilemessages`: Django's own, skipping what is not the product.

Django's command walks the whole tree for `locale` folders, the virtualenv's packages included;
this one ignores the same folders as `phoihop makemessages`.
"""

from django.core.management.commands import compilemessages

from phoihop.core.management.commands.makemessages import PROJECT_IGNORES


class Command(compilemessages.Command):
    help = compilemessages.Command.help + " Phối Hợp: ignores " + ", ".join(PROJECT_IGNORES) + "."

    def handle(self, *args, **options):
        options["ignore_patterns"] = [*options["ignore_patterns"], *PROJECT_IGNORES]
        return super().handle(*args, **options)
