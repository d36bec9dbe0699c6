"""The vocabulary's labels in templates, in the user's language."""

from django import template
from django.utils.translation import gettext

from indicators.core.vocabulary import ATTRIBUTES, STATE_LABELS, STATUS_LABELS
from indicators.i18n import explanation_text

ATTRIBUTE_CODES = {t.code for t in ATTRIBUTES}

register = template.Library()


@register.filter
def status_label(code):
    return gettext(STATUS_LABELS.get(code, STATUS_LABELS["not_assessable"]))


@register.filter
def state_label(code):
    return gettext(STATE_LABELS[code]) if code in STATE_LABELS else code


@register.filter
def attribute_label(code):
    """约束性 / 预期性 / 参考性 in the user's language; an unusual printed attribute stays as printed."""
    return gettext(code) if code in ATTRIBUTE_CODES else code


@register.filter
def explanation(result):
    """A judgement's explanation in the user's language (an AttainmentResult or its dict)."""
    if isinstance(result, dict):
        return explanation_text(result.get("explanation", ""), result.get("details"))
    return explanation_text(result.explanation, result.details)
