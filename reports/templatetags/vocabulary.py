"""The vocabulary's labels in templates, in the user's language."""

from django import template
from django.utils.translation import gettext

from indicators.core.vocabulary import STATE_LABELS, STATUS_LABELS

register = template.Library()


@register.filter
def status_label(code):
    return gettext(STATUS_LABELS.get(code, STATUS_LABELS["not_assessable"]))


@register.filter
def state_label(code):
    return gettext(STATE_LABELS[code]) if code in STATE_LABELS else code
