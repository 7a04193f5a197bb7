from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "phoihop.accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import pre_save

        from phoihop.accounts.signals import clean_user_names

        pre_save.connect(clean_user_names, sender=get_user_model(), dispatch_uid="phoihop.accounts.clean_user_names")
