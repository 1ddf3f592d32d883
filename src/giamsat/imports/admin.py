from django.contrib import admin

from giamsat.imports.models import ColumnMapping, ImportBatch


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "status", "unit", "original_name", "created_by", "created_at")
    list_filter = ("kind", "status")
    search_fields = ("original_name", "sha256")
    readonly_fields = [f.name for f in ImportBatch._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "created_by", "updated_at")
    list_filter = ("kind",)
