from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from phoihop.accounts import permissions as perms
from phoihop.accounts.admin_mixins import ScopedAdmin
from phoihop.core.admin_mixins import ReadOnlyAdmin
from phoihop.reporting import access, activities, services
from phoihop.reporting.forms import ReopenForm
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
    """Targets are set on the targets page, by Excel or by the API, under the targets rule (a
    party sets its own, the standing office everyone's). Here only a system administrator writes,
    and through the same service (`services.apply_targets`), so every change is audited alike."""

    list_display = ("program", "organization", "indicator", "year", "value")
    list_filter = ("program", "year")

    def managing_org_ids(self, obj):
        return obj.program.related_organization_ids()

    def has_add_permission(self, request):
        return perms.is_system_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return perms.is_system_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return perms.is_system_admin(request.user)

    def save_model(self, request, obj, form, change):
        cells = []
        if change:
            before = Target.objects.get(pk=obj.pk)
            key = (before.program, before.organization_id, before.indicator_id, before.year)
            if key != (obj.program, obj.organization_id, obj.indicator_id, obj.year):
                cells.append((*key, None))  # moved to another cell: the old one goes
        cells.append((obj.program, obj.organization_id, obj.indicator_id, obj.year, obj.value))
        services.apply_targets(cells, request.user)
        obj.pk = Target.objects.get(program=obj.program, organization_id=obj.organization_id,
                                    indicator_id=obj.indicator_id, year=obj.year).pk

    def delete_model(self, request, obj):
        self.delete_queryset(request, [obj])

    def delete_queryset(self, request, queryset):
        services.apply_targets([(t.program, t.organization_id, t.indicator_id, t.year, None) for t in queryset], request.user)


@admin.register(Period)
class PeriodAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Read-only: a period is computed from its code (dates, deadline, closing day); changing its
    dates would move values in or out of approved reports."""

    list_display = ("code", "label", "convention", "start", "end", "deadline", "closes_on")
    list_filter = ("type", "convention", "year")


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin, ScopedAdmin, admin.ModelAdmin):
    """Read-only: reports move only through submit / approve / return / reopen, each recorded.
    The one way to change a report here is the action "Mở lại kỳ báo cáo" (`services.reopen`,
    with its reason and end date, in the audit log)."""

    list_display = ("organization", "period", "status", "submitted_at", "approved_at", "reopened_until")
    list_filter = ("status",)
    actions = ["reopen_submissions"]

    def visible_queryset(self, request, qs):
        return qs.filter(organization_id__in=access.supervised_org_ids(request.user))

    @admin.action(description=gettext_lazy("Mở lại kỳ báo cáo"))
    def reopen_submissions(self, request, queryset):
        """Ask for the reason and the end date, then reopen every selected report, all or none."""
        submissions = list(queryset.select_related("organization", "period").order_by("period__start", "organization__name"))
        form = ReopenForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            try:
                with transaction.atomic():
                    for submission in submissions:
                        services.reopen(submission, request.user, form.cleaned_data["until"], form.cleaned_data["reason"])
            except (ValidationError, PermissionDenied, Http404) as exc:
                self.message_user(request, _("Chưa mở lại báo cáo nào: %(reason)s") % {"reason": _reason(exc)}, messages.ERROR)
                return None
            self.message_user(request, _("Đã mở lại %(n)s báo cáo đến ngày %(d)s; việc mở lại được ghi vào nhật ký.") % {
                "n": len(submissions), "d": form.cleaned_data["until"].strftime("%d/%m/%Y")}, messages.SUCCESS)
            return None
        return TemplateResponse(request, "admin/reporting/submission/reopen.html", {
            **self.admin_site.each_context(request), "title": _("Mở lại kỳ báo cáo"), "opts": self.model._meta,
            "form": form, "submissions": submissions, "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }, status=422 if form.errors else 200)


@admin.register(DataValue)
class DataValueAdmin(ReadOnlyAdmin, ScopedAdmin, admin.ModelAdmin):
    """Read-only: values change only through the entry grid, Excel or the API, which respect locks."""

    list_display = ("organization", "indicator", "period", "option", "value", "version")
    list_filter = ("period__year", "indicator__content_area")

    def visible_queryset(self, request, qs):
        return qs.filter(organization_id__in=access.supervised_org_ids(request.user))


def _reason(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, Http404):
        return _("Không tìm thấy tổ chức trong các tổ chức bạn được nhập số liệu.")
    return str(exc) or _("Bạn không có quyền thực hiện thao tác này.")


class Refused(Exception):
    """`reporting.activities` refused a write: the admin shows the reason, nothing is saved."""


class ActivityValueInline(admin.TabularInline):
    """Figures are written with the activity by `reporting.activities` (see ActivityAdmin)."""

    model = ActivityValue
    extra = 0


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin, admin.ModelAdmin):
    """Every write goes through `reporting.activities`, like the pages and the API: an activity of
    a month closed for entry, submitted or approved (before or after the change) is refused with
    the reason as an error message and nothing is saved, its figures included. To change one,
    reopen the month (Báo cáo kỳ › "Mở lại kỳ báo cáo")."""

    list_display = ("title", "lead_organization", "content_area", "start_date", "end_date", "status")
    list_filter = ("content_area", "status")
    search_fields = ("search_text", "title")
    filter_horizontal = ("co_organizers",)
    inlines = [ActivityValueInline]

    def visible_queryset(self, request, qs):
        return qs.filter(pk__in=access.activities_visible_to(request.user).values("pk"))

    def managing_org_ids(self, obj):
        return {obj.lead_organization_id}

    # ---- writes: the activity and its figures together, in save_related
    def save_model(self, request, obj, form, change):
        """Nothing yet: `save_related` writes the activity with its figures in one call."""

    def save_related(self, request, form, formsets, change):
        figures = []
        for formset in formsets:
            if formset.model is not ActivityValue:
                continue
            for item in formset.forms:
                data = getattr(item, "cleaned_data", None) or {}
                if not data or data.get("DELETE") or data.get("indicator") is None:
                    continue
                figures.append((data["indicator"], data.get("value")))
        co = form.cleaned_data.get("co_organizers", [])
        try:
            if change:
                activities.update_activity(request.user, form.instance, co_organizers=co, figures=figures)
            else:
                activities.create_activity(request.user, form.instance, co_organizers=co, figures=figures)
        except (ValidationError, PermissionDenied, Http404) as exc:
            raise Refused(_reason(exc)) from exc

    def construct_change_message(self, request, form, formsets, add=False):
        # The inline formsets were not saved by the admin (the service wrote the figures; each
        # change is in the audit log), so only the activity's own fields are described here.
        return super().construct_change_message(request, form, [], add)

    def delete_model(self, request, obj):
        try:
            activities.delete_activity(request.user, obj)
        except (ValidationError, PermissionDenied, Http404) as exc:
            raise Refused(_reason(exc)) from exc

    def delete_queryset(self, request, queryset):
        try:
            activities.delete_activities(request.user, list(queryset))
        except (ValidationError, PermissionDenied, Http404) as exc:
            raise Refused(_reason(exc)) from exc

    # ---- a refusal: an error message, the transaction (admin log included) rolled back
    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            obj = self.get_object(request, object_id)
            lock = obj and activities.activity_lock(obj.lead_organization_id, obj.end_date, obj.status)
            if lock:
                self.message_user(request, services.locked_message(lock), messages.WARNING)
        try:
            with transaction.atomic():
                return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as exc:
            # Everything was rolled back; the same form is shown again with what was typed (the
            # inline figures included) and the reason at its top, like any invalid form.
            request._phoihop_refusal = str(exc)
            response = super().changeform_view(request, object_id, form_url, extra_context)
            response.status_code = 422
            return response

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "_phoihop_refusal", None)
        if refusal is None:
            return form

        class RefusedForm(form):
            def clean(self):
                super().clean()
                raise ValidationError(refusal)

        return RefusedForm

    def delete_view(self, request, object_id, extra_context=None):
        try:
            with transaction.atomic():
                return super().delete_view(request, object_id, extra_context)
        except Refused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:reporting_activity_change", args=[object_id]))

    def response_action(self, request, queryset):
        try:
            with transaction.atomic():
                return super().response_action(request, queryset)
        except Refused as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "year")
