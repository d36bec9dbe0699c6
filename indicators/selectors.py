"""Reads that combine stored results with overrides: what dashboards, reports and the API show."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from indicators.core import attainment
from indicators.core.numbers import NumberRefused, read_number
from indicators.core.validation import JUMP_LIMIT
from indicators.counting import counted_values
from indicators.models import AttainmentResult, IndicatorValue, StatusOverride, Target
from indicators.recompute import effective_status, override_stands


def results_for(plan, year=None):
    """AttainmentResult rows of a plan with their indicator, each with `.effective_status` and
    `.override` (the reviewer's override, standing or superseded) set. Two queries."""
    results = AttainmentResult.objects.filter(indicator__plan=plan).select_related("indicator", "indicator__region")
    overrides = StatusOverride.objects.filter(indicator__plan=plan)
    if year is not None:
        results = results.filter(year=year)
        overrides = overrides.filter(year=year)
    by_key = {(o.indicator_id, o.year): o for o in overrides}
    rows = list(results.order_by("indicator__position", "year"))
    for result in rows:
        result.override = by_key.get((result.indicator_id, result.year))
        result.effective_status = effective_status(result, result.override)
        result.override_stands = override_stands(result.override, result.fingerprint)
    return rows


def plan_rollup(plan, year):
    """Counts per status by plan, category and attribute for one year, and binding alerts."""
    rows = [(r.indicator.name, r.indicator.category, r.indicator.attribute, r.effective_status) for r in results_for(plan, year)]
    return attainment.rollup(rows)


@dataclass
class ReviewRow:
    """One submitted figure with what a reviewer needs beside it."""

    value: IndicatorValue
    target: str  # the year's target as printed, or the next later one
    target_year: int | None  # the year of that target
    previous: str | None  # last year's figure that counts
    change: Decimal | None  # in % of last year's
    outlier: bool  # a change beyond the entry check's limit (validation.JUMP_LIMIT)
    numeric: bool  # the figure is a number: shown with its unit


def review_rows(plan, year) -> list[ReviewRow]:
    """The figures of a year for review, each with its target, last year's counting figure and the
    change. Three queries."""
    values = list(
        IndicatorValue.objects.filter(indicator__plan=plan, year=year)
        .exclude(origin=IndicatorValue.Origin.DOCUMENT)
        .select_related("indicator", "indicator__region", "entered_by", "reviewed_by")
        .order_by("indicator__position")
    )
    targets = defaultdict(dict)
    for indicator_id, target_year, raw in Target.objects.filter(indicator__plan=plan, year__gte=year).values_list(
        "indicator_id", "year", "raw_text"
    ):
        targets[indicator_id][target_year] = raw
    previous = counted_values(IndicatorValue.objects.filter(indicator__plan=plan, year=year - 1))
    rows = []
    for value in values:
        own = targets.get(value.indicator_id, {})
        target_year = year if year in own else (min(own) if own else None)
        before = previous.get((value.indicator_id, year - 1))
        before_raw = before.raw if before else None
        number, last = _number(value.raw_text, value.indicator.unit), _number(before_raw, value.indicator.unit)
        change = (number - last) / abs(last) * 100 if number is not None and last not in (None, 0) else None
        rows.append(
            ReviewRow(
                value=value,
                target=own.get(target_year, "") if target_year else "",
                target_year=target_year,
                previous=before_raw,
                change=change.quantize(Decimal("0.1")) if change is not None else None,
                outlier=change is not None and abs(change) > JUMP_LIMIT * 100,
                numeric=number is not None,
            )
        )
    return rows


def _number(text, unit):
    try:
        return read_number(text or "", unit=unit)
    except NumberRefused:
        return None
