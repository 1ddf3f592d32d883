from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisciplineConfig(AppConfig):
    name = "giamsat.discipline"
    label = "discipline"
    verbose_name = _("Discipline")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from giamsat.discipline import models

        for model in (
            models.AuthorityRule,
            models.DisciplineCase,
            models.Violation,
            models.Deferral,
            models.Ballot,
            models.DisciplineDecision,
            models.DisciplineAppeal,
            models.Rehabilitation,
        ):
            auditlog.register(model)

        from giamsat.discipline.views import person_section
        from giamsat.people.sections import PersonSection, register

        register(
            PersonSection(
                key="discipline",
                title=_("Disciplinary history"),
                template="discipline/_person_section.html",
                context=person_section,
                order=50,
            )
        )
