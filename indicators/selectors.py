"""Reads that combine stored results with overrides: what dashboards, reports and the API show."""

from __future__ import annotations

from indicators.core import attainment
from indicators.models import AttainmentResult, StatusOverride
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
