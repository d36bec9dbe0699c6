from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render

from django.utils import timezone

from indicators import selectors
from indicators.access import can_enter, can_review, get_plan_for_user, plans_for_user
from indicators.models import Indicator, IndicatorValue, Target

SOURCES_DIR = settings.BASE_DIR / "fixtures" / "sources"


def home(request):
    plans = plans_for_user(request.user).select_related("region")
    if not request.user.is_authenticated and not plans:
        return redirect_to_login(request.get_full_path())
    return render(request, "indicators/home.html", {"plans": plans})


def plan_detail(request, code):
    plan = get_plan_for_user(request, code)
    indicators = (
        plan.indicators.select_related("region", "parent")
        .prefetch_related(
            Prefetch("targets", queryset=Target.objects.order_by("year")),
            Prefetch("values", queryset=IndicatorValue.objects.order_by("year")),
        )
        .order_by("position")
    )
    rows = list(indicators)
    target_years = sorted({t.year for i in rows for t in i.targets.all()})
    value_years = sorted({v.year for i in rows for v in i.values.all()})
    latest = {}
    for result in selectors.results_for(plan):
        reported = result.details.get("value") is not None
        best = latest.get(result.indicator_id)
        if best is None or (reported, result.year) >= (best.details.get("value") is not None, best.year):
            latest[result.indicator_id] = result
    for indicator in rows:
        targets = {t.year: t for t in indicator.targets.all()}
        values = {v.year: v for v in indicator.values.all()}
        indicator.target_cells = [targets.get(y) for y in target_years]
        indicator.value_cells = [values.get(y) for y in value_years]
        indicator.latest = latest.get(indicator.pk)
        indicator.latest_value = values.get(indicator.latest.year) if indicator.latest else None
    context = {
        "plan": plan,
        "indicators": rows,
        "target_years": target_years,
        "value_years": value_years,
        "projects": plan.projects.order_by("position"),
        "stated_totals": plan.stated_totals.order_by("position"),
        "milestones": plan.milestones.all(),
        "can_enter": can_enter(request.user, plan),
        "can_review": can_review(request.user, plan),
        "entry_year": _entry_year(plan),
    }
    return render(request, "indicators/plan_detail.html", context)


def _entry_year(plan):
    """The year officials are reporting now: last year, kept inside the plan period."""
    return min(max(timezone.localdate().year - 1, plan.period_start), plan.period_end)


def source_document(request, filename):
    """A seed document with numbered lines, so every row can link to the line it was copied from."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    allowed = {p.name: p for p in SOURCES_DIR.glob("*.txt")}
    if filename not in allowed:
        raise Http404
    lines = allowed[filename].read_text(encoding="utf-8").splitlines()
    return render(
        request,
        "indicators/source_document.html",
        {"filename": filename, "lines": list(enumerate(lines, start=1))},
    )
