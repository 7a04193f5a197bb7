from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlmanacConfig(AppConfig):
    name = "phoihop.almanac"
    verbose_name = _("Lịch và ngày kỷ niệm")
