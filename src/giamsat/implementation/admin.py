from django.contrib import admin

from giamsat.implementation.models import (
    Assignment,
    Fulfilment,
    Implementation,
    KeyTask,
    KeyTaskUpdate,
    Reminder,
    Requirement,
)


class RequirementInline(admin.TabularInline):
    model = Requirement
    extra = 0


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["directive", "issuing_unit", "assigned_on", "scope_kind"]
    list_filter = ["scope_kind"]
    raw_id_fields = ["directive", "issuing_unit", "plan", "created_by"]
    inlines = [RequirementInline]


class FulfilmentInline(admin.TabularInline):
    model = Fulfilment
    extra = 0
    raw_id_fields = ["requirement", "document", "recorded_by"]


@admin.register(Implementation)
class ImplementationAdmin(admin.ModelAdmin):
    list_display = ["unit", "assignment", "responsible"]
    raw_id_fields = ["assignment", "unit", "responsible"]
    inlines = [FulfilmentInline]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["implementation", "sent_on", "method", "document_symbol"]
    raw_id_fields = ["implementation", "requirement", "created_by"]


class KeyTaskUpdateInline(admin.TabularInline):
    model = KeyTaskUpdate
    extra = 0
    raw_id_fields = ["recorded_by"]


@admin.register(KeyTask)
class KeyTaskAdmin(admin.ModelAdmin):
    list_display = ["title", "unit", "kind", "status", "deadline", "closed_on"]
    list_filter = ["kind", "status"]
    raw_id_fields = ["unit", "owner", "directive", "created_by"]
    inlines = [KeyTaskUpdateInline]
