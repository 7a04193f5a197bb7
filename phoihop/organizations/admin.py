from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from phoihop.accounts.admin_mixins import ScopedAdmin
from phoihop.organizations.models import (
    AdministrativeUnit,
    Organization,
    OrganizationParent,
    OrganizationSuccession,
    Person,
    Position,
    UnitSuccession,
)

admin.site.site_header = _("Phối Hợp — quản trị")
admin.site.site_title = _("Phối Hợp")
admin.site.index_title = _("Quản trị dữ liệu")


class UnitSuccessionInline(admin.TabularInline):
    model = UnitSuccession
    fk_name = "predecessor"
    extra = 0


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "parent", "valid_from", "valid_to", "is_demo")
    list_filter = ("level",)
    search_fields = ("search_text", "name")
    inlines = [UnitSuccessionInline]


class ParentInline(admin.TabularInline):
    model = OrganizationParent
    fk_name = "child"
    extra = 0


class SuccessionInline(admin.TabularInline):
    model = OrganizationSuccession
    fk_name = "predecessor"
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "administrative_unit", "valid_from", "valid_to", "is_demo")
    list_filter = ("kind",)
    search_fields = ("search_text", "name")
    inlines = [ParentInline, SuccessionInline]

    def managing_org_ids(self, obj):
        return {obj.pk}


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("full_name", "is_demo")
    search_fields = ("search_text", "full_name")


@admin.register(Position)
class PositionAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ("person", "title", "organization", "valid_from", "valid_to")
    autocomplete_fields = ("person", "organization")

    def managing_org_ids(self, obj):
        return {obj.organization_id}
