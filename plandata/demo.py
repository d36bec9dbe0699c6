"""Demo values, loaded only on request (`load_demo`) so that dashboards have something to show.

Every demo value has origin "demo" and the remark 演示数据; `load_demo --remove` deletes exactly
those rows. Values are plausible paths from the printed baseline towards the printed target,
seeded by the indicator so two runs give the same figures. The test suite never depends on them.
"""

import random
from decimal import Decimal

from django.db import transaction

from indicators.core import targets as grammar
from indicators.models import Indicator, IndicatorValue
from indicators.tasks import schedule_recompute
from projects.models import KeyProject, ProjectProgress

DEMO_REMARK = "演示数据"
DEMO_YEARS = range(2021, 2025)
DEMO_PLANS = ("div3-2021-2025", "kashgar-2021-2025", "div12-2023-2035", "changji-2021-2025")


def demo_load(*, plan_codes=DEMO_PLANS, years=DEMO_YEARS):
    created = 0
    with transaction.atomic():
        indicators = Indicator.objects.filter(plan__code__in=plan_codes).prefetch_related("targets", "values")
        for indicator in indicators:
            taken = {v.year for v in indicator.values.all()}
            for year in years:
                if year in taken or not indicator.plan.period_start - 1 <= year <= indicator.plan.period_end:
                    continue
                text = _demo_text(indicator, year)
                if text is None:
                    continue
                value = IndicatorValue(
                    indicator=indicator,
                    year=year,
                    origin=IndicatorValue.Origin.DEMO,
                    state=IndicatorValue.State.APPROVED if year < max(years) else IndicatorValue.State.SUBMITTED,
                    remark=DEMO_REMARK,
                )
                value.set_text(text)
                value.save()
                created += 1
        for project in KeyProject.objects.filter(plan__code__in=plan_codes, start_year__isnull=False):
            created += _demo_progress(project, years)
        schedule_recompute(i.pk for i in indicators)
    return created


def demo_remove():
    with transaction.atomic():
        demo = IndicatorValue.objects.filter(origin=IndicatorValue.Origin.DEMO)
        schedule_recompute(set(demo.values_list("indicator_id", flat=True)))
        values, _ = demo.delete()
        progress, _ = ProjectProgress.objects.filter(origin=IndicatorValue.Origin.DEMO).delete()
    return values + progress


def _demo_text(indicator, year):
    rng = random.Random(f"{indicator.pk}-{year}")
    targets = sorted(indicator.targets.all(), key=lambda t: t.year)
    if not targets:
        return None
    target = grammar.Target.from_dict(targets[-1].parsed)
    if target.kind == grammar.COMPOUND:
        target = next((p for p in target.parts if p.value is not None), target.parts[0])
    baseline = next((v.number for v in sorted(indicator.values.all(), key=lambda v: v.year) if v.number is not None), None)
    if target.kind in (grammar.NO_EVENT,):
        return "未发生" if rng.random() > 0.1 else "1"
    if target.kind == grammar.ELIMINATE:
        return "基本消除"
    if target.kind == grammar.QUALITATIVE:
        return "已实施" if rng.random() > 0.15 else "未实施"
    if target.kind == grammar.THRESHOLD and target.value is not None:
        start = baseline if baseline is not None else target.value * Decimal("0.95")
        span = indicator.plan.period_end - indicator.plan.baseline_year or 1
        share = Decimal(year - indicator.plan.baseline_year) / span
        drift = Decimal(str(rng.uniform(-0.04, 0.03)))
        value = start + (target.value - start) * share + abs(target.value or 1) * drift
        if indicator.unit == "%":
            value = min(max(value, Decimal(0)), Decimal(100))
        places = max(target.decimals or 0, 1)
        if target.value >= 0:
            value = max(value, Decimal(0))  # a count or a share of zero never goes below it
        return str(round(value, places) + 0)  # + 0: no "-0.0"
    if baseline is not None:
        change = Decimal(str(rng.uniform(-0.05, 0.05)))
        return str(round(baseline * (1 + change), 2) + 0)
    return None


def _demo_progress(project, years):
    created = 0
    taken = set(project.progress.values_list("year", flat=True))
    end = project.end_year or project.start_year
    for year in years:
        if year in taken or year < project.start_year:
            continue
        rng = random.Random(f"p{project.pk}-{year}")
        share = min(Decimal(1), Decimal(year - project.start_year + 1) / Decimal(end - project.start_year + 1))
        share = max(Decimal(0), share - Decimal(str(rng.uniform(0, 0.3))))
        status = ProjectProgress.Status.COMPLETED if share >= 1 else ProjectProgress.Status.ONGOING
        ProjectProgress.objects.create(
            project=project,
            year=year,
            status=status,
            investment_completed_wan=round((project.investment_wan or 0) * share, 2),
            percent_complete=round(share * 100, 2),
            remark=DEMO_REMARK,
            origin=IndicatorValue.Origin.DEMO,
            state=IndicatorValue.State.APPROVED,
        )
        created += 1
    return created
