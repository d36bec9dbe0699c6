"""Messages for users from the plain-Python core, translatable without importing Django.

A `Message` is the Chinese text (so it prints, compares and logs as before) that also keeps its
template and parameters; the edge (`indicators.i18n.translate`) renders it in the user's language. The
templates are gettext message ids, marked with `gettext_noop` so that makemessages finds them.
Sentences built of several messages (`a + b`, `joined`) stay translatable part by part, and
`to_data` / `from_data` keep a message in a JSON field so that a stored judgement can be shown in
another language later.
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

    def __add__(self, other: str) -> Joined:
        return Joined([self, other])

    def __radd__(self, other: str) -> Joined:
        return Joined([other, self])

    def without_period(self) -> Message:
        """The same message without its closing "。", for joining clauses into one sentence."""
        return Message(self.template.rstrip("。"), **self.params)


class Joined(str):
    """Messages (and plain text) in a row: one sentence, translated part by part."""

    parts: tuple

    def __new__(cls, parts) -> Joined:
        flat = []
        for part in parts:
            flat.extend(part.parts if isinstance(part, Joined) else [part])
        text = super().__new__(cls, "".join(str(p) for p in flat))
        text.parts = tuple(flat)
        return text

    def __add__(self, other: str) -> Joined:
        return Joined([self, other])

    def __radd__(self, other: str) -> Joined:
        return Joined([other, self])

    def without_period(self) -> Joined:
        last = self.parts[-1]
        last = last.without_period() if isinstance(last, (Message, Joined)) else str(last).rstrip("。")
        return Joined([*self.parts[:-1], last])


def joined(separator: str, messages: list[str], end: str = "") -> Joined:
    parts = []
    for index, message in enumerate(messages):
        if index:
            parts.append(separator)
        parts.append(message.without_period() if isinstance(message, (Message, Joined)) else str(message).rstrip("。"))
    if end:
        parts.append(end)
    return Joined(parts)


def to_data(message: object) -> object:
    """A JSON-able form of a message (plain text stays text)."""
    if isinstance(message, Joined):
        return {"join": [to_data(p) for p in message.parts]}
    if isinstance(message, Message):
        return {"id": message.template, "params": {k: to_data(v) for k, v in message.params.items()}}
    return str(message)


def from_data(data: object) -> str:
    if isinstance(data, dict) and "join" in data:
        return Joined([from_data(p) for p in data["join"]])
    if isinstance(data, dict) and "id" in data:
        return Message(data["id"], **{k: from_data(v) for k, v in data.get("params", {}).items()})
    return "" if data is None else str(data)
