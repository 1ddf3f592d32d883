from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "giamsat.evaluation"
    label = "evaluation"
    verbose_name = _("Evaluation")

    def ready(self) -> None:
        from giamsat.audit.registry import register
        from giamsat.audit.units import register_unit_resolver
        from giamsat.evaluation import models

        for model in (
            models.Campaign,
            models.Evaluation,
            models.Opinion,
            models.ReviewSession,
            models.ReviewPoint,
            models.QuotaSetting,
            models.OutstandingDecision,
        ):
            register(model)
        # The audit trail of these records belongs to the unit they concern.
        register_unit_resolver(models.Campaign, "organiser_id")
        register_unit_resolver(models.Opinion, "evaluation.unit_id")
        register_unit_resolver(models.ReviewPoint, "evaluation.unit_id")
        register_unit_resolver(models.OutstandingDecision, "unit_id")

        from giamsat.evaluation.views import person_section
        from giamsat.people.sections import PersonSection
        from giamsat.people.sections import register as register_section

        register_section(
            PersonSection(
                key="evaluation",
                title=_("Quality classification"),
                template="evaluation/_person_section.html",
                context=person_section,
                order=60,
            )
        )
