from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "giamsat.indicators"
    label = "indicators"
    verbose_name = _("Indicators")

    def ready(self) -> None:
        # Each app declares its figures in giamsat/<app>/indicators.py.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("indicators")
