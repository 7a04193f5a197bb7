from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running the system: login log and the administrators' audit pages, security headers,
    login throttling glue, backup and restore."""

    name = "phoihop.operations"
    label = "operations"
    verbose_name = _("Vận hành hệ thống")

    def ready(self) -> None:
        from phoihop.operations import signals

        signals.connect()
