"""The content of a report, as plain JSON-able data: what the workbook builders and the CSV
write, and what an evaluation snapshot freezes. Read from the database with a fixed number of
queries, for one plan or for all of them (plans_report_data)."""

from __future__ import annotations

from django.db.models import F, Q
from django.utils import timezone

from indicators.core import attainment
from indicators.counting import approved_before, counted_from, waiting
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan, StatusOverride, Target, TargetRevision
from indicators.recompute import current_year, effective_status, inputs_for, override_stands, revised_texts
from plandata import sources
from projects.models import KeyProject, ProjectProgress, StatedTotal
from projects.schedule import LABELS as SCHEDULE_LABELS
from reports.dashboards.selectors import PROGRESS_FIELDS, project_rows

MIDTERM, FINAL, PROGRESS, ANNUAL = "midterm", "final", "progress", "annual"
MIDTERM_VERDICTS = {"met": "进度符合预期", "on_track": "进度符合预期", "lagging": "滞后", "not_met": "滞后"}
FINAL_VERDICTS = {"met": "完成", "not_met": "未完成", "lagging": "未完成", "on_track": "完成"}


def _plan_meta(plan):
    return {
        "code": plan.code,
        "title": plan.title,
        "region": plan.region.name,
        "period_start": plan.period_start,
        "period_end": plan.period_end,
        "baseline_year": plan.baseline_year,
        "source": sources.title(plan.source_file) if plan.source_file else "",
    }


def _revision_note(recorded) -> str:
    """The revisions of a row's targets, as a sentence for the report (workbooks keep Chinese)."""
    return "".join(
        f"（{r.year}年目标经{r.document}于{r.revised_on:%Y年%m月%d日}调整：{r.previous_text or '无'}→{r.new_text}，"
        f"自{r.effective_from}年起适用）"
        for r in recorded
    )


def report_data(plan: Plan, year: int, kind: str = PROGRESS) -> dict:
    """The indicator, project and summary content of `plan` for `year`."""
    return next(plans_report_data([(plan, year)], kind))


class _ByPlan:
    """One table's rows for many plans, read in one query ordered as the plans are and handed out
    plan by plan as the report reaches it (on PostgreSQL through a server-side cursor: a summary
    of 2,000 plans never holds more than one plan's rows)."""

    def __init__(self, rows, plan_of=lambda row: row[0]):
        self._rows, self._plan_of = iter(rows), plan_of
        self._next = next(self._rows, None)

    def take(self, plan_id) -> list:
        taken = []
        while self._next is not None and self._plan_of(self._next) == plan_id:
            taken.append(self._next)
            self._next = next(self._rows, None)
        return taken


def plans_report_data(pairs: list[tuple[Plan, int]], kind: str = PROGRESS):
    """`report_data` of each (plan, year), in the order given (by plan code): every table read in
    one query for all the plans, whatever their number, and streamed (issue 17)."""
    ids = [plan.pk for plan, _year in pairs]
    # The database's order of the codes (its collation, which may not be Python's), as every
    # table below is read in it.
    order = {pk: n for n, pk in enumerate(Plan.objects.filter(pk__in=ids).order_by("code").values_list("pk", flat=True))}
    pairs = sorted(pairs, key=lambda pair: order[pair[0].pk])
    by_year: dict[int, list[int]] = {}
    for plan, year in pairs:
        by_year.setdefault(year, []).append(plan.pk)
    in_year = Q()
    for year, plan_ids in by_year.items():
        in_year |= Q(indicator__plan_id__in=plan_ids, year=year)
    chunk = 2000
    indicators = _ByPlan(
        Indicator.objects.filter(plan_id__in=ids).select_related("region").order_by("plan__code", "position").iterator(chunk),
        lambda i: i.plan_id,
    )
    targets = _ByPlan(
        Target.objects.filter(indicator__plan_id__in=ids)
        .order_by("indicator__plan__code")
        .values_list("indicator__plan_id", "indicator_id", "year", "raw_text")
        .iterator(chunk)
    )
    revisions = _ByPlan(
        TargetRevision.objects.filter(indicator__plan_id__in=ids)
        .annotate(plan_id=F("indicator__plan_id"))
        .order_by("indicator__plan__code", "created_at", "pk")
        .iterator(chunk),
        lambda r: r.plan_id,
    )
    plan_values = IndicatorValue.objects.filter(indicator__plan_id__in=ids, region__isnull=True)
    values = _ByPlan(
        plan_values.order_by("indicator__plan__code")
        .values_list("indicator__plan_id", "pk", "indicator_id", "year", "origin", "state", "raw_text")
        .iterator(chunk)
    )
    values_before = approved_before(IndicatorValue, waiting(plan_values), ("raw_text",))
    results = _ByPlan(
        AttainmentResult.objects.filter(in_year)
        .defer("details")  # the engine's working, never printed; decoding its JSON cost seconds at 2,000 plans
        .annotate(plan_id=F("indicator__plan_id"))
        .order_by("indicator__plan__code", "indicator__position", "year")
        .iterator(chunk),
        lambda r: r.plan_id,
    )
    overrides = _ByPlan(
        StatusOverride.objects.filter(in_year)
        .annotate(plan_id=F("indicator__plan_id"))
        .order_by("indicator__plan__code")
        .iterator(chunk),
        lambda o: o.plan_id,
    )
    projects = _ByPlan(
        KeyProject.objects.filter(plan_id__in=ids).order_by("plan__code", "position").iterator(chunk), lambda p: p.plan_id
    )
    plan_progress = ProjectProgress.objects.filter(project__plan_id__in=ids)
    progress = _ByPlan(
        plan_progress.order_by("project__plan__code")
        .values_list("project__plan_id", "pk", "project_id", "year", "origin", "state", *PROGRESS_FIELDS)
        .iterator(chunk)
    )
    progress_before = approved_before(ProjectProgress, waiting(plan_progress), PROGRESS_FIELDS)
    totals = _ByPlan(
        StatedTotal.objects.filter(plan_id__in=ids).order_by("plan__code", "position").iterator(chunk), lambda t: t.plan_id
    )
    for plan, year in pairs:
        yield _assembled(
            plan,
            year,
            kind,
            indicators=indicators.take(plan.pk),
            targets=targets.take(plan.pk),
            revisions=revisions.take(plan.pk),
            values=counted_from([row[1:] for row in values.take(plan.pk)], values_before, ("raw_text",)),
            results=results.take(plan.pk),
            overrides=overrides.take(plan.pk),
            projects=projects.take(plan.pk),
            progress=counted_from([row[1:] for row in progress.take(plan.pk)], progress_before, PROGRESS_FIELDS),
            totals=totals.take(plan.pk),
        )


def _assembled(plan, year, kind, *, indicators, targets, revisions, values, results, overrides, projects, progress, totals):
    """One plan's report data from its rows (plans_report_data reads them)."""
    for indicator in indicators:
        indicator.plan = plan
    # Completion against elapsed time is an evaluation's column; progress reports skip the parsing.
    inputs = inputs_for(indicators, current_year()) if kind in (MIDTERM, FINAL) else None
    by_indicator: dict[int, dict] = {}
    for _plan, indicator_id, target_year, raw in targets:
        by_indicator.setdefault(indicator_id, {})[target_year] = raw
    targets = by_indicator
    # A report for `year` prints the targets in force in that year (revisions recorded later, or in
    # force from a later year, do not rewrite it) and says what was revised.
    revised: dict[int, list] = {}
    for revision in revisions:
        revised.setdefault(revision.indicator_id, []).append(revision)
    revisions = revised
    for indicator_id, recorded in revisions.items():
        for target_year, text in revised_texts(recorded, year).items():
            if text:
                targets.setdefault(indicator_id, {})[target_year] = text
            else:
                targets.get(indicator_id, {}).pop(target_year, None)
    counted = values
    values = {}
    for (indicator_id, y), figure in counted.items():
        values.setdefault(indicator_id, {})[y] = figure
    standing = {(o.indicator_id, o.year): o for o in overrides}
    for result in results:
        result.override = standing.get((result.indicator_id, result.year))
        result.effective_status = effective_status(result, result.override)
        result.override_stands = override_stands(result.override, result.fingerprint)
    results = {r.indicator_id: r for r in results}
    rows = []
    for indicator in indicators:
        own = {y: c for y, c in values.get(indicator.pk, {}).items() if c.raw is not None}
        base_years = [y for y in own if y <= plan.baseline_year]
        result = results.get(indicator.pk)
        status = result.effective_status if result else None
        completion, elapsed = attainment.progress_shares(inputs[indicator.pk], year) if inputs else (None, None)
        value = own.get(year)
        pending = values.get(indicator.pk, {}).get(year)
        rows.append(
            {
                "id": indicator.pk,
                "seq": indicator.seq,
                "name": indicator.name,
                "category": indicator.category,
                "subcategory": indicator.subcategory,
                "unit": indicator.unit,
                "attribute": indicator.attribute,
                "region": indicator.region.name if indicator.region else "",
                "baseline": own[max(base_years)].raw if base_years else None,
                "baseline_year": max(base_years) if base_years else None,
                "targets": {str(y): t for y, t in sorted(targets.get(indicator.pk, {}).items())},
                "values": {str(y): v.raw for y, v in sorted(own.items()) if y > plan.baseline_year},
                "value": value.raw if value else None,
                "approved": bool(value) and value.approved,
                "demo": bool(value) and value.demo,
                "pending": pending.pending if pending else "",
                "status": status,
                "status_label": attainment.STATUS_LABELS.get(status, "") if status else "",
                "overridden": bool(result and result.override_stands),
                "method": result.method if result else "",
                "explanation": " ".join(
                    filter(None, [result.explanation if result else "", _revision_note(revisions.get(indicator.pk, []))])
                ),
                "completion_share": completion,
                "elapsed_share": elapsed,
                "verdict_printed": indicator.verdict,
                # The line only: the document is named once, in the sheet's heading (plan["source"]).
                "source": f"第{indicator.source_line}行" if indicator.source_file else "",
            }
        )
    project_list = []
    for project, schedule in project_rows(plan, year, projects, counted=progress):
        latest = project.reports[-1] if project.reports else None
        project_list.append(
            {
                "seq": project.seq,
                "category": project.category,
                "name": project.name,
                "nature": project.nature,
                "period": project.period_text,
                "planned": str(project.investment_wan) if project.investment_wan is not None else None,
                "completed": str(schedule.executed) if schedule.executed is not None else None,
                "status": schedule.status,
                "status_label": SCHEDULE_LABELS[schedule.status],
                "remark": latest.remark if latest else "",
                "percent": str(latest.percent_complete) if latest and latest.percent_complete is not None else None,
            }
        )
    summary = attainment.rollup(
        [(r["name"], r["category"] or "—", r["attribute"] or "—", r["status"]) for r in rows if r["status"]]
    )
    # One actual column per plan year up to the report's year, as the plan tables print them.
    value_years = list(range(plan.period_start, year + 1))
    return {
        "kind": kind,
        "plan": _plan_meta(plan),
        "year": year,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "engine_version": attainment.ENGINE_VERSION,
        "target_years": sorted({int(y) for r in rows for y in r["targets"]}),
        "value_years": value_years,
        "indicators": rows,
        "projects": project_list,
        "stated_totals": [
            {
                "what": t.what,
                "category": t.category,
                "count": t.count,
                "text": t.text,
                "value_wan": str(t.value_wan) if t.value_wan is not None else None,
            }
            for t in totals
        ],
        "summary": {
            "total": summary["total"],
            "by_category": summary["by_category"],
            "by_attribute": summary["by_attribute"],
            "alerts": summary["alerts"],
        },
    }


def evaluation_year(plan: Plan, kind: str) -> int:
    """The year a mid-term or final evaluation looks at."""
    if kind == FINAL:
        return plan.period_end
    midterm = plan.milestones.filter(kind="midterm").first()
    return midterm.year if midterm else plan.period_start + (plan.period_end - plan.period_start) // 2


def verdict(kind: str, status: str | None) -> str:
    table = MIDTERM_VERDICTS if kind == MIDTERM else FINAL_VERDICTS
    return table.get(status) or attainment.STATUS_LABELS.get(status, "")


# Why an indicator could not be judged, as the conclusion words it.
UNJUDGED_REASONS = {
    "no_data": "缺少数据",
    "pending_assignment": "待上级下达指标值",
    "not_assessable": "无法判断",
}


def evaluation_text(data: dict) -> list[str]:
    """The auto-written conclusion of an evaluation: how many indicators were judged and how, the
    binding ones at risk by name, and how many could not be judged and why. It never says that no
    binding indicator failed when some, or all, could not be judged."""
    kind, year, plan = data["kind"], data["year"], data["plan"]
    rows = [r for r in data["indicators"] if r["status"]]
    judged = [r for r in rows if r["status"] not in UNJUDGED_REASONS]
    unjudged = [r for r in rows if r["status"] in UNJUDGED_REASONS]
    name = "中期评估" if kind == MIDTERM else "终期考核"
    counts = {}
    for r in judged:
        counts[verdict(kind, r["status"])] = counts.get(verdict(kind, r["status"]), 0) + 1
    head = f"《{plan['title']}》{name}（{year}年）：{len(rows)} 项指标中，已判定 {len(judged)} 项"
    if counts:
        head += "（" + "，".join(f"{label} {n} 项" for label, n in sorted(counts.items(), key=lambda kv: -kv[1])) + "）"
    if unjudged:
        head += f"，未能判定 {len(unjudged)} 项（{_reasons(unjudged)}）"
    sentences = [head + "。"]

    binding = [r for r in rows if r["attribute"] == "约束性"]
    if binding:
        at_risk = [r for r in binding if r["status"] in ("not_met", "lagging")]
        binding_unjudged = [r for r in binding if r["status"] in UNJUDGED_REASONS]
        binding_judged = len(binding) - len(binding_unjudged)
        if at_risk:
            names = "、".join(f"{r['name']}（{verdict(kind, r['status'])}）" for r in at_risk)
            sentences.append(f"约束性指标 {len(binding)} 项中有 {len(at_risk)} 项存在风险：{names}。")
        elif binding_judged:
            sentences.append(f"已判定的 {binding_judged} 项约束性指标均未出现未达标或进度滞后。")
        if binding_unjudged and not binding_judged:
            sentences.append(f"约束性指标 {len(binding)} 项均未能判定（{_reasons(binding_unjudged)}），本报告不能对其作出结论。")
        elif binding_unjudged:
            sentences.append(f"另有 {len(binding_unjudged)} 项约束性指标未能判定（{_reasons(binding_unjudged)}）。")
    if unjudged:
        sentences.append("未能判定的指标须由填报员报送数值、审核员录入上级下达值或设定指标方向后重新计算。")
    return sentences


def _reasons(rows):
    found = {}
    for r in rows:
        found[UNJUDGED_REASONS[r["status"]]] = found.get(UNJUDGED_REASONS[r["status"]], 0) + 1
    return "、".join(f"{reason} {n} 项" for reason, n in found.items())


def summary_data(plans: list[Plan], year: int | None = None) -> dict:
    """The all-plans summary: one row per plan (`rows`) and each plan's own report data (`plans`,
    produced as it is consumed, each adding its row: the workbook is written while the plans are
    read, with a fixed number of queries and one plan in memory at a time)."""
    chosen = list(Plan.objects.filter(pk__in=[p.pk for p in plans]).select_related("region").order_by("code"))
    pairs = [(plan, year if year and plan.period_start <= year <= plan.period_end else plan.reporting_year) for plan in chosen]
    rows: list[dict] = []

    def per_plan():
        for (plan, plan_year), data in zip(pairs, plans_report_data(pairs), strict=True):
            rows.append(
                {
                    "code": plan.code,
                    "title": plan.title,
                    "region": plan.region.name,
                    "period": f"{plan.period_start}—{plan.period_end}",
                    "year": plan_year,
                    "counts": data["summary"]["total"],
                    "alerts": len(data["summary"]["alerts"]),
                    "planned": sum(float(p["planned"]) for p in data["projects"] if p["planned"]),
                    "completed": sum(float(p["completed"]) for p in data["projects"] if p["completed"]),
                }
            )
            yield data

    return {
        "kind": "summary",
        "count": len(pairs),
        "rows": rows,
        "plans": per_plan(),
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
    }
