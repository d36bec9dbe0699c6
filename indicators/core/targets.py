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

import opencc

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
COMPOUND = "compound"  # several measures or conditions in one cell ("A且B", "A或B": `join`)
RANGE = "range"  # "1.2~1.5": a value from `value` to `high`
ABOUT = "about"  # "15左右", "约15": a value give or take a tolerance the engine states
ANNUAL_RATE = "annual_rate"  # "年均增长7%": a compound annual rate of change
YOY_CHANGE = "yoy_change"  # "同比下降5%": a change against the previous year
MULTIPLE = "multiple"  # "分别控制在35、40以内": one value per sub-indicator, in order (`parts`)
DEADLINE = "deadline"  # "于2017年底前基本消除": what must hold (`parts[0]`) by the end of `year`
EMPTY = "empty"  # "—", "/": nothing printed
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
    RANGE,
    ABOUT,
    ANNUAL_RATE,
    YOY_CHANGE,
    MULTIPLE,
    DEADLINE,
    EMPTY,
    UNPARSED,
)

# Comparators.
GE, GT, LE, LT, EQ = "ge", "gt", "le", "lt", "eq"
CLASS_UNIT = "类"  # a water quality class (Ⅰ…Ⅴ, 劣Ⅴ = 6): a smaller number is better
HIGHER, LOWER = "higher", "lower"

# Cells that mean "nothing printed here".
EMPTY_CELLS = {"", "-", "–", "—", "--", "——", "/", "／", "\\", "NA", "N/A", "…"}


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
    marker: str | None = None  # a marker as printed: "*", "▲", "★", "※"
    high: Decimal | None = None  # range: the upper end
    year: int | None = None  # deadline: the year by whose end it must hold
    join: str | None = None  # compound: "and" | "or"
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
        if self.kind == THRESHOLD and self.unit == CLASS_UNIT:
            return LOWER
        if self.kind == THRESHOLD or self.kind == CHANGE_BOUND:
            if self.op in (GE, GT):
                return HIGHER
            if self.op in (LE, LT):
                return LOWER
            return None
        if self.kind in (RELATIVE_CHANGE, ANNUAL_RATE, YOY_CHANGE):
            return {"decrease": LOWER, "increase": HIGHER}.get(self.change)
        if self.kind in (ELIMINATE, NO_EVENT):
            return LOWER
        if self.kind == TREND:
            return {
                "decrease": LOWER,
                "no_increase": LOWER,
                "increase": HIGHER,
                "no_decrease": HIGHER,
            }.get(self.trend)
        if self.kind in (COMPOUND, MULTIPLE, DEADLINE):
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
            "year",
            "join",
        ):
            value = getattr(self, name)
            if value is not None:
                data[name] = value
        if self.value is not None:
            data["value"] = str(self.value)
        if self.high is not None:
            data["high"] = str(self.high)
        if self.parts:
            data["parts"] = [p.to_dict() for p in self.parts]
        return data

    @classmethod
    def from_dict(cls, data):
        kwargs = dict(data)
        for name in ("value", "high"):
            if name in kwargs:
                kwargs[name] = Decimal(kwargs[name])
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
        "～": "~",
        "〜": "~",
        "：": ":",
        "（": "(",
        "）": ")",
        "［": "[",
        "］": "]",
        "\u3000": " ",
    }
)
# Traditional characters (持續, 增長, 超過, 以內) are read as their Simplified forms.
_T2S = opencc.OpenCC("t2s")
_MARKERS = "*▲★☆※#"

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
    re.compile(rf"^(?:全面|确保)?(?:完成|达到|满足){_SUPERIOR.replace('省)', '省|市)')}下达$"),
    # "全面完成国家下达目标", "完成自治区下达水土流失治理年度任务", "达到考核要求", "不超自治区年度下达指标"
    re.compile(
        r"^(?:全面|确保|均|稳定)?(?:完成|达到|满足|执行|落实|不超过?|控制在)(?:了)?"
        r"(?P<sup>国家|省|自治区|兵团|自治州|地区|市|县|上级)?[、和及省市区]*(?:政府)?"
        r"(?:下达|分解|规定|下发|确定|考核)?的?[^，,；;]{0,24}?(?:考核)?(?:目标值|目标任务|指标|目标|任务|要求)(?:范围内|要求|任务|水质类别|类别)?$"
    ),
]

_ELIMINATE = re.compile(r"^(?:(?P<q>基本|全面|全部)?消除|无(?!害化)(?P<measure>[^，,；;\s\d%]{2,}))$")
# "基本消除重污染天气", "黑臭水体基本消除", "消灭劣V类水体", "基本淘汰国三汽车", "实现零直排"
_ELIMINATE_CLAUSE = re.compile(
    r"^(?P<pre>[^，,；;]*?)(?:总体|均|全部)?(?:得到)?(?P<q>基本|全面|全部|彻底)?(?:得到)?(?:消除|消灭|淘汰|清除|取缔|剿灭)(?P<what>[^，,；;]*)$"
    r"|^(?P<pre2>[^，,；;]*?)(?:实现)?[“\"]?零(?:直排|排放|容忍)[”\"]?$"
)
_NO_EVENT = re.compile(r"^(?:不发生|未发生|杜绝发生|零发生|无发生|不出现)$")

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
    "稳中有进": "improve",
    "更加完善": "improve",
    "不断完善": "improve",
    "逐步完善": "improve",
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
    "供应",
    "使用",
)

_CHANGE_WORDS = {
    "下降": "decrease",
    "降低": "decrease",
    "减少": "decrease",
    "削减": "decrease",
    "减排": "decrease",
    "节能": "decrease",
    "节约": "decrease",
    "压减": "decrease",
    "上升": "increase",
    "提高": "increase",
    "增长": "increase",
    "增加": "increase",
    "递增": "increase",
    "新增": "increase",
    "提升": "increase",
    "递减": "decrease",
    "消减": "decrease",
    "压降": "decrease",
    "降": "decrease",
    "增": "increase",
}
_CHANGE = "|".join(sorted(_CHANGE_WORDS, key=len, reverse=True))
# "比2005年的61.60万吨下降了7.08%", "较2020年下降13.5%以上", "降低五年累计达到13%", "要下降18%"
_RELATIVE = re.compile(
    rf"^(?:力争)?(?:(?:较|比|与)(?P<base>\d{{4}})年?(?:的{NUM}[^\d\s]{{0,6}}?)?(?:基础上|相比)?[,，]?"
    rf"|将?(?:从|由)(?:目前|现在|现状|当前)?的?{NUM}\s*%?)?(?:要|再|只|仅|共|还|已)?(?P<q>累计|平均|年均)?(?:要)?"
    rf"(?P<dir>{_CHANGE})(?:了|幅度|率)?(?:要)?(?:五年)?(?P<q2>累计)?(?:要)?(?:基本)?(?:目标|任务)?(?:达到|达|为|超过|超)?"
    rf"\s*(?P<num>{NUM})\s*(?P<unit>%|个百分点|[^\d\s%以左]{{1,6}}?)?(?P<post>以上|以内|以下|左右)?$"
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
    "稳定控制在": LE,
    "达": None,
    "为": EQ,
    "稳定在": None,
    "保持在": None,
    "稳定达到": None,
    "突破": GT,
    "超过": GT,
    "超": GT,
    "要达到": None,
    "要达": None,
    "力争达到": None,
    "占比": None,
    "力争到": None,
    "到": None,
}
_POST_WORDS = {"以上": GE, "及以上": GE, "以下": LE, "及以下": LE, "以内": LE, "左右": None, "达标": None}
_THRESHOLD = re.compile(
    r"^(?P<measure>[\u4e00-\u9fffA-Za-z]{0,10}?)"
    r"(?P<pre>" + "|".join(sorted(map(re.escape, _PRE_WORDS), key=len, reverse=True)) + r")?\s*"
    rf"(?P<num>{NUM})\s*"
    r"(?P<unit>(?:[^\d\s≥≤><=，,；;.（(][^\s≥≤><=，,；;]*?)??)"
    r"(?P<post>及以上|及以下|以上|以下|以内|左右|达标)?$"
)
_TRAILING_NOTE = re.compile(r"^(?P<body>.+?)\s*[（(](?P<note>[^（()）]*[\u4e00-\u9fff][^（()）]*)[)）]$")
_SPLIT = re.compile(r"\s*[，,；;]\s*|\s+")


def normalize(text: str) -> str:
    """Fold Traditional characters, full-width digits and comparators, and "。" typed for a decimal
    point, so that one pattern matches every printing."""
    text = _T2S.convert(text) if not text.isascii() else text
    text = text.translate(_WIDTH)
    text = _BRACKETED.sub(lambda m: m.group(0) if m.group(0)[0] in "（(" else _CJK_SPACE.sub("", m.group(0)), text)
    text = re.sub(r"(?<=\d\.)\s+(?=\d)", "", text)  # "20. 07%": a space the layout put in a number
    text = re.sub(r"\s*/\s*(?=[\u4e00-\u9fffA-Za-z])", "/", text)  # "微克/ 立方米"
    text = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[A-Za-z]\d?(?:以|$))", "", text)  # "亿 m3以内"
    text = re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # "5,000亿元": thousands, not two numbers
    return _POINT.sub(".", text).strip().lstrip("●•·◆■□○").strip()


_POINT = re.compile(r"(?<=\d)[。·](?=\d)")
# "比 2015 年下降 18%": spaces around Chinese words are layout, not meaning ("12 5" keeps its space).
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff:])\s+(?=[-+\d%])|(?<=[\d%])\s+(?=[\u4e00-\u9fff%])")
_BRACKETED = re.compile(r"[（(][^（()）]*[)）]|[^（(]+|[（(]")  # bracketed remarks keep their spacing


def is_empty(text: object) -> bool:
    return text is None or normalize(str(text)) in EMPTY_CELLS


def parse(raw: object, heading: str = "") -> Target:
    """Parse one printed cell. Never raises: an unknown string is kind "unparsed".

    `heading` is the column heading the cell stood under, where known ("累计下降(%)"): it says
    which way a bare bracketed period total such as "〔18〕" goes.
    """
    raw = "" if raw is None else str(raw)
    text = normalize(raw)
    if not text:
        return Target(UNPARSED, raw)
    if text in EMPTY_CELLS:
        return Target(EMPTY, raw)
    column = normalize((heading or "").split()[0]) if (heading or "").split() else ""
    heading = normalize(heading or "")
    text = _in_the_column_year(text, column)
    target = (
        _named_indicators(text, raw)
        or _parse_single(text, raw, heading)
        or _parse_multiple(text, raw, label=heading.split()[-1] if heading.split() else "", heading=heading)
        or _parse_joined(text, raw)
        or _parse_compound(text, raw)
        or _labelled(text, raw)
        or _statement(text, raw)
    )
    if target is None:
        return Target(UNPARSED, raw)
    return _in_a_yearly_column(target, column, heading)


# "“单位GDP能耗降低”“单位GDP二氧化碳排放降低”这两项指标达到国家考核要求": named indicators, counted.
_NAMED = re.compile(r"^(?P<names>(?:[“\"][^”\"]+[”\"][、和及]?){2,})(?:这|此|等)?(?:两|三|四|五|六|\d+)项(?:指标)?(?P<rest>.+)$")


def _named_indicators(text, raw):
    m = _NAMED.match(text)
    if not m:
        return None
    rest = m.group("rest")
    part = _parse_single(rest, rest) or _labelled(rest, rest)
    if part is None or part.kind == UNPARSED:
        return None
    names = re.findall(r"[“\"]([^”\"]+)[”\"]", m.group("names"))
    return Target(MULTIPLE, raw, parts=tuple(_with(part, measure=n) for n in names))


def _in_the_column_year(text, column):
    """ "2020年PM2.5…达到考核要求" under a 2020 column, or a target sentence with no column at all
    ("2025年全区PM2.5浓度不高于26.5微克/立方米"): the year is the target's own, the rest is the target.
    "今年6月底前" under a 2019 column: that year. A year with 底/前/起 stays a deadline."""
    if not re.search(r"\d{4}|五|期|末|目标|任务|工作|计划|要求|年", column):  # no column naming a time
        m = re.match(r"^\d{4}年(?:\d{1,2}\s*[—\-~至]\s*\d{1,2}月)?(?!\d|底|末|前|以前|之前|起|度)(?P<rest>.+)$", text)
        return m.group("rest").lstrip("，,:： ") if m else text
    year = re.match(r"^(?:到|至)?(\d{4})年", column)
    if not year:
        return text
    if text.startswith(("今年", "本年")):
        return year.group(1) + "年" + text[2:]
    if text.startswith(year.group(1) + "年") and not re.match(r"\d{4}年(?:\d|底|末|前|以前|之前|起|度)", text):
        rest = text[5:].lstrip("，,:： ")
        return rest or text
    return text


# "2019年", "2019年预期目标", "2011年度工作目标", "年度目标": one year. Not "到2020年" (by then).
_ONE_YEAR = re.compile(r"^(?:\d{4}年(?:度)?|年度)(?:[^\d到至前底末]{0,8})?$")


def _in_a_yearly_column(target, first, heading):
    """A change with no base year, set for a single year ("2019年预期目标": 下降3%), is a change on
    the previous year: yearly plans and work reports state their targets so, unless the indicator's
    name gives the base ("PM2.5浓度较2013年的下降比例")."""
    base = re.search(r"(?:较|比|与)(\d{4})年", heading)
    if base and target.kind == RELATIVE_CHANGE and target.base_year is None:
        return _with(target, base_year=int(base.group(1)))
    yearly = bool(_ONE_YEAR.match(first)) and not re.search(r"期间|时期|累计|五年", first)
    if yearly and target.kind == RELATIVE_CHANGE and target.base_year is None and target.qualifier is None:
        return _with(target, kind=YOY_CHANGE)
    return target


# Where the target proper starts in a running-text clause ("地级及以上城市空气质量优良天数比例达到
# 93.8%"): the label before it names the measure; the rest is read by the rules above.
_LEADS = (
    "比",
    "较",
    "同比",
    "年均",
    "分别",
    "基本消除",
    "全面消除",
    "消除",
    "完成",
    "全面完成",
    "控制在",
    "保持在",
    "稳定在",
    "稳定控制在",
    "稳定达到",
    "达到",
    "达",
    "为",
    "不低于",
    "不高于",
    "不超过",
    "低于",
    "高于",
    "超过",
    "突破",
    "提高到",
    "提高至",
    "提升到",
    "提升至",
    "提高",
    "下降到",
    "下降至",
    "降低到",
    "降至",
    "下降",
    "降低",
    "减少",
    "削减",
    "消减",
    "减排",
    "节能",
    "压减",
    "增长",
    "增加",
    "要",
    "累计",
    "五年累计",
    "总体",
    "均",
    "无",
    "实现",
    "翻一番",
    "基本",
    "全面",
    "持续",
    "逐年",
    "稳步",
    "进一步",
    "力争",
    "得到",
    "保持",
    "接近",
    "约",
)
_LEAD = re.compile("|".join(sorted(map(re.escape, _LEADS), key=len, reverse=True)))


def _listed(label, plural=False):
    """The items a label lists ("A、B和C"), or [label]; a name's own "和" ("工业和生活") is kept whole
    unless "、" lists items too, or the target says 均 / 分别 (each)."""
    bare = re.sub(r"[(（][^()（）]*[)）]", "", label)  # "(一、二类水质)", "(区、市)" list nothing
    codes = r"(?<=[A-Za-z0-9.])和(?=[A-Za-z])"  # "PM2.5和PM10": two pollutants' codes
    if "等" in bare or ("、" not in bare and not re.search(rf"[)）]和|{codes}", label) and not (plural and "和" in bare)):
        return [label]  # "废钢铁、废铜等9种": one group
    names = [n.strip() for n in re.split(rf"、|(?<=[)）\u4e00-\u9fff])和(?=[\u4e00-\u9fffA-Za-z])|{codes}", bare) if n.strip()]
    if "的" in names[-1] and not any("的" in n for n in names[:-1]):
        return [label]  # "京津冀、汾渭平原…城市群人为因素导致的污染天数": places qualifying one measure
    return names if all(len(n) >= 2 for n in names) else [label]


def _labelled(text, raw):
    """A clause "label + target": the first place a target starts from which the rest reads."""
    for m in _LEAD.finditer(text):
        start = m.start()
        if start == 0 or text[start - 1] in "不未没":
            continue  # "水质不下降": the negation belongs to the target
        label, rest = text[:start].strip("，,：: "), text[start:]
        if not label or rest == text or re.search(rf"{NUM}\s*(?:%|个百分点)[、，,；;]", label):
            continue  # "…下降19%、2011年下降3.7%": a label holding a value is another clause
        target = _parse_single(rest, raw) or _parse_multiple(rest, raw, label) or _parse_joined(rest, raw)
        if target is None and rest.startswith(("要", "总体", "均", "累计", "五年累计")):
            continue
        if target is not None and target.kind != UNPARSED:
            plural = bool(re.match(r"(?:同比|比上年)?(?:均|分别|各)", rest)) or label.endswith(("均", "分别", "各"))
            names = _listed(label.removesuffix("均").removesuffix("分别"), plural=plural)
            if len(names) >= 2 and target.kind not in (MULTIPLE, TREND):
                # "化学需氧量、氨氮排放量比2015年减少1%": the same target for each item the label lists.
                # A trend over a list ("SO2、NO2持续改善") is one goal for the group.
                return Target(MULTIPLE, raw, parts=tuple(_with(target, measure=n) for n in names))
            return target if target.measure else _with(target, measure=label)
    digit = re.search(r"(?<=[\u4e00-\u9fff”\"])\d", text)
    if digit and digit.start() >= 2:
        # "乡村“四旁”植树15亿株以上": a label, then the number.
        target = _parse_single(text[digit.start() :], raw)
        label = text[: digit.start()]
        short_unit = target is not None and (target.unit is None or len(target.unit) <= 4)
        if short_unit and target.kind in (THRESHOLD, ABOUT, RANGE) and not target.measure and not re.search(r"[，,；;]", label):
            return _with(target, measure=text[: digit.start()])
    colon = max(text.rfind(":"), text.rfind("："))
    if colon > 0:
        target = _parse_single(text[colon + 1 :].strip(), raw)
        if target is not None and target.kind != UNPARSED:
            return _with(target, measure=text[:colon].strip())
    return None


def _parse_single(text, raw, heading=""):
    text, marker = _strip_markers(text)
    for rule in (
        _places,
        _assigned,
        _eliminate,
        _no_event,
        _deadline,
        _cumulative_bracket,
        _yoy_change,
        _annual_rate,
        _doubling,
        _relative_change,
        _change_bound,
        _range,
        _about,
        _water_class,
        _share,
        _phrasing,
        _threshold,
        _trend,
        _qualitative,
    ):
        target = rule(text, raw, heading) if rule is _cumulative_bracket else rule(text, raw)
        if target is not None:
            return _with(target, marker=marker) if marker else target
    inner_note = re.search(r"\s*[(（](?P<note>[^()（）]+)[)）]\s*(?=\S)", text)
    if inner_note:
        # "稳定控制在0.3%(1天)以内": an equivalent said in passing, inside the target.
        inner = _parse_single(text[: inner_note.start()] + text[inner_note.end() :], raw, heading)
        if inner is not None and inner.kind != UNPARSED and inner.annotation is None:
            return _with(inner, annotation=inner_note.group("note").strip())
    note = _TRAILING_NOTE.match(text)
    if note:
        inner = _parse_single(note.group("body"), raw, heading) or _labelled(note.group("body"), raw)
        said = note.group("note").strip()
        if inner is not None and said.startswith("即"):
            # "14%(即逐年下降2.97%)": the same goal said a second way; both must hold.
            again = _parse_single(said[1:], said[1:])
            if again is not None and again.kind != UNPARSED:
                return Target(COMPOUND, raw, parts=(inner, again), join="and")
        if inner is not None and inner.kind == THRESHOLD and said.startswith("其中"):
            # "完成营造林40万亩以上(其中南北山绿化工程20万亩)": the total and a named part of it.
            part = _labelled(said[2:], said) or _parse_single(said[2:], said)
            if part is not None and part.kind == THRESHOLD:
                return Target(MULTIPLE, raw, parts=(inner, part))
        if inner is not None and inner.kind != UNPARSED and inner.annotation is None:
            return _with(inner, annotation=note.group("note").strip(), marker=marker or inner.marker)
    return None


# "70%以上的地级及以上城市全面消除重污染天气", "30%的县区、40%的乡镇…完成…创建", "所有设区城市和60%的县
# (市、区)完成…": the share (or number) of places that must reach what follows, one per group of places.
_PLACE = re.compile(
    rf"^(?:全区|全省|全市|全州|力争)?(?:(?P<num>{NUM})\s*(?:(?P<unit>%)(?P<post>以上)?的|(?P<count>个))|(?P<all>所有|全部))[\u4e00-\u9fff]"
)


def _places(text, raw):
    bare = re.sub(r"[(（][^()（）]*[)）]", "", text)
    items = [i.strip() for i in re.split(r"、|和", bare)]
    found = [_PLACE.match(i) for i in items]
    if not all(found) or not found[0].group("num") and len(items) == 1:
        return None
    if len(items) == 1 and found[0].group("count"):
        return None  # "3个县…": a count is read by the count rule
    parts = []
    for m in found:
        if m.group("all"):
            parts.append(Target(QUALITATIVE, raw, status="done"))
        else:
            op = GE if m.group("post") else None
            parts.append(Target(THRESHOLD, raw, op=op, value=Decimal(m.group("num")), unit=m.group("unit") or "个"))
    return parts[0] if len(parts) == 1 else Target(MULTIPLE, raw, parts=tuple(parts))


def _strip_markers(text):
    """A marker printed before or after a cell (▲ for binding, * or ※ for a footnote) is kept apart."""
    marker = None
    stripped = text.rstrip(_MARKERS).strip()
    if stripped != text and stripped:
        marker, text = text[len(stripped) :].strip()[0], stripped
    stripped = text.lstrip("▲★☆※").strip()
    if stripped != text and stripped:
        marker, text = marker or text[0], stripped
    return text, marker


_POST_OP = {"以上": GE, "及以上": GE, "以内": LE, "以下": LE, "及以下": LE, "内": LE}
_RATE_TAIL = rf"\s*(?P<num>{NUM})\s*(?P<unit>%|个百分点)?\s*(?P<post>及以上|以上|以内|及以下|以下|左右)?$"

_YOY = re.compile(
    rf"^(?:力争)?(?:比上年|较上年|同比|环比)(?:均)?(?:要|再)?(?P<dir>{_CHANGE})(?:了)?"
    rf"\s*(?P<num>{NUM})\s*(?P<unit>%|个百分点|[^\d\s%以左]{{1,6}}?)?\s*(?P<post>及以上|以上|以内|及以下|以下|左右)?$"
)
_ANNUAL = re.compile(
    rf"^(?:年均|年平均|每年|逐年)(?:要)?(?P<dir>{_CHANGE})(?:率)?(?:要求)?(?:为|达到|超过了|超过|保持在)?" + _RATE_TAIL
)
_DOUBLING = re.compile(r"^(?:比|较)?(?P<base>\d{4})?年?(?:基础上)?(?:实现)?(?P<what>翻一番|翻两番|翻番)$")
_BRACKET = re.compile(rf"^[〔\[【{{](?P<num>{NUM})[〕\]】}}]\s*(?P<unit>%)?$")
_RANGE = re.compile(
    rf"^(?P<pre>[^\d\-+]{{0,4}}?)(?P<low>{NUM})\s*(?P<u1>%)?\s*(?:~|-|—|–|至|到)\s*(?P<high>{NUM})\s*(?P<unit>[^\d\s]{{0,8}}?)$"
)
_ABOUT = re.compile(
    rf"^(?:约|大约|接近|力争)?(?P<num>{NUM})\s*(?P<unit>[^\d\s]{{0,8}}?)\s*左右$|^(?:约|接近)(?P<num2>{NUM})\s*(?P<unit2>[^\d\s]{{0,8}})$"
)
_DEADLINE = re.compile(
    r"^(?:力争)?(?:于|到|在|从)?(?P<year>20\d{2})年(?:\d{1,2}月(?:\d{1,2}日)?)?(?:底|末|年底)?(?:前|以前|之前|起)?(?:或更长时间)?[,，]?"
    r"(?!的?基础上|比|相比|基数)(?P<then>.+)$"
)


# Water quality classes (GB 3838): Ⅰ best … Ⅴ, 劣Ⅴ worst. A class cell is a threshold in "类" whose
# smaller number is better: "Ⅲ类水质目标要求", "达到或优于Ⅲ类标准", "Ⅱ".
_CLASSES = {
    "Ⅰ": 1,
    "Ⅱ": 2,
    "Ⅲ": 3,
    "Ⅳ": 4,
    "Ⅴ": 5,
    "I": 1,
    "II": 2,
    "III": 3,
    "IV": 4,
    "V": 5,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
}
_CLASS = re.compile(
    r"^(?:国家)?(?:《[^》]*》)?(?:\(GB[\d\-]+\))?(?:达到或优于|达到或好于|达到|优于|好于|保持|稳定达到)?"
    r"(?:地表水)?(?:(?:III|II|IV|I|V|[ⅠⅡⅢⅣⅤ一二三四五])(?:或|、|~|-|至))?(?P<worse>劣)?(?P<cls>III|II|IV|I|V|[ⅠⅡⅢⅣⅤ一二三四五])\s*类?"
    r"(?:水质|水体|水)?(?:及以上|以上|或以上|或更好)?"
    r"(?:水质)?(?:考核)?(?:目标要求|目标|标准|要求)?$"
)


# "长江黄河干流水质稳定达到Ⅱ类", "保持Ⅱ类进Ⅱ类出", "水质稳定达到或好于Ⅲ类": holding a class is a
# threshold on the class, whatever the verbs around it.
_CLASS_CLAUSE = re.compile(
    r"^(?P<measure>[^\d，,；;]*?)(?:确保|稳定|保持|持续|全面|总体|达到|或|优于|好于|在|力争)+"
    r"(?P<worse>劣)?(?P<cls>III|II|IV|I|V|[ⅠⅡⅢⅣⅤ])\s*类(?:进(?:III|II|IV|I|V|[ⅠⅡⅢⅣⅤ])类出|水质|水体|标准)?(?:以上)?$"
)


def _water_class(text, raw):
    m = _CLASS.match(text) or _CLASS_CLAUSE.match(text)
    if not m:
        return None
    number = _CLASSES[m.group("cls")] + (1 if m.group("worse") else 0)
    return Target(THRESHOLD, raw, value=Decimal(number), unit=CLASS_UNIT)


def _yoy_change(text, raw):
    return _rate(_YOY.match(text), YOY_CHANGE, raw)


def _annual_rate(text, raw):
    return _rate(_ANNUAL.match(text), ANNUAL_RATE, raw)


def _rate(m, kind, raw):
    if not m:
        return None
    post = m.group("post")
    return Target(
        kind,
        raw,
        op=_POST_OP.get(post) if post else None,
        value=Decimal(m.group("num")),
        unit=m.group("unit") or None,
        change=_CHANGE_WORDS[m.group("dir")],
        qualifier="about" if post == "左右" else None,
    )


def _doubling(text, raw):
    m = _DOUBLING.match(text)
    if not m:
        return None
    value = Decimal(300) if m.group("what") == "翻两番" else Decimal(100)
    base = int(m.group("base")) if m.group("base") else None
    return Target(RELATIVE_CHANGE, raw, op=GE, value=value, unit="%", base_year=base, change="increase")


_BARE = re.compile(rf"^为?(?P<num>{NUM})\s*(?P<unit>%|个百分点|万吨标煤|万吨标准煤|万吨|吨)?$")


# Nouns a heading names a change with ("能耗降幅目标"), besides the verbs.
_HEADING_WORDS = {**_CHANGE_WORDS, "降幅": "decrease", "减幅": "decrease"}


def heading_change(heading: str) -> str | None:
    """The way a column heading or an indicator's name says a change goes ("降低目标(%)",
    "累计下降率"): decrease, increase, or None when it names none or both."""
    heading = heading.replace("增加值", "").replace("增长点", "")  # nouns: value added, growth point
    found = {change for word, change in _HEADING_WORDS.items() if len(word) > 1 and word in heading}
    return found.pop() if len(found) == 1 else None


def _cumulative_bracket(text, raw, heading):
    """〔18〕: a total over the plan period, as the national plans print it; and a bare number under
    a heading that names a change ("2007年万元GDP能耗降低目标(%)": -5.00). The heading or the
    indicator's name says which way; a sign printed with the number only repeats it."""
    m = _BRACKET.match(text)
    if m:
        return Target(
            RELATIVE_CHANGE,
            raw,
            value=Decimal(m.group("num")),
            unit=m.group("unit") or None,
            change=heading_change(heading),
            qualifier="cumulative",
        )
    m = _BARE.match(text)
    change = heading_change(heading) if m else None
    if change is None:
        return None
    number = Decimal(m.group("num"))
    if number < 0 and change == "increase":
        return None  # "-2.3" under 增长: a fall where a rise was named; left to the reader
    if change == "decrease" and m.group("unit") == "%" and abs(number) >= 100:
        return None  # nothing falls by 100% or more: "100.39%" is a share of a task done
    kind = YOY_CHANGE if re.search(r"同比|比上年|较上年", heading) else ANNUAL_RATE if "年均" in heading else RELATIVE_CHANGE
    return Target(kind, raw, value=abs(number), unit=m.group("unit") or None, change=change)


def _range(text, raw):
    m = _RANGE.match(text)
    if not m or m.group("pre") and m.group("pre") not in ("控制在", "保持在", "达到", "在"):
        return None
    low, high = sorted([Decimal(m.group("low")), Decimal(m.group("high"))])
    if m.group("low").startswith("-") is False and "-" in text and not re.search(r"~|至|到|—|–", text):
        # "2020-2025" style or a negative high written after a hyphen is not a range of values
        if Decimal(m.group("high")) < 0:
            return None
    unit = m.group("unit") or m.group("u1") or None
    if unit and not _plausible_unit(unit):
        return None
    return Target(RANGE, raw, value=low, high=high, unit=unit)


def _about(text, raw):
    m = _ABOUT.match(text)
    if not m:
        return None
    number, unit = (m.group("num"), m.group("unit")) if m.group("num") else (m.group("num2"), m.group("unit2"))
    if unit and not _plausible_unit(unit):
        return None
    return Target(ABOUT, raw, value=Decimal(number), unit=unit or None)


def _deadline(text, raw):
    m = _DEADLINE.match(text)
    if not m:
        return None
    rest = m.group("then").strip()
    then = (
        _parse_single(rest, rest)
        or _parse_multiple(rest, rest)
        or _parse_joined(rest, rest)
        or _labelled(rest, rest)
        or _statement(rest, rest)
    )
    if then is None or then.kind == UNPARSED:
        return None
    return Target(DEADLINE, raw, year=int(m.group("year")), parts=(then,))


_MULTIPLE = re.compile(r"^(?P<pre>.*?)分别(?P<body>.+)$")
_LIST_SPLIT = re.compile(r"\s*(?:、|和|及|与|/(?=\s*[-+]?\d[\d.]*\s*%?$))\s*")
_LABEL_SPLIT = re.compile(r"[、和及与]")
_WITHIN = re.compile(r"\s*[(（]其中[^()（）]*[)）]")


def _parse_multiple(text, raw, label="", heading=""):
    """ "分别控制在35、40以内", "分别下降18%、15%、10%以上", "65/70": one value per sub-indicator.

    The words before the first number and after the last apply to each value, as printed."""
    text = _WITHIN.sub("", text)  # "11.9%(其中工业和生活排放量减少12.6%)": a part of the value, not another
    m = _MULTIPLE.match(text)
    body = m.group("body") if m else text
    if re.fullmatch(rf"{NUM}\s*%?(?:\s*/\s*{NUM}\s*%?)+", body):
        items = re.split(r"\s*/\s*", body)  # "65/70"
    else:
        items = _LIST_SPLIT.split(body)
    if m and len(items) == 1:
        # "二氧化硫、氮氧化物排放总量分别比2015年下降15%以上": one value for each item of the label.
        names = [n for n in _LABEL_SPLIT.split(m.group("pre") or "") if n.strip()]
        if len(names) < 2 and not body.startswith("均"):  # "分别均下降10%": one shared reading
            names = [n for n in _LABEL_SPLIT.split(label) if n.strip()]
        part = _parse_single(body, body) or _labelled(body, body)
        if len(names) < 2 or part is None or part.kind == UNPARSED:
            return None
        return Target(MULTIPLE, raw, parts=tuple(part for _ in names))
    if not m and len(items) >= 2 and all(re.fullmatch(rf"{NUM}\s*[^\d\s、]{{1,4}}", i) for i in items):
        # "2000万吨、1000万千瓦和52万吨": one amount for each item of a list printed elsewhere.
        parts = [_parse_single(i, i) for i in items]
        if all(p is not None and p.kind == THRESHOLD for p in parts):
            return Target(MULTIPLE, raw, parts=tuple(parts))
    if not m and len(items) >= 2 and not all(re.fullmatch(rf"{NUM}\s*%?", i) for i in items):
        # "PM2.5平均浓度同比下降4%、重污染天数同比减少6%": each item a clause of its own.
        clauses = [p for p in re.split(r"\s*、\s*|和(?=[\u4e00-\u9fff]{2,}\d)", text) if p]
        parts = [_one_year_change(c) or _parse_single(c, c) or _labelled(c, c) for c in clauses]
        if len(clauses) >= 2 and all(p is not None and p.kind != UNPARSED for p in parts) and parts[0].measure:
            if all(p.measure or p.kind == YOY_CHANGE for p in parts[1:]):
                return Target(MULTIPLE, raw, parts=tuple(parts))
        return None
    if len(items) < 2:
        return None
    head = re.match(rf"^(?P<head>.*?)(?={NUM}\s*[^\d]*$)", items[0])
    head = head.group("head") if head else ""
    tail = re.search(rf"{NUM}(?P<tail>[^\d]*)$", items[-1])
    tail = tail.group("tail") if tail else ""
    parts = []
    for i, item in enumerate(items):
        piece = item
        if i > 0 and head and not piece.startswith(head):
            piece = head + piece
        if i < len(items) - 1 and tail and not piece.endswith(tail):
            piece = re.sub(r"(?<=\d)%?$", "", piece) + tail if re.search(r"\d%?$", piece) else piece
        part = _parse_single(piece, piece, heading)
        if part is None or part.kind == UNPARSED:
            # "分别达到中阳220天、柳林210天": each value may carry its own place or name.
            own = re.sub(r"^[\u4e00-\u9fff]{1,6}(?=[-+]?\d)", "", item)
            verb = re.match(r"^(?:达到|控制在|下降|降低|减少|提高到|为|达)", head or "")
            for candidate in ((verb.group(0) + own) if verb else None, own, item):
                part = _parse_single(candidate, candidate) if candidate else None
                if part is not None and part.kind != UNPARSED:
                    break
        if part is None or part.kind == UNPARSED:
            return None
        parts.append(part)
    return Target(MULTIPLE, raw, parts=tuple(parts))


_JOIN = re.compile(r"\s*[,，]?\s*(?P<word>且|并且|或者|或)\s*")


def _parse_joined(text, raw):
    """Two conditions on one indicator joined by 且 / 或."""
    pieces = _JOIN.split(text)
    if len(pieces) != 3:
        return None
    first, word, second = pieces
    if re.search(r"[，,；;]", first + second):
        return None  # several clauses: the compound rule splits them first
    a = _parse_single(first, first) or _labelled(first, first)
    b = _parse_single(second, second) or _labelled(second, second)
    if not a or not b or UNPARSED in (a.kind, b.kind):
        return None
    return Target(COMPOUND, raw, parts=(a, b), join="or" if word.startswith("或") else "and")


def _one_year_change(clause):
    """ "2011年下降3.7%" beside a period's target: that year's change on the year before."""
    m = re.match(r"^(\d{4})年(?!底|末|前)(?P<rest>.+)$", clause)
    change = _relative_change(m.group("rest"), clause) if m else None
    if change is None or change.base_year is not None:
        return None
    return _with(change, kind=YOY_CHANGE)


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
    if re.match(r"^(?:[^，,；;]*?)(?:未|没有|尚未|不能|未能|没)(?:基本|全面|全部|彻底)?(?:消除|消灭|淘汰|清除|取缔|剿灭)", text):
        return None  # "未消除", "尚未基本消除": not eliminated, read as not done
    m = _ELIMINATE.match(text)
    if m:
        qualifier = "basic" if m.group("q") == "基本" else None
        return Target(ELIMINATE, raw, op=LE, value=Decimal(0), qualifier=qualifier, measure=m.group("measure"))
    m = _ELIMINATE_CLAUSE.match(text)
    if m and not re.search(r"\d", text):
        qualifier = "basic" if m.group("q") == "基本" else None
        measure = (m.group("what") or m.group("pre") or m.group("pre2") or "").strip() or None
        return Target(ELIMINATE, raw, op=LE, value=Decimal(0), qualifier=qualifier, measure=measure)
    return None


def _no_event(text, raw):
    if _NO_EVENT.match(text):
        return Target(NO_EVENT, raw, op=LE, value=Decimal(0))
    return None


def _relative_change(text, raw):
    m = _RELATIVE.match(text)
    if not m:
        return None
    change = _CHANGE_WORDS[m.group("dir")]
    post = m.group("post")
    op = {"以上": GE, "以内": LE, "以下": LE}.get(post) if post else None
    base = int(m.group("base")) if m.group("base") else None
    qualifier = {"累计": "cumulative", "平均": "average", "年均": "annual"}.get(m.group("q") or m.group("q2"))
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
    if measure and measure.endswith(("均", "分别")):
        return None  # "…和…达标率均达到100%": the label lists several measures
    if measure and pre is None and measure[-1].isascii() and measure[-1].isalpha():
        return None  # "O3", "PM10": the digits belong to a chemical's name
    if measure and (pre is None and (measure[-2:] in _CHANGE_WORDS or measure[-1] in "比较")):
        return None  # a relative change with a label: not a threshold
    if post == "左右" or (pre is None and measure and measure.endswith(("接近", "约", "大约"))):
        measure = re.sub(r"(?:接近|大约|约)$", "", measure or "") or None
        return Target(ABOUT, raw, value=Decimal(m.group("num")), unit=unit, measure=measure)
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
    if len(unit) > 12 or re.search(r"\d{2}|\d[.、]|、\d", unit) or "、" in unit:
        return False  # another number follows: several values, not one ("m3", "m2" are units)
    if any(word in unit for word in ("达到", "控制", "以上", "比", "较", "翻", "的")):
        return False
    if unit.startswith("年") and len(unit) > 1:
        return False  # "2015年翻一番": a year, not a quantity
    if any(word in unit for word in ("保持", "稳定", "改善", "达标", "控制", "完成", "提升", "实现")):
        return False
    return not any(word in unit for word in _CHANGE_WORDS if len(word) > 1)


# A trend said in words, composed: [measure] [modifiers] verb ("水环境质量全面改善", "达标率逐年提升",
# "水质保持不退化", "负增长"). Modifiers say how fast or how sure, never which way.
_TREND_VERBS = {
    "提升": "increase",
    "提高": "increase",
    "增加": "increase",
    "增长": "increase",
    "增强": "increase",
    "上升": "increase",
    "扩大": "increase",
    "改善": "improve",
    "保护": "improve",
    "好转": "improve",
    "向好": "improve",
    "变好": "improve",
    "下降": "decrease",
    "降低": "decrease",
    "减少": "decrease",
    "减轻": "decrease",
    "负增长": "decrease",
    "零增长": "no_increase",
    "不退化": "no_decrease",
    "不降低": "no_decrease",
    "不下降": "no_decrease",
    "不减少": "no_decrease",
    "不恶化": "no_decrease",
    "不缩小": "no_decrease",
    "不变差": "no_decrease",
    "不增加": "no_increase",
    "不上升": "no_increase",
    "不改变": "stable",
    "控制": "no_increase",
    "遏制": "no_increase",
    "稳定": "stable",
    "稳定达标": "stable",
}
_TREND_MODS = r"(?:持续|逐年|逐步|稳步|进一步|全面|总体|明显|显著|有效|不断|继续|基本|得到|合理|有所|大幅|保持|力争|较\d{4}年|比\d{4}年|有|的)*"
_TREND_CLAUSE = re.compile(
    rf"^(?P<measure>[^，,；;\d]*?){_TREND_MODS}(?P<verb>"
    + "|".join(sorted(map(re.escape, _TREND_VERBS), key=len, reverse=True))
    + r")(?:趋势|态势)?$"
)
# "稳定达到Ⅱ类", "保持Ⅱ类进Ⅱ类出", "保持在较少水平", "持续保持全优": holding a state.
_HOLD = re.compile(
    r"^(?P<measure>[^，,；;\d]*?)(?:确保)?(?:持续|全面)?(?:稳定达到|稳定达标|保持在|持续保持|保持)(?P<what>[^，,；;\d%]*)$"
)


def _trend(text, raw):
    m = _TREND.match(text)
    if m and not (m.group("measure") or "").endswith("或"):
        trend, measure = _TRENDS[m.group("word")], m.group("measure") or None
        if trend == "increase" and measure and measure.endswith(("质量", "水质")):
            trend = "improve"  # a quality "rises" by getting better
        return Target(TREND, raw, trend=trend, measure=measure)
    if re.match(r"^(?:有效)?遏制", text):
        return Target(TREND, raw, trend="no_increase", measure=text)
    m = _TREND_CLAUSE.match(text)
    if m and not m.group("measure").endswith(("或", "不")):
        trend = _TREND_VERBS[m.group("verb")]
        measure = m.group("measure") or None
        if trend == "increase" and measure and measure.endswith(("质量", "水质")):
            trend = "improve"  # a quality "rises" by getting better
        return Target(TREND, raw, trend=trend, measure=measure)
    m = _HOLD.match(text)
    if m and re.search(r"(?:下达|确定|规定|分解)的?[^，,；;]*(?:目标|要求|指标)", m.group("what") or ""):
        return Target(ASSIGNED, raw, superior="上级", measure=m.group("measure") or None)  # "稳定达到规划确定的目标水质类别"
    if m and (m.group("what") or "").strip() not in ("", "不变"):
        return Target(TREND, raw, trend="stable", measure=m.group("measure") or None)
    return None


# Done-wording composed: [modifiers] verb [并 verb] ("全面推行", "划定并遵守", "基本得到治理",
# "得到安全利用", "每季度向社会公布"). The verbs name an action that is either done or not.
_DONE_VERBS = "推行|遵守|划定|建成|治理|保障|利用|公布|落实|实施|建立|覆盖|推进|开展|执行|编制|出台|划尽划|管控|补齐"
_DONE_CLAUSE = re.compile(
    rf"^(?P<measure>[^\d，,；;]{{0,16}}?)(?:每季度|每年|定期|向社会)*(?:全面|基本|得到|有效|安全|已|均|应|依法|严格)*"
    rf"(?:{_DONE_VERBS})(?:并(?:{_DONE_VERBS}))?$"
)


def _qualitative(text, raw):
    if text in _NOT_DONE_WORDS:
        return Target(QUALITATIVE, raw, status="not_done")
    if re.match(r"^(?:尚未|未能|未|没有)(?:基本|全面|全部|彻底)?(?:消除|消灭|清除|剿灭)", text):
        return Target(QUALITATIVE, raw, status="not_done")  # "尚未基本消除"
    if text.startswith(("未", "没有")) and len(text) > 2:
        # "未全面推行": a done-clause negated is not done.
        done = _qualitative(text.removeprefix("没有").removeprefix("未"), raw)
        if done is not None and done.status == "done":
            return Target(QUALITATIVE, raw, status="not_done")
    if text in _DONE_WORDS:
        return Target(QUALITATIVE, raw, status="done")
    m = _DONE_CLAUSE.match(text)
    if m and not re.search(r"未|没有|不", text):
        return Target(QUALITATIVE, raw, status="done", measure=m.group("measure") or None)
    return None


# "占国内生产总值(GDP)的1.59%", "占全旗国土面积的 6.23%": a share of something.
_SHARE = re.compile(rf"^占[^\d]{{0,24}}?的?\s*(?P<num>{NUM})\s*(?P<unit>%|‰)(?P<post>以上|以下|以内)?$")
# "年均6.6%的增速", "年均地区生产总值增长率目标为6%"
_ANNUAL_WORDS = re.compile(
    rf"^年均(?:[^\d]{{0,20}}?(?P<w1>增长率|增速|增幅|下降率|降幅)(?:目标)?(?:为|达到)?\s*(?P<n1>{NUM})\s*%"
    rf"|\s*(?P<n2>{NUM})\s*%的?(?P<w2>增速|增长|增幅|降幅|下降))$"
)


# "平均每年4%" (which way: the table says), "20%降幅", "580万套的目标任务"
_PER_YEAR = re.compile(rf"^(?:平均)?每年\s*(?P<num>{NUM})\s*%$")
_FALL_RISE = re.compile(rf"^(?P<num>{NUM})\s*%的?(?P<word>降幅|减幅|增幅|涨幅)$")
_GOAL_AMOUNT = re.compile(rf"^(?:\d{{4}}年)?(?P<num>{NUM})\s*(?P<unit>[^\d\s的]{{0,4}})的?(?:目标任务|目标|任务)$")


def _share(text, raw):
    m = _PER_YEAR.match(text)
    if m:
        return Target(ANNUAL_RATE, raw, value=Decimal(m.group("num")), unit="%")
    m = _FALL_RISE.match(text)
    if m:
        change = "decrease" if m.group("word") in ("降幅", "减幅") else "increase"
        return Target(RELATIVE_CHANGE, raw, value=Decimal(m.group("num")), unit="%", change=change)
    m = _GOAL_AMOUNT.match(text)
    if m:
        return Target(THRESHOLD, raw, value=Decimal(m.group("num")), unit=m.group("unit") or None)
    m = _SHARE.match(text)
    if m:
        return Target(THRESHOLD, raw, op=_POST_OP.get(m.group("post") or ""), value=Decimal(m.group("num")), unit=m.group("unit"))
    m = _ANNUAL_WORDS.match(text)
    if m:
        word = m.group("w1") or m.group("w2")
        change = "decrease" if "降" in word else "increase"
        return Target(ANNUAL_RATE, raw, value=Decimal(m.group("n1") or m.group("n2")), unit="%", change=change)
    return None


_NUM_WORDS = {"一半": "50", "三分之一": "33.3", "四分之一": "25", "一成": "10", "两成": "20", "三成": "30"}
# "下降15%为良好", "下降13%才能达到“及格线”": a grade's threshold in an assessment scale.
_GRADE = re.compile(r"^(?P<body>.+?)(?:即为|为|才能达到|可达|方为)[“\"]?(?:优秀|良好|合格|及格|达标)线?[”\"]?$")
# "以2017年渍水点数量为基值，渍水点数量消减50%": the base year said first.
_BASE_FIRST = re.compile(r"^以(?P<base>\d{4})年[^,，；;]{0,24}?为基(?:值|数|准|期|础)[,，]?(?P<rest>.+)$")
# "高于全市平均水平1.5个百分点": a margin over a reference level.
_MARGIN = re.compile(rf"^(?P<dir>高于|低于|超过|超出|优于)[^\d,，；;]{{1,16}}?(?P<num>{NUM})\s*个百分点(?P<post>以上)?$")
# "推动50个左右美丽城市建设取得标志性成果", "完成500个村庄的环境综合整治工作": a count of things;
# "至少拥有1个40公顷以上科普植物园", "建立不少于3处…示范地每处不少于2公顷": and each one's size.
_AREA = r"公顷|万亩|亩|平方米|万平方米|平方公里"
_COUNT = re.compile(
    rf"^(?:力争)?(?P<verb>完成|建成|建设|创建|新建|建立|实施|治理|打造|培育|推动|推进|拥有|新增|至少拥有)?"
    rf"(?P<pre>不少于|至少|超过)?\s*(?P<num>{NUM})\s*(?P<unit>个|家|座|处|项|所|条|万亩|亩|公顷)(?P<post>以上|左右)?"
    rf"(?:(?P<size>{NUM})\s*(?:{_AREA})(?:以上)?的?)?(?![\d、和])[\u4e00-\u9fff“”\"]{{2,}}?"
    rf"(?:[,，]?(?:面积|每处|每个)+(?:不少于|不低于|至少|达到)(?P<each>{NUM})\s*(?:{_AREA})(?:以上)?)?$"
)
# "每年以2000亿元以上的幅度在增加": a yearly amount of change.
_YEARLY_AMOUNT = re.compile(
    rf"^(?:平均)?每年以\s*(?P<num>{NUM})\s*(?P<unit>[^\d\s]{{0,4}}?)(?P<post>以上|以内|左右)?的?(?:幅度|速度|速率)在?(?P<dir>{_CHANGE})$"
)
# "均超额完成10%的减排任务": a change given as the task's size.
_TASK_SIZE = re.compile(
    rf"^(?:均|全面|已|超额|提前)*完成(?:了)?\s*(?P<num>{NUM})\s*%的?(?P<dir>{_CHANGE})(?:目标)?(?:任务|目标)$"
)
# "在完成“十一五”目标的基础上，力争再削减20万吨以上": the superior's target, then more.
_ON_TOP = re.compile(r"^在(?:完成|实现|巩固)(?P<what>[^,，；;]+?)的?基础上[,，]?(?P<rest>.+)$")
# "居全市第一", "全省国控断面水质以Ⅱ类为主": a standing, done or not.
_STANDING = re.compile(r"^(?:位)?居[^\d,，；;]{0,8}(?:第一|首位|前列|前\d+位?)$|^[^\d,，；;]*以[^\d,，；;]{1,8}为主$")


# "水质不低于上游地区来水水质", "出境断面水质好于入境断面": held against a reference, not a number.
_AGAINST_REFERENCE = re.compile(
    r"^(?P<measure>[^\d，,；;]*?)(?P<word>不低于|不劣于|不差于|好于|优于)(?![^\d，,；;]*(?:III|II|IV|I|V|[ⅠⅡⅢⅣⅤ])\s*类)[^\d，,；;%]{2,}(?<!目标|要求|标准)$"
)  # (against a target or a standard: a statement the row judge reads)
# "防止雾霾天气发生", "全区不发生重度及以上污染天": what must not happen at all.
_PREVENT = re.compile(
    r"^(?:防止|杜绝|避免)(?P<what>[^\d，,；;]+?)(?:的)?发生$|^[^\d，,；;]{0,4}?(?:不发生|杜绝)(?P<what2>[^\d，,；;]{2,})$"
)
# "达到功能区标准", "符合排放标准": a standard met.
_STANDARD_MET = re.compile(r"^(?:必须|稳定|全面|确保)?(?:达到|符合|满足)[^\d，,；;]{0,12}?(?:标准|规范)(?:要求)?$")


def _phrasing(text, raw):
    """Phrasings that say a known kind in other words."""
    m = _GRADE.match(text)
    if m:
        inner = _parse_single(m.group("body"), raw)
        return inner if inner is not None and inner.kind != UNPARSED else None
    m = _BASE_FIRST.match(text)
    if m:
        inner = _parse_single(m.group("rest"), raw) or _labelled(m.group("rest"), raw)
        if inner is not None and inner.kind in (RELATIVE_CHANGE, YOY_CHANGE):
            return _with(inner, kind=RELATIVE_CHANGE, base_year=int(m.group("base")))
        return None
    for word, number in _NUM_WORDS.items():
        if text.endswith(word) and re.search(rf"(?:{_CHANGE}){word}$", text):
            inner = _relative_change(text.removesuffix(word) + number + "%", raw)
            if inner is not None:
                return inner
    m = _MARGIN.match(text)
    if m:
        change = "decrease" if m.group("dir") == "低于" else "increase"
        op = GE if m.group("post") else None
        return Target(RELATIVE_CHANGE, raw, op=op, value=Decimal(m.group("num")), unit="个百分点", change=change)
    m = _COUNT.match(text)
    if m and (m.group("verb") or m.group("post") or m.group("pre")):  # "6项常规污染物全面稳定达到…": a subject
        kind = ABOUT if m.group("post") == "左右" else THRESHOLD
        at_least = m.group("post") == "以上" or m.group("pre") is not None
        count = Target(kind, raw, op=GE if at_least else None, value=Decimal(m.group("num")), unit=m.group("unit"))
        size = m.group("size") or m.group("each")
        if size is None:
            return count
        return Target(COMPOUND, raw, parts=(count, Target(THRESHOLD, raw, op=GE, value=Decimal(size))), join="and")
    m = _YEARLY_AMOUNT.match(text)
    if m:
        op = _POST_OP.get(m.group("post") or "")
        change = _CHANGE_WORDS[m.group("dir")]
        return Target(ANNUAL_RATE, raw, op=op, value=Decimal(m.group("num")), unit=m.group("unit") or None, change=change)
    m = _TASK_SIZE.match(text)
    if m:
        return Target(RELATIVE_CHANGE, raw, value=Decimal(m.group("num")), unit="%", change=_CHANGE_WORDS[m.group("dir")])
    m = _ON_TOP.match(text)
    if m:
        rest = m.group("rest")
        more = _parse_single(rest, rest) or _labelled(rest, rest)
        if more is not None and more.kind != UNPARSED:
            return Target(COMPOUND, raw, parts=(Target(ASSIGNED, m.group("what"), superior="上级"), more), join="and")
        return None
    if _STANDING.match(text):
        return Target(QUALITATIVE, raw, status="done")
    m = _AGAINST_REFERENCE.match(text)
    if m:
        trend = "improve" if m.group("word") in ("好于", "优于") else "no_decrease"
        return Target(TREND, raw, trend=trend, measure=m.group("measure") or None)
    m = _PREVENT.match(text)
    if m:
        return Target(
            ELIMINATE, raw, op=LE, value=Decimal(0), measure=(m.group("what") or m.group("what2") or "").strip() or None
        )
    if _STANDARD_MET.match(text):
        return Target(QUALITATIVE, raw, status="done", qualifier="statement")
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
        part = _parse_single(piece, piece) or (_labelled(piece, piece) if len(pieces) <= 3 else None)
        if part is None or part.kind == UNPARSED:
            return None
        if part.kind == THRESHOLD and not (part.unit or part.measure or part.op or part.qualifier):
            return None  # "12,5" is a typo'd number, not two measures
        parts.append(part)
    if _several_subjects(parts) and not any(p.startswith(("力争", "争取")) for p in pieces[1:]):
        # "达到83.3%以上，力争到85%": a stretch goal for the same indicator is a second condition.
        return Target(MULTIPLE, raw, parts=tuple(parts))
    return Target(COMPOUND, raw, parts=tuple(parts))


def _several_subjects(parts):
    """Clauses giving values of one kind, each for a subject of its own ("二氧化硫减排31.9%，氮氧化物
    减排30.9%"; "比2010年降低17%，比2005年降低35.3%"; "…470.87平方公里，占…6.23%"): one value per
    sub-indicator, not two conditions on one."""
    if (
        len({p.kind for p in parts}) != 1
        or parts[0].kind not in (THRESHOLD, RELATIVE_CHANGE, ABOUT)
        or parts[0].unit == CLASS_UNIT
    ):
        return False
    if any(p.value is None for p in parts):
        return False
    subjects = {(p.measure, p.base_year, p.unit) for p in parts}
    return len(subjects) == len(parts) and len({p.measure for p in parts}) in (1, len(parts))
