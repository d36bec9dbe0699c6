"""Messages for users from the plain-Python core, translatable without importing Django.

A `Message` is the Chinese text (so it prints, compares and logs as before) that also keeps its
template and parameters; the edge (`indicators.i18n.translate`) renders it in the user's language. The
templates are gettext message ids, marked with `gettext_noop` so that makemessages finds them.
"""

from __future__ import annotations


def gettext_noop(message: str) -> str:
    """Marks a message id for makemessages; it is translated where it is shown."""
    return message


class Message(str):
    template: str
    params: dict

    def __new__(cls, template: str, **params: object) -> Message:
        text = super().__new__(cls, template.format(**params))
        text.template, text.params = template, params
        return text
