"""Admin: the managed list of themes (the key is fixed once saved), and read-only views of the
answers and classifier versions."""

from django.contrib import admin

from .models import BundleResponse, ClassifierVersion, Theme


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ("name", "key", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name", "key")

    def get_readonly_fields(self, request, obj=None):
        return ("key",) if obj is not None else ()

    def has_delete_permission(self, request, obj=None):
        return False  # a theme in use is made inactive, never deleted


@admin.register(BundleResponse)
class BundleResponseAdmin(admin.ModelAdmin):
    list_display = ("bundle", "organisation", "kind", "created_at")

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ClassifierVersion)
class ClassifierVersionAdmin(admin.ModelAdmin):
    list_display = ("version", "status", "is_active", "rows", "created_at")
    exclude = ("model",)

    def has_change_permission(self, request, obj=None):
        return False
