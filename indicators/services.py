"""Writes of entered data: a year's values, project progress, reviewer actions, assigned numbers.

Each write is one function, keyword-only and transactional: everything a call names is checked
first, and if any row is wrong nothing is saved. Concurrent edits are caught by each row's
`version` (the version the person edited must still be the stored one). The channel (form,
import, api) is written into the audit history as the change reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone

from indicators.core import targets as grammar
from indicators.core import workflow
from indicators.core import validation
from indicators.access import indicators_for_entry
from indicators.models import Indicator, IndicatorValue, Target
from indicators.tasks import recompute_deferred
from projects.models import KeyProject, ProjectProgress

CHANNELS = ("form", "import", "api", "admin")
ORIGIN_OF_CHANNEL = {"form": "entry", "import": "import", "api": "api", "admin": "entry"}
EDITABLE = (workflow.DRAFT, workflow.RETURNED)


@dataclass
class RowInput:
    key: int  # indicator id (values) or project id (progress)
    text: str = ""
    remark: str = ""
    version: int = 0  # the version the person edited; 0 when there was no figure yet
    confirmed: bool = False
    # project progress only
    status: str = ""
    investment: str = ""
    percent: str = ""


class EntryRejected(Exception):
    """Nothing was saved. `errors` maps a row key to its messages (Chinese)."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("；".join(f"{k}: {'、'.join(v)}" for k, v in errors.items()))


@dataclass
class EntryRow:
    """Everything the form, the template and the import show for one indicator and year."""

    indicator: Indicator
    target: Target | None
    baseline: IndicatorValue | None
    previous: IndicatorValue | None
    current: IndicatorValue | None
    kind: str
    choices: list = field(default_factory=list)

    @property
    def editable(self):
        current = self.current
        return current is None or (current.origin != IndicatorValue.Origin.DOCUMENT and current.state in EDITABLE)


def entry_rows(plan, year, user):
    """The rows of the entry form for `user` on `plan` and `year`, in the plan's order. 3 queries."""
    indicators = list(
        indicators_for_entry(user, plan).select_related("region").prefetch_related("targets", "values").order_by("position")
    )
    rows = []
    for indicator in indicators:
        targets = {t.year: t for t in indicator.targets.all()}
        target = targets.get(year) or next((targets[y] for y in sorted(targets) if y > year), None)
        values = {v.year: v for v in indicator.values.all() if v.region_id is None}
        earlier = [values[y] for y in sorted(values) if y < year]
        at_baseline = [v for y, v in values.items() if y <= plan.baseline_year]
        kind, choices = validation.input_kind(grammar.Target.from_dict(target.parsed) if target else None)
        rows.append(
            EntryRow(
                indicator=indicator,
                target=target,
                baseline=max(at_baseline, key=lambda v: v.year) if at_baseline else None,
                previous=earlier[-1] if earlier else None,
                current=values.get(year),
                kind=kind,
                choices=choices,
            )
        )
    return rows


def _conflict(current):
    who = current.entered_by.get_username() if current.entered_by else "他人"
    when = timezone.localtime(current.entered_at).strftime("%Y-%m-%d %H:%M")
    return f"该值已被{who}于{when}改为“{current.raw_text}”，您的修改未保存，请核对后重新填写"


@transaction.atomic
def values_save(*, plan, year, user, rows, submit=False, channel="form"):
    """Save (and optionally submit) an official's figures for one plan and year. All or nothing."""
    context = {row.indicator.pk: row for row in entry_rows(plan, year, user)}
    existing = {
        v.indicator_id: v
        # of=("self",): PostgreSQL cannot lock the nullable side of the join to entered_by.
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("entered_by")
        .filter(indicator__plan=plan, year=year, region__isnull=True)
    }
    errors, changes = {}, []
    for row in rows:
        ctx = context.get(row.key)
        if ctx is None:
            errors[row.key] = ["您无权填报该指标"]
            continue
        current = existing.get(row.key)
        text, remark = (row.text or "").strip(), (row.remark or "").strip()
        stored_version = current.version if current else 0
        if row.version != stored_version:
            errors[row.key] = [_conflict(current) if current else "该值已被他人删除，请刷新后重新填写"]
            continue
        unchanged = current is not None and current.raw_text == text and current.remark == remark
        if current is None and not text:
            continue
        if unchanged:
            continue
        if current is not None and current.origin == IndicatorValue.Origin.DOCUMENT:
            errors[row.key] = ["该值来自规划文件，不能修改"]
            continue
        if current is not None and current.state not in EDITABLE:
            errors[row.key] = [f"该值{workflow.STATE_LABELS[current.state]}，不能修改（需审核员重新打开）"]
            continue
        target = grammar.Target.from_dict(ctx.target.parsed) if ctx.target else None
        previous = ctx.previous.number if ctx.previous else None
        check = validation.check_value(
            text, unit=ctx.indicator.unit, target=target, previous=previous, confirmed=row.confirmed, remark=remark
        )
        if check.errors or check.warnings:
            errors[row.key] = check.errors + check.warnings
            continue
        changes.append((ctx.indicator, current, text, remark))
    if errors:
        raise EntryRejected(errors)

    now = timezone.now()
    saved = submitted = 0
    with recompute_deferred() as outcome:
        for indicator, current, text, remark in changes:
            if not text:
                current._change_reason = channel
                current.delete()
                saved += 1
                continue
            value = current or IndicatorValue(indicator=indicator, year=year, origin=ORIGIN_OF_CHANNEL[channel], version=0)
            value.set_text(text)
            value.remark = remark
            value.entered_by = user
            value.state = workflow.next_state("edit", value.state, workflow.OFFICIAL) if current else workflow.DRAFT
            value.version += 1
            value._change_reason = channel
            value.save()
            saved += 1
        if submit:
            allowed = list(context)
            for value in IndicatorValue.objects.select_for_update().filter(
                indicator_id__in=allowed, year=year, region__isnull=True, state__in=EDITABLE
            ).exclude(origin=IndicatorValue.Origin.DOCUMENT):
                value.state = workflow.next_state("submit", value.state, workflow.OFFICIAL)
                value.submitted_at = now
                value.version += 1
                value._change_reason = channel
                value.save()
                submitted += 1
    # outcome["queued"] is filled in at commit, i.e. by the time this call has returned.
    return {"saved": saved, "submitted": submitted, "recompute": outcome}


@transaction.atomic
def values_review(*, plan, year, user, value_ids, action, comment="", channel="form"):
    """A reviewer approves, returns (with a comment) or reopens values of one plan and year."""
    rows = IndicatorValue.objects.filter(indicator__plan=plan, year=year)
    with recompute_deferred():
        return _review(rows, value_ids, user=user, action=action, comment=comment, channel=channel)


def _review(rows, ids, *, user, action, comment, channel):
    """Move the chosen rows (values or project progress) through one reviewer action."""
    if action == "return" and not comment.strip():
        raise workflow.WorkflowError("退回时必须填写审核意见")
    chosen = list(rows.select_for_update().filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        raise workflow.WorkflowError("所选数据不属于该规划和年份")
    now = timezone.now()
    for row in chosen:
        row.state = workflow.next_state(action, row.state, workflow.REVIEWER)
        row.reviewed_by, row.reviewed_at = user, now
        row.review_comment = comment.strip()
        row.version += 1
        row._change_reason = channel
        row.save()
    return len(chosen)


@transaction.atomic
def assigned_record(*, plan, target_id, number, note="", user, channel="form"):
    """A reviewer records the number the superior body assigned for an "assigned" target."""
    target = Target.objects.select_for_update().get(pk=target_id, indicator__plan=plan)
    if target.kind not in (grammar.ASSIGNED, grammar.COMPOUND):
        raise workflow.WorkflowError(f"目标“{target.raw_text}”不是上级下达的目标")
    if number in (None, ""):
        target.assigned_value = None
    else:
        try:
            target.assigned_value = Decimal(str(number).strip())
        except InvalidOperation as exc:
            raise workflow.WorkflowError(f"下达指标值“{number}”不是数字") from exc
    target.assigned_note = note.strip()
    target._change_reason = channel
    target.save()
    return target


# --- key-project progress ------------------------------------------------------------------------

PROGRESS_STATUSES = dict(ProjectProgress.Status.choices)


def _decimal(text, label, errors, *, low=None, high=None):
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        errors.append(f"{label}“{text}”不是数字")
        return None
    if low is not None and number < low:
        errors.append(f"{label}不能小于{low}")
    if high is not None and number > high:
        errors.append(f"{label}不能大于{high}")
    return number


@transaction.atomic
def progress_save(*, plan, year, user, rows, submit=False, channel="form"):
    """Save (and optionally submit) key-project progress for one plan and year. All or nothing."""
    projects = {p.pk: p for p in KeyProject.objects.filter(plan=plan)}
    existing = {
        p.project_id: p
        for p in ProjectProgress.objects.select_for_update(of=("self",)).select_related("entered_by").filter(project__plan=plan, year=year)
    }
    errors, changes = {}, []
    for row in rows:
        if row.key not in projects:
            errors[row.key] = ["该项目不属于本规划"]
            continue
        current = existing.get(row.key)
        if row.version != (current.version if current else 0):
            errors[row.key] = [
                f"该进展已被{current.entered_by or '他人'}修改，您的修改未保存，请核对后重新填写" if current else "该进展已被删除"
            ]
            continue
        if not row.status and current is None:
            continue
        row_errors = []
        if row.status not in PROGRESS_STATUSES:
            row_errors.append("请选择进展状态")
        investment = _decimal(row.investment, "累计完成投资（万元）", row_errors, low=0)
        percent = _decimal(row.percent, "完成比例（%）", row_errors, low=0, high=100)
        fields = (row.status, investment, percent, (row.remark or "").strip())
        if current is not None and fields == (
            current.status,
            current.investment_completed_wan,
            current.percent_complete,
            current.remark,
        ):
            continue
        if current is not None and current.state not in EDITABLE:
            row_errors.append(f"该进展{workflow.STATE_LABELS[current.state]}，不能修改（需审核员重新打开）")
        if row_errors:
            errors[row.key] = row_errors
            continue
        changes.append((projects[row.key], current, fields))
    if errors:
        raise EntryRejected(errors)
    now = timezone.now()
    saved = submitted = 0
    for project, current, (status, investment, percent, remark) in changes:
        progress = current or ProjectProgress(project=project, year=year, origin=ORIGIN_OF_CHANNEL[channel], version=0)
        progress.status, progress.investment_completed_wan, progress.percent_complete, progress.remark = (
            status,
            investment,
            percent,
            remark,
        )
        progress.entered_by = user
        progress.state = workflow.DRAFT
        progress.version += 1
        progress._change_reason = channel
        progress.save()
        saved += 1
    if submit:
        for progress in ProjectProgress.objects.select_for_update().filter(
            project__plan=plan, year=year, state__in=EDITABLE
        ):
            progress.state = workflow.next_state("submit", progress.state, workflow.OFFICIAL)
            progress.submitted_at = now
            progress.version += 1
            progress._change_reason = channel
            progress.save()
            submitted += 1
    return {"saved": saved, "submitted": submitted}


@transaction.atomic
def progress_review(*, plan, year, user, progress_ids, action, comment="", channel="form"):
    rows = ProjectProgress.objects.filter(project__plan=plan, year=year)
    return _review(rows, progress_ids, user=user, action=action, comment=comment, channel=channel)
