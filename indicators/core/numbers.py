"""The one strict reader of numbers people type: forms, the Excel template, the API, assigned values,
project investment and percent. Plain Python.

Accepted: an optional sign, digits, one decimal point, optionally the indicator's own unit or "%"
after it. Full-width digits, signs and points (and 。 typed for a point by a Chinese input method)
are folded to ASCII; thousands separators are accepted only in groups of three. Everything else is
refused with a reason — exponents (1e308), hex (0x10), underscores (1_000), fractions (5/3),
multipliers (1.5万), trailing text (3abc), NaN, infinities, and numbers with more digits than the
column stores — so the number stored is always the number typed.
"""

from __future__ import annotations

import re
from decimal import Decimal

from indicators.core.messages import Message, gettext_noop

_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "．": ".",
        "。": ".",
        "，": ",",
        "－": "-",
        "−": "-",
        "＋": "+",
        "％": "%",
        "\u3000": " ",
    }
)
_NUMBER = re.compile(r"(?P<sign>[+-])?(?P<int>\d{1,3}(?:,\d{3})+|\d+)(?:\.(?P<frac>\d+))?")


class NumberRefused(ValueError):
    """`message` says why the text is not a number this field accepts."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(message)


def read_number(text: str, *, unit: str = "", max_digits: int = 18, decimal_places: int = 6) -> Decimal:
    """The number in `text`, exactly; NumberRefused if `text` is anything but a plain number.

    `unit` is the field's own unit, which may follow the number (as may "%" where the field is a
    percentage or has no unit). `max_digits` and `decimal_places` are the column's.
    """
    folded = (text or "").translate(_FOLD).strip()
    body = folded
    for suffix in _suffixes(unit):
        if body.endswith(suffix) and body != suffix:
            body = body[: -len(suffix)].rstrip()
            break
    match = _NUMBER.fullmatch(body)
    if match is None:
        raise NumberRefused(_why_not(text, folded, body, unit))
    digits = match["int"].replace(",", "")
    fraction = match["frac"] or ""
    if len(fraction) > decimal_places:
        raise NumberRefused(Message(gettext_noop("“{text}”的小数位数超过{places}位"), text=text.strip(), places=decimal_places))
    if len(digits.lstrip("0")) > max_digits - decimal_places:
        raise NumberRefused(Message(gettext_noop("“{text}”超出可存储的范围"), text=text.strip()))
    return Decimal(f"{match['sign'] or ''}{digits}" + (f".{fraction}" if fraction else ""))


def _suffixes(unit: str) -> list[str]:
    unit = (unit or "").translate(_FOLD).strip()
    suffixes = [unit] if unit else []
    if unit in ("", "%"):
        suffixes.append("%")
    return sorted(set(suffixes), key=len, reverse=True)


def _why_not(text: str, folded: str, body: str, unit: str) -> Message:
    typed = text.strip()
    lead = re.match(r"[+-]?\d+(?:\.\d+)?", body)
    if lead and body[lead.end() :].strip():
        rest = body[lead.end() :].strip()
        if re.fullmatch(r"[^\d\s.,+-]{1,4}", rest) and not re.fullmatch(r"[eE][+-]?\d*", rest):
            if unit:
                return Message(
                    gettext_noop("“{text}”：单位应为“{unit}”，填写的是“{typed_unit}”"), text=typed, unit=unit, typed_unit=rest
                )
            return Message(gettext_noop("“{text}”不是数字：该指标没有单位，只填数字"), text=typed)
    return Message(gettext_noop("“{text}”不是数字"), text=typed)
