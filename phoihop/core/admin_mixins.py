"""Admin mixins that need no domain app (the scoped one, ScopedAdmin, is accounts.admin_mixins)."""

from __future__ import annotations


class ReadOnlyAdmin:
    """Nobody adds, changes or deletes through the admin (logs, and rows that move only through
    their own recorded workflow). Put it first among the bases so it wins over ScopedAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
