from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from phoihop.accounts import permissions as perms
from phoihop.accounts.admin_mixins import ScopedAdmin
from phoihop.core.admin_mixins import ReadOnlyAdmin
from phoihop.organizations.labels import org_label
from phoihop.programs import access
from phoihop.programs.models import (
    CommitteeMember,
    ContentArea,
    Event,
    PartyInvitation,
    Program,
    ProgramParty,
    Responsibility,
    SteeringCommittee,
)


@admin.register(ContentArea)
class ContentAreaAdmin(admin.ModelAdmin):
    list_display = ("order", "code", "name")
    list_display_links = ("code",)


class OrganizationLabelMixin:
    """Organisation choices name the parent and the validity: two bodies of the same name (before
    and after a merger) are told apart."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and getattr(db_field.related_model, "_meta", None) is not None \
                and db_field.related_model._meta.label == "organizations.Organization":
            field.label_from_instance = org_label
        return field


class PartyInline(OrganizationLabelMixin, admin.TabularInline):
    """Adding an organisation as a party needs its consent (an invitation, programs.services):
    only a system administrator adds or removes parties here."""

    model = ProgramParty
    extra = 0
    autocomplete_fields = ("signatory",)  # organisation: a list naming parent and validity

    def has_add_permission(self, request, obj=None):
        return perms.is_system_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return perms.is_system_admin(request.user)

    def get_readonly_fields(self, request, obj=None):
        return () if perms.is_system_admin(request.user) else ("organization",)


class ResponsibilityInline(admin.TabularInline):
    """Only the parties of this program (not of every program) can be given a responsibility."""

    model = Responsibility
    extra = 0

    def get_formset(self, request, obj=None, **kwargs):
        self._program = obj
        return super().get_formset(request, obj, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "party":
            program = getattr(self, "_program", None)
            kwargs["queryset"] = (ProgramParty.objects.filter(program=program).select_related("organization")
                                  if program is not None else ProgramParty.objects.none())
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ProgramAdminForm(forms.ModelForm):
    class Meta:
        model = Program
        # status is left out: it moves only through its allowed, recorded transitions
        fields = (
            "code", "title", "kind", "start", "end", "signing_date", "period_convention", "purpose",
            "meeting_cadence", "review_schedule", "predecessors", "content_areas", "two_level_approval", "is_demo",
        )

    def clean_predecessors(self):
        from phoihop.programs.services import all_successors

        chosen = self.cleaned_data.get("predecessors")
        if chosen is None or self.instance.pk is None:
            return chosen
        if chosen.filter(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Một chương trình không thể kế tiếp chính nó."))
        later = all_successors(self.instance)
        if chosen.filter(pk__in=later).exists():
            raise forms.ValidationError(_("Chương trình kế tiếp không thể đồng thời là chương trình trước."))
        return chosen


@admin.register(Program)
class ProgramAdmin(ScopedAdmin, admin.ModelAdmin):
    form = ProgramAdminForm
    list_display = ("code", "title", "kind", "status", "start", "end")
    list_filter = ("status", "kind")
    search_fields = ("search_text", "code", "title")
    filter_horizontal = ("predecessors", "content_areas")
    inlines = [PartyInline, ResponsibilityInline]
    readonly_fields = ("status",)  # status moves only through its allowed, recorded transitions

    def visible_queryset(self, request, qs):
        return qs.filter(pk__in=access.programs_visible_to(request.user).values("pk"))

    def managing_org_ids(self, obj):
        return obj.related_organization_ids()


class MemberInline(OrganizationLabelMixin, admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ("person",)  # organisation: a list naming parent and validity


@admin.register(SteeringCommittee)
class SteeringCommitteeAdmin(OrganizationLabelMixin, ScopedAdmin, admin.ModelAdmin):
    list_display = ("name", "standing_office", "valid_from", "valid_to")
    filter_horizontal = ("programs",)
    inlines = [MemberInline]

    def managing_org_ids(self, obj):
        return {obj.standing_office_id} if obj.standing_office_id else set()


@admin.register(Event)
class EventAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ("title", "kind", "starts_at", "place", "status")
    list_filter = ("kind", "status")
    # Held or cancelled only through programs.events (the event's page), recorded with the move.
    readonly_fields = ("status", "held_on")
    filter_horizontal = ("programs", "organizations")
    autocomplete_fields = ("chair",)

    def visible_queryset(self, request, qs):
        return qs.filter(pk__in=access.events_visible_to(request.user).values("pk"))

    def managing_org_ids(self, obj):
        return obj.related_organization_ids()


@admin.register(PartyInvitation)
class PartyInvitationAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    """Invitations move only through programs.services (answered on /chuong-trinh/loi-moi/)."""

    list_display = ("program", "organization", "role", "state", "created_at", "answered_at")
    list_filter = ("state",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if perms.is_system_admin(request.user):
            return qs
        return qs.filter(pk__in=access.invitations_visible_to(request.user).values("pk"))
