from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "giamsat.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Every create, change and delete of these records is logged with old and new values
        # (django-auditlog). Other apps register their models in their own AppConfig.ready.
        from auditlog.registry import auditlog

        from giamsat.accounts.models import RoleAssignment, User
        from giamsat.directives.models import Directive
        from giamsat.people.models import Membership, Person, Post
        from giamsat.units.models import ReorgEvent, Unit, UnitLink

        for model in (
            Unit,
            UnitLink,
            ReorgEvent,
            Person,
            Membership,
            Post,
            Directive,
            RoleAssignment,
        ):
            auditlog.register(model)
        auditlog.register(User, exclude_fields=["password", "last_login"])
