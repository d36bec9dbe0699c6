"""The attainment engine: an indicator's targets, baseline and values -> a status per year, and why.

Plain Python, no Django. The statuses and their rules are the ones Chinese plan evaluations use:
a target for the year is met or not; a later target is judged by the time-elapsed rule
(完成进度 against 时序进度), with a least-squares trend projection beside it; targets assigned by
the superior body wait for the number a reviewer records. Every judgement carries a one-sentence
explanation in Chinese that names the numbers, so an official can check it by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from indicators.core import targets as grammar
from indicators.core.messages import Message, gettext_noop, joined
from indicators.core.targets import GE, GT, HIGHER, LE, LOWER, LT, Target

ENGINE_VERSION = 1

from indicators.core.vocabulary import (  # noqa: E402  (the engine's statuses are the vocabulary's)
    LAGGING,
    MET,
    NO_DATA,
    NOT_ASSESSABLE,
    NOT_MET,
    ON_TRACK,
    PENDING_ASSIGNMENT,
    STATUS_LABELS,
)

# When one cell holds several conditions, the worst part decides.
_SEVERITY = [NOT_MET, LAGGING, PENDING_ASSIGNMENT, NO_DATA, NOT_ASSESSABLE, ON_TRACK, MET]

# Growth-rate method (Eurostat / Open SDG): ratio R of actual to required growth.
GROWTH_CLASSES = [
    (Decimal("0.95"), gettext_noop("显著进展")),
    (Decimal("0.60"), gettext_noop("中等进展")),
    (Decimal("0"), gettext_noop("进展有限")),
]
REGRESSION = gettext_noop("倒退")
# "保持稳定": a change within this share of the reference value counts as stable.
STABLE_TOLERANCE = Decimal("0.05")


@dataclass(frozen=True)
class Observation:
    """A value as printed or entered for one year."""

    year: int
    raw: str
    parsed: Target

    @classmethod
    def of(cls, year, raw, number=None):
        """`number`: the number stored with an entered figure, which is the one judged."""
        parsed = grammar.parse(raw)
        if number is not None and (parsed.kind != grammar.THRESHOLD or parsed.value != number):
            parsed = Target(kind=grammar.THRESHOLD, raw=raw, value=Decimal(number))
        return cls(year, raw, parsed)

    @property
    def number(self):
        return self.parsed.value if self.parsed.kind == grammar.THRESHOLD else None

    @property
    def reported_done(self):
        """True / False where the value is a status word (完成, 未发生, 基本消除 ...), else None."""
        kind = self.parsed.kind
        if kind in (grammar.NO_EVENT, grammar.ELIMINATE):
            return True
        if kind == grammar.QUALITATIVE:
            return self.parsed.status == "done"
        return None


@dataclass
class IndicatorInput:
    name: str
    unit: str
    direction: str  # higher / lower / qualitative / "" (unknown)
    baseline_year: int
    period_start: int
    period_end: int
    targets: dict  # year -> Target
    values: dict  # year -> Observation
    assigned: dict = field(default_factory=dict)  # year -> Decimal recorded by a reviewer
    as_of_year: int = 9999  # reports for this year and later are not due yet
    reporting: bool = True  # False: a completion review printed in a later document, no entry
    # Targets revised by a later document (中期调整): (effective_from, the targets as they stood
    # before that revision), oldest first. A year before effective_from is judged against those.
    revisions: tuple = ()


def targets_in_force(inp: IndicatorInput, year: int) -> dict:
    """The targets a year is judged against: those in force then, before any later revision."""
    for effective_from, before in inp.revisions:
        if year < effective_from:
            return before
    return inp.targets


@dataclass(frozen=True)
class Judgement:
    year: int
    status: str
    method: str
    explanation: str
    details: dict = field(default_factory=dict)

    @property
    def label(self):
        return STATUS_LABELS[self.status]


def judge(inp: IndicatorInput) -> list[Judgement]:
    """Judge every year that is due (or has a value) within the plan period."""
    if not inp.revisions:
        return [judge_year(inp, year) for year in years_to_judge(inp)]
    return [judge_year(replace(inp, targets=targets_in_force(inp, year)), year) for year in years_to_judge(inp)]


def years_to_judge(inp: IndicatorInput) -> list[int]:
    years = {y for y in inp.values if inp.period_start <= y <= inp.period_end}
    if inp.reporting:
        years |= {y for y in range(inp.period_start, inp.period_end + 1) if y < inp.as_of_year}
    else:
        # A completion review is judged where it prints something, and always at its final year.
        years |= {y for y in inp.targets if inp.period_start <= y <= inp.period_end}
        years.add(inp.period_end)
    return sorted(years)


# A quantity counted over the plan period ("累计造林面积", "重点工程减排量", "新增…") starts from zero
# at the baseline: its name says so, and its baseline column is usually empty.
CUMULATIVE_WORDS = ("累计", "减排量", "削减量", "新增")


def baseline(inp: IndicatorInput) -> tuple[int | None, Decimal | None]:
    """The numeric value at the baseline year, else the latest numeric value printed before it;
    zero at the baseline year for a quantity counted over the period (CUMULATIVE_WORDS)."""
    earlier = [(y, o) for y, o in inp.values.items() if y <= inp.baseline_year and o.number is not None]
    if not earlier:
        if any(word in inp.name for word in CUMULATIVE_WORDS):
            return inp.baseline_year, Decimal(0)
        return None, None
    year, obs = max(earlier, key=lambda item: item[0])
    return year, obs.number


def judge_year(inp: IndicatorInput, year: int) -> Judgement:
    obs = inp.values.get(year)
    target_year, target = _target_for(inp, year)
    context = {"year": year, "value": obs.raw if obs else None}
    if target is not None:
        context.update(target=target.raw, target_year=target_year)
    if obs is None:
        if not inp.reporting:
            return Judgement(
                year,
                NOT_ASSESSABLE,
                "no_value",
                Message(gettext_noop("文件未给出{year}年完成值，无法判断（完成情况表未印该值，无人可补录）。"), year=year),
                context,
            )
        return Judgement(year, NO_DATA, "missing_report", Message(gettext_noop("{year}年未填报数值。"), year=year), context)
    if target is None:
        done = obs.reported_done
        if done is not None:
            status = MET if done else NOT_MET
            return Judgement(
                year,
                status,
                "reported_status",
                Message(gettext_noop("无单列目标，指标本身即任务；{year}年填报“{value}”。"), year=year, value=obs.raw),
                context,
            )
        return Judgement(
            year,
            NOT_ASSESSABLE,
            "no_target",
            Message(gettext_noop("{year}年无可对照的目标，无法判断；请管理员核对规划目标。"), year=year),
            context,
        )
    progress = target_year > year and year < inp.period_end
    result = _judge_target(inp, year, obs, target, target_year, progress)
    status, method, explanation, details = result
    return Judgement(year, status, method, explanation, {**context, **details})


def _target_for(inp, year):
    if year in inp.targets:
        return year, inp.targets[year]
    later = [y for y in inp.targets if y > year]
    if later:
        return min(later), inp.targets[min(later)]
    earlier = [y for y in inp.targets if y < year]
    if earlier:
        return max(earlier), inp.targets[max(earlier)]
    return None, None


def _judge_target(inp, year, obs, target, target_year, progress):
    kind = target.kind
    if kind == grammar.COMPOUND:
        return _judge_compound(inp, year, obs, target, target_year, progress)
    if obs.parsed.kind == grammar.ASSIGNED:
        # The value itself says "达到兵团下达指标": acceptable only against an assigned target.
        if kind == grammar.ASSIGNED:
            return (
                MET,
                "reported_status",
                Message(
                    gettext_noop("{year}年填报“{value}”，与目标“{target}”一致，视为达标。"),
                    year=year,
                    value=obs.raw,
                    target=target.raw,
                ),
                {},
            )
        return (
            NOT_ASSESSABLE,
            "value_without_number",
            Message(
                gettext_noop("{year}年填报“{value}”，未给出数值，无法与目标“{target}”比较；请填报员填写数值。"),
                year=year,
                value=obs.raw,
                target=target.raw,
            ),
            {},
        )
    if obs.raw == target.raw and kind not in (grammar.THRESHOLD, grammar.RELATIVE_CHANGE):
        return MET, "restated", Message(gettext_noop("{year}年填报“{value}”，与目标表述一致。"), year=year, value=obs.raw), {}
    if kind == grammar.ASSIGNED:
        return _judge_assigned(inp, year, obs, target, target_year, progress)
    if kind == grammar.NO_EVENT:
        return _judge_no_event(year, obs, target)
    if kind == grammar.QUALITATIVE:
        return _judge_qualitative(year, obs, target, target_year, progress)
    if kind == grammar.TREND:
        return _judge_trend(inp, year, obs, target)
    if kind == grammar.RELATIVE_CHANGE:
        return _judge_relative(inp, year, obs, target, target_year, progress)
    if kind == grammar.ELIMINATE:
        done = obs.reported_done
        if done is not None and obs.number is None:
            return _reported_status(year, obs, target, done)
        return _judge_numeric(inp, year, obs, target, Decimal(0), LE, target_year, progress)
    if kind == grammar.THRESHOLD:
        return _judge_numeric(inp, year, obs, target, target.value, target.op, target_year, progress)
    if kind == grammar.CHANGE_BOUND:
        return _judge_change_bound(inp, year, obs, target)
    if kind == grammar.DEADLINE and target.parts:
        # "于2017年底前基本消除…": what must hold, judged with the deadline as its target year.
        deadline = target.year or target_year
        return _judge_target(inp, year, obs, target.parts[0], deadline, year < deadline and year < inp.period_end)
    if kind == grammar.ABOUT:
        return _judge_about(inp, year, obs, target, target_year, progress)
    if kind == grammar.RANGE:
        return _judge_range(inp, year, obs, target, target_year, progress)
    if kind == grammar.YOY_CHANGE:
        return _judge_year_on_year(inp, year, obs, target)
    if kind == grammar.ANNUAL_RATE:
        return _judge_annual_rate(inp, year, obs, target)
    if kind == grammar.MULTIPLE:
        return (
            NOT_ASSESSABLE,
            "several_values",
            Message(
                gettext_noop("目标“{target}”含{count}个分项的数值，请管理员将该指标拆分为分项指标后再判断。"),
                target=target.raw,
                count=len(target.parts),
            ),
            {},
        )
    if kind == grammar.EMPTY:
        return (
            NOT_ASSESSABLE,
            "no_target",
            Message(gettext_noop("{year}年目标栏为空，无可对照的目标；请管理员核对规划目标。"), year=year),
            {},
        )
    return (
        NOT_ASSESSABLE,
        "unparsed_target",
        Message(gettext_noop("目标“{target}”无法解析，无法判断；请管理员核对目标原文。"), target=target.raw),
        {},
    )


def _reported_status(year, obs, target, done):
    """Judged by the status the value reports (已消除, 未发生 …) where no number compares."""
    explanation = Message(gettext_noop("{year}年填报“{value}”，目标“{target}”。"), year=year, value=obs.raw, target=target.raw)
    return (MET if done else NOT_MET), "reported_status", explanation, {}


ABOUT_TOLERANCE = Decimal("0.05")  # "60左右": met within 5% of 60, and anywhere on the better side


def _judge_about(inp, year, obs, target, target_year, progress):
    goal = target.value
    if obs.number is not None and not progress and abs(obs.number - goal) <= abs(goal) * ABOUT_TOLERANCE:
        return (
            MET,
            "about",
            Message(
                gettext_noop("{year}年实际值 {n}，在目标“{target}”的±5%以内。"),
                year=year,
                n=_fmt_value(obs, target.unit or inp.unit or ""),
                target=target.raw,
            ),
            {"goal": _num(goal), "tolerance": _num(ABOUT_TOLERANCE)},
        )
    return _judge_numeric(inp, year, obs, target, goal, None, target_year, progress)


def _judge_range(inp, year, obs, target, target_year, progress):
    if obs.number is not None and target.value <= obs.number <= target.high:
        return (
            MET,
            "range",
            Message(
                gettext_noop("{year}年实际值 {n}，在目标区间“{target}”内。"),
                year=year,
                n=_fmt_value(obs, target.unit or inp.unit or ""),
                target=target.raw,
            ),
            {},
        )
    if inp.direction not in (HIGHER, LOWER):
        return (
            NOT_ASSESSABLE,
            "direction_unknown",
            Message(
                gettext_noop(
                    "{year}年实际值不在目标区间“{target}”内，且指标方向未确定（方向不明确），请审核员在指标上设定方向。"
                ),
                year=year,
                target=target.raw,
            ),
            {},
        )
    goal = target.value if inp.direction == HIGHER else target.high
    return _judge_numeric(inp, year, obs, target, goal, GE if inp.direction == HIGHER else LE, target_year, progress)


def _judge_annual_rate(inp, year, obs, target):
    base_year, base = baseline(inp)
    if obs.number is None or base is None or base <= 0 or obs.number <= 0 or year <= base_year:
        missing = (
            Message(gettext_noop("{baseline_year}年基准值"), baseline_year=inp.baseline_year)
            if base is None
            else Message(gettext_noop("{year}年数值"), year=year)
        )
        return (
            NOT_ASSESSABLE,
            "no_baseline",
            Message(
                gettext_noop("目标“{target}”是年均变化率，缺少{missing}，无法计算；请填报员补录。"),
                target=target.raw,
                missing=missing,
            ),
            {},
        )
    rate = (float(obs.number) / float(base)) ** (1 / (year - base_year)) - 1
    achieved = Decimal(str(round(rate * 100, 4)))
    if target.change == "decrease":
        achieved = -achieved
    op = target.op or GE
    met = _meets(achieved, target.value, op)
    word = Message(gettext_noop("下降")) if target.change == "decrease" else Message(gettext_noop("增长"))
    return (
        MET if met else NOT_MET,
        "annual_rate",
        Message(
            gettext_noop("{base_year}—{year}年年均{word} {n}%，{n2}目标“{target}”。"),
            base_year=base_year,
            year=year,
            word=word,
            n=_fmt(achieved),
            n2=_met_word(met),
            target=target.raw,
        ),
        {"achieved_rate": _num(achieved), "required_rate": _num(target.value)},
    )


def _judge_year_on_year(inp, year, obs, target):
    """ "同比下降5%": against the previous year's figure that counts (approved or submitted)."""
    op = target.op or GE
    if obs.parsed.kind in (grammar.YOY_CHANGE, grammar.RELATIVE_CHANGE) and obs.parsed.value is not None:
        achieved = obs.parsed.value if obs.parsed.change in (None, target.change) else -obs.parsed.value
        basis = Message(gettext_noop("{year}年填报“{value}”"), year=year, value=obs.raw)
    else:
        previous = inp.values.get(year - 1)
        if obs.number is None or previous is None or previous.number in (None, 0):
            missing = (
                Message(gettext_noop("{year}年数值"), year=year)
                if obs.number is None
                else Message(gettext_noop("{previous_year}年数值"), previous_year=year - 1)
            )
            return (
                NOT_ASSESSABLE,
                "no_reference",
                Message(
                    gettext_noop("目标“{target}”是同比变化，缺少{missing}，无法计算；请填报员补录。"),
                    target=target.raw,
                    missing=missing,
                ),
                {},
            )
        ratio = (obs.number - previous.number) / previous.number * 100
        achieved = -ratio if target.change == "decrease" else ratio
        basis = Message(
            gettext_noop("{year}年 {n} 较{previous_year}年 {n2} 变化 {n3}%"),
            year=year,
            n=_fmt(obs.number),
            previous_year=year - 1,
            n2=_fmt(previous.number),
            n3=_signed(round(ratio, 2)),
        )
    met = _meets(achieved, target.value, op)
    details = {"achieved_change": _num(achieved), "required_change": _num(target.value)}
    return (MET if met else NOT_MET), "year_on_year", _reached(basis, met, target), details


def _meets(achieved, required, op):
    """A change achieved against the one required, the way the target's comparator says."""
    return achieved >= required if op in (GE, GT) else achieved <= required


def _met_word(met):
    return Message(gettext_noop("达到")) if met else Message(gettext_noop("未达到"))


def _reached(basis, met, target):
    """ "{basis}，达到目标“…”。" or "…，未达到目标“…”。" """
    return Message(gettext_noop("{basis}，{n}目标“{target}”。"), basis=basis, n=_met_word(met), target=target.raw)


# --- numeric targets --------------------------------------------------------------------------


def _effective_op(op, direction):
    if op is not None:
        return op
    if direction == HIGHER:
        return GE
    if direction == LOWER:
        return LE
    return None


def satisfies(obs_target: Target, op: str, goal: Decimal) -> bool | None:
    """Does a (possibly bounded) value meet `op goal`? True / False / None when a bound leaves it open."""
    value = obs_target.value
    lo, lo_open, hi, hi_open = value, False, value, False
    if obs_target.op in (GE, GT):
        hi, hi_open, lo_open = None, False, obs_target.op == GT
    elif obs_target.op in (LE, LT):
        lo, lo_open, hi_open = None, False, obs_target.op == LT
    # The target's admissible set as an interval.
    t_lo, t_lo_open, t_hi, t_hi_open = {
        GE: (goal, False, None, False),
        GT: (goal, True, None, False),
        LE: (None, False, goal, False),
        LT: (None, False, goal, True),
        "eq": (goal, False, goal, False),
    }[op]
    inside = _above(lo, lo_open, t_lo, t_lo_open) and _below(hi, hi_open, t_hi, t_hi_open)
    if inside:
        return True
    disjoint = _disjoint(lo, lo_open, hi, hi_open, t_lo, t_lo_open, t_hi, t_hi_open)
    return False if disjoint else None


def _above(lo, lo_open, t_lo, t_lo_open):
    if t_lo is None:
        return True
    if lo is None:
        return False
    return lo > t_lo or (lo == t_lo and (lo_open or not t_lo_open))


def _below(hi, hi_open, t_hi, t_hi_open):
    if t_hi is None:
        return True
    if hi is None:
        return False
    return hi < t_hi or (hi == t_hi and (hi_open or not t_hi_open))


def _disjoint(lo, lo_open, hi, hi_open, t_lo, t_lo_open, t_hi, t_hi_open):
    if t_lo is not None and hi is not None:
        if hi < t_lo or (hi == t_lo and (hi_open or t_lo_open)):
            return True
    if t_hi is not None and lo is not None:
        if lo > t_hi or (lo == t_hi and (lo_open or t_hi_open)):
            return True
    return False


def _judge_numeric(inp, year, obs, target, goal, op, target_year, progress):
    unit = target.unit or inp.unit or ""
    if obs.number is None:
        done = obs.reported_done
        if done is not None:
            status = MET if done else NOT_MET
            if progress and not done:
                return (
                    NOT_ASSESSABLE,
                    "reported_status",
                    Message(
                        gettext_noop(
                            "{year}年填报“{value}”，未给出数值，无法按时序进度与{target_year}年目标“{target}”比较；请填报员填写数值。"
                        ),
                        year=year,
                        value=obs.raw,
                        target_year=target_year,
                        target=target.raw,
                    ),
                    {},
                )
            return (
                status,
                "reported_status",
                Message(gettext_noop("{year}年填报“{value}”，未给出数值；按填报状态判断。"), year=year, value=obs.raw),
                {},
            )
        return (
            NOT_ASSESSABLE,
            "value_not_numeric",
            Message(
                gettext_noop("{year}年填报“{value}”不是数值，无法与目标“{target}”比较；请填报员改填数值。"),
                year=year,
                value=obs.raw,
                target=target.raw,
            ),
            {},
        )
    if _units_differ(obs.parsed.unit, target.unit):
        return (
            NOT_ASSESSABLE,
            "unit_mismatch",
            Message(
                gettext_noop(
                    "{year}年填报值单位“{typed_unit}”与目标“{target}”的单位不一致，无法比较；请填报员按目标的单位填报。"
                ),
                year=year,
                typed_unit=obs.parsed.unit,
                target=target.raw,
            ),
            {},
        )
    if target.unit == grammar.CLASS_UNIT and op is None:
        op = LE  # a water quality class: the smaller, the better, whatever the indicator's name says
    op = _effective_op(op, inp.direction)
    if op is None:
        return (
            NOT_ASSESSABLE,
            "direction_unknown",
            Message(
                gettext_noop("目标“{target}”未写明比较方向，且指标方向未确定，请审核员在指标上设定方向。"), target=target.raw
            ),
            {},
        )
    value_text = _fmt_value(obs, unit)
    verdict = satisfies(obs.parsed, op, goal)
    details = {"goal": _num(goal), "op": op}
    figures = _figures(inp, year, obs.number, goal, target_year)
    details.update(figures)
    if verdict is None:
        return (
            NOT_ASSESSABLE,
            "bounded_value",
            Message(
                gettext_noop("{year}年填报值“{value}”只给出范围，无法确定是否达到目标“{target}”；请填报员填写确切数值。"),
                year=year,
                value=obs.raw,
                target=target.raw,
            ),
            details,
        )
    if not progress:
        if verdict:
            return (
                MET,
                "target_year",
                Message(
                    gettext_noop("{year}年实际值 {value}，达到目标“{target}”。"), year=year, value=value_text, target=target.raw
                ),
                details,
            )
        return (
            NOT_MET,
            "target_year",
            Message(
                gettext_noop("{year}年实际值 {value}，未达到目标“{target}”。"), year=year, value=value_text, target=target.raw
            ),
            details,
        )
    if verdict:
        return (
            MET,
            "end_target_reached",
            Message(
                gettext_noop("{year}年实际值 {value}，已达到{target_year}年目标“{target}”。"),
                year=year,
                value=value_text,
                target_year=target_year,
                target=target.raw,
            ),
            details,
        )
    return _time_elapsed(inp, year, obs, goal, target, target_year, unit, details)


def _time_elapsed(inp, year, obs, goal, target, target_year, unit, details):
    base_year, base = baseline(inp)
    if base is None or obs.number is None:
        return (
            NOT_ASSESSABLE,
            "no_baseline",
            Message(
                gettext_noop(
                    "{year}年实际值 {n}，未达到{target_year}年目标“{target}”；缺少基准值，无法计算时序进度（请管理员核对规划基准值）。"
                ),
                year=year,
                n=_fmt_value(obs, unit),
                target_year=target_year,
                target=target.raw,
            ),
            details,
        )
    elapsed = Decimal(year - inp.baseline_year) / Decimal(target_year - inp.baseline_year)
    expected = base + (goal - base) * elapsed
    if goal == base:
        # The target keeps the baseline level: anything short of it is behind.
        share = None
        on_track = False
    else:
        share = (obs.number - base) / (goal - base)
        on_track = share >= elapsed
    details.update(
        baseline=_num(base),
        baseline_year=base_year,
        completion_share=_num(share) if share is not None else None,
        elapsed_share=_num(elapsed),
        expected_value=_num(expected),
    )
    value_text = _fmt_value(obs, unit)
    if share is None:
        sentence = Message(
            gettext_noop("{year}年实际值 {value}，低于保持基准水平 {n}{unit} 的目标“{target}”（{target_year}年）"),
            year=year,
            value=value_text,
            n=_fmt(base),
            unit=unit,
            target=target.raw,
            target_year=target_year,
        )
    else:
        relation = Message(gettext_noop("不低于")) if on_track else Message(gettext_noop("低于"))
        sentence = Message(
            gettext_noop(
                "{year}年实际值 {value}，完成进度 {n}，{relation}时序进度 {n2}（按时序进度应达到 {n3}{unit}；基准 {n4}{unit}→{target_year}年目标 {n5}{unit}）"
            ),
            year=year,
            value=value_text,
            n=_pct(share),
            relation=relation,
            n2=_pct(elapsed),
            n3=_fmt(expected),
            unit=unit,
            n4=_fmt(base),
            target_year=target_year,
            n5=_fmt(goal),
        )
        if share < 0:
            sentence += "，且较基准倒退"
    projection = details.get("projection")
    reaches = None
    if projection is not None:
        reaches = satisfies(
            Target(grammar.THRESHOLD, "", value=Decimal(str(projection))), _effective_op(target.op, inp.direction) or GE, goal
        )
        sentence += Message(
            gettext_noop("；按最小二乘趋势外推，{target_year}年预计为 {n}{unit}，{n2}达到目标"),
            target_year=target_year,
            n=_fmt(projection),
            unit=unit,
            n2=Message(gettext_noop("可")) if reaches else Message(gettext_noop("难以")),
        )
        if reaches is not None and reaches != on_track:
            sentence += "，两种方法结论不一致"
    details["projection_reaches"] = reaches
    if details.get("growth_class"):
        sentence += Message(gettext_noop("；增长率法评价为“{n}”"), n=Message(details["growth_class"]))
    rate = details.get("required_annual_rate")
    if rate is not None:
        sentence += Message(
            gettext_noop("；此后每年需{n} {n2}% 方能达标"),
            n=Message(gettext_noop("提高")) if rate >= 0 else Message(gettext_noop("降低")),
            n2=_fmt(round(abs(rate) * 100, 2)),
        )
    status = ON_TRACK if on_track else LAGGING
    return status, "time_elapsed", sentence + "。", details


def _figures(inp, year, value, goal, target_year):
    """Trend projection, growth-rate class and the rate still needed (倒逼速率)."""
    points = [(y, o.number) for y, o in inp.values.items() if y <= year and o.number is not None]
    figures = {}
    projection = least_squares_projection(points, target_year) if target_year and target_year > year else None
    if projection is not None:
        figures["projection"] = round(projection, 4)
    base_year, base = baseline(inp)
    if base is not None and base_year is not None and value is not None and target_year:
        ratio, growth_class = growth_class_of(base, base_year, value, year, goal, target_year)
        figures["growth_ratio"] = None if ratio is None else round(float(ratio), 4)
        figures["growth_class"] = growth_class
    if value is not None and target_year and target_year > year:
        figures["required_annual_rate"] = required_rate(value, goal, target_year - year)
    return figures


def least_squares_projection(points: list[tuple[int, Decimal]], target_year: int) -> float | None:
    """Straight line through (year, value) by least squares, read at target_year; None with < 2 points."""
    if len({y for y, _ in points}) < 2:
        return None
    xs = [float(y) for y, _ in points]
    ys = [float(v) for _, v in points]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    return mean_y + slope * (target_year - mean_x)


def growth_class_of(
    base: Decimal, base_year: int, value: Decimal, year: int, goal: Decimal, target_year: int
) -> tuple[Decimal | None, str | None]:
    """Eurostat's ratio of actual to required compound annual growth, and its class.

    Edge rules: with fewer than two points (no years elapsed) there is no class; with a zero or
    negative baseline, value or target the compound rate is undefined and the linear rate is used;
    where no growth is required, holding the target level is 显著进展 and falling short is 倒退.
    """
    if year <= base_year or target_year <= base_year:
        return None, None
    # Floats: these are estimates, and Decimal's fractional powers cost more than the rest of a run.
    base, value, goal = float(base), float(value), float(goal)
    if min(base, value, goal) > 0:
        actual = (value / base) ** (1 / (year - base_year)) - 1
        required = (goal / base) ** (1 / (target_year - base_year)) - 1
    else:
        actual = (value - base) / (year - base_year)
        required = (goal - base) / (target_year - base_year)
    if abs(required) < 1e-12:
        holding = value == goal
        return None, "显著进展" if holding else REGRESSION
    ratio = Decimal(str(round(actual / required, 6)))
    for threshold, name in GROWTH_CLASSES:
        if ratio >= threshold:
            return ratio, name
    return ratio, REGRESSION


def required_rate(value: Decimal, goal: Decimal, years_left: int) -> float | None:
    """Annual rate still needed from the latest value to reach the goal (倒逼速率), as a share."""
    value, goal = float(value), float(goal)
    if years_left <= 0:
        return None
    if value > 0 and goal > 0:
        return round((goal / value) ** (1 / years_left) - 1, 6)
    return None


def _units_differ(value_unit, target_unit):
    if not value_unit or not target_unit:
        return False
    return value_unit.replace(" ", "") != target_unit.replace(" ", "")


# --- other kinds ------------------------------------------------------------------------------


def _judge_assigned(inp, year, obs, target, target_year, progress):
    number = inp.assigned.get(year)
    if number is None:
        return (
            PENDING_ASSIGNMENT,
            "assigned_pending",
            Message(gettext_noop("目标“{target}”由上级下达，{year}年的下达数值尚未录入。"), target=target.raw, year=year),
            {},
        )
    op = LE if target.raw.strip().startswith("控制在") else _effective_op(None, inp.direction)
    assigned = Target(
        grammar.THRESHOLD, Message(gettext_noop("{target}（下达值 {n}）"), target=target.raw, n=_fmt(number)), op=op, value=number
    )
    status, method, explanation, details = _judge_numeric(inp, year, obs, assigned, number, op, year, False)
    return status, "assigned_" + method, explanation, {**details, "assigned_value": _num(number)}


def _judge_no_event(year, obs, target):
    done = obs.reported_done
    if obs.number is not None:
        happened = obs.number > 0
        status = NOT_MET if happened else MET
        return (
            status,
            "events",
            Message(gettext_noop("{year}年发生 {n} 起，目标“{target}”。"), year=year, n=_fmt(obs.number), target=target.raw),
            {},
        )
    if done is not None:
        return _reported_status(year, obs, target, done)
    return (
        NOT_ASSESSABLE,
        "value_not_status",
        Message(
            gettext_noop("{year}年填报“{value}”，无法判断是否发生；请填报员填写“发生”或“未发生”。"), year=year, value=obs.raw
        ),
        {},
    )


def _judge_qualitative(year, obs, target, target_year, progress):
    done = obs.reported_done
    if done is None:
        return (
            NOT_ASSESSABLE,
            "qualitative_without_status",
            Message(
                gettext_noop("定性目标“{target}”需要填报完成状态，{year}年填报“{value}”未说明是否完成；请填报员选择完成状态。"),
                target=target.raw,
                year=year,
                value=obs.raw,
            ),
            {},
        )
    if obs.parsed.qualifier == "statement" and target.qualifier == "statement":
        return (
            NOT_ASSESSABLE,
            "statement_differs",
            Message(
                gettext_noop("{year}年填报“{value}”与目标“{target}”表述不同，需审核员判断。"),
                year=year,
                value=obs.raw,
                target=target.raw,
            ),
            {},
        )
    if done:
        method = "qualitative_early" if progress else "qualitative"
        return (
            MET,
            method,
            Message(gettext_noop("{year}年填报“{value}”，达到目标“{target}”。"), year=year, value=obs.raw, target=target.raw),
            {},
        )
    if progress:
        return (
            NOT_ASSESSABLE,
            "qualitative_in_progress",
            Message(
                gettext_noop(
                    "{year}年填报“{value}”，定性目标“{target}”在{target_year}年考核，尚无法按时序进度判断（到{target_year}年由填报员填报完成状态）。"
                ),
                year=year,
                value=obs.raw,
                target=target.raw,
                target_year=target_year,
            ),
            {},
        )
    return (
        NOT_MET,
        "qualitative",
        Message(gettext_noop("{year}年填报“{value}”，未达到目标“{target}”。"), year=year, value=obs.raw, target=target.raw),
        {},
    )


_TREND_WORDS = {
    "decrease": "下降",
    "increase": "上升",
    "no_decrease": "不降低",
    "no_increase": "不增加",
    "stable": "保持稳定",
    "improve": "改善",
}


def _judge_trend(inp, year, obs, target):
    if obs.parsed.kind == grammar.ELIMINATE or (obs.reported_done and obs.number is None):
        return (
            MET,
            "reported_status",
            Message(gettext_noop("{year}年填报“{value}”，符合“{target}”。"), year=year, value=obs.raw, target=target.raw),
            {},
        )
    if obs.number is None:
        return (
            NOT_ASSESSABLE,
            "value_not_numeric",
            Message(
                gettext_noop("{year}年填报“{value}”不是数值，无法判断“{target}”；请填报员改填数值。"),
                year=year,
                value=obs.raw,
                target=target.raw,
            ),
            {},
        )
    earlier = [(y, o.number) for y, o in inp.values.items() if y < year and o.number is not None]
    if not earlier:
        return (
            NOT_ASSESSABLE,
            "no_reference",
            Message(
                gettext_noop("目标“{target}”需与上一年或基准值比较，{year}年之前没有数值；请填报员补录上一年数值。"),
                target=target.raw,
                year=year,
            ),
            {},
        )
    ref_year, ref = max(earlier, key=lambda item: item[0])
    base_year, base = baseline(inp)
    value = obs.number
    unit = inp.unit or obs.parsed.unit or ""
    direction = inp.direction if inp.direction in (HIGHER, LOWER) else None
    trend = target.trend
    change = value - ref
    if trend == "decrease":
        ok = value < ref
    elif trend == "increase":
        ok = value > ref
    elif trend == "no_decrease":
        ok = value >= ref
    elif trend == "no_increase":
        ok = value <= ref
    elif trend == "stable":
        tolerance = abs(ref) * STABLE_TOLERANCE
        if direction == HIGHER:
            ok = value >= ref - tolerance
        elif direction == LOWER:
            ok = value <= ref + tolerance
        else:
            ok = abs(change) <= tolerance
    else:  # improve
        if direction is None:
            return (
                NOT_ASSESSABLE,
                "direction_unknown",
                Message(gettext_noop("目标“{target}”需要知道指标方向，请审核员在指标上设定方向。"), target=target.raw),
                {},
            )
        at_best = unit == "%" and ((direction == HIGHER and value >= 100) or (direction == LOWER and value <= 0))
        ok = at_best or (value > ref if direction == HIGHER else value < ref)
    sentence = Message(
        gettext_noop("{year}年实际值 {n}{unit}，较{ref_year}年 {n2}{unit} 变化 {n3}{unit}"),
        year=year,
        n=_fmt(value),
        unit=unit,
        ref_year=ref_year,
        n2=_fmt(ref),
        n3=_signed(change),
    )
    if base is not None and base_year != ref_year:
        sentence += Message(
            gettext_noop("，较基准年{base_year}年 {n}{unit} 变化 {n2}{unit}"),
            base_year=base_year,
            n=_fmt(base),
            unit=unit,
            n2=_signed(value - base),
        )
    sentence += Message(
        gettext_noop("，{verdict}“{target}”。"),
        verdict=Message(gettext_noop("符合") if ok else gettext_noop("不符合")),
        target=target.raw,
    )
    details = {"reference_year": ref_year, "reference": _num(ref), "change": _num(change)}
    if base is not None:
        details.update(baseline=_num(base), baseline_year=base_year, change_from_baseline=_num(value - base))
    return (MET if ok else NOT_MET), "trend", sentence, details


def _judge_relative(inp, year, obs, target, target_year, progress):
    amount = target.value
    op = target.op or GE
    sign = Message(gettext_noop("下降")) if target.change == "decrease" else Message(gettext_noop("上升"))
    if obs.parsed.kind == grammar.RELATIVE_CHANGE:
        achieved = obs.parsed.value if obs.parsed.change == target.change else -obs.parsed.value
        basis = Message(gettext_noop("{year}年填报“{value}”"), year=year, value=obs.raw)
    elif obs.number is not None:
        base_year = target.base_year or inp.baseline_year
        base_obs = inp.values.get(base_year)
        base = base_obs.number if base_obs else None
        if base is None:
            base_year, base = baseline(inp)
        if base is None or base == 0:
            return (
                NOT_ASSESSABLE,
                "no_baseline",
                Message(
                    gettext_noop("目标“{target}”是相对基准年的变化，缺少{base_year}年基准值，无法计算；请填报员补录该年数值。"),
                    target=target.raw,
                    base_year=target.base_year or inp.baseline_year,
                ),
                {},
            )
        ratio = (obs.number - base) / base * 100
        achieved = -ratio if target.change == "decrease" else ratio
        unit = inp.unit or obs.parsed.unit or ""
        basis = Message(
            gettext_noop("{year}年实际值 {n}{unit}，较{base_year}年 {n2}{unit} {sign} {n3}%"),
            year=year,
            n=_fmt(obs.number),
            unit=unit,
            base_year=base_year,
            n2=_fmt(base),
            sign=sign,
            n3=_fmt(round(achieved, 2)),
        )
    else:
        done = obs.reported_done
        if done is not None and not progress:
            return _reported_status(year, obs, target, done)
        return (
            NOT_ASSESSABLE,
            "value_not_numeric",
            Message(gettext_noop("{year}年填报“{value}”无法换算为变化幅度；请填报员填写数值。"), year=year, value=obs.raw),
            {},
        )
    details = {"achieved_change": _num(achieved), "required_change": _num(amount)}
    met = _meets(achieved, amount, op)
    if not progress:
        return (MET if met else NOT_MET), "relative_change", _reached(basis, met, target), details
    if met:
        return (
            MET,
            "end_target_reached",
            Message(
                gettext_noop("{basis}，已达到{target_year}年目标“{target}”。"),
                basis=basis,
                target_year=target_year,
                target=target.raw,
            ),
            details,
        )
    elapsed = Decimal(year - inp.baseline_year) / Decimal(target_year - inp.baseline_year)
    share = achieved / amount if amount else Decimal(0)
    details.update(completion_share=_num(share), elapsed_share=_num(elapsed))
    on_track = share >= elapsed
    sentence = Message(
        gettext_noop("{basis}，完成进度 {n}，{n2}时序进度 {n3}（{target_year}年目标“{target}”）。"),
        basis=basis,
        n=_pct(share),
        n2=Message(gettext_noop("不低于")) if on_track else Message(gettext_noop("低于")),
        n3=_pct(elapsed),
        target_year=target_year,
        target=target.raw,
    )
    return (ON_TRACK if on_track else LAGGING), "time_elapsed", sentence, details


def _judge_change_bound(inp, year, obs, target):
    earlier = [(y, o.number) for y, o in inp.values.items() if y < year and o.number is not None]
    if obs.number is None or not earlier:
        return (
            NOT_ASSESSABLE,
            "no_reference",
            Message(gettext_noop("目标“{target}”需要本年与上一年的数值；请填报员补录上一年数值。"), target=target.raw),
            {},
        )
    ref_year, ref = max(earlier, key=lambda item: item[0])
    change = obs.number - ref
    ok = satisfies(Target(grammar.THRESHOLD, "", value=change), target.op, target.value)
    return (
        (MET if ok else NOT_MET),
        "change_bound",
        Message(
            gettext_noop("{year}年较{ref_year}年变化 {n}，目标“{target}”。"),
            year=year,
            ref_year=ref_year,
            n=_signed(change),
            target=target.raw,
        ),
        {},
    )


def _judge_compound(inp, year, obs, target, target_year, progress):
    obs_parts = obs.parsed.parts if obs.parsed.kind == grammar.COMPOUND else ()
    results = []
    for index, part in enumerate(target.parts):
        if len(obs_parts) == len(target.parts):
            part_obs = Observation(year, obs_parts[index].raw, obs_parts[index])
        else:
            part_obs = obs
        part_input = inp
        if part.measure:
            part_input = _with_direction(inp, part)
        results.append(_judge_target(part_input, year, part_obs, part, target_year, progress))
    worst = min(results, key=lambda r: _SEVERITY.index(r[0]))
    explanation = joined("；", [r[2] for r in results], end="。")
    details = {"parts": [{"status": r[0], "method": r[1], **r[3]} for r in results]}
    return worst[0], "compound", explanation, details


def _with_direction(inp, part):
    from indicators.core import directions

    direction, _ = directions.decide(part.measure, [part])
    if not direction:
        return inp
    return IndicatorInput(**{**inp.__dict__, "direction": direction})


# --- formatting -------------------------------------------------------------------------------


def _fmt(number):
    if number is None:
        return "—"
    if isinstance(number, float):
        number = Decimal(str(round(number, 2)))
    text = format(Decimal(number), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _signed(number):
    return ("+" if number > 0 else "") + _fmt(number)


def _pct(share):
    return f"{_fmt(round(Decimal(share) * 100, 1))}%"


def _fmt_value(obs, unit):
    prefix = {GE: "≥", GT: ">", LE: "≤", LT: "<"}.get(obs.parsed.op, "")
    return f"{prefix}{_fmt(obs.number)}{unit}"


def _num(value):
    if value is None:
        return None
    if isinstance(value, float):
        return round(value, 6)
    return float(round(Decimal(value), 6))


def progress_shares(inp: IndicatorInput, year: int) -> tuple[float | None, float | None]:
    """Completion share against the end-of-period target, and the time-elapsed share, at `year`.

    (None, None) where the value, the baseline or a numeric end target is missing. The target is
    the one in force in `year`, as the evaluation prints it beside the share.
    """
    in_force = targets_in_force(inp, year)
    numeric = [(y, t) for y, t in in_force.items() if t.kind == grammar.THRESHOLD and t.value is not None]
    obs = inp.values.get(year)
    _, base = baseline(inp)
    if not numeric or obs is None or obs.number is None or base is None:
        return None, None
    target_year, target = max(numeric, key=lambda item: item[0])
    if target_year <= inp.baseline_year or target.value == base:
        return None, None
    completion = (obs.number - base) / (target.value - base)
    elapsed = Decimal(year - inp.baseline_year) / Decimal(target_year - inp.baseline_year)
    return float(round(completion, 4)), float(round(elapsed, 4))


# --- roll-ups ---------------------------------------------------------------------------------


def rollup(rows: list[tuple[str, str, str, str]]) -> dict:
    """Counts per status, per category and per attribute; binding alerts.

    `rows` are (indicator_name, category, attribute, status) for one plan and year.
    """
    total = {status: 0 for status in STATUS_LABELS}
    by_category, by_attribute, alerts = {}, {}, []
    for name, category, attribute, status in rows:
        total[status] += 1
        by_category.setdefault(category, {s: 0 for s in STATUS_LABELS})[status] += 1
        by_attribute.setdefault(attribute, {s: 0 for s in STATUS_LABELS})[status] += 1
        if attribute == "约束性" and status in (NOT_MET, LAGGING):
            alerts.append((name, status))
    return {"total": total, "by_category": by_category, "by_attribute": by_attribute, "alerts": alerts}
