from django.contrib import admin

from .models import Area, ImportRun, Indicator


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "first_year", "last_year"]
    list_filter = ["level"]
    search_fields = ["code", "name"]
    raw_id_fields = ["parent"]
    exclude = ["geometry"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["key", "label_nl", "unit", "category", "direction", "is_key_figure"]
    list_filter = ["category", "direction", "is_key_figure"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "status", "imported_at"]
    readonly_fields = ["filename", "sha256", "kind", "status", "imported_at", "report"]
