from django.contrib import admin

from giamsat.units.models import Lineage, ReorgEvent, Unit, UnitLink, UnitName


class UnitLinkInline(admin.TabularInline):
    model = UnitLink
    fk_name = "unit"
    extra = 0
    readonly_fields = ["parent", "valid_from", "valid_to", "event"]
    can_delete = False


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0
    readonly_fields = ["name", "valid_from", "valid_to", "event"]
    can_delete = False


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    """Read-mostly: the tree changes only through reorganisation services (closure upkeep)."""

    list_display = ["code", "name", "kind", "organ_kind", "valid_from", "valid_to"]
    list_filter = ["kind", "organ_kind"]
    search_fields = ["code", "name", "name_search"]
    readonly_fields = ["kind", "valid_from", "valid_to"]
    inlines = [UnitLinkInline, UnitNameInline]


@admin.register(ReorgEvent)
class ReorgEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "date", "decision_symbol"]
    list_filter = ["kind"]


admin.site.register(Lineage)
