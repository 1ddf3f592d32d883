from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DelegationsConfig(AppConfig):
    name = "giamsat.delegations"
    label = "delegations"
    verbose_name = _("Working delegations")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from giamsat.delegations.models import (
            Delegation,
            DelegationMember,
            DelegationTarget,
            NewsItem,
            UnitConclusion,
            UnitRequest,
            WorkingSession,
        )

        for model in (
            Delegation,
            DelegationMember,
            DelegationTarget,
            WorkingSession,
            UnitRequest,
            UnitConclusion,
            NewsItem,
        ):
            auditlog.register(model)
