from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganizationsConfig(AppConfig):
    name = "phoihop.organizations"
    verbose_name = _("Đơn vị hành chính và tổ chức")
