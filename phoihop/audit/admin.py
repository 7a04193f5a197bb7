from django.contrib import admin

from phoihop.audit.models import AuditEntry
from phoihop.core.admin_mixins import ReadOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("at", "who", "action", "content_type", "object_repr")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_label")
    date_hierarchy = "at"

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
