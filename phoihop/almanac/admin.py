from django.contrib import admin

from phoihop.almanac.models import Commemoration, PoliticalResolution, SentReminder, YearTheme


@admin.register(Commemoration)
class CommemorationAdmin(admin.ModelAdmin):
    list_display = ("name", "day_month_label", "origin_year", "calendar", "scope", "organization")
    list_filter = ("scope", "calendar", "is_demo")
    search_fields = ("name", "short_name", "code")


class ResolutionInline(admin.TabularInline):
    model = PoliticalResolution
    extra = 0


@admin.register(YearTheme)
class YearThemeAdmin(admin.ModelAdmin):
    list_display = ("year", "organization", "administrative_unit", "theme")
    list_filter = ("year",)
    inlines = [ResolutionInline]


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    list_display = ("key", "email", "due", "claimed_at", "sent_at")
    search_fields = ("key", "email")
    readonly_fields = ("key", "user", "email", "subject", "due", "claimed_at", "sent_at", "error")
