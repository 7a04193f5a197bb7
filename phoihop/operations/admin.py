from django.contrib import admin

from phoihop.operations.models import LoginEvent


@admin.register(LoginEvent)
class LoginEventAdmin(admin.ModelAdmin):
    """Read-only, system administrators only (the same log as /quan-tri-he-thong/dang-nhap/)."""

    list_display = ("at", "kind", "username", "network", "path")
    list_filter = ("kind", "success")
    search_fields = ("username",)
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser
