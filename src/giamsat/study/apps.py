from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StudyConfig(AppConfig):
    name = "giamsat.study"
    label = "study"
    verbose_name = _("Study sessions")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from giamsat.accounts.roles import Cap
        from giamsat.people.sections import PersonSection, register
        from giamsat.study.models import AttendanceImport, StudySession
        from giamsat.study.views import person_history_context

        # Sessions are logged by django-auditlog; attendance is written in bulk, so each
        # recording adds one entry on its session (services._audit).
        auditlog.register(StudySession, m2m_fields={"directives", "cells"})
        auditlog.register(AttendanceImport)
        register(
            PersonSection(
                key="study",
                title=_("Study of directives"),
                template="study/_person_history.html",
                context=person_history_context,
                capability=Cap.VIEW_INDICATORS,
                order=20,
            )
        )
