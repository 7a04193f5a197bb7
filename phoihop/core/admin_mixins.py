"""Admin mixins that need no domain app (the scoped one, ScopedAdmin, is accounts.admin_mixins)."""

from __future__ import annotations

from functools import cache


class ReadOnlyAdmin:
    """Nobody adds, changes or deletes through the admin (logs, and rows that move only through
    their own recorded workflow). Put it first among the bases so it wins over ScopedAdmin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class VietnameseNumbersAdmin:
    """Every number field of the admin reads the Vietnamese way ("45,5" is 45,5, "1.200" is
    1200) and none is an <input type=number> (core.forms). The project's admin site
    (core.admin_site) puts it under every registered ModelAdmin and inline."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        from django.db import models

        from phoihop.core.forms import vietnamese_number_field

        numeric = isinstance(db_field, (models.IntegerField, models.DecimalField))
        if numeric and not db_field.choices and not db_field.is_relation:
            return vietnamese_number_field(db_field, **kwargs)
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def get_inlines(self, request, obj):
        return [with_vietnamese_numbers(inline) for inline in super().get_inlines(request, obj)]


@cache
def with_vietnamese_numbers(admin_class: type) -> type:
    """`admin_class` itself when it already reads numbers the Vietnamese way, else a subclass
    that does (same name and module: the admin and its checks name it as before)."""
    if issubclass(admin_class, VietnameseNumbersAdmin):
        return admin_class
    return type(admin_class.__name__, (VietnameseNumbersAdmin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__})
