from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PetitionsConfig(AppConfig):
    name = "giamsat.petitions"
    label = "petitions"
    verbose_name = _("Petitions")

    def ready(self) -> None:
        from auditlog.registry import auditlog
        from django.db.models.signals import post_delete, post_save

        from giamsat.audit.queries import register_hidden_records
        from giamsat.core import deadlines
        from giamsat.core.files import register_access
        from giamsat.core.models import CalendarAdjustment, DeadlineSetting
        from giamsat.petitions import reminders, sealing
        from giamsat.petitions.access import hidden_from_audit, petitions_for
        from giamsat.petitions.models import (
            Extension,
            HotSpotAlert,
            IdentityGrant,
            Petition,
            SealedIdentity,
            Suspension,
            Transfer,
        )

        # Fail at start-up, not at the first letter, when a seal key is malformed.
        sealing.fernet()
        # Changes are logged without secrets: no ciphertext, no receipt hash, and not the
        # free text of the letter (a citizen may have written their own name in it).
        auditlog.register(
            Petition,
            exclude_fields=["receipt_hash", "text_search", "place_key", "content", "version"],
            m2m_fields={"subject_people", "subject_units"},
        )
        auditlog.register(SealedIdentity, exclude_fields=["ciphertext"])
        for model in (Transfer, Extension, Suspension, IdentityGrant, HotSpotAlert):
            auditlog.register(model)
        # Attachments of a petition are read by whoever may read the petition.
        register_access(Petition, lambda user, obj: petitions_for(user).filter(pk=obj.pk).exists())
        # Conflicts of interest hold in the audit trail too.
        register_hidden_records(hidden_from_audit)
        deadlines.register_reminder_source("petitions", reminders.tracked_deadlines)

        def _calendar_changed(sender, **kwargs):
            from django.db import transaction

            from giamsat.petitions.services import recompute_open_deadlines

            transaction.on_commit(recompute_open_deadlines)

        for model in (CalendarAdjustment, DeadlineSetting):
            post_save.connect(
                _calendar_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"petitions-recompute-{model.__name__}",
            )
            post_delete.connect(
                _calendar_changed,
                sender=model,
                weak=False,
                dispatch_uid=f"petitions-recompute-del-{model.__name__}",
            )
