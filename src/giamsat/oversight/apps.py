from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    name = "giamsat.oversight"
    label = "oversight"
    verbose_name = _("Inspection and supervision")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from giamsat.core.files import register_access
        from giamsat.oversight import models
        from giamsat.oversight.access import can_view_commitment_item, can_view_step

        for model in (
            models.Catalogue,
            models.CatalogueItem,
            models.Programme,
            models.ProgrammeItem,
            models.Case,
            models.CaseSubject,
            models.TeamMember,
            models.CaseStep,
            models.Finding,
            models.SupervisionActivity,
            models.Criticism,
            models.Commitment,
            models.CommitmentItem,
            models.FollowUp,
        ):
            auditlog.register(model)
        # Files attached to steps and to commitment items are served only to those who may
        # see the record (core.files.download).
        register_access(models.CaseStep, can_view_step)
        register_access(models.CommitmentItem, can_view_commitment_item)

        from giamsat.oversight.access import person_section
        from giamsat.people.sections import PersonSection, register

        register(
            PersonSection(
                key="oversight",
                title=_("Inspection and supervision"),
                template="oversight/_person_section.html",
                context=person_section,
                order=40,
            )
        )
