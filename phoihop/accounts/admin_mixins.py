"""Admin scoping: back-office staff see and edit only what the access helpers allow.

Here, not in core, because it asks accounts.permissions; core.admin_mixins keeps ReadOnlyAdmin,
which asks nobody.
"""

from __future__ import annotations

from phoihop.accounts import permissions as perms


class ScopedAdmin:
    """Subclasses define `visible_queryset(request)` and `managing_org_ids(obj)`."""

    def visible_queryset(self, request, qs):
        return qs

    def managing_org_ids(self, obj) -> set[int]:
        return set()

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if perms.is_system_admin(request.user):
            return qs
        return self.visible_queryset(request, qs)

    def has_change_permission(self, request, obj=None):
        if perms.is_system_admin(request.user):
            return True
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or perms.can(request.user, perms.MANAGE, self.managing_org_ids(obj))

    def has_delete_permission(self, request, obj=None):
        if perms.is_system_admin(request.user):
            return True
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or perms.can(request.user, perms.MANAGE, self.managing_org_ids(obj))
