"""Reads that combine stored results with overrides: what dashboards, reports and the API show."""

from indicators import attainment
from indicators.models import AttainmentResult, StatusOverride
from indicators.recompute import effective_status
from projects.models import KeyProject, ProjectProgress
from projects.schedule import Report, schedule_for


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
        result.override_stands = result.override is not None and result.override.basis == result.fingerprint
    return rows


def plan_rollup(plan, year):
    """Counts per status by plan, category and attribute for one year, and binding alerts."""
    rows = [
        (r.indicator.name, r.indicator.category, r.indicator.attribute, r.effective_status)
        for r in results_for(plan, year)
    ]
    return attainment.rollup(rows)


def project_schedules(plan, year, as_of_year):
    """(project, Schedule) for every key project of a plan. Two queries."""
    reports = {}
    for progress in ProjectProgress.objects.filter(project__plan=plan):
        reports.setdefault(progress.project_id, {})[progress.year] = Report(
            progress.year, progress.status, progress.investment_completed_wan, progress.percent_complete
        )
    return [
        (
            project,
            schedule_for(
                year=year,
                start_year=project.start_year,
                end_year=project.end_year,
                planned=project.investment_wan,
                reports=reports.get(project.pk, {}),
                as_of_year=as_of_year,
            ),
        )
        for project in KeyProject.objects.filter(plan=plan).order_by("position")
    ]
