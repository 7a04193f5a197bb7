from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from phoihop.accounts import services
from phoihop.accounts.models import ApiToken, FeedToken, Membership


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "organization__search_text")
    autocomplete_fields = ("organization",)

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "last_used_at", "revoked")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_module_permission(self, request):
        return request.user.is_superuser


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    """Calendar feed tokens: read-only here (created by their user, shown once); revoked with the
    action, through accounts.services like the user's own page."""

    list_display = ("prefix", "user", "label", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("user__username", "label", "prefix")
    readonly_fields = ("prefix", "user", "label", "created_at", "last_used_at", "revoked_at")
    exclude = ("key_hash",)
    actions = ("revoke",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # nothing to edit; revocation is the action below

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # revoke instead: the row stays as the record of the link

    @admin.action(description=_("Thu hồi các đường dẫn lịch đã chọn"), permissions=["view"])
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.revoke_feed_token(token)
            count += 1
        self.message_user(request, ngettext("Đã thu hồi %(n)d đường dẫn lịch.", "Đã thu hồi %(n)d đường dẫn lịch.",
                                            count) % {"n": count}, messages.SUCCESS)
