"""The vocabulary's labels in templates, in the user's language."""

import re

from django import template
from django.utils.translation import gettext

from indicators.core.messages import from_data
from indicators.core.vocabulary import ATTRIBUTES, CHANNEL_LABELS, STATE_LABELS, STATUS_LABELS, TARGET_KIND_LABELS
from indicators.i18n import explanation_text, translate
from plandata import sources

ATTRIBUTE_CODES = {t.code for t in ATTRIBUTES}

register = template.Library()


@register.filter
def status_label(code):
    return gettext(STATUS_LABELS.get(code, STATUS_LABELS["not_assessable"]))


@register.filter
def state_label(code):
    return gettext(STATE_LABELS[code]) if code in STATE_LABELS else code


@register.filter
def kind_label(code):
    """A target kind (threshold, compound …) by its label."""
    return gettext(TARGET_KIND_LABELS[code]) if code in TARGET_KIND_LABELS else code


@register.filter
def channel_label(reason):
    """An audit entry's channel ("form", "direction：理由") by its label, the reason kept."""
    if not reason:
        return "—"
    channel, _sep, rest = str(reason).partition("：")
    label = gettext(CHANNEL_LABELS[channel]) if channel in CHANNEL_LABELS else channel
    return f"{label}：{rest}" if rest else label


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


@register.filter
def source_title(filename):
    """《喀什地区生态环境保护“十四五”规划》: a source file by the document's printed title."""
    return f"《{sources.title(filename)}》" if filename else ""


_SUB = str.maketrans("0123456789+-", "₀₁₂₃₄₅₆₇₈₉₊₋")
_SUP = str.maketrans("0123456789+-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻")


@register.filter
def chem(text):
    """Formula markup the documents were converted with ("PM_{2.5}", "m^{3}") as it is printed:
    PM₂.₅, m³. Other text is left as it is."""
    if not text or ("_{" not in text and "^{" not in text):
        return text
    text = re.sub(r"\s*_\{([0-9.+\-]+)\}\s*", lambda m: m.group(1).translate(_SUB), str(text))
    return re.sub(r"\^\{([0-9.+\-]+)\}", lambda m: m.group(1).translate(_SUP), text)


@register.filter
def message(text):
    """A message from the plain-Python core (indicators.core.messages) in the user's language."""
    return translate(text) if text else text


@register.filter
def stored_message(data):
    """A message kept as data (indicators.core.messages.to_data) in the user's language."""
    return translate(from_data(data)) if data else ""


@register.filter
def key_label(key):
    """A comparison key by its label (indicators.core.keys)."""
    from indicators.core import keys

    return keys.LABELS.get(key, key)
