"""Staff pages that bring a plan in from its document: upload, check row by row, publish. Thin: the
reading is intake.importing, the edits intake.editing; every page asks access.require_staff."""

import re

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from indicators import access
from indicators.i18n import translate
from indicators.models import Region
from intake import editing, importing
from intake.documents import DocumentRefused
from intake.models import PlanDraft

STAFF_ONLY = _("只有管理员可以导入规划")


def _staff(request):
    access.require_staff(request, STAFF_ONLY)


def _regions():
    return Region.objects.select_related("parent").order_by("id")


def intake_index(request, errors=None, status=200):
    _staff(request)
    drafts = PlanDraft.objects.select_related("created_by", "plan").order_by("-created_at")[:100]
    return render(
        request,
        "intake/index.html",
        {"drafts": drafts, "regions": _regions(), "errors": errors or [], "form": request.POST if errors else {}},
        status=status,
    )


@require_POST
def intake_upload(request):
    _staff(request)
    upload = request.FILES.get("document")
    code = request.POST.get("code", "").strip()
    errors = []
    if upload is None:
        errors.append(_("文件：请选择规划文件（.docx 或 .pdf）"))
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,48}", code):
        errors.append(_("代码：只能用小写字母、数字和连字符（如 hami-2026-2030）"))
    if errors:
        return intake_index(request, errors, status=400)
    given = {"region": request.POST.get("region") or None}
    try:
        draft = importing.draft_create(data=upload.read(), filename=upload.name, code=code, user=request.user, given=given)
    except DocumentRefused as exc:
        return intake_index(request, [_("文件：%(reason)s") % {"reason": translate(exc.message)}], status=400)
    messages.success(request, _("已读取文件，请逐行核对后发布"))
    return redirect("intake_draft", draft.pk)


def draft_detail(request, pk):
    _staff(request)
    draft = get_object_or_404(PlanDraft.objects.select_related("created_by", "plan"), pk=pk)
    problems = []
    data = draft.data
    if request.method == "POST":
        if draft.state != PlanDraft.State.DRAFT:
            problems = [_("该草稿已发布或已放弃，不能再修改")]
        else:
            data, found = editing.apply(draft.data, request.POST)
            problems = [translate(p) for p in found]
            if not problems:
                with transaction.atomic():
                    draft.data = data
                    draft._change_reason = "edit"
                    draft.save(update_fields=["data", "updated_at"])
                messages.success(request, _("已保存修改"))
                return redirect("intake_draft", draft.pk)
            data = draft.data  # nothing saved: show what is stored, with the problems
    context = {
        "draft": draft,
        "plan": data.get("plan", {}),
        "rows": editing.table_rows(data),
        "columns": editing.columns_of(data),
        "projects": data.get("projects", []),
        "totals": data.get("stated_totals", []),
        "report": draft.report,
        "problems": problems,
        "publish_problems": importing.problems_of(data) if draft.state == PlanDraft.State.DRAFT else [],
        "regions": _regions(),
        "attributes": editing.ATTRIBUTES,
    }
    return render(request, "intake/draft.html", context, status=400 if problems else 200)


@require_POST
def draft_publish(request, pk):
    _staff(request)
    draft = get_object_or_404(PlanDraft, pk=pk)
    try:
        plan = importing.draft_publish(draft, request.user)
    except importing.PublishRefused as exc:
        for problem in exc.problems:
            messages.error(request, problem)
        return redirect("intake_draft", draft.pk)
    messages.success(request, _("已发布规划“%(title)s”") % {"title": plan.title})
    return redirect("plan_detail", plan.code)


@require_POST
def draft_discard(request, pk):
    _staff(request)
    draft = get_object_or_404(PlanDraft, pk=pk)
    if draft.state == PlanDraft.State.DRAFT:
        draft.state = PlanDraft.State.DISCARDED
        draft._change_reason = "discard"
        draft.save(update_fields=["state", "updated_at"])
    return redirect("intake_index")


@require_POST
def region_add(request):
    """Staff add a county or city the tree lacks, under its prefecture or division."""
    _staff(request)
    name = request.POST.get("name", "").strip()
    kind = request.POST.get("kind", "")
    code = request.POST.get("code", "").strip()
    parent = Region.objects.filter(pk=request.POST.get("parent") or 0).first()
    errors = []
    if not name or len(name) > 100:
        errors.append(_("名称：请填写区域全称（100 字以内）"))
    elif Region.objects.filter(name=name).exists():
        errors.append(_("名称：区域“%(name)s”已存在") % {"name": name})
    if kind not in (Region.Kind.CITY, Region.Kind.COUNTY):
        errors.append(_("类型：只能添加城市或县市"))
    if parent is None:
        errors.append(_("上级区域：请选择"))
    if code and not re.fullmatch(r"65\d{4}|66\d{4}", code):
        errors.append(_("区划代码：应为 6 位 GB/T 2260 代码（新疆以 65 开头）或留空"))
    if errors:
        return intake_index(request, errors, status=400)
    region = Region(name=name, kind=kind, parent=parent, code=code)
    region._change_reason = "intake"
    region.save()
    messages.success(request, _("已添加区域“%(name)s”") % {"name": name})
    return redirect(request.POST.get("next") if str(request.POST.get("next", "")).startswith("/intake/") else "intake_index")
