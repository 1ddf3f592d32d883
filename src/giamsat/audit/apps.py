from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "giamsat.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        # Every create, change and delete of these records is logged with old and new values
        # (django-auditlog). Other apps register their models in their own AppConfig.ready
        # (``giamsat.audit.registry.register``), with a resolver of the unit a record concerns
        # when it has no ``unit`` field (``giamsat.audit.units``).
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from giamsat.accounts.models import ApiToken, RoleAssignment, User
        from giamsat.audit import signals
        from giamsat.audit.registry import register
        from giamsat.audit.units import register_foundation_resolvers
        from giamsat.core.models import (
            Attachment,
            CalendarAdjustment,
            DeadlineSetting,
            RecordLink,
        )
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
            Attachment,
            RecordLink,
            CalendarAdjustment,
            DeadlineSetting,
        ):
            register(model)
        # Secrets never reach the log: password hashes, token hashes, TOTP keys and counters.
        register(User, exclude_fields=["password", "last_login"])
        register(ApiToken, include_fields=["user", "name", "expires_at", "revoked"])
        register(TOTPDevice, include_fields=["user", "name", "confirmed"])
        register(StaticDevice, include_fields=["user", "name", "confirmed"])
        register_foundation_resolvers()
        signals.connect()
