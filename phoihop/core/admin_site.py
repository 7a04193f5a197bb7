"""The project's admin site: Django's, with every ModelAdmin and inline registered on it given
the Vietnamese number fields (admin_mixins.VietnameseNumbersAdmin), so no admin form offers an
<input type=number> whoever writes the next ModelAdmin. Installed as the default site by
core.admin_apps.AdminConfig (settings: INSTALLED_APPS), so `admin.site` and `@admin.register` are it."""

from __future__ import annotations

from django.contrib import admin

from phoihop.core.admin_mixins import with_vietnamese_numbers


class SiteAdmin(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, with_vietnamese_numbers(admin_class or admin.ModelAdmin), **options)
