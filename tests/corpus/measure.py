"""Measure the grammar and the engine on the generalisation corpus (tests/corpus/).

    .venv/bin/python -m tests.corpus.measure          # figures by file and kind
    .venv/bin/python -m tests.corpus.measure --wrong  # and every miss, for work on the grammar
    .venv/bin/python -m tests.corpus.measure --holdout  # the held-out set (never used to change a rule)
    .venv/bin/python -m tests.corpus.measure --second   # the second collection (measured blind once)

Cells: a cell is read right when the grammar's kind and numbers (and, for a change, its way:
下降 or 提高) match the reviewed reading (see FORMAT.md). The comparator of a threshold is not
compared: reviewers differ on whether "达到80%" says "at least" (the engine takes the way from the
indicator's direction either way). Cells the reviewers marked `unreadable` are counted apart. Verdict rows: the engine
judges the printed target against the printed achieved value; it agrees when its status matches
the printed verdict (完成 ↔ met, 未完成 ↔ not met; 基本完成 agrees with met or a shortfall of at most
5%; a verdict on progress, 超过进度, agrees with met and is not contradicted by a shortfall against
the end target), says the opposite when it is the other one, and otherwise declines (无法判断 with a
reason), which is neither.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from indicators.core import rows
from indicators.core import targets as grammar

HERE = Path(__file__).parent
BASIC_SHORTFALL = Decimal("0.05")


def load(kind: str, holdout: bool = False, second: bool = False) -> list[tuple[str, dict]]:
    """The development entries of `kind` (targets / verdicts), the held-out ones, or the second
    collection's."""
    entries = []
    if holdout or second:
        paths = [HERE / ("holdout" if holdout else "second") / f"{kind}.yaml"]
    else:
        paths = sorted((HERE / kind).glob("*.yaml"))
    for path in paths:
        if not path.exists():
            continue
        for entry in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            entries.append((path.stem, entry))
    return entries


# --- cells ---------------------------------------------------------------------------------------


_CLASSES = {"Ⅰ": 1, "Ⅱ": 2, "Ⅲ": 3, "Ⅳ": 4, "Ⅴ": 5, "劣Ⅴ": 6, "I": 1, "II": 2, "III": 3, "IV": 4, "V": 5}


def _d(value):
    if value is None or value == "":
        return None
    text = str(value).replace("类", "").strip()
    if text in _CLASSES:  # a water quality class is compared as its number (Ⅲ = 3, 劣Ⅴ = 6)
        return Decimal(_CLASSES[text])
    try:
        return Decimal(str(value).replace("。", ".").replace(",", "")).normalize()
    except InvalidOperation:
        return str(value)


def expected(reading: dict) -> tuple:
    """The reviewed reading in the canonical form both sides are compared in."""
    kind = reading.get("kind")
    if kind == "threshold":
        return ("threshold", _d(reading.get("value")))
    if kind == "range":
        low, high = sorted([_d(reading.get("low")), _d(reading.get("high"))])
        return ("range", low, high)
    if kind == "about":
        return ("about", _d(reading.get("value")))
    if kind in ("relative_change", "annual_rate", "yoy_change"):
        return (kind, reading.get("change"), _d(reading.get("value")))
    if kind in ("multiple", "compound"):
        return (kind, tuple(expected(p) for p in reading.get("parts") or []))
    if kind == "deadline":
        then = reading.get("then")
        return ("deadline", int(reading["year"]) if reading.get("year") else None, expected(then) if then else None)
    if kind == "trend":
        return ("trend", reading.get("trend"))
    if kind == "qualitative":
        return ("qualitative", reading.get("status") or "done")
    return (kind,)


def canonical(target: grammar.Target) -> tuple:
    """The grammar's reading in the same canonical form."""
    kind = target.kind
    value = target.value.normalize() if target.value is not None else None
    if kind == grammar.EMPTY:
        return ("empty",)
    if kind == grammar.THRESHOLD:
        return ("threshold", value)
    if kind == grammar.RANGE:
        return ("range", value, target.high.normalize() if target.high is not None else None)
    if kind == grammar.ABOUT:
        return ("about", value)
    if kind == grammar.RELATIVE_CHANGE:
        return ("relative_change", target.change, value)
    if kind in (grammar.ANNUAL_RATE, grammar.YOY_CHANGE):
        return (kind, target.change, value)
    if kind in (grammar.MULTIPLE, grammar.COMPOUND):
        return (kind, tuple(canonical(p) for p in target.parts))
    if kind == grammar.DEADLINE:
        return ("deadline", target.year, canonical(target.parts[0]) if target.parts else None)
    if kind == grammar.TREND:
        return ("trend", target.trend)
    if kind == grammar.QUALITATIVE:
        return ("qualitative", target.status)
    if kind in (grammar.ELIMINATE, grammar.NO_EVENT, grammar.ASSIGNED):
        return (kind,)
    return ("unparsed",)


def read_right(entry: dict) -> tuple[bool, tuple, tuple]:
    reading = entry["reading"]
    target = grammar.parse(entry["text"], heading=" ".join(filter(None, [entry.get("column"), entry.get("indicator")])))
    want, got = expected(reading), canonical(target)
    return want == got, want, got


# --- verdicts ------------------------------------------------------------------------------------

MET_WORDS = ("完成", "达到", "达标", "实现", "符合", "优于", "超过进度", "赶上")
NOT_MET_WORDS = (
    "未完成",
    "未达到",
    "未达标",
    "尚未完成",
    "未实现",
    "滞后",
    "没有完成",
    "没有实现",
    "没有达到",
    "未能完成",
    "未达预定",
    "仍不到",
    "有差距",
    "存在明显差距",
    "超过Ⅱ类水质目标",
)
BASIC_WORDS = ("基本完成", "基本达到", "基本实现", "接近完成", "基本符合")
MARKS = {"√": "met", "是": "met", "×": "not_met", "否": "not_met"}
# A verdict on progress against the time elapsed, not on the end target (中期评估).
ON_TRACK_WORDS = ("进度符合预期", "超过进度", "赶上了时间进度", "超过序时进度", "快于预期", "达到或超过预期进度", "超过预期进度")


def printed_verdict(text: str) -> str | None:
    """met / not_met / basic (基本完成: done, give or take a little) from the printed verdict cell;
    None when it is not a completion verdict (统计口径改变, 非环统指标, a grade)."""
    text = grammar.normalize(text or "").strip()
    if text in MARKS:
        return MARKS[text]
    if any(word in text for word in ON_TRACK_WORDS):
        return "on_track"
    if any(word in text for word in NOT_MET_WORDS):
        return "not_met"
    if any(word in text for word in BASIC_WORDS):
        return "basic"
    if any(word in text for word in MET_WORDS):
        return "met"
    return None


@dataclass
class VerdictFigures:
    agree: int = 0
    opposite: int = 0
    declined: int = 0
    skipped: int = 0  # no completion verdict printed, or no target or achieved cell to judge

    @property
    def judged_rows(self):
        return self.agree + self.opposite + self.declined


def judge_entry(entry: dict) -> rows.RowJudgement:
    columns = entry.get("columns") or {}
    return rows.judge_row(
        indicator=entry.get("indicator") or "",
        baseline=entry.get("baseline") or "",
        target=entry.get("target") or "",
        achieved=entry.get("achieved") or "",
        target_heading=columns.get("target") or "",
        achieved_heading=columns.get("achieved") or "",
    )


# --- report --------------------------------------------------------------------------------------


def measure(show_wrong: bool = False, out=sys.stdout, holdout: bool = False, second: bool = False) -> dict:
    cells = load("targets", holdout, second)
    by_file, by_kind, unreadable = defaultdict(Counter), defaultdict(Counter), 0
    for name, entry in cells:
        if entry["reading"].get("kind") == "unreadable":
            unreadable += 1
            continue
        ok, want, got = read_right(entry)
        kind = entry["reading"]["kind"]
        by_file[name]["right" if ok else "wrong"] += 1
        by_kind[kind]["right" if ok else "wrong"] += 1
        if show_wrong and not ok:
            print(f"CELL {name}: {entry['text']!r} [{entry.get('column', '')}] want {want} got {got}", file=out)
    right = sum(c["right"] for c in by_file.values())
    total = right + sum(c["wrong"] for c in by_file.values())
    print(f"cells read right: {right}/{total} ({_pct(right, total)}); unreadable to a human: {unreadable}", file=out)
    for kind, c in sorted(by_kind.items()):
        print(f"  {kind:16} {c['right']}/{c['right'] + c['wrong']}", file=out)

    verdicts = VerdictFigures()
    per_file = defaultdict(VerdictFigures)
    reasons = Counter()
    for name, entry in load("verdicts", holdout, second):
        printed = printed_verdict(entry.get("verdict"))
        if printed is None or not (entry.get("target") or "").strip() or not (entry.get("achieved") or "").strip():
            verdicts.skipped += 1
            per_file[name].skipped += 1
            continue
        judgement = judge_entry(entry)
        if printed == "on_track" and judgement.status == "not_met":
            # Short of the end target: on schedule or not, where the row says how much time had passed.
            if judgement.on_schedule is None:
                outcome = "declined"
                reasons["进度判断需要时序（规划期已过年份）"] += 1
            else:
                outcome = "agree" if judgement.on_schedule else "opposite"
        elif printed == "not_met" and judgement.on_schedule:
            outcome = "opposite"  # printed 滞后 where the row judge finds the pace kept
        elif printed == "on_track" and judgement.status == "met":
            outcome = "agree"
        elif printed == "basic" and judgement.status in ("met", "not_met"):
            # 基本完成 admits a small shortfall: met, or missed by at most the stated 5%, agrees.
            close = judgement.status == "met" or (judgement.shortfall is not None and judgement.shortfall <= BASIC_SHORTFALL)
            outcome = "agree" if close else "opposite"
        elif judgement.status in ("met", "not_met"):
            outcome = "agree" if judgement.status == printed else "opposite"
        else:
            outcome = "declined"
            reasons[judgement.reason] += 1
        for figures in (verdicts, per_file[name]):
            setattr(figures, outcome, getattr(figures, outcome) + 1)
        if show_wrong and outcome != "agree":
            print(
                f"ROW {name} {outcome}: {entry.get('indicator')!r} target {entry.get('target')!r} "
                f"achieved {entry.get('achieved')!r} printed {entry.get('verdict')!r} -> {judgement.status} "
                f"({judgement.reason})",
                file=out,
            )
    judged = verdicts.judged_rows
    print(
        f"verdicts agreeing: {verdicts.agree}/{judged} ({_pct(verdicts.agree, judged)}); opposite: {verdicts.opposite}; "
        f"declined (无法判断): {verdicts.declined}; rows without a verdict or cells to judge: {verdicts.skipped}",
        file=out,
    )
    for name, figures in sorted(per_file.items()):
        print(f"  {name:22} agree {figures.agree}, opposite {figures.opposite}, declined {figures.declined}", file=out)
    for reason, n in reasons.most_common():
        print(f"  declined because {reason}: {n}", file=out)
    return {
        "cells_right": right,
        "cells_total": total,
        "verdicts_agree": verdicts.agree,
        "verdicts_judged": judged,
        "verdicts_opposite": verdicts.opposite,
        "verdicts_declined": verdicts.declined,
    }


def _pct(n, total):
    return f"{100 * n / total:.1f}%" if total else "—"


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wrong", action="store_true", help="list every cell read wrong and every row not agreeing")
    parser.add_argument("--holdout", action="store_true", help="measure the held-out set instead")
    parser.add_argument("--second", action="store_true", help="measure the second collection instead")
    args = parser.parse_args()
    measure(show_wrong=args.wrong, holdout=args.holdout, second=args.second)
