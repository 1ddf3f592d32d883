"""Read-only admin of the access log (the change log has django-auditlog's own admin)."""

from __future__ import annotations

from django.contrib import admin

from giamsat.audit.models import AccessEvent


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor_name", "kind", "object_type", "object_label", "unit", "ip_address"]
    list_filter = ["kind"]
    search_fields = ["actor_name", "object_label", "object_id", "reason"]
    date_hierarchy = "at"
    list_select_related = ["unit"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
