"""Pages where figures are entered, reviewed, imported and followed up. Thin: load the plan through
an access helper, call one write function, redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from entry import reporting
from entry.excel import ImportRefused, template_build, workbook_import
from indicators import access, selectors, services
from indicators.core import workflow
from indicators.counting import counted_rows
from indicators.i18n import error_text, translate
from indicators.models import Indicator, IndicatorValue, StatusOverride, Target
from projects import services as project_services
from projects.models import ProjectProgress

RECOMPUTE_NOTE = gettext_lazy("达标状态将在后台重新计算，稍后刷新即可看到。")
BROKER_DOWN_NOTE = gettext_lazy("后台计算服务暂时不可用：数据已保存，达标状态将在服务恢复后（最迟夜间全量计算时）更新。")


def _year(plan, year):
    if not plan.period_start <= year <= plan.period_end:
        raise Http404(_("该年份不在规划期内"))
    return year


def _version(text):
    """The version a form row was read at; -1 (never a stored version: a conflict) when the form was
    tampered with, so the row is refused and nothing is saved."""
    try:
        return int(text or 0)
    except ValueError:
        return -1


def _ids(posted):
    """Row ids a form posted; a number no row can have (beyond a 64-bit key, which the database
    refuses to compare with) selects nothing. A text that is not a number raises ValueError."""
    return [n for n in map(int, posted) if 0 < n < 2**63]


def _rows_from_post(post, keys):
    rows = []
    for key in keys:
        # Rows shown read-only (submitted, approved, from the document) post no input: not a change.
        if f"version-{key}" not in post or (f"value-{key}" not in post and f"status-{key}" not in post):
            continue
        rows.append(
            services.RowInput(
                key=key,
                text=post.get(f"value-{key}", ""),
                remark=post.get(f"remark-{key}", ""),
                version=_version(post.get(f"version-{key}")),
                confirmed=post.get(f"confirm-{key}") == "1",
                status=post.get(f"status-{key}", ""),
                investment=post.get(f"investment-{key}", ""),
                percent=post.get(f"percent-{key}", ""),
            )
        )
    return rows


@login_required
def values_entry(request, code, year):
    plan = access.get_plan_for_entry(request, code)
    year = _year(plan, year)
    errors, posted, confirmable = {}, {}, frozenset()
    if request.method == "POST":
        keys = list(access.indicators_for_entry(request.user, plan).values_list("pk", flat=True))
        rows = _rows_from_post(request.POST, keys)
        try:
            result = services.values_save(
                plan=plan, year=year, user=request.user, rows=rows, submit=request.POST.get("action") == "submit"
            )
        except services.EntryRejected as exc:
            errors, posted, confirmable = exc.errors, {r.key: r for r in rows}, exc.confirmable
            messages.error(request, _("有 %(n)d 项未通过校验，全部未保存，请修改后重新提交。") % {"n": len(errors)})
        else:
            note = RECOMPUTE_NOTE if result["recompute"]["queued"] else BROKER_DOWN_NOTE
            messages.success(request, _("已保存 %(saved)d 项，提交 %(submitted)d 项。") % result + str(note))
            return redirect("values_entry", code=plan.code, year=year)
    rows = services.entry_rows(plan, year, request.user)
    for row in rows:
        row.errors = errors.get(row.indicator.pk, [])
        row.confirmable = row.indicator.pk in confirmable
        row.posted = posted.get(row.indicator.pk)
    context = {"plan": plan, "year": year, "rows": rows, "years": plan.years, "has_errors": bool(errors)}
    return render(request, "entry/values_entry.html", context, status=400 if errors else 200)


@login_required
def progress_entry(request, code, year):
    plan = access.get_plan_for_entry(request, code)
    year = _year(plan, year)
    projects = list(project_services.projects_for_entry(request.user, plan).order_by("position"))
    errors, posted = {}, {}
    if request.method == "POST":
        rows = _rows_from_post(request.POST, [p.pk for p in projects])
        try:
            result = project_services.progress_save(
                plan=plan, year=year, user=request.user, rows=rows, submit=request.POST.get("action") == "submit"
            )
        except services.EntryRejected as exc:
            errors, posted = exc.errors, {r.key: r for r in rows}
            messages.error(request, _("有 %(n)d 个项目未通过校验，全部未保存。") % {"n": len(errors)})
        else:
            messages.success(request, _("已保存 %(saved)d 项，提交 %(submitted)d 项。") % result)
            return redirect("progress_entry", code=plan.code, year=year)
    current = {p.project_id: p for p in ProjectProgress.objects.filter(project__plan=plan, year=year)}
    # Last year's progress that counts, so the cumulative investment is entered from where it stood.
    last_year = counted_rows(
        ProjectProgress.objects.filter(project__plan=plan, year=year - 1),
        ("project_id", "year"),
        ("status", "investment_completed_wan", "percent_complete"),
    )
    statuses = dict(ProjectProgress.Status.choices)
    for project in projects:
        project.current = current.get(project.pk)
        before = last_year.get((project.pk, year - 1))
        project.last_year = (
            before.figure | {"label": statuses.get(before.figure["status"], "")} if before and before.figure else None
        )
        project.errors = errors.get(project.pk, [])
        project.posted = posted.get(project.pk)
    context = {
        "plan": plan,
        "year": year,
        "projects": projects,
        "statuses": ProjectProgress.Status.choices,
        "years": plan.years,
    }
    return render(request, "entry/progress_entry.html", context, status=400 if errors else 200)


@login_required
def review(request, code, year):
    plan = access.get_plan_for_review(request, code)
    year = _year(plan, year)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "assign":
                target = services.assigned_record(
                    plan=plan,
                    target_id=int(request.POST["target"]),
                    number=request.POST.get("assigned_value", ""),
                    note=request.POST.get("assigned_note", ""),
                    user=request.user,
                )
                messages.success(
                    request,
                    _("已录入“%(name)s”%(year)s年下达值。") % {"name": target.indicator.name, "year": target.year}
                    + str(RECOMPUTE_NOTE),
                )
            else:
                value_ids = _ids(request.POST.getlist("value"))
                progress_ids = _ids(request.POST.getlist("progress"))
                if not value_ids and not progress_ids:
                    raise workflow.WorkflowError(_("请先勾选要处理的数据"))
                comment = request.POST.get("comment", "")
                done = 0
                if value_ids:
                    done += services.values_review(
                        plan=plan, year=year, user=request.user, value_ids=value_ids, action=action, comment=comment
                    )
                if progress_ids:
                    done += project_services.progress_review(
                        plan=plan, year=year, user=request.user, progress_ids=progress_ids, action=action, comment=comment
                    )
                messages.success(
                    request, _("已%(action)s %(n)d 项。") % {"action": _(workflow.ACTION_LABELS.get(action, action)), "n": done}
                )
        except (workflow.WorkflowError, Target.DoesNotExist, KeyError, ValueError) as exc:
            messages.error(request, error_text(exc) if isinstance(exc, workflow.WorkflowError) else _("请求无效"))
        return redirect("review", code=plan.code, year=year)
    progress = (
        ProjectProgress.objects.filter(project__plan=plan, year=year)
        .select_related("project", "entered_by")
        .order_by("project__position")
    )
    assigned = (
        Target.objects.filter(indicator__plan=plan, year=year, kind__in=["assigned", "compound"])
        .select_related("indicator")
        .order_by("indicator__position")
    )
    assigned = [
        t for t in assigned if t.kind == "assigned" or any(p.get("kind") == "assigned" for p in t.parsed.get("parts", []))
    ]
    context = {
        "plan": plan,
        "year": year,
        "rows": selectors.review_rows(plan, year),
        "progress": progress,
        "assigned": assigned,
        "years": plan.years,
        "own_reason": translate(workflow.four_eyes(request.user.pk, request.user.pk)),
    }
    return render(request, "entry/review.html", context)


@login_required
def entry_template(request, code, year):
    plan = access.get_plan_for_entry(request, code)
    year = _year(plan, year)
    content = template_build(plan=plan, year=year, user=request.user)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{plan.code}-{year}-template.xlsx"'
    return response


@login_required
@require_POST
def entry_import(request, code, year):
    plan = access.get_plan_for_entry(request, code)
    year = _year(plan, year)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择要上传的 Excel 文件"))
        return redirect("values_entry", code=plan.code, year=year)
    data = upload.read(settings.IMPORT_MAX_BYTES + 1)
    try:
        result = workbook_import(
            plan=plan, year=year, user=request.user, data=data, submit=request.POST.get("action") == "submit"
        )
    except ImportRefused as exc:
        return render(
            request,
            "entry/import_refused.html",
            {"plan": plan, "year": year, "errors": exc.errors, "filename": upload.name},
            status=400,
        )
    messages.success(
        request,
        (
            _("导入成功：指标 %(values)d 项、项目进展 %(progress)d 项已保存并提交。")
            if request.POST.get("action") == "submit"
            else _("导入成功：指标 %(values)d 项、项目进展 %(progress)d 项已保存为草稿。")
        )
        % {"values": result["values"]["saved"], "progress": result["progress"]["saved"]}
        + str(RECOMPUTE_NOTE),
    )
    if result["external_links"]:
        messages.warning(
            request,
            _("文件含 %(n)d 个指向其他工作簿的外部链接，已忽略（未读取、未保存）。") % {"n": result["external_links"]},
        )
    return redirect("values_entry", code=plan.code, year=year)


@login_required
def reporting_status(request, code, year):
    plan = access.get_plan_for_user(request, code)
    year = _year(plan, year)
    context = {"plan": plan, "year": year, "years": plan.years, **reporting.status_for(plan, year)}
    return render(request, "entry/reporting_status.html", context)


@login_required
def indicator_history(request, code, pk):
    plan = access.get_plan_for_history(request, code)
    indicator = get_object_or_404(Indicator.objects.select_related("region"), pk=pk, plan=plan)
    value_history = (
        IndicatorValue.history.filter(indicator_id=indicator.pk).select_related("history_user").order_by("-history_date")
    )
    target_history = Target.history.filter(indicator_id=indicator.pk).select_related("history_user").order_by("-history_date")
    override_history = (
        StatusOverride.history.filter(indicator_id=indicator.pk).select_related("history_user").order_by("-history_date")
    )
    context = {
        "plan": plan,
        "indicator": indicator,
        "value_history": _with_previous(list(value_history), "raw_text"),
        "target_history": _with_previous(list(target_history), "raw_text"),
        "override_history": override_history,
        "back": reverse("plan_detail", args=[plan.code]),
    }
    return render(request, "entry/indicator_history.html", context)


def _with_previous(records, field):
    """Pair each history record with the one before it for the same row: old and new side by side."""
    by_row = {}
    for record in reversed(records):
        record.old = getattr(by_row.get(record.id), field, None)
        record.old_state = getattr(by_row.get(record.id), "state", None)
        by_row[record.id] = record
    return records
