from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImplementationConfig(AppConfig):
    name = "giamsat.implementation"
    label = "implementation"
    verbose_name = _("Implementation")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from giamsat.core.files import register_access
        from giamsat.implementation import models
        from giamsat.implementation.scoping import can_view_record

        for model in (
            models.Assignment,
            models.Requirement,
            models.Implementation,
            models.Fulfilment,
            models.Reminder,
            models.KeyTask,
            models.KeyTaskUpdate,
        ):
            auditlog.register(model)
        # Evidence files are readable by whoever may read the record they belong to.
        register_access(models.Fulfilment, lambda user, obj: can_view_record(user, obj))
        register_access(models.Implementation, lambda user, obj: can_view_record(user, obj))
        register_access(models.KeyTask, lambda user, obj: can_view_record(user, obj))
