from django.contrib import admin

from phoihop.core.admin_mixins import ReadOnlyAdmin
from phoihop.operations.models import LoginEvent


@admin.register(LoginEvent)
class LoginEventAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only, system administrators only (the same log as /quan-tri-he-thong/dang-nhap/)."""

    list_display = ("at", "kind", "username", "network", "path")
    list_filter = ("kind", "success")
    search_fields = ("username",)
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser
