"""Checks on a figure an official types, before anything is saved. Plain Python.

Errors block the save; a warning (a jump of more than 50% from last year, as DHIS2's min-max
outlier rule) blocks it until the official confirms or explains it in a remark.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from indicators.core import targets as grammar
from indicators.core.messages import Message, gettext_noop
from indicators.core.numbers import NumberRefused, read_number

JUMP_LIMIT = Decimal("0.5")
TEXT_LIMIT = 2000  # characters of a remark or a review comment, the same in forms, templates and the API
VALUE_DIGITS, VALUE_PLACES = 18, 6  # IndicatorValue.number
COUNT_UNITS = ("个", "起", "次", "家", "座", "台", "项", "处", "人", "户", "条", "辆", "套", "枚")

NUMBER, CHOICE, TEXT = "number", "choice", "text"
CHOICES = {
    grammar.QUALITATIVE: ["已实施", "未实施"],
    grammar.NO_EVENT: ["未发生", "发生"],
    grammar.ELIMINATE: ["已消除", "未消除"],
}


@dataclass
class Check:
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    parsed: grammar.Target | None = None
    number: Decimal | None = None  # for a number: exactly the number typed (indicators.core.numbers)


def input_kind(target: grammar.Target | None) -> tuple[str, list[str]]:
    """How a figure for this target is entered: a number, a choice, or text in the target's form."""
    if target is None:
        return NUMBER, []
    if target.kind in CHOICES:
        return CHOICE, list(_own_words(target.kind, target.raw) or CHOICES[target.kind])
    if target.kind == grammar.COMPOUND and sum(1 for p in target.parts if p.value is not None) > 1:
        return TEXT, []
    return NUMBER, []


@cache  # the entry form asks for every row on every load; a plan has few distinct wordings
def _own_words(kind: str, raw: str) -> tuple[str, str] | None:
    """The choices in the target's own words: "基本消除" offers 已基本消除 / 未消除, "全面推行" offers
    已全面推行 / 未全面推行, so an official answers in the plan's terms. Only where the grammar reads
    both answers back the right way; otherwise the general words."""
    words = grammar.normalize(raw).removeprefix("已")
    if kind not in (grammar.ELIMINATE, grammar.QUALITATIVE) or len(words) > 8 or any(c.isdigit() for c in words):
        return None
    done, not_done = f"已{words}", "未消除" if kind == grammar.ELIMINATE else f"未{words}"
    said_done, said_not = grammar.parse(done), grammar.parse(not_done)
    if said_done.kind not in (grammar.ELIMINATE, grammar.QUALITATIVE) or said_done.status == "not_done":
        return None
    if said_not.kind != grammar.QUALITATIVE or said_not.status != "not_done":
        return None
    return done, not_done


def check_value(
    text: str,
    *,
    unit: str,
    target: grammar.Target | None = None,
    previous: Decimal | None = None,
    confirmed: bool = False,
    remark: str = "",
) -> Check:
    """Check one typed figure. `previous` is last year's number, if any."""
    check = Check()
    text = (text or "").strip()
    if not text:
        return check
    kind, choices = input_kind(target)
    if kind == CHOICE:
        if text not in choices:
            check.errors.append(Message(gettext_noop("请选择{choices}之一"), choices="、".join(choices)))
        else:
            check.parsed = grammar.parse(text)
        return check
    if kind == TEXT:
        parsed = grammar.parse(text)
        if parsed.kind == grammar.UNPARSED:
            check.errors.append(
                Message(gettext_noop("“{text}”无法识别，请按目标的格式填写，例如“{example}”"), text=text, example=target.raw)
            )
        check.parsed = parsed
        return check
    try:
        value = read_number(text, unit=unit, max_digits=VALUE_DIGITS, decimal_places=VALUE_PLACES)
    except NumberRefused as exc:
        check.errors.append(exc.message)
        return check
    if unit == "%" and not Decimal(0) <= value <= Decimal(100):
        check.errors.append(Message(gettext_noop("百分比应在0到100之间，填写的是{text}"), text=text))
    if value < 0 and (unit in COUNT_UNITS or unit.endswith(COUNT_UNITS)):
        check.errors.append(Message(gettext_noop("数量不能为负数，填写的是{text}"), text=text))
    if not check.errors and previous is not None and previous != 0:
        jump = abs(value - previous) / abs(previous)
        if jump > JUMP_LIMIT and not confirmed and not remark.strip():
            check.warnings.append(
                Message(
                    gettext_noop("与上年的 {previous} 相比变化 {change}%，超过50%：请勾选“确认无误”或在备注中说明"),
                    previous=_fmt(previous),
                    change=_fmt(round(jump * 100, 1)),
                )
            )
    check.number = value
    check.parsed = grammar.Target(kind=grammar.THRESHOLD, raw=text, value=value, unit=unit or None)
    return check


def _fmt(number):
    text = format(Decimal(number), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def text_too_long(text: str, label: str) -> Message | None:
    """A remark or comment longer than TEXT_LIMIT, as a message naming the field."""
    if len(text or "") > TEXT_LIMIT:
        return Message(gettext_noop("{label}超过{limit}字（现为{n}字），请精简"), label=label, limit=TEXT_LIMIT, n=len(text))
    return None
