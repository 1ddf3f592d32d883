"""Admin: report templates are edited here (built-in ones are re-synced from code); reports,
practices and recommendations are listed read-only (their changes go through the pages)."""

from django.contrib import admin

from giamsat.reports.models import GoodPractice, Recommendation, Report, ReportTemplate


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "builtin"]
    readonly_fields = ["builtin"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["unit", "period_start", "period_end", "status", "number", "version"]
    list_filter = ["status", "source"]
    exclude = ["frozen_payload"]


@admin.register(GoodPractice)
class GoodPracticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "unit", "period_start"]


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ["topic", "unit", "addressee_body", "made_on", "due_on", "status"]
    list_filter = ["status", "addressee_level"]
