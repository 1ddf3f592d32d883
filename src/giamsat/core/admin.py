from django.contrib import admin

from giamsat.core.models import CalendarAdjustment, DeadlineSetting


@admin.register(CalendarAdjustment)
class CalendarAdjustmentAdmin(admin.ModelAdmin):
    list_display = ["day", "is_working_day", "reason", "source"]


@admin.register(DeadlineSetting)
class DeadlineSettingAdmin(admin.ModelAdmin):
    list_display = ["code", "days", "count", "valid_from", "unconfirmed", "source"]
    list_filter = ["unconfirmed"]
