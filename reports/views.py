"""Report downloads, background report jobs and evaluation snapshots."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from kombu.exceptions import OperationalError as BrokerError

from indicators import access
from reports import service
from reports.dashboards.selectors import shown_years
from reports.data import evaluation_year
from reports.models import ReportJob
from reports.tasks import build_report


def _respond(content, name, content_type):
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _start_job(request, kind, plan=None, year=None):
    job = ReportJob.objects.create(
        kind=kind, plan=plan, year=year, requested_by=request.user, language=get_language() or settings.LANGUAGE_CODE
    )

    def send():
        try:
            build_report.delay(job.pk)
        except (BrokerError, ConnectionError, OSError, RuntimeError):  # RuntimeError: Celery's result store
            note = _("后台报表服务暂时不可用，报表未能排队，请稍后重试或联系管理员。")
            ReportJob.objects.filter(pk=job.pk).update(state=ReportJob.State.FAILED, error=note)
            messages.error(request, note)

    # Queued once the job row is committed, so the worker always finds it.
    transaction.on_commit(send)
    return redirect("report_job", pk=job.pk)


@login_required
def reports_index(request):
    plans = list(access.plans_for_export(request.user))
    shown = shown_years(plans)  # the year the dashboards show: the latest reported well enough
    rows = [
        {
            "plan": plan,
            "years": plan.years,
            "default_year": shown[plan.pk][0],
            "midterm": evaluation_year(plan, "midterm"),
            "snapshots": list(plan.snapshots.all()),
        }
        for plan in plans
    ]
    jobs = ReportJob.objects.filter(requested_by=request.user).select_related("plan")[:10]
    return render(request, "reports/index.html", {"rows": rows, "jobs": jobs, "is_staff": access.is_staff(request.user)})


@login_required
def report_download(request, code, kind, year=None, fmt="xlsx"):
    plan = access.get_plan_for_export(request, code)
    if kind not in ("progress", "midterm", "final") or fmt not in ("xlsx", "csv"):
        raise Http404
    try:
        year = service.resolve_year(plan, kind, year)
        if fmt == "xlsx" and service.is_large(kind, plan=plan):
            return _start_job(request, kind, plan, year)
        return _respond(*service.build(kind, plan=plan, year=year, fmt=fmt, frozen=request.GET.get("current") != "1"))
    except service.ReportError as exc:
        messages.error(request, str(exc))
        return redirect("reports_index")


@login_required
def summary_download(request):
    access.require_staff(request, _("只有管理员可以导出全部规划汇总"))
    plans = list(access.plans_for_user(request.user))
    if service.is_large("summary", plans=plans):
        return _start_job(request, "summary")
    return _respond(*service.build("summary", plans=plans))


def _job_for(request, pk):
    job = get_object_or_404(ReportJob.objects.select_related("plan"), pk=pk)
    access.require_owner_or_staff(request, job.requested_by_id)
    return job


@login_required
def report_job(request, pk):
    return render(request, "reports/job.html", {"job": _job_for(request, pk)})


@login_required
def report_job_status(request, pk):
    job = _job_for(request, pk)
    return JsonResponse(
        {"state": job.state, "progress": job.progress, "error": job.error, "ready": job.state == ReportJob.State.DONE}
    )


@login_required
def report_job_file(request, pk):
    job = _job_for(request, pk)
    if job.state != ReportJob.State.DONE or not job.file:
        raise Http404(_("报表尚未生成"))
    if job.expires_at and job.expires_at < timezone.now():
        raise Http404(_("报表文件已过期，请重新生成"))
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)


@login_required
@require_POST
def snapshot_freeze(request, code):
    access.require_staff(request, _("只有管理员可以冻结评估"))
    plan = access.get_plan_for_export(request, code)
    kind = request.POST.get("kind", "")
    year = request.POST.get("year")
    try:
        snapshot = service.snapshot_freeze(plan=plan, kind=kind, year=int(year) if year else None, user=request.user)
    except (service.ReportError, ValueError) as exc:
        messages.error(request, str(exc) if isinstance(exc, service.ReportError) else _("年份无效"))
    else:
        messages.success(request, _("已冻结：%(snapshot)s") % {"snapshot": snapshot})
    return redirect("reports_index")
