from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DirectivesConfig(AppConfig):
    name = "giamsat.directives"
    label = "directives"
    verbose_name = _("Directives")

    def ready(self) -> None:
        from giamsat.core.files import register_access
        from giamsat.directives.models import Directive

        def can_view(user, directive) -> bool:
            from giamsat.directives.scoping import directives_in_scope

            return directives_in_scope(user).filter(pk=directive.pk).exists()

        # Files attached to a directive are readable by whoever may read the directive.
        register_access(Directive, can_view)
