from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "phoihop.audit"
    verbose_name = _("Nhật ký thay đổi")

    def ready(self) -> None:
        from phoihop.audit import recorder

        recorder.connect_signals()
