from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "phoihop.core"
    verbose_name = _("Lõi")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from phoihop.core import checks  # noqa: F401  (registers the project's system checks)
        from phoihop.core.collation import register_sqlite_collation

        connection_created.connect(register_sqlite_collation)
