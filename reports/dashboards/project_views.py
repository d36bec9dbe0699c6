"""Key projects: a filtered list across the plans a user may read, and one project's page."""

from django.shortcuts import get_object_or_404, render

from indicators import access
from indicators.models import reporting_calendar_year
from projects.models import KeyProject
from projects.schedule import LABELS
from reports.dashboards.selectors import project_rows


def project_list(request):
    plans = access.plans_for_request(request)
    filters = {key: request.GET.get(key, "") for key in ("plan", "category", "nature", "status", "location")}
    projects = KeyProject.objects.filter(plan__in=plans).select_related("plan").order_by("plan__code", "position")
    if filters["plan"]:
        projects = projects.filter(plan__code=filters["plan"])
    if filters["category"]:
        projects = projects.filter(category=filters["category"])
    if filters["nature"]:
        projects = projects.filter(nature=filters["nature"])
    year = reporting_calendar_year()
    if filters["location"]:
        # The documents print "41 团" and "41团" alike: compare without spaces.
        wanted = filters["location"].replace(" ", "")
        projects = [p for p in projects if wanted in (p.location + p.content).replace(" ", "")]
    rows = project_rows(None, year, projects)
    if filters["status"]:
        rows = [(p, s) for p, s in rows if s.status == filters["status"]]
    choices = KeyProject.objects.filter(plan__in=plans)
    context = {
        "rows": rows,
        "year": year,
        "filters": filters,
        "plans": plans.order_by("code"),
        "categories": sorted(set(choices.exclude(category="").values_list("category", flat=True))),
        "natures": KeyProject.Nature.choices,
        "statuses": list(LABELS.items()),
        "planned": sum((p.investment_wan or 0 for p, _ in rows), 0),
        "executed": sum((s.executed or 0 for _, s in rows), 0),
    }
    return render(request, "dashboards/project_list.html", context)


def project_detail(request, code, seq):
    plan = access.get_plan_for_user(request, code)
    project = get_object_or_404(KeyProject.objects.select_related("region"), plan=plan, seq=seq)
    year = plan.reporting_year
    [(project, schedule)] = project_rows(plan, year, [project])
    progress = project.progress.select_related("entered_by").order_by("year")
    return render(
        request,
        "dashboards/project_detail.html",
        {"plan": plan, "project": project, "schedule": schedule, "progress": progress, "year": year},
    )
