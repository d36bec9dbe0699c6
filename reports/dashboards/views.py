"""Reading pages: overview, plan dashboard, indicator page, comparison, completion reviews, sources."""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from indicators import access, recompute, services
from indicators.core import workflow
from indicators.i18n import error_text
from indicators.models import AttainmentResult, Indicator
from plandata import sources
from portal.errors import bad_input
from reports.dashboards import selectors as dashboards

STATUS_LABELS = dict(AttainmentResult.Status.choices)  # translated labels, keyed by status code
_BADGES = {"manual_label": gettext_lazy("人工")}


OVERVIEW_PAGE = 24  # plan cards per page: a province has 2,000 plans


def home(request):
    plans = access.plans_for_request(request).select_related("region").order_by("-period_end", "code")
    page = Paginator(plans, OVERVIEW_PAGE).get_page(request.GET.get("page"))
    context = dashboards.overview(page.object_list)
    context.update(statuses=list(STATUS_LABELS.items()), page=page)
    return render(request, "dashboards/home.html", context)


def _date(value):
    """A date typed as 2026-03-01 (the date input's format), else None."""
    import datetime

    try:
        return datetime.date.fromisoformat((value or "").strip())
    except ValueError:
        return None


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def plan_detail(request, code):
    plan = access.get_plan_for_user(request, code, head=True)  # its data version keys the page
    if not plan.reporting:
        return redirect("completion_review", code=plan.code)
    filters = {
        "category": request.GET.get("category", ""),
        "attribute": request.GET.get("attribute", ""),
        "status": request.GET.get("status", ""),
        "year": _int(request.GET.get("year")),
    }
    key = ":".join(
        ["dashboard", plan.code, plan.data_version, get_language(), str(recompute.current_year())]
        + [str(filters[k] or "") for k in ("category", "attribute", "status", "year")]
    )
    page_key = _page_key(request, plan, key)
    if page_key:
        # The digest is the ETag and the cache key: short, whatever the user name or filters.
        digest = hashlib.sha1(page_key.encode()).hexdigest()
        etag = f'"{digest}"'
        if etag in request.headers.get("If-None-Match", ""):
            return _private(HttpResponseNotModified(), etag)  # the browser's copy is current
        html = caches["pages"].get(digest)
        if html is not None:
            return _private(HttpResponse(html), etag)
    # Only pages with known filters are ever kept, so the filters are checked past the cache.
    refused = _unknown_filter(request, plan, filters)
    if refused:
        return refused
    plan = access.get_plan_for_user(request, code)  # rendering: the whole plan
    body = cache.get(key)
    if body is None:
        context = dashboards.plan_dashboard(plan, **filters)
        context.update(
            plan=plan, milestones=plan.milestones.all(), statuses=list(STATUS_LABELS.items()), years=plan.years, **_BADGES
        )
        body = render_to_string("dashboards/_plan_dashboard_body.html", context, request)
        cache.set(key, body, settings.DASHBOARD_CACHE_SECONDS)
    context = dict(
        body=mark_safe(body),  # rendered above by the template engine, escaped there
        plan=plan,
        can_enter=access.can_enter(request.user, plan),
        can_review=access.can_review(request.user, plan),
        can_export=access.can_export(request.user, plan),
        entry_year=plan.reporting_year,
    )
    response = render(request, "dashboards/plan_dashboard.html", context)
    if page_key:
        caches["pages"].set(digest, response.content, settings.DASHBOARD_CACHE_SECONDS)
        _private(response, etag)
    return response


def _page_key(request, plan, body_key):
    """The key of the whole page for this person, or None when it may not be reused.

    A page is the body (shared by everyone, keyed by the plan's data version) in a shell that
    names the user, offers what their roles allow and carries their CSRF token: so the key holds
    the user, their scope on the plan and their CSRF secret. A page with messages to show, or a
    visitor without a CSRF cookie yet (the page sets it), is rendered afresh."""
    csrf = request.META.get("CSRF_COOKIE")
    if request.method != "GET" or not csrf or _messages_waiting(request):
        return None
    user = request.user
    person = f"{user.pk}:{user.get_username()}:{int(user.is_staff)}" if user.is_authenticated else "-"
    scope = access.scope_of(user, plan)
    return ":".join(["page", body_key, person, scope, hashlib.sha1(csrf.encode()).hexdigest()])


def _messages_waiting(request) -> bool:
    """Messages to show (kept in a cookie, or in the session when too long), without decoding them."""
    return CookieStorage.cookie_name in request.COOKIES or SessionStorage.session_key in request.session


def _private(response, etag):
    """Per person, revalidated on every visit: a repeat visit is a 304 when nothing changed."""
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    patch_vary_headers(response, ["Cookie", "Accept-Language"])
    return response


def _unknown_filter(request, plan, filters):
    """A filter value the plan does not have is a 400 naming the filter: it never reaches a query
    or becomes a cache entry of its own."""
    if filters["status"] and filters["status"] not in STATUS_LABELS:
        return bad_input(request, _("筛选条件“状态”的值无效"))
    if request.GET.get("year") and filters["year"] not in plan.years:
        return bad_input(request, _("筛选条件“年份”不在规划期内"))
    if filters["category"] or filters["attribute"]:
        own = list(Indicator.objects.filter(plan=plan).values_list("category", "attribute"))
        if filters["category"] and filters["category"] not in {c for c, _a in own}:
            return bad_input(request, _("筛选条件“方面/领域”不是本规划的类别"))
        if filters["attribute"] and filters["attribute"] not in {a for _c, a in own}:
            return bad_input(request, _("筛选条件“属性”不是本规划的指标属性"))
    return None


def completion_review(request, code):
    plan = access.get_plan_for_user(request, code)
    context = dashboards.completion_review(plan)
    context.update(plan=plan, successors=plan.successors.all())
    return render(request, "dashboards/completion_review.html", context)


def indicator_detail(request, code, pk):
    plan = access.get_plan_for_user(request, code)
    indicator = get_object_or_404(Indicator.objects.select_related("region", "parent", "plan"), pk=pk, plan=plan)
    can_review = access.can_review(request.user, plan)
    if request.method == "POST" and request.POST.get("action") == "revise":
        access.require_staff(request, _("只有管理员可以调整规划目标"))
        try:
            services.target_revise(
                plan=plan,
                indicator_id=indicator.pk,
                year=_int(request.POST.get("year")) or 0,
                text=request.POST.get("text", ""),
                reason=request.POST.get("reason", ""),
                revised_on=_date(request.POST.get("revised_on")),
                document=request.POST.get("document", ""),
                effective_from=_int(request.POST.get("effective_from")) or 0,
                user=request.user,
            )
            messages.success(request, _("已记录目标调整，达标状态将重新计算。"))
        except workflow.WorkflowError as exc:
            messages.error(request, error_text(exc))
        return redirect("indicator_detail", code=plan.code, pk=indicator.pk)
    if request.method == "POST" and request.POST.get("action") == "direction":
        access.get_plan_for_review(request, code)
        try:
            services.direction_set(
                plan=plan,
                indicator_id=indicator.pk,
                direction=request.POST.get("direction", ""),
                reason=request.POST.get("reason", ""),
                user=request.user,
            )
            messages.success(request, _("已设定指标方向，达标状态将重新计算。"))
        except workflow.WorkflowError as exc:
            messages.error(request, error_text(exc))
        return redirect("indicator_detail", code=plan.code, pk=indicator.pk)
    if request.method == "POST":
        access.get_plan_for_review(request, code)
        year = _int(request.POST.get("year"))
        status = request.POST.get("status", "")
        if status not in STATUS_LABELS or year is None:
            messages.error(request, _("请选择年份和状态"))
        else:
            try:
                recompute.status_override(
                    indicator=indicator, year=year, status=status, reason=request.POST.get("reason", ""), user=request.user
                )
                messages.success(
                    request, _("已记录%(year)s年人工判定：%(status)s") % {"year": year, "status": STATUS_LABELS[status]}
                )
            except (ValueError, AttainmentResult.DoesNotExist) as exc:
                messages.error(request, str(exc) if isinstance(exc, ValueError) else _("%(year)s年尚无计算结果") % {"year": year})
        return redirect("indicator_detail", code=plan.code, pk=indicator.pk)
    context = dashboards.indicator_detail(indicator)
    context.update(
        plan=plan,
        indicator=indicator,
        can_review=can_review,
        can_see_history=access.can_see_history(request.user, plan),
        statuses=list(STATUS_LABELS.items()),
        revisions=list(indicator.revisions.select_related("created_by")),
        can_revise=access.is_staff(request.user),
        years=plan.years,
    )
    return render(request, "dashboards/indicator_detail.html", context)


COMPARISON_ROWS = 50  # indicator rows per page: one shared indicator may be in 2,000 plans


def comparison(request):
    plans = access.plans_for_request(request)
    wanted = request.GET.get("key", "")
    shared = dashboards.shared_keys(plans)
    if wanted and wanted not in shared:
        raise Http404(_("没有这一统一指标键"))
    page = Paginator(dashboards.comparison_rows(plans, wanted or None, shared), COMPARISON_ROWS).get_page(request.GET.get("page"))
    groups = dashboards.comparison(page.object_list)
    context = {"groups": groups, "key": wanted, "keys": shared, "page": page, "statuses": list(STATUS_LABELS.items())}
    return render(request, "dashboards/comparison.html", context)


def source_document(request, filename):
    """A seed document with numbered lines, so every row can link to the line it was copied from."""
    access.source_readable(request, filename)
    lines = sources.lines(filename)
    if lines is None:
        raise Http404
    return render(
        request,
        "dashboards/source_document.html",
        {"filename": filename, "title": sources.title(filename), "lines": list(enumerate(lines, start=1))},
    )
