"""Admin for the party tree: read-mostly. Units, links, names, events and lineage change only
through the reorganisation services (the unit pages' forms), which keep the closure table and
the history consistent; the admin may correct descriptive fields only."""

from django.contrib import admin

from giamsat.units.models import Lineage, ReorgEvent, ReorgEventUnit, Unit, UnitLink, UnitName


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class UnitLinkInline(ReadOnlyInline):
    model = UnitLink
    fk_name = "unit"
    readonly_fields = ["parent", "valid_from", "valid_to", "event"]


class UnitNameInline(ReadOnlyInline):
    model = UnitName
    readonly_fields = ["name", "valid_from", "valid_to", "event"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "organ_kind", "valid_from", "valid_to"]
    list_filter = ["kind", "organ_kind"]
    search_fields = ["code", "name", "name_search"]
    readonly_fields = ["name", "kind", "organ_kind", "valid_from", "valid_to"]
    inlines = [UnitLinkInline, UnitNameInline]

    def has_add_permission(self, request):
        return False  # establish through the unit page (closure and history upkeep)

    def has_delete_permission(self, request, obj=None):
        return False  # dissolve instead: history is kept


class EventUnitInline(ReadOnlyInline):
    model = ReorgEventUnit
    readonly_fields = ["unit", "role"]


@admin.register(ReorgEvent)
class ReorgEventAdmin(admin.ModelAdmin):
    list_display = ["kind", "date", "decision_symbol", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["decision_symbol", "note"]
    readonly_fields = ["kind", "date", "recorded_by"]
    raw_id_fields = ["decision"]
    inlines = [EventUnitInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lineage)
class LineageAdmin(admin.ModelAdmin):
    list_display = ["predecessor", "successor", "date"]
    readonly_fields = ["predecessor", "successor", "date", "event"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
