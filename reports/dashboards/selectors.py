"""What the dashboards show, assembled from a bounded number of queries (independent of how many
indicators, years or projects a plan has). Views stay thin: they pick the plan and render."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.utils import timezone

from indicators.core import attainment, keys, vocabulary
from indicators.core.vocabulary import STATUS_ORDER
from indicators.counting import counted_rows, counted_values
from indicators.i18n import explanation_text
from indicators.models import (
    AttainmentResult,
    Indicator,
    IndicatorValue,
    RecomputeRun,
    ReportingDeadline,
    StatusOverride,
    Target,
)
from indicators.recompute import current_year, effective_status, override_stands
from projects.models import KeyProject, ProjectProgress
from projects.schedule import Report, schedule_for
from reports.dashboards import charts

ALERT_STATUSES = ("not_met", "lagging")


def _overrides(filter_kwargs):
    return {(o.indicator_id, o.year): o for o in StatusOverride.objects.filter(**filter_kwargs)}


COMPLETE_ENOUGH = Decimal("0.5")  # a year is shown once half its indicators have a figure that counts


def shown_years(plans) -> dict[int, tuple[int, int, int]]:
    """Per plan: (year, indicators with a figure that counts that year, indicators in all).

    The year shown by default is the latest within the period whose reporting is complete enough
    (half the indicators counted) or whose reporting deadline has passed; else the most complete
    year; else the year being reported. A year with one early figure does not replace a nearly
    complete one. Three queries, whatever the number of plans."""
    plans = list(plans)
    totals = dict(Indicator.objects.filter(plan__in=plans).values_list("plan_id").annotate(n=Count("pk")))
    coverage = defaultdict(dict)
    counted = (
        IndicatorValue.objects.filter(indicator__plan__in=plans, state__in=vocabulary.COUNTING_STATES)
        .exclude(raw_text="")
        .values_list("indicator__plan_id", "year")
        .annotate(n=Count("indicator_id", distinct=True))
    )
    for plan_id, year, n in counted:
        coverage[plan_id][year] = n
    today = timezone.localdate()
    closed = defaultdict(set)
    for plan_id, year in ReportingDeadline.objects.filter(plan__in=plans, due_on__lt=today).values_list("plan_id", "year"):
        closed[plan_id].add(year)
    shown = {}
    for plan in plans:
        total = totals.get(plan.pk, 0)
        year = year_to_show(plan, coverage[plan.pk], total, closed[plan.pk])
        shown[plan.pk] = (year, coverage[plan.pk].get(year, 0), total)
    return shown


def year_to_show(plan, coverage: dict[int, int], total: int, closed_years: set[int]) -> int:
    """coverage: {year: indicators with a figure that counts}. See shown_years."""
    years = {y: n for y, n in coverage.items() if plan.period_start <= y <= plan.period_end and n}
    ready = [y for y, n in years.items() if (total and n >= total * COMPLETE_ENOUGH) or y in closed_years]
    if ready:
        return max(ready)
    if years:
        return max(years, key=lambda y: (years[y], y))
    return plan.reporting_year


def overview(plans):
    """One card per plan: status shares for the latest assessed year, binding alerts, investment."""
    plans = list(plans)
    shown = shown_years(plans)
    latest = {plan_id: year for plan_id, (year, _n, _total) in shown.items()}
    results = list(
        AttainmentResult.objects.filter(indicator__plan__in=plans)
        .filter(year__in=set(latest.values()))
        .values_list(
            "indicator_id", "indicator__plan_id", "indicator__name", "indicator__attribute", "year", "status", "fingerprint"
        )
    )
    overrides = _overrides({"indicator__plan__in": plans})
    counts, alerts = defaultdict(Counter), defaultdict(list)
    for indicator_id, plan_id, name, attribute, year, status, fingerprint in results:
        if year != latest[plan_id]:
            continue
        override = overrides.get((indicator_id, year))
        if override_stands(override, fingerprint):
            status = override.status
        counts[plan_id][status] += 1
        if attribute == "约束性" and status in ALERT_STATUSES:
            alerts[plan_id].append((indicator_id, name, status))
    planned = dict(KeyProject.objects.filter(plan__in=plans).values_list("plan_id").annotate(total=Sum("investment_wan")))
    executed = _executed_by_plan(plans)
    last_runs = dict(
        AttainmentResult.objects.filter(indicator__plan__in=plans)
        .values_list("indicator__plan_id")
        .annotate(last=Max("computed_at"))
    )
    cards = []
    for plan in plans:
        total = sum(counts[plan.pk].values())
        shares = [
            (
                status,
                attainment.STATUS_LABELS[status],
                counts[plan.pk][status],
                (counts[plan.pk][status] / total * 100) if total else 0,
            )
            for status in STATUS_ORDER
            if counts[plan.pk][status]
        ]
        cards.append(
            {
                "plan": plan,
                "year": latest[plan.pk],
                "reported": shown[plan.pk][1],
                "indicators": shown[plan.pk][2],
                "total": total,
                "shares": shares,
                "alerts": alerts[plan.pk],
                "planned": planned.get(plan.pk),
                "executed": executed.get(plan.pk),
                "computed_at": last_runs.get(plan.pk),
            }
        )
    return {"cards": cards, "last_run": RecomputeRun.objects.order_by("-started_at").first()}


def _executed_by_plan(plans):
    """Sum over projects of their latest reported cumulative investment."""
    latest = {}
    counted = counted_rows(
        ProjectProgress.objects.filter(project__plan__in=plans), ("project_id", "year"), ("investment_completed_wan",)
    )
    plan_of = dict(KeyProject.objects.filter(plan__in=plans).values_list("pk", "plan_id"))
    for (project_id, year), c in counted.items():
        amount = c.figure["investment_completed_wan"] if c.figure else None
        if amount is not None and (project_id not in latest or latest[project_id][0] < year):
            latest[project_id] = (year, plan_of[project_id], amount)
    totals = defaultdict(Decimal)
    for _, plan_id, amount in latest.values():
        totals[plan_id] += amount
    return dict(totals)


def target_runs(texts, years):
    """The yearly targets with equal neighbours merged, as (text, years spanned, first, last): a
    target printed once for 2021—2025 is shown once, not five times."""
    runs = []
    for text, year in zip(texts, years, strict=True):
        if runs and runs[-1][0] == text:
            runs[-1] = (text, runs[-1][1] + 1, runs[-1][2], year)
        else:
            runs.append((text, 1, year, year))
    return runs


def plan_dashboard(plan, *, category="", attribute="", status="", year=None):
    """Everything the plan dashboard shows, as plain dicts. A fixed number of queries, and no model
    instances for the thousands of targets, values and results a big plan has."""
    indicators = list(
        Indicator.objects.filter(plan=plan)
        .order_by("position")
        .values("pk", "seq", "name", "category", "attribute", "unit", "region__name", "source_file", "source_line")
    )
    targets, values, results = defaultdict(dict), defaultdict(dict), defaultdict(dict)
    for indicator_id, y, raw in Target.objects.filter(indicator__plan=plan).values_list("indicator_id", "year", "raw_text"):
        targets[indicator_id][y] = raw
    for (indicator_id, y), counted in counted_values(IndicatorValue.objects.filter(indicator__plan=plan)).items():
        values[indicator_id][y] = counted
    overrides = _overrides({"indicator__plan": plan})
    for indicator_id, y, status_, explanation, fingerprint, message in AttainmentResult.objects.filter(
        indicator__plan=plan
    ).values_list("indicator_id", "year", "status", "explanation", "fingerprint", "details__message"):
        override = overrides.get((indicator_id, y))
        standing = override_stands(override, fingerprint)
        results[indicator_id][y] = {
            "status": status_,
            "effective_status": override.status if standing else status_,
            "overridden": standing and override.status != status_,
            "explanation": explanation_text(explanation, {"message": message}),
        }

    judged_years = sorted({y for per_year in results.values() for y in per_year})
    target_years = sorted({y for per_year in targets.values() for y in per_year})
    reported = Counter(y for per_year in values.values() for y, c in per_year.items() if c.raw is not None)
    if year is None:
        today = timezone.localdate()
        closed_years = set(ReportingDeadline.objects.filter(plan=plan, due_on__lt=today).values_list("year", flat=True))
        year = year_to_show(plan, reported, len(indicators), closed_years)
    chosen_year = year

    rows, everything = [], []
    for indicator in indicators:
        pk = indicator["pk"]
        own_values = values.get(pk, {})
        baseline_years = [y for y in own_values if y <= plan.baseline_year]
        row = {
            **indicator,
            "region": indicator["region__name"],
            "targets": [targets[pk].get(y, "") for y in target_years],
            "target_runs": target_runs([targets[pk].get(y, "") for y in target_years], target_years),
            "baseline": own_values[max(baseline_years)].raw if baseline_years else None,
            "value": own_values.get(chosen_year),
            "result": results.get(pk, {}).get(chosen_year),
            "statuses": {y: r["effective_status"] for y, r in results.get(pk, {}).items()},
        }
        everything.append(row)
        if category and row["category"] != category:
            continue
        if attribute and row["attribute"] != attribute:
            continue
        if status and (row["result"] is None or row["result"]["effective_status"] != status):
            continue
        rows.append(row)

    summary = attainment.rollup(
        [
            (r["name"], r["category"] or "—", r["attribute"] or "—", r["result"]["effective_status"])
            for r in everything
            if r["result"]
        ]
    )
    heat_rows = [(_label(r), r["statuses"]) for r in rows if r["statuses"]]
    projects = project_rows(plan, chosen_year)
    planned_total = sum((p.investment_wan or 0 for p, _ in projects), Decimal(0))
    executed_total = sum((s.executed or 0 for _, s in projects), Decimal(0))
    by_category = defaultdict(lambda: [Decimal(0), Decimal(0)])
    for project, schedule in projects:
        by_category[project.category or "—"][0] += project.investment_wan or 0
        by_category[project.category or "—"][1] += schedule.executed or 0
    figures = {
        "categories": charts.category_stack(summary["by_category"]) if summary["by_category"] else None,
        "heatmap": charts.status_heatmap(heat_rows, judged_years) if heat_rows and judged_years else None,
        "timeline": charts.project_timeline(
            [(f"{p.seq} {p.name[:18]}", p.start_year, p.end_year, s.status, s.label) for p, s in projects]
        )
        if any(p.start_year for p, _s in projects)
        else None,
        # No chart of zeros: a document that lists no investments gets a sentence saying so instead.
        "investment": charts.investment_bars([(c, v[0], v[1]) for c, v in by_category.items()])
        if planned_total or executed_total
        else None,
    }
    return {
        "rows": rows,
        "target_years": target_years,
        "judged_years": judged_years,
        "year": chosen_year,
        "reported_in_year": reported.get(chosen_year, 0),
        "any_judged": any(s != "no_data" for r in rows for s in r["statuses"].values()),
        "investments_listed": any(p.investment_wan is not None for p, _s in projects),
        "year_choices": [(y, reported.get(y, 0)) for y in plan.years],
        "indicator_total": len(indicators),
        "summary": summary,
        "status_counts": [(s, attainment.STATUS_LABELS[s], summary["total"][s]) for s in STATUS_ORDER],
        "categories": sorted({r["category"] for r in everything if r["category"]}),
        "attributes": sorted({r["attribute"] for r in everything if r["attribute"]}),
        "projects": projects,
        "planned_total": planned_total,
        "executed_total": executed_total,
        "stated_totals": list(plan.stated_totals.order_by("position")),
        "figures": figures,
        "filters": {"category": category, "attribute": attribute, "status": status, "year": chosen_year},
    }


def _label(row):
    label = f"{row['seq']} {row['name']}".strip()
    if row["region"]:
        label += f"（{row['region']}）"
    return label[:28]


PROGRESS_FIELDS = ("status", "investment_completed_wan", "percent_complete", "remark")  # in Report's order


def project_rows(plan, year, projects=None, counted=None):
    """(project, schedule) with `schedule.executed` (latest cumulative investment). Two queries,
    none when the caller read the projects and their progress that counts already."""
    if projects is None:
        projects = KeyProject.objects.filter(plan=plan).order_by("position")
    projects = list(projects)
    if counted is None:
        counted = counted_rows(ProjectProgress.objects.filter(project__in=projects), ("project_id", "year"), PROGRESS_FIELDS)
    reports = defaultdict(dict)
    for (project_id, reported), figure in counted.items():
        if figure.figure is not None:
            reports[project_id][reported] = Report(reported, *figure.figure.values())
    rows = []
    as_of_year = current_year()  # once: it reads the time zone, which costs at a province's 100,000 projects
    for project in projects:
        own = reports.get(project.pk, {})
        schedule = schedule_for(
            year=year,
            start_year=project.start_year,
            end_year=project.end_year,
            planned=project.investment_wan,
            reports=own,
            as_of_year=as_of_year,
        )
        project.reports = [own[y] for y in sorted(own)]
        rows.append((project, schedule))
    return rows


def indicator_detail(indicator):
    """Chart data and the per-year judgements of one indicator."""
    plan = indicator.plan
    targets = list(indicator.targets.order_by("year"))
    values = list(indicator.values.filter(region__isnull=True).order_by("year"))
    counted = counted_values(indicator.values.all(), ("raw_text", "number"))
    for value in values:
        value.counted = counted[(indicator.pk, value.year)]
    results = list(AttainmentResult.objects.filter(indicator=indicator).order_by("year"))
    overrides = {o.year: o for o in StatusOverride.objects.filter(indicator=indicator).select_related("created_by")}
    for result in results:
        result.override = overrides.get(result.year)
        result.effective_status = effective_status(result, result.override)
    # Only figures that count are drawn (a draft or returned figure is nobody's word yet).
    numeric = sorted(
        (year, n)
        for (_id, year), c in counted.items()
        if c.raw is not None and (n := attainment.Observation.of(year, c.raw, c.figure["number"]).number) is not None
    )
    baseline = next(((y, n) for y, n in reversed(numeric) if y <= plan.baseline_year), None)
    target_path = _target_path(targets, baseline)
    projection = []
    later = [t.year for t in targets if t.year > max((y for y, _ in numeric), default=0)]
    if len({y for y, _ in numeric}) >= 2 and later:
        last_year = max(y for y, _ in numeric)
        end = max(later)
        points = [(y, n) for y, n in numeric]
        for year in range(last_year, end + 1):
            projected = attainment.least_squares_projection(points, year)
            projection.append((year, Decimal(str(round(projected, 4)))))
    standard = attainment.Observation.of(0, indicator.standard_value).number if indicator.standard_value else None
    figure = charts.indicator_lines(
        name=indicator.name,
        unit=indicator.unit,
        values=numeric,
        target_path=target_path,
        projection=projection,
        standard=standard,
        statuses={r.year: r.effective_status for r in results},
    )
    return {"targets": targets, "values": values, "results": results, "figure": figure, "has_chart": bool(numeric or target_path)}


def _target_path(targets, baseline):
    """Yearly numeric targets as printed; with only an end target, the straight line from the baseline."""
    numeric = []
    for target in targets:
        parsed = target.target
        if parsed.kind == "compound":
            parsed = next((p for p in parsed.parts if p.kind == "threshold" and p.value is not None), parsed)
        if parsed.kind == "threshold" and parsed.value is not None:
            numeric.append((target.year, parsed.value))
        elif target.assigned_value is not None:
            numeric.append((target.year, target.assigned_value))
    if len(numeric) == 1 and baseline is not None:
        return [baseline, numeric[0]]
    return numeric


def shared_keys(plans) -> dict[str, int]:
    """Comparison keys that at least two of `plans` share, with how many plans: one query."""
    counted = (
        Indicator.objects.filter(plan__in=plans)
        .exclude(key="")
        .values_list("key")
        .annotate(n=Count("plan_id", distinct=True))
        .filter(n__gte=2)
    )
    return dict(sorted(counted, key=lambda item: keys.LABELS.get(item[0], item[0])))


def comparison_rows(plans, key, shared):
    """The indicators to compare (of one key, or of every shared key), in order: a queryset the
    page slices, so a page reads only its own rows."""
    rows = Indicator.objects.filter(plan__in=plans, key__in=[key] if key else list(shared))
    return rows.select_related("plan__region", "region").order_by("key", "plan__code", "position")


def comparison(indicators):
    """Indicators that several plans share, side by side: {key: [(indicator, {year: (value, status)})]}
    for the page's `indicators`; four queries, whatever the number of plans."""
    indicators = list(indicators)
    figures = defaultdict(dict)
    for (indicator_id, year), c in counted_values(IndicatorValue.objects.filter(indicator__in=indicators)).items():
        if c.raw is not None:
            figures[indicator_id][year] = c.raw
    # The effective status, as on every other page: a standing reviewer's override replaces the engine's.
    overrides = {(o.indicator_id, o.year): o for o in StatusOverride.objects.filter(indicator__in=indicators)}
    statuses = {
        (r.indicator_id, r.year): effective_status(r, overrides.get((r.indicator_id, r.year)))
        for r in AttainmentResult.objects.filter(indicator__in=indicators).only("indicator_id", "year", "status", "fingerprint")
    }
    groups = defaultdict(list)
    for indicator in indicators:
        cells = {year: (raw, statuses.get((indicator.pk, year))) for year, raw in sorted(figures[indicator.pk].items())}
        groups[indicator.key].append((indicator, cells))
    years = sorted({y for rows in groups.values() for _, cells in rows for y in cells})
    # Each row's cells in the years' order: the template writes them straight out (looking each
    # year up in the template was most of the page's time at 200 rows × 15 years).
    return [
        {
            "key": key,
            "label": keys.LABELS.get(key, key),
            "rows": [(indicator, [cells.get(y) for y in years]) for indicator, cells in rows],
            "years": years,
        }
        for key, rows in sorted(groups.items(), key=lambda item: keys.LABELS.get(item[0], item[0]))
    ]


def completion_review(plan):
    """The printed verdict beside the engine's judgement, row by row (completion reviews)."""
    final = plan.period_end
    results = {r.indicator_id: r for r in AttainmentResult.objects.filter(indicator__plan=plan, year=final)}
    printed = {"完成": "met", "未完成": "not_met"}
    rows, agree = [], 0
    for indicator in plan.indicators.prefetch_related("targets", "values").order_by("position"):
        result = results.get(indicator.pk)
        engine = result.status if result else None
        verdict = printed.get(indicator.verdict)
        same = engine == verdict
        agree += same
        targets = {t.year: t.raw_text for t in indicator.targets.all()}
        values = {v.year: v.raw_text for v in indicator.values.all()}
        rows.append(
            {
                "indicator": indicator,
                "target": targets.get(final, ""),
                "value": values.get(final, ""),
                "verdict": indicator.verdict,
                "result": result,
                "agrees": same,
            }
        )
    return {"rows": rows, "agree": agree, "total": len(rows), "year": final}
