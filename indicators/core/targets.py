"""The target grammar: a printed target (or value) cell -> a typed target.

Plain Python, no Django: the documents' cells are the input, a `Target` is the output. A string the
grammar does not understand becomes kind "unparsed" with its raw text kept; nothing is guessed.
The same grammar reads printed values ("≥98%", "未发生", "0.32（…）"), because the documents write
values and targets in one vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

GRAMMAR_VERSION = 1

# Kinds of target.
THRESHOLD = "threshold"  # a number to reach or stay under: "≥93", "43.3%", "控制在550亿立方米以内"
ELIMINATE = "eliminate"  # "基本消除": the quantity goes to zero
NO_EVENT = "no_event"  # "不发生": no incidents in the year
TREND = "trend"  # "持续下降", "保持稳定": judged against the previous year / the baseline
ASSIGNED = "assigned"  # "控制在兵团下达指标范围内": a number the superior body assigns later
QUALITATIVE = "qualitative"  # "全面实施", "有效保障", "未制定": done or not done
RELATIVE_CHANGE = "relative_change"  # "较2020年下降7.40%以上": a change against a base year
CHANGE_BOUND = "change_bound"  # "△EQI≥-1": a bound on the change of a measure
COMPOUND = "compound"  # several measures or conditions in one cell
UNPARSED = "unparsed"

KINDS = (
    THRESHOLD,
    ELIMINATE,
    NO_EVENT,
    TREND,
    ASSIGNED,
    QUALITATIVE,
    RELATIVE_CHANGE,
    CHANGE_BOUND,
    COMPOUND,
    UNPARSED,
)

# Comparators.
GE, GT, LE, LT, EQ = "ge", "gt", "le", "lt", "eq"
HIGHER, LOWER = "higher", "lower"

# Cells that mean "nothing printed here".
EMPTY_CELLS = {"", "-", "—", "--", "——", "/", "／"}


@dataclass(frozen=True)
class Target:
    kind: str
    raw: str
    op: str | None = None  # ge / gt / le / lt / eq, or None: "reach this number" (direction decides)
    value: Decimal | None = None
    unit: str | None = None
    measure: str | None = None  # a label printed before the number ("重点工程减排量", "EQI", "面积")
    superior: str | None = None  # who assigns: 兵团 / 自治区 / 国家 / 上级
    base_year: int | None = None  # relative change: "较2020年"
    change: str | None = None  # relative change: "decrease" | "increase"
    trend: str | None = None  # trend: decrease / increase / stable / improve / no_decrease / no_increase
    status: str | None = None  # qualitative: "done" | "not_done"
    qualifier: str | None = None  # "basic" (基本), "average" (平均), "statement" (a requirement in words)
    annotation: str | None = None  # a bracketed remark kept beside a number
    marker: str | None = None  # a trailing "*" as printed
    parts: tuple[Target, ...] = field(default_factory=tuple)

    @property
    def decimals(self):
        """Decimal places as printed, so reports keep the document's precision."""
        if self.value is None:
            return None
        exponent = self.value.as_tuple().exponent
        return -exponent if exponent < 0 else 0

    @property
    def direction(self):
        """Better-is-higher or better-is-lower as the cell itself says, else None."""
        if self.kind == THRESHOLD or self.kind == CHANGE_BOUND:
            if self.op in (GE, GT):
                return HIGHER
            if self.op in (LE, LT):
                return LOWER
            return None
        if self.kind == RELATIVE_CHANGE:
            return LOWER if self.change == "decrease" else HIGHER
        if self.kind in (ELIMINATE, NO_EVENT):
            return LOWER
        if self.kind == TREND:
            return {
                "decrease": LOWER,
                "no_increase": LOWER,
                "increase": HIGHER,
                "no_decrease": HIGHER,
            }.get(self.trend)
        if self.kind == COMPOUND:
            directions = {p.direction for p in self.parts} - {None}
            return directions.pop() if len(directions) == 1 else None
        return None

    def to_dict(self):
        data = {"kind": self.kind, "raw": self.raw}
        for name in (
            "op",
            "unit",
            "measure",
            "superior",
            "base_year",
            "change",
            "trend",
            "status",
            "qualifier",
            "annotation",
            "marker",
        ):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.value is not None:
            data["value"] = str(self.value)
        if self.parts:
            data["parts"] = [p.to_dict() for p in self.parts]
        return data

    @classmethod
    def from_dict(cls, data):
        kwargs = dict(data)
        if "value" in kwargs:
            kwargs["value"] = Decimal(kwargs["value"])
        kwargs["parts"] = tuple(cls.from_dict(p) for p in kwargs.get("parts", ()))
        return cls(**kwargs)


# Full-width forms the documents mix with ASCII. Only used for matching: `raw` keeps the print.
_WIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        "％": "%",
        "＞": ">",
        "＜": "<",
        "＝": "=",
        "．": ".",
        "＊": "*",
        "－": "-",
        "∆": "△",
        "Δ": "△",
        "≧": "≥",
        "≦": "≤",
        "⩾": "≥",
        "⩽": "≤",
        "穩": "稳",  # 003 prints the traditional form once
    }
)

NUM = r"[-+]?\d+(?:\.\d+)?"
_SYMBOL_OPS = {"≥": GE, ">=": GE, ">": GT, "≤": LE, "<=": LE, "<": LT, "=": EQ}

_SUPERIOR = r"(?P<sup>兵团|自治区|国家|上级|自治州|地区|省)"
_ASSIGNED_PATTERNS = [
    re.compile(
        rf"^(?:控制在|满足|达到|完成|执行){_SUPERIOR}(?:下达|分解|规定|下发|确定)?的?(?:考核|管控)?"
        r"(?:指标|目标|任务|要求)(?:范围内|要求|任务)?$"
    ),
    re.compile(rf"^(?:按照?){_SUPERIOR}(?:下达|分解|规定|下发)的?(?:指标|目标|任务|要求)(?:执行|完成)?$"),
    re.compile(r"^(?P<pre>.*)另行分解$"),
]

_ELIMINATE = re.compile(r"^(?:(?P<q>基本|全面|全部)?消除|无(?P<measure>[^，,；;\s]{2,}))$")
_NO_EVENT = re.compile(r"^(?:不发生|未发生|杜绝发生|零发生|无发生)$")

# Trend words -> trend code. Order matters only for readability; each is matched whole.
_TRENDS = {
    "持续下降": "decrease",
    "有所下降": "decrease",
    "明显下降": "decrease",
    "逐年下降": "decrease",
    "逐年减少": "decrease",
    "逐步下降": "decrease",
    "逐步减少": "decrease",
    "明显减少": "decrease",
    "持续减少": "decrease",
    "稳步下降": "decrease",
    "稳步提升": "increase",
    "逐步提升": "increase",
    "持续提升": "increase",
    "有所提升": "increase",
    "有所提高": "increase",
    "持续提高": "increase",
    "进一步提高": "increase",
    "稳步提高": "increase",
    "逐步提高": "increase",
    "显著提升": "increase",
    "明显提升": "increase",
    "持续增加": "increase",
    "有所增加": "increase",
    "有所增强": "increase",
    "只增不减": "no_decrease",
    "不减少": "no_decrease",
    "不降低": "no_decrease",
    "不下降": "no_decrease",
    "不增加": "no_increase",
    "不增长": "no_increase",
    "不上升": "no_increase",
    "保持稳定": "stable",
    "基本稳定": "stable",
    "稳定": "stable",
    "不改变": "stable",
    "保持不变": "stable",
    "持续改善": "improve",
    "明显改善": "improve",
    "有所改善": "improve",
    "稳中向好": "improve",
    "持续好转": "improve",
    "保持良好": "stable",
    "保持稳定或持续改善": "stable",  # 001: not worse than the baseline
    # 004 (Changji) states most goals as a bare direction.
    "提高": "increase",
    "继续提高": "increase",
    "不断提高": "increase",
    "进一步提升": "increase",
    "不断增加": "increase",
    "增加": "increase",
    "扩大": "increase",
    "有效回升": "increase",
    "减少": "decrease",
    "进一步压减": "decrease",
    "遏制": "no_increase",
    "零增长": "no_increase",
    "有效控制": "no_increase",
    "稳中求进": "improve",
    "得到持续改善": "improve",
    "趋于稳定": "stable",
    "稳定达标或持续改善": "stable",
}
_TREND = re.compile(
    r"^(?P<measure>[\u4e00-\u9fffA-Za-z（）()]*?)(?P<word>"
    + "|".join(sorted(map(re.escape, _TRENDS), key=len, reverse=True))
    + r")(?:[，,]?力争进一步改善)?$"
)

# Qualitative statuses: done / not done.
_DONE_WORDS = (
    "全面实施",
    "制定实施",
    "有效开展",
    "有效保障",
    "有效落实",
    "全面落实",
    "全面开展",
    "开展",
    "实施",
    "已实施",
    "完成",
    "已完成",
    "建立",
    "已建立",
    "建成",
    "已建成",
    "制定",
    "已制定",
    "编制",
    "已编制",
    "落实",
    "实现",
    "全覆盖",
    "实现全覆盖",
    "达标",
    "通过",
    "已通过",
    "出台",
    "已出台",
    "有",
    "是",
    "已消除",
    "不明显",  # 外来物种入侵: the harm is "not significant"
    "均实施",
    "基本实现",
    "全面建立",
    "达标排放",
)
_NOT_DONE_WORDS = (
    "未实施",
    "未开展",
    "未完成",
    "未建立",
    "未建成",
    "未制定",
    "未编制",
    "未落实",
    "未实现",
    "未达标",
    "未通过",
    "未出台",
    "未消除",
    "无",
    "否",
    "明显",
    "发生",
)
# A requirement written out in words ("供水厂具备…检测能力"): met when the report restates it.
_STATEMENT_VERBS = (
    "具备",
    "建成",
    "建立",
    "实现",
    "完成",
    "开展",
    "实施",
    "制定",
    "配备",
    "形成",
    "落实",
    "达到",
    "载明",
    "优于",
)

_RELATIVE = re.compile(
    rf"^(?:(?:较|比)(?P<base>\d{{4}})年?(?:基础上)?)?(?P<q>累计|平均|年均)?"
    rf"(?P<dir>下降|降低|减少|削减|上升|提高|增长|增加)"
    rf"\s*(?P<num>{NUM})\s*(?P<unit>%|个百分点)?(?P<post>以上|以内|以下|左右)?$"
)
_CHANGE_BOUND = re.compile(rf"^△(?P<measure>[A-Za-z\u4e00-\u9fff]+)\s*(?P<op>≥|≤|>=|<=|>|<)\s*(?P<num>{NUM})$")

_PRE_WORDS = {
    "≥": GE,
    ">=": GE,
    ">": GT,
    "≤": LE,
    "<=": LE,
    "<": LT,
    "=": EQ,
    "不低于": GE,
    "不少于": GE,
    "大于": GT,
    "高于": GT,
    "不高于": LE,
    "不超过": LE,
    "不大于": LE,
    "小于": LT,
    "低于": LT,
    "达到": None,
    "平均达到": None,
    "提高到": GE,
    "提高至": GE,
    "提升到": GE,
    "提升至": GE,
    "增加到": GE,
    "增加至": GE,
    "降低到": LE,
    "降低至": LE,
    "下降到": LE,
    "下降至": LE,
    "降至": LE,
    "控制在": LE,
}
_POST_WORDS = {"以上": GE, "及以上": GE, "以下": LE, "及以下": LE, "以内": LE, "左右": None}
_THRESHOLD = re.compile(
    r"^(?P<measure>[\u4e00-\u9fffA-Za-z]{0,10}?)"
    r"(?P<pre>" + "|".join(sorted(map(re.escape, _PRE_WORDS), key=len, reverse=True)) + r")?\s*"
    rf"(?P<num>{NUM})\s*"
    r"(?P<unit>(?:[^\d\s≥≤><=，,；;.（(][^\s≥≤><=，,；;]*?)?)"
    r"(?P<post>及以上|及以下|以上|以下|以内|左右)?$"
)
_TRAILING_NOTE = re.compile(r"^(?P<body>.+?)\s*[（(](?P<note>[^（()）]*[\u4e00-\u9fff][^（()）]*)[)）]$")
_SPLIT = re.compile(r"\s*[，,；;]\s*|\s+")


def normalize(text: str) -> str:
    """Fold full-width digits and comparators so that one pattern matches both printings."""
    return text.translate(_WIDTH).strip()


def is_empty(text: object) -> bool:
    return text is None or normalize(str(text)) in EMPTY_CELLS


def parse(raw: object) -> Target:
    """Parse one printed cell. Never raises: an unknown string is kind "unparsed"."""
    raw = "" if raw is None else str(raw)
    text = normalize(raw)
    if not text:
        return Target(UNPARSED, raw)
    target = _parse_single(text, raw) or _parse_compound(text, raw) or _statement(text, raw)
    return target or Target(UNPARSED, raw)


def _parse_single(text, raw):
    marker = None
    if text.endswith("*"):
        marker = "*"
        text = text.rstrip("*").strip()
    for rule in (
        _assigned,
        _eliminate,
        _no_event,
        _relative_change,
        _change_bound,
        _threshold,
        _trend,
        _qualitative,
    ):
        target = rule(text, raw)
        if target is not None:
            return _with(target, marker=marker) if marker else target
    note = _TRAILING_NOTE.match(text)
    if note:
        inner = _parse_single(note.group("body"), raw)
        if inner is not None and inner.kind != UNPARSED and inner.annotation is None:
            return _with(inner, annotation=note.group("note").strip(), marker=marker or inner.marker)
    return None


def _with(target, **changes):
    data = {name: getattr(target, name) for name in target.__dataclass_fields__}
    data.update(changes)
    return Target(**data)


def _assigned(text, raw):
    for pattern in _ASSIGNED_PATTERNS:
        m = pattern.match(text)
        if m:
            superior = m.groupdict().get("sup") or "上级"
            return Target(ASSIGNED, raw, superior=superior)
    return None


def _eliminate(text, raw):
    m = _ELIMINATE.match(text)
    if m:
        qualifier = "basic" if m.group("q") == "基本" else None
        return Target(ELIMINATE, raw, op=LE, value=Decimal(0), qualifier=qualifier, measure=m.group("measure"))
    return None


def _no_event(text, raw):
    if _NO_EVENT.match(text):
        return Target(NO_EVENT, raw, op=LE, value=Decimal(0))
    return None


def _relative_change(text, raw):
    m = _RELATIVE.match(text)
    if not m:
        return None
    change = "decrease" if m.group("dir") in ("下降", "降低", "减少", "削减") else "increase"
    post = m.group("post")
    op = {"以上": GE, "以内": LE, "以下": LE}.get(post) if post else None
    base = int(m.group("base")) if m.group("base") else None
    qualifier = {"累计": "cumulative", "平均": "average", "年均": "annual"}.get(m.group("q"))
    return Target(
        RELATIVE_CHANGE,
        raw,
        op=op,
        value=Decimal(m.group("num")),
        unit=m.group("unit") or None,
        base_year=base,
        change=change,
        qualifier=qualifier,
    )


def _change_bound(text, raw):
    m = _CHANGE_BOUND.match(text)
    if not m:
        return None
    return Target(
        CHANGE_BOUND,
        raw,
        op=_SYMBOL_OPS[m.group("op")],
        value=Decimal(m.group("num")),
        measure=m.group("measure"),
    )


def _threshold(text, raw):
    m = _THRESHOLD.match(text)
    if not m:
        return None
    measure = m.group("measure") or None
    pre, post = m.group("pre"), m.group("post")
    unit = m.group("unit") or None
    if unit and not _plausible_unit(unit):
        return None
    if measure and any(word in measure for word in ("控制", "达到", "下达", "范围")):
        return None  # a clause, not a label: leave it to the compound rule
    if measure and (pre is None and measure[-2:] in ("下降", "降低", "减少", "上升", "提高", "增长")):
        return None  # a relative change with a label: not a threshold
    op = _PRE_WORDS.get(pre) if pre else None
    if post:
        op = _POST_WORDS[post] if _POST_WORDS[post] is not None else op
    qualifier = "average" if pre == "平均达到" else None
    return Target(
        THRESHOLD,
        raw,
        op=op,
        value=Decimal(m.group("num")),
        unit=unit,
        measure=measure,
        qualifier=qualifier,
    )


def _plausible_unit(unit):
    # A unit is short and has no verb in it; anything longer is prose the grammar should not swallow.
    return len(unit) <= 12 and not any(word in unit for word in ("达到", "下降", "控制", "提高", "以上"))


def _trend(text, raw):
    m = _TREND.match(text)
    if not m or (m.group("measure") or "").endswith("或"):
        return None
    return Target(TREND, raw, trend=_TRENDS[m.group("word")], measure=m.group("measure") or None)


def _qualitative(text, raw):
    if text in _NOT_DONE_WORDS:
        return Target(QUALITATIVE, raw, status="not_done")
    if text in _DONE_WORDS:
        return Target(QUALITATIVE, raw, status="done")
    return None


def _statement(text, raw):
    if re.search(r"[≥≤<>]", text) or len(text) < 6:
        return None
    if any(verb in text for verb in _STATEMENT_VERBS):
        return Target(QUALITATIVE, raw, status="done", qualifier="statement")
    return None


def _parse_compound(text, raw):
    pieces = [p for p in _SPLIT.split(text) if p]
    if len(pieces) < 2:
        return None
    parts = []
    for piece in pieces:
        part = _parse_single(piece, piece)
        if part is None or part.kind == UNPARSED:
            return None
        if part.kind == THRESHOLD and not (part.unit or part.measure or part.op or part.qualifier):
            return None  # "12,5" is a typo'd number, not two measures
        parts.append(part)
    return Target(COMPOUND, raw, parts=tuple(parts))
