from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "giamsat.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.utils.module_loading import autodiscover_modules

        from giamsat.core.files import register_access
        from giamsat.reports import appendices  # noqa: F401 - registers the default appendices
        from giamsat.reports.models import (
            GoodPractice,
            Recommendation,
            Report,
            ReportFigure,
            ReportSection,
            ReportTemplate,
        )
        from giamsat.reports.permissions import can_view_good_practice

        for model in (ReportSection, ReportTemplate, GoodPractice):
            auditlog.register(model)
        # The frozen content and record ids are large and never change after signing.
        auditlog.register(Report, exclude_fields=["frozen_payload"])
        auditlog.register(ReportFigure, exclude_fields=["record_ids", "denominator_ids"])
        auditlog.register(Recommendation, exclude_fields=["text_search"])
        # Evidence files of a good practice are readable by whoever sees the practice.
        register_access(GoodPractice, can_view_good_practice)
        # Other apps plug their appendices in giamsat/<app>/report_appendices.py.
        autodiscover_modules("report_appendices")
