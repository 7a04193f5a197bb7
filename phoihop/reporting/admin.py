from django.contrib import admin

from phoihop.core.admin_mixins import ReadOnlyAdmin, ScopedAdmin
from phoihop.reporting import access
from phoihop.reporting.models import (
    Activity,
    ActivityValue,
    DataValue,
    Disaggregation,
    DisaggregationOption,
    Indicator,
    Period,
    Plan,
    Submission,
    Target,
    ValidationRule,
)


class OptionInline(admin.TabularInline):
    model = DisaggregationOption
    extra = 0


@admin.register(Disaggregation)
class DisaggregationAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [OptionInline]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "unit", "value_type", "aggregation", "content_area")
    list_filter = ("content_area", "aggregation", "value_type")
    search_fields = ("search_text", "code", "name")


@admin.register(ValidationRule)
class ValidationRuleAdmin(admin.ModelAdmin):
    list_display = ("left", "operator", "right", "severity", "active")


@admin.register(Target)
class TargetAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ("program", "organization", "indicator", "year", "value")
    list_filter = ("program", "year")

    def managing_org_ids(self, obj):
        return obj.program.related_organization_ids()


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "label", "convention", "start", "end", "deadline", "closes_on")
    list_filter = ("type", "convention", "year")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin, ScopedAdmin, admin.ModelAdmin):
    """Read-only: reports move only through submit / approve / return / reopen, each recorded."""

    list_display = ("organization", "period", "status", "submitted_at", "approved_at")
    list_filter = ("status",)

    def visible_queryset(self, request, qs):
        return qs.filter(organization_id__in=access.supervised_org_ids(request.user))


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin, ScopedAdmin, admin.ModelAdmin):
    """Read-only: values change only through the entry grid, Excel or the API, which respect locks."""

    list_display = ("organization", "indicator", "period", "option", "value", "version")
    list_filter = ("period__year", "indicator__content_area")

    def visible_queryset(self, request, qs):
        return qs.filter(organization_id__in=access.supervised_org_ids(request.user))


def _locked(obj) -> bool:
    from phoihop.reporting.services import activity_lock

    return obj is not None and activity_lock(obj.lead_organization_id, obj.end_date, obj.status) is not None


class ActivityValueInline(admin.TabularInline):
    model = ActivityValue
    extra = 0

    # Figures of an activity in a submitted or approved month change only after reopening.
    def has_add_permission(self, request, obj=None):
        return not _locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ("title", "lead_organization", "content_area", "start_date", "end_date", "status")
    list_filter = ("content_area", "status")
    search_fields = ("search_text", "title")
    filter_horizontal = ("co_organizers",)
    inlines = [ActivityValueInline]

    def visible_queryset(self, request, qs):
        return qs.filter(pk__in=access.activities_visible_to(request.user).values("pk"))

    def managing_org_ids(self, obj):
        return {obj.lead_organization_id}

    def has_change_permission(self, request, obj=None):
        return not _locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _locked(obj) and super().has_delete_permission(request, obj)


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "year")
