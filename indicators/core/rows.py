"""Judging one printed row of an evaluation table: a target and what was achieved. Plain Python.

Completion reviews and evaluations print, per indicator, a target and an achieved figure; the portal
judges such a row and must never say the opposite of the evidence. So it judges only when the
evidence is plain: which way is better comes from explicit signals (the target's wording, the
column headings, the indicator's name, the sign of a printed rate), and when they say
nothing or disagree it declines with the reason (无法判断：方向不明确), as it does when a cell is not a
number it can compare.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from indicators.core import directions
from indicators.core import targets as grammar
from indicators.core.attainment import ABOUT_TOLERANCE
from indicators.core.targets import GE, GT, HIGHER, LE, LOWER, LT

MET, NOT_MET, NOT_ASSESSABLE = "met", "not_met", "not_assessable"
CHANGES = (grammar.RELATIVE_CHANGE, grammar.YOY_CHANGE, grammar.ANNUAL_RATE)


@dataclass(frozen=True)
class RowJudgement:
    status: str  # met / not_met / not_assessable
    reason: str = ""  # why not assessable, or how it was judged
    shortfall: Decimal | None = None  # not met: by what share of the target it fell short
    # Not met yet, but measured part-way through the plan period: whether the share of the target
    # done keeps pace with the share of the period gone (序时进度). None when the row does not say.
    on_schedule: bool | None = None


def judge_row(
    *,
    indicator: str,
    baseline: str,
    target: str,
    achieved: str,
    target_heading: str = "",
    achieved_heading: str = "",
) -> RowJudgement:
    judgement = _judge_row(indicator, baseline, target, achieved, target_heading, achieved_heading)
    if judgement.status != NOT_MET or judgement.shortfall is None:
        return judgement
    where = grammar.normalize(f"{target_heading} {achieved_heading} {indicator}")
    elapsed = elapsed_share(grammar.normalize(f"{achieved_heading} {indicator}"))
    cumulative = "累计" in grammar.normalize(f"{achieved} {achieved_heading} {indicator}") or judgement.reason.startswith("变化")
    if elapsed is None or not cumulative or not re.search(r"十[一二三四五六]五|规划期|五年", where):
        return judgement
    done = 1 - judgement.shortfall
    return RowJudgement(
        NOT_MET, f"{judgement.reason}；完成目标的{done:.0%}，规划期已过{elapsed:.0%}", judgement.shortfall, done >= elapsed
    )


_NUMERALS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4}
_PLAN_YEARS = Decimal(5)


def elapsed_share(text: str) -> Decimal | None:
    """How much of a five-year plan period a figure covers, from its heading: "“十二五”前四年" (4 of
    5 years), "2016年至2018年上半年累计" (2½ of 5); None when the heading does not say."""
    m = re.search(r"前([一二两三四1-4])年", text)
    if m:
        years = _NUMERALS.get(m.group(1)) or int(m.group(1))
        return Decimal(years) / _PLAN_YEARS
    m = re.search(r"(\d{4})年?(?:至|到|—|-|~)(\d{4})年(上半年)?", text)
    if m:
        years = Decimal(int(m.group(2)) - int(m.group(1)) + 1) - (Decimal("0.5") if m.group(3) else 0)
        if 0 < years < _PLAN_YEARS:
            return years / _PLAN_YEARS
    return None


def _judge_row(indicator, baseline, target, achieved, target_heading, achieved_heading):
    name = grammar.normalize(indicator or "")
    t = grammar.parse(target, heading=f"{target_heading} {name}")
    a = grammar.parse(achieved, heading=f"{achieved_heading} {name}")
    if t.kind == grammar.DEADLINE and t.parts:
        t = t.parts[0]
    if a.kind == grammar.DEADLINE and a.parts:
        a = a.parts[0]
    if a.kind in (grammar.UNPARSED, grammar.QUALITATIVE):
        against = _judge_against(a, name)
        if against is not None:
            return against
    if t.kind in (grammar.UNPARSED, grammar.EMPTY) or a.kind in (grammar.UNPARSED, grammar.EMPTY):
        return RowJudgement(NOT_ASSESSABLE, "目标或实际值无法读取")
    if t.kind == grammar.ASSIGNED:
        return RowJudgement(NOT_ASSESSABLE, "目标为上级下达，需下达数值")
    if t.kind in (grammar.QUALITATIVE, grammar.ELIMINATE, grammar.NO_EVENT, grammar.TREND) and a.value is None:
        return _judge_words(t, a)
    if a.kind == grammar.COMPOUND and a.join != "or":
        # "106微克/立方米，与考核基准年相比下降16.5%": take the part that is the same kind of figure.
        same = [p for p in a.parts if (p.kind in CHANGES) == (t.kind in CHANGES)]
        if len(same) == 1:
            a = same[0]
    if a.kind == grammar.MULTIPLE:
        # "分别增长10.8%、10.4%" against one target: each must meet it.
        verdicts = [_judge_pair(t, part, name, target_heading, achieved_heading) for part in a.parts]
        if any(v.status == NOT_ASSESSABLE for v in verdicts):
            return next(v for v in verdicts if v.status == NOT_ASSESSABLE)
        return RowJudgement(NOT_MET if any(v.status == NOT_MET for v in verdicts) else MET, "各分项分别判断")
    return _judge_pair(t, a, name, target_heading, achieved_heading)


# "实际浓度高于目标浓度": an achieved cell that only says how it stands against the target.
_AGAINST = re.compile(r"(?P<word>高于|超过|超出|低于|优于|劣于|好于|差于)(?:了)?(?:目标|考核目标|预期目标|要求)")


def _judge_against(a, name):
    m = _AGAINST.search(grammar.normalize(a.raw))
    if not m:
        return None
    word = m.group("word")
    if word in ("优于", "好于"):
        return RowJudgement(MET, f"实际“{a.raw}”")
    if word in ("劣于", "差于"):
        return RowJudgement(NOT_MET, f"实际“{a.raw}”")
    direction, why = _direction(name)
    if direction is None:
        return RowJudgement(NOT_ASSESSABLE, f"方向不明确：{why}")
    above = word in ("高于", "超过", "超出")
    return RowJudgement(MET if above == (direction == HIGHER) else NOT_MET, f"实际“{a.raw}”")


def _judge_pair(t, a, name, target_heading, achieved_heading):
    if a.kind in CHANGES and t.kind in CHANGES and t.change is None:
        t = grammar.Target(t.kind, t.raw, op=t.op, value=t.value, change=a.change)  # "平均每年4%" beside "下降3.27%"
    if a.kind in CHANGES and t.kind in (grammar.THRESHOLD, grammar.ABOUT) and t.value is not None and _bare(t):
        # A bare target beside a printed change ("-3.50" beside "实际下降 -3.94", "1.5%左右" beside
        # "下降了2%"): the same kind of figure, a change too ("左右" keeps its tolerance).
        low = abs(t.value) * (1 - ABOUT_TOLERANCE) if t.kind == grammar.ABOUT else abs(t.value)
        t = grammar.Target(grammar.RELATIVE_CHANGE, t.raw, value=low, change=a.change)
    if t.kind in CHANGES and t.qualifier == "about" and t.value is not None:
        t = grammar.Target(t.kind, t.raw, value=t.value * (1 - ABOUT_TOLERANCE), change=t.change)
    if t.kind in CHANGES or (t.kind == grammar.RANGE and _change_heading(target_heading, name)):
        return _judge_change(t, a, name, target_heading, achieved_heading)
    if a.kind in CHANGES:
        return RowJudgement(NOT_ASSESSABLE, "目标为水平值，实际为变化幅度，无法比较")
    return _judge_level(t, a, name)


def _change_heading(heading, name):
    return grammar.heading_change(f"{heading} {name}")


# --- changes: "下降15%" against "下降26.77%" -------------------------------------------------------


def _judge_change(t, a, name, target_heading, achieved_heading):
    wanted = t.change or _change_heading(target_heading, name)
    if wanted is None:
        return RowJudgement(NOT_ASSESSABLE, "方向不明确：目标未说明升降")
    low = _required_change(t)
    if low is None:
        return RowJudgement(NOT_ASSESSABLE, "目标变化幅度无法读取")
    got = _achieved_change(a, achieved_heading, name, wanted)
    if got is None:
        return RowJudgement(NOT_ASSESSABLE, "方向不明确：实际变化的升降无法确定")
    if _signed(t) != _signed(a) and _bare(t) and _bare(a):
        # "-4.52" against "3.5" in a 降低率 table: the sign may mean a rise, or only repeat the fall.
        if got < low:
            return RowJudgement(NOT_MET, f"变化{got}，无论正负号如何理解都未达到目标{low}")
        return RowJudgement(NOT_ASSESSABLE, "方向不明确：目标与实际的正负号不一致")
    if got >= low:
        return RowJudgement(MET, f"变化{got}，目标{low}")
    return RowJudgement(NOT_MET, f"变化{got}，未达到目标{low}", _shortfall(got, low))


def _shortfall(got, goal):
    return abs(goal - got) / abs(goal) if goal else None


def _signed(target):
    return grammar.normalize(target.raw).startswith("-")


def _bare(target):
    """A number printed without words (its way comes from the heading)."""
    return bool(re.fullmatch(r"[-+]?\d+(?:\.\d+)?\s*%?(?:左右)?", grammar.normalize(target.raw)))


def _required_change(t):
    """The required change, as an amount in the wanted direction (a range: its smaller end)."""
    if t.kind == grammar.RANGE:
        return min(abs(t.value), abs(t.high))
    return abs(t.value) if t.value is not None else None


def _achieved_change(a, heading, name, wanted):
    """How far the figure moved in the wanted direction; negative when it moved the other way.

    A signed number printed under a heading that names the change ("降低率(%)": -4.52) is read with
    the table's sign convention: when the target column prints the same sign the magnitude counts;
    a sign the other way is a move the other way only where the words say so.
    """
    if a.kind in CHANGES and a.value is not None:
        if a.change is None or a.change == wanted:
            return abs(a.value)
        return -abs(a.value)  # "增加了27.8%" against "削减10%"
    if a.kind == grammar.THRESHOLD and a.value is not None:
        said = grammar.heading_change(f"{heading} {name}")
        if said is None:
            return None
        if said != wanted:
            return -abs(a.value)
        return abs(a.value)
    return None


# --- levels: "≥85" against "91.0" -----------------------------------------------------------------


def _judge_level(t, a, name):
    if a.value is None:
        return _judge_words(t, a)
    # A water quality class says its own way (smaller is better); otherwise the name must say it.
    direction, why = (t.direction, "水质类别越小越好") if t.unit == grammar.CLASS_UNIT else _direction(name)
    value = a.value
    if t.kind == grammar.RANGE:
        if t.value <= value <= t.high:
            return RowJudgement(MET, "在目标区间内")
        if direction is None:
            return RowJudgement(NOT_ASSESSABLE, f"方向不明确：{why}")
        better = value > t.high if direction == HIGHER else value < t.value
        return RowJudgement(MET if better else NOT_MET, "目标区间外")
    if t.value is None:
        return RowJudgement(NOT_ASSESSABLE, "目标无数值")
    goal = t.value
    if t.kind == grammar.ABOUT:
        if abs(value - goal) <= abs(goal) * ABOUT_TOLERANCE:
            return RowJudgement(MET, "在“左右”的容差内")
        if direction is None:
            return RowJudgement(NOT_ASSESSABLE, f"方向不明确：{why}")
        better = value > goal if direction == HIGHER else value < goal
        return RowJudgement(MET if better else NOT_MET, "超出“左右”的容差")
    op = t.op if t.kind == grammar.THRESHOLD else LE if t.kind in (grammar.ELIMINATE, grammar.NO_EVENT) else None
    if op is None or op == grammar.EQ:
        if value == goal:
            return RowJudgement(MET, "等于目标")
        if direction is None:
            return RowJudgement(NOT_ASSESSABLE, f"方向不明确：{why}")
        op = GE if direction == HIGHER else LE
    elif direction is not None and (op in (GE, GT)) != (direction == HIGHER):
        return RowJudgement(NOT_ASSESSABLE, f"方向不明确：目标“{t.raw}”与{why}不一致")
    ok = {GE: value >= goal, GT: value > goal, LE: value <= goal, LT: value < goal}[op]
    if ok:
        return RowJudgement(MET, f"实际{value}，目标{t.raw}")
    return RowJudgement(NOT_MET, f"实际{value}，目标{t.raw}", _shortfall(value, goal))


def _direction(name):
    """Which way is better from the indicator's name; None with the reason when it does not say."""
    direction, reason = directions.decide(name, [])
    if direction in (HIGHER, LOWER):
        return direction, reason
    return None, "指标名称未说明越高越好还是越低越好"


# --- words: "基本消除" against "已消除" -------------------------------------------------------------


def _judge_words(t, a):
    done = a.status if a.kind == grammar.QUALITATIVE else None
    if a.kind == grammar.ELIMINATE:
        done = "done" if t.kind == grammar.ELIMINATE else None
    if a.kind == grammar.NO_EVENT:
        done = "done" if t.kind == grammar.NO_EVENT else None
    if a.kind == grammar.TREND and t.kind == grammar.TREND and a.trend == t.trend:
        done = "done"
    if done == "done":
        return RowJudgement(MET, f"实际“{a.raw}”")
    if done == "not_done":
        return RowJudgement(NOT_MET, f"实际“{a.raw}”")
    return RowJudgement(NOT_ASSESSABLE, "实际为文字，无法与目标比较")
