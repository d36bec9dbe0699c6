from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = _("规划与指标")

    def ready(self):
        from indicators import signals  # noqa: F401
