from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EntryConfig(AppConfig):
    """The pages officials and reviewers work in: entry, review, the Excel template, reporting status."""

    name = "entry"
    verbose_name = _("填报与审核")
