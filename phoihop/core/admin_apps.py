"""django.contrib.admin with the project's site (core.admin_site.SiteAdmin) as `admin.site`:
installed in settings.INSTALLED_APPS instead of "django.contrib.admin". Its own module, light to
import while the app registry loads (the site module imports the admin's models)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "phoihop.core.admin_site.SiteAdmin"
