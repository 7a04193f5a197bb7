from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlmanacConfig(AppConfig):
    name = "phoihop.almanac"
    verbose_name = _("Lịch và ngày kỷ niệm")

    def ready(self) -> None:
        # Importing registers the almanac's focus and reminder providers.
        from phoihop.almanac import focus, reminders  # noqa: F401
