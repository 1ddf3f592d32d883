"""Admin: delegations are listed read-only (changes go through the pages, which keep the
members' access grants in line)."""

from django.contrib import admin

from giamsat.delegations.models import Delegation


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    list_display = ["name", "deciding_body", "decision_symbol", "work_start", "work_end"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
