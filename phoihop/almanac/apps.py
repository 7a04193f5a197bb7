from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlmanacConfig(AppConfig):
    name = "phoihop.almanac"
    verbose_name = _("Lịch và ngày kỷ niệm")

    def ready(self) -> None:
        # Importing registers the almanac's focus and reminder providers and the feeds a private
        # calendar link may be made for (accounts.feeds).
        from phoihop.almanac import feed_targets, focus, reminders  # noqa: F401
