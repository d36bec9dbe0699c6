"""Feeding the attainment engine from the database and storing its judgements, set-based.

A recomputation reads an indicator set's targets and values in a few queries, judges in Python and
writes the results with one bulk upsert: the cost grows with the rows, not with round trips.
Recomputing writes the same rows again (idempotent), so a redelivered task is harmless.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.core import attainment
from indicators.core import targets as grammar
from indicators.core.messages import to_data
from indicators.core.targets import Target as ParsedTarget
from indicators.counting import counted_values
from indicators.models import (
    AttainmentResult,
    Indicator,
    IndicatorValue,
    Plan,
    RecomputeRun,
    StatusOverride,
    Target,
    TargetRevision,
)

log = logging.getLogger(__name__)
BATCH = 2000


def current_year() -> int:
    """The first year whose report is not yet due: reports for year Y are made during Y+1."""
    return timezone.localdate().year


def fingerprint(value: str | None, target: str | None, assigned: object) -> str:
    """What a judgement rests on: the year's value and its target (with any assigned number)."""
    text = "|".join([value or "", target or "", "" if assigned is None else str(assigned)])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def inputs_for(indicators: Iterable[Indicator], as_of_year: int) -> dict[int, attainment.IndicatorInput]:
    """Build engine inputs for an iterable of Indicator rows (with plan loaded): only the figures
    that count (indicators.counting), and the targets revised since (TargetRevision). Three queries,
    four when some figure is not approved."""
    indicators = list(indicators)
    ids = [i.pk for i in indicators]
    targets, assigned, values = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    revisions = defaultdict(list)
    for chunk in _chunks(ids):
        for indicator_id, year, parsed, number in Target.objects.filter(indicator_id__in=chunk).values_list(
            "indicator_id", "year", "parsed", "assigned_value"
        ):
            targets[indicator_id][year] = ParsedTarget.from_dict(parsed)
            if number is not None:
                assigned[indicator_id][year] = number
        for revision in TargetRevision.objects.filter(indicator_id__in=chunk).order_by("created_at", "pk"):
            revisions[revision.indicator_id].append(revision)
        chunk_values = IndicatorValue.objects.filter(indicator_id__in=chunk)
        for (indicator_id, year), counted in counted_values(chunk_values, ("raw_text", "number")).items():
            if counted.figure is not None:
                values[indicator_id][year] = attainment.Observation.of(year, counted.raw, counted.figure["number"])
    result = {}
    for indicator in indicators:
        plan = indicator.plan
        result[indicator.pk] = attainment.IndicatorInput(
            name=indicator.name,
            unit=indicator.unit,
            direction=indicator.direction,
            baseline_year=plan.baseline_year,
            period_start=plan.period_start,
            period_end=plan.period_end,
            targets=targets[indicator.pk],
            values=values[indicator.pk],
            assigned=assigned[indicator.pk],
            as_of_year=as_of_year,
            reporting=plan.reporting,
            revisions=targets_before(targets[indicator.pk], revisions[indicator.pk]),
        )
    return result


def revised_texts(revisions: list, year: int) -> dict[int, str]:
    """Target year -> the text in force when `year` is judged, for the targets `revisions` (in the
    order they were recorded) changed: the newest revision in force by then, else the document's own
    text (the first revision's text before). "" where no target was in force."""
    by_year = defaultdict(list)
    for revision in revisions:
        by_year[revision.year].append(revision)
    texts = {}
    for target_year, recorded in by_year.items():
        applying = [r for r in recorded if r.effective_from <= year]
        texts[target_year] = (applying[-1].new_text if applying else recorded[0].previous_text).strip()
    return texts


def targets_before(current: dict, revisions: list) -> tuple:
    """The targets in force before each year a revision takes effect: (that year, the targets
    judged in the year before it), ascending; what the engine's `targets_in_force` reads."""
    stages = []
    for starts in sorted({r.effective_from for r in revisions}):
        state = dict(current)
        for target_year, text in revised_texts(revisions, starts - 1).items():
            if text:
                state[target_year] = grammar.parse(text)
            else:
                state.pop(target_year, None)
        stages.append((starts, state))
    return tuple(stages)


def recompute(
    indicators: QuerySet[Indicator], *, as_of_year: int | None = None, scope: str = "indicators", record: bool = True
) -> RecomputeRun:
    """Judge `indicators` (a queryset) and store the results; return the RecomputeRun.

    Plan-wide and full runs are recorded; the per-save recomputation of one indicator is not
    (it would be one log row per keystroke of a busy official).
    """
    as_of_year = as_of_year or current_year()
    run = RecomputeRun(scope=scope, started_at=timezone.now())
    rows = list(indicators.select_related("plan"))
    inputs = inputs_for(rows, as_of_year)
    now = timezone.now()
    new, errors = [], []
    for indicator in rows:
        inp = inputs[indicator.pk]
        try:
            judgements = attainment.judge(inp)
        except Exception as exc:  # one bad row must not stop the plan; it is recorded on the run
            log.exception("attainment failed for indicator %s", indicator.pk)
            errors.append({"indicator": indicator.pk, "error": repr(exc)})
            continue
        for j in judgements:
            obs = inp.values.get(j.year)
            new.append(
                AttainmentResult(
                    indicator_id=indicator.pk,
                    year=j.year,
                    status=j.status,
                    method=j.method,
                    explanation=j.explanation,
                    details={**j.details, "message": to_data(j.explanation)},
                    engine_version=attainment.ENGINE_VERSION,
                    fingerprint=fingerprint(obs.raw if obs else None, j.details.get("target"), inp.assigned.get(j.year)),
                    computed_at=now,
                )
            )
    keys = {(r.indicator_id, r.year) for r in new}
    ids = [i.pk for i in rows]
    with transaction.atomic():
        stale = [
            pk
            for chunk in _chunks(ids)
            for pk, indicator_id, year in AttainmentResult.objects.filter(indicator_id__in=chunk).values_list(
                "pk", "indicator_id", "year"
            )
            if (indicator_id, year) not in keys
        ]
        for chunk in _chunks(stale):
            AttainmentResult.objects.filter(pk__in=chunk).delete()
        AttainmentResult.objects.bulk_create(
            new,
            batch_size=BATCH,
            update_conflicts=True,
            unique_fields=["indicator", "year"],
            update_fields=["status", "method", "explanation", "details", "engine_version", "fingerprint", "computed_at"],
        )
        Plan.touch({i.plan_id for i in rows})
        run.finished_at = timezone.now()
        run.indicators = len(rows)
        run.results = len(new)
        run.counts = dict(Counter(r.status for r in new))
        run.errors = errors
        if record:
            run.save()
    return run


def recompute_plan(plan: Plan, *, as_of_year: int | None = None) -> RecomputeRun:
    return recompute(Indicator.objects.filter(plan=plan), as_of_year=as_of_year, scope=f"plan:{plan.code}")


def recompute_all(*, as_of_year: int | None = None) -> RecomputeRun:
    return recompute(Indicator.objects.all(), as_of_year=as_of_year, scope="all")


def override_stands(override: StatusOverride | None, fingerprint: str) -> bool:
    """A reviewer's override stands while the value and target it was made on are unchanged."""
    return override is not None and override.basis == fingerprint


def effective_status(result: AttainmentResult, override: StatusOverride | None) -> str:
    """The status to show: a reviewer's override while it still stands, else the engine's."""
    return override.status if override_stands(override, result.fingerprint) else result.status


def status_override(*, indicator: Indicator, year: int, status: str, reason: str, user) -> StatusOverride:
    """Record a reviewer's override of the engine for one indicator-year (audited by history)."""
    if not reason or not reason.strip():
        raise ValueError(_("必须填写人工判定的理由"))
    result = AttainmentResult.objects.get(indicator=indicator, year=year)
    override, _created = StatusOverride.objects.update_or_create(
        indicator=indicator,
        year=year,
        defaults={"status": status, "reason": reason.strip(), "basis": result.fingerprint, "created_by": user},
    )
    return override


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]
