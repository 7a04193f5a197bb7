from django.contrib import admin

from phoihop.accounts import permissions as perms
from phoihop.accounts.admin_mixins import ScopedAdmin
from phoihop.news.models import Article, ArticleImage, Category


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("order", "name", "slug")
    list_display_links = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class ImageInline(admin.TabularInline):
    model = ArticleImage
    extra = 0
    fields = ("file", "caption", "width", "height", "size")
    readonly_fields = ("file", "width", "height", "size")  # uploads go through the checked editor page

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(ScopedAdmin, admin.ModelAdmin):
    """Back-office view scoped like the pages: members see their organisations' articles, only a
    committee administrator of the publisher (or a system administrator) changes them. The state
    moves only through the editor pages (publish / withdraw are recorded transitions), and the
    view counter only through counting (atomic increments)."""

    list_display = ("title", "organization", "status", "published_at", "view_count", "category")
    list_filter = ("status", "category", "is_demo")
    search_fields = ("title", "search_text")
    date_hierarchy = "published_at"
    list_select_related = ("organization", "category")
    readonly_fields = ("status", "published_at", "withdrawn_at", "view_count", "version", "slug", "created_by")
    raw_id_fields = ("program", "event", "cover")
    fields = ("organization", "title", "slug", "lead", "body", "author", "source", "category", "program", "event",
              "cover", "status", "published_at", "withdrawn_at", "view_count", "version", "created_by", "is_demo")
    inlines = [ImageInline]

    def visible_queryset(self, request, qs):
        return qs.filter(organization_id__in=perms.org_ids(request.user))

    def managing_org_ids(self, obj) -> set[int]:
        return {obj.organization_id}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "organization" in form.base_fields and not perms.is_system_admin(request.user):
            form.base_fields["organization"].queryset = form.base_fields["organization"].queryset.filter(
                pk__in=perms.org_ids_with(request.user, perms.MANAGE))
        return form

    def save_model(self, request, obj, form, change):
        if change:
            obj.version += 1
        super().save_model(request, obj, form, change)
