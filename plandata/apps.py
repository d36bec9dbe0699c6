from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanDataConfig(AppConfig):
    """Plan data in and out: plan files, loading, demo and synthetic data, backup and restore."""

    name = "plandata"
    verbose_name = _("规划数据")
