"""Translation at the edge of the messages and labels the plain-Python core produces."""

from django.conf import settings
from django.utils.translation import get_language, gettext

from indicators.core.messages import Joined, Message, from_data


def translate(message: str) -> str:
    """A core message or vocabulary label in the active language."""
    if isinstance(message, Joined):
        return "".join(translate(part) if isinstance(part, (Message, Joined)) else str(part) for part in message.parts)
    if isinstance(message, Message):
        translated = gettext(message.template)
        # Only parameters that are themselves messages (labels) are translated; typed text stays as typed.
        params = {k: translate(v) if isinstance(v, (Message, Joined)) else v for k, v in message.params.items()}
        return translated.format(**params)
    return gettext(message) if message else message


def error_text(exc: Exception) -> str:
    """An exception's message (a core `Message` or an already translated string) for the user."""
    return translate(exc.args[0]) if exc.args else str(exc)


def explanation_text(explanation: str, details: dict | None) -> str:
    """A stored judgement's explanation in the active language: from the message kept in its details
    (`details["message"]`), else the Chinese text as stored."""
    data = (details or {}).get("message")
    if not data or (get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE:
        return explanation  # stored in the source language already: nothing to rebuild
    return translate(from_data(data))
