"""Writes of entered data: a year's values, reviewer actions, assigned numbers.

Each write is one function, keyword-only and transactional: everything a call names is checked
first, and if any row is wrong nothing is saved. Concurrent edits are caught by each row's
`version` (the version the person edited must still be the stored one). The channel (form,
import, api) is written into the audit history as the change reason. A write that changes what the
engine reads queues recomputation itself, after commit (`schedule_recompute`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators.access import indicators_for_entry
from indicators.core import targets as grammar
from indicators.core import validation, workflow
from indicators.core.directions import MANUAL_DIRECTION
from indicators.core.numbers import NumberRefused, read_number
from indicators.counting import Counted, counted_values
from indicators.i18n import translate
from indicators.models import Indicator, IndicatorValue, Plan, Target, TargetRevision
from indicators.tasks import schedule_recompute

ORIGIN_OF_CHANNEL = {"form": "entry", "import": "import", "api": "api", "admin": "entry"}
EDITABLE = (workflow.DRAFT, workflow.RETURNED)


@dataclass
class RowInput:
    key: int  # indicator id (values) or project id (progress)
    text: str | None = ""  # None: leave the stored figure as it is
    remark: str = ""
    version: int = 0  # the version the person edited; 0 when there was no figure yet
    confirmed: bool = False
    # project progress only
    status: str = ""
    investment: str = ""
    percent: str = ""


class EntryRejected(Exception):
    """Nothing was saved. `errors` maps a row key to its messages, in the user's language;
    `confirmable` holds the rows whose only message is a warning that 确认无误 or a remark answers."""

    def __init__(self, errors: dict[int, list[str]], confirmable: frozenset[int] = frozenset()):
        self.errors = errors
        self.confirmable = confirmable
        super().__init__("；".join(f"{k}: {'、'.join(v)}" for k, v in errors.items()))


class EntryConflict(EntryRejected):
    """Nothing was saved because someone else changed a figure since it was read (answered 409)."""


@dataclass
class EntryRow:
    """Everything the form, the template and the import show for one indicator and year."""

    indicator: Indicator
    target: Target | None
    baseline: IndicatorValue | None
    previous: Counted | None  # the latest earlier year's figure that counts (上年值), and its year
    previous_year: int | None
    current: IndicatorValue | None
    kind: str
    choices: list = field(default_factory=list)

    @property
    def editable(self):
        current = self.current
        return current is None or (current.origin != IndicatorValue.Origin.DOCUMENT and current.state in EDITABLE)


def entry_rows(plan: Plan, year: int, user) -> list[EntryRow]:
    """The rows of the entry form for `user` on `plan` and `year`, in the plan's order. 3 queries."""
    indicators = list(
        indicators_for_entry(user, plan).select_related("region").prefetch_related("targets", "values").order_by("position")
    )
    counted = counted_values(
        IndicatorValue.objects.filter(indicator__in=indicators, year__lt=year), fields=("raw_text", "number")
    )
    latest = {}
    for (indicator_id, y), figure in counted.items():
        if figure.figure is not None and y > latest.get(indicator_id, (0, None))[0]:
            latest[indicator_id] = (y, figure)
    rows = []
    for indicator in indicators:
        targets = {t.year: t for t in indicator.targets.all()}
        target = targets.get(year) or next((targets[y] for y in sorted(targets) if y > year), None)
        values = {v.year: v for v in indicator.values.all() if v.region_id is None}
        at_baseline = [v for y, v in values.items() if y <= plan.baseline_year]
        kind, choices = validation.input_kind(grammar.Target.from_dict(target.parsed) if target else None)
        rows.append(
            EntryRow(
                indicator=indicator,
                target=target,
                baseline=max(at_baseline, key=lambda v: v.year) if at_baseline else None,
                previous=latest.get(indicator.pk, (None, None))[1],
                previous_year=latest.get(indicator.pk, (None, None))[0],
                current=values.get(year),
                kind=kind,
                choices=choices,
            )
        )
    return rows


def _stored(indicator, year):
    return IndicatorValue.objects.select_related("entered_by").get(indicator=indicator, year=year, region__isnull=True)


def _conflict(current):
    who = current.entered_by.get_username() if current.entered_by else _("他人")
    when = timezone.localtime(current.entered_at).strftime("%Y-%m-%d %H:%M")
    return _("该值已被%(who)s于%(when)s改为“%(value)s”，您的修改未保存，请核对后重新填写") % {
        "who": who,
        "when": when,
        "value": current.raw_text,
    }


def save_row(row, key: int, conflict) -> None:
    """Save a value or progress row. A new one that someone else created meanwhile (the unique
    constraint says so) is a conflict, answered like a stale version: EntryConflict naming theirs."""
    if row.pk is not None:
        row.save()
        return
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives to raise the conflict
            row.save()
    except IntegrityError as exc:
        raise EntryConflict({key: [conflict()]}) from exc


@transaction.atomic
def values_save(*, plan: Plan, year: int, user, rows: list[RowInput], submit: bool = False, channel: str = "form") -> dict:
    """Save (and optionally submit) an official's figures for one plan and year. All or nothing."""
    context = {row.indicator.pk: row for row in entry_rows(plan, year, user)}
    existing = {
        v.indicator_id: v
        # of=("self",): PostgreSQL cannot lock the nullable side of the join to entered_by.
        for v in IndicatorValue.objects.select_for_update(of=("self",))
        .select_related("entered_by")
        .filter(indicator__plan=plan, year=year, region__isnull=True)
    }
    errors, changes, conflict, confirmable = {}, [], False, set()
    for row in rows:
        ctx = context.get(row.key)
        if ctx is None:
            errors[row.key] = [_("您无权填报该指标")]
            continue
        current = existing.get(row.key)
        # text None (an empty template cell): the stored figure stays as it is.
        text = (current.raw_text if current else "") if row.text is None else row.text.strip()
        remark = (row.remark or "").strip()
        too_long = validation.text_too_long(remark, _("备注"))
        if too_long:
            errors[row.key] = [translate(too_long)]
            continue
        stored_version = current.version if current else 0
        if row.version != stored_version:
            errors[row.key] = [_conflict(current) if current else _("该值已被他人删除，请刷新后重新填写")]
            conflict = True
            continue
        unchanged = current is not None and current.raw_text == text and current.remark == remark
        if current is None and not text:
            continue
        if unchanged:
            continue
        if current is not None and current.origin == IndicatorValue.Origin.DOCUMENT:
            errors[row.key] = [_("该值来自规划文件，不能修改")]
            continue
        if current is not None and current.state not in EDITABLE:
            errors[row.key] = [
                _("该值%(state)s，不能修改（需审核员重新打开）") % {"state": _(workflow.STATE_LABELS[current.state])}
            ]
            continue
        target = grammar.Target.from_dict(ctx.target.parsed) if ctx.target else None
        previous = ctx.previous.figure["number"] if ctx.previous else None
        check = validation.check_value(
            text, unit=ctx.indicator.unit, target=target, previous=previous, confirmed=row.confirmed, remark=remark
        )
        if check.errors or check.warnings:
            errors[row.key] = [translate(m) for m in check.errors + check.warnings]
            if not check.errors:
                confirmable.add(row.key)
            continue
        changes.append((ctx.indicator, current, text, remark, check.parsed))
    if errors:
        raise (EntryConflict if conflict else EntryRejected)(errors, frozenset(confirmable))

    now = timezone.now()
    saved = submitted = 0
    touched = set()
    for indicator, current, text, remark, parsed in changes:
        touched.add(indicator.pk)
        if not text:
            current._change_reason = channel
            current.delete()
            saved += 1
            continue
        value = current or IndicatorValue(indicator=indicator, year=year, origin=ORIGIN_OF_CHANNEL[channel], version=0)
        value.set_text(text, parsed)
        value.remark = remark
        value.entered_by = user
        value.state = workflow.next_state("edit", value.state, workflow.OFFICIAL) if current else workflow.DRAFT
        value.version += 1
        value._change_reason = channel
        save_row(value, indicator.pk, lambda i=indicator: _conflict(_stored(i, year)))
        saved += 1
    if submit:
        allowed = list(context)
        for value in (
            IndicatorValue.objects.select_for_update()
            # Only the submitter's own rows: another official's draft is theirs to submit.
            .filter(indicator_id__in=allowed, year=year, region__isnull=True, state__in=EDITABLE, entered_by=user)
            .exclude(origin=IndicatorValue.Origin.DOCUMENT)
        ):
            value.state = workflow.next_state("submit", value.state, workflow.OFFICIAL)
            value.submitted_at = now
            value.version += 1
            value._change_reason = channel
            value.save()
            touched.add(value.indicator_id)
            submitted += 1
    # "queued" is filled in at commit, i.e. by the time this call has returned.
    return {"saved": saved, "submitted": submitted, "recompute": schedule_recompute(touched)}


@transaction.atomic
def values_review(
    *, plan: Plan, year: int, user, value_ids: list[int], action: str, comment: str = "", channel: str = "form"
) -> int:
    """A reviewer approves, returns (with a comment) or reopens values of one plan and year."""
    rows = IndicatorValue.objects.filter(indicator__plan=plan, year=year)
    chosen = review_rows(rows, value_ids, user=user, action=action, comment=comment, channel=channel)
    schedule_recompute(row.indicator_id for row in chosen)
    return len(chosen)


def review_rows(rows, ids: list[int], *, user, action: str, comment: str, channel: str) -> list:
    """Move the chosen rows (values or project progress) through one reviewer action; the rows moved."""
    if action == "return" and not comment.strip():
        raise workflow.WorkflowError(_("退回时必须填写审核意见"))
    too_long = validation.text_too_long(comment, _("审核意见"))
    if too_long:
        raise workflow.WorkflowError(too_long)
    chosen = list(rows.select_for_update().filter(pk__in=ids))
    if len(chosen) != len(set(ids)):
        raise workflow.WorkflowError(_("所选数据不属于该规划和年份"))
    for row in chosen:
        refusal = workflow.four_eyes(row.entered_by_id, user.pk)
        if refusal:
            raise workflow.FourEyesError(f"{row}：{translate(refusal)}")
    now = timezone.now()
    for row in chosen:
        row.state = workflow.next_state(action, row.state, workflow.REVIEWER)
        row.reviewed_by, row.reviewed_at = user, now
        row.review_comment = comment.strip()
        row.version += 1
        row._change_reason = channel
        row.save()
    return chosen


@transaction.atomic
def assigned_record(*, plan: Plan, target_id: int, number: str | None, note: str = "", user, channel: str = "form") -> Target:
    """A reviewer records the number the superior body assigned for an "assigned" target."""
    target = Target.objects.select_for_update().select_related("indicator").get(pk=target_id, indicator__plan=plan)
    if target.kind not in (grammar.ASSIGNED, grammar.COMPOUND):
        raise workflow.WorkflowError(_("目标“%(target)s”不是上级下达的目标") % {"target": target.raw_text})
    if number is None or not str(number).strip():
        target.assigned_value = None
    else:
        try:
            target.assigned_value = read_number(str(number), unit=target.indicator.unit)
        except NumberRefused as exc:
            raise workflow.WorkflowError(_("下达指标值：%(reason)s") % {"reason": translate(exc.message)}) from exc
    target.assigned_note = note.strip()
    target._change_reason = channel
    target.save()
    schedule_recompute([target.indicator_id])
    return target


@transaction.atomic
def direction_set(*, plan: Plan, indicator_id: int, direction: str, reason: str, user, channel: str = "form") -> Indicator:
    """A reviewer says once which way is better where the documents leave it unclear (方向不明确).

    Stored as a manual correction (plan reloads keep it), audited with who, when and why, and the
    indicator is judged again with it."""
    if direction not in (grammar.HIGHER, grammar.LOWER):
        raise workflow.WorkflowError(_("请选择“越高越好”或“越低越好”"))
    if not (reason or "").strip():
        raise workflow.WorkflowError(_("必须填写设定方向的理由"))
    indicator = Indicator.objects.select_for_update().get(pk=indicator_id, plan=plan)
    indicator.direction, indicator.direction_source = direction, MANUAL_DIRECTION
    indicator._change_reason = f"{channel}：{reason.strip()}"[:100]
    indicator._history_user = user
    indicator.save()
    schedule_recompute([indicator.pk])
    return indicator


@transaction.atomic
def target_revise(
    *, plan: Plan, indicator_id: int, year: int, text: str, reason: str, revised_on, document: str, effective_from: int, user
) -> TargetRevision:
    """Staff record a target changed by a later document (中期调整). The Target now holds the new
    text (its history says who and why); the revision keeps the text before, so years before
    `effective_from` are still judged against the target that was in force then."""
    text, reason, document = (text or "").strip(), (reason or "").strip(), (document or "").strip()
    if not text or grammar.is_empty(text):
        raise workflow.WorkflowError(_("调整后目标：请填写新的目标原文"))
    if len(text) > 300:
        raise workflow.WorkflowError(_("调整后目标：不能超过300字"))
    if not reason:
        raise workflow.WorkflowError(_("调整理由：必须填写"))
    if not document:
        raise workflow.WorkflowError(_("调整依据文件：请填写文件名称及文号"))
    if not plan.period_start <= year <= plan.period_end:
        raise workflow.WorkflowError(
            _("目标年份：应在规划期 %(start)s—%(end)s 内") % {"start": plan.period_start, "end": plan.period_end}
        )
    if not plan.period_start <= effective_from <= plan.period_end:
        raise workflow.WorkflowError(
            _("起始适用年份：应在规划期 %(start)s—%(end)s 内") % {"start": plan.period_start, "end": plan.period_end}
        )
    if revised_on is None or revised_on > timezone.localdate():
        raise workflow.WorkflowError(_("调整日期：请填写不晚于今天的日期"))
    indicator = Indicator.objects.select_for_update().get(pk=indicator_id, plan=plan)
    target = Target.objects.filter(indicator=indicator, year=year).first()
    previous = target.raw_text if target else ""
    if previous == text:
        raise workflow.WorkflowError(_("调整后目标与现行目标相同"))
    if target is None:
        target = Target(indicator=indicator, year=year, source_file="", source_line=None)
    target.set_text(text)
    target.assigned_value, target.assigned_note = None, ""  # an assigned number answered the old text
    target._change_reason = f"中期调整：{reason}"[:100]
    target._history_user = user
    target.save()
    revision = TargetRevision.objects.create(
        indicator=indicator,
        year=year,
        previous_text=previous,
        new_text=text,
        reason=reason,
        revised_on=revised_on,
        document=document[:300],
        effective_from=effective_from,
        created_by=user,
    )
    schedule_recompute([indicator.pk])
    return revision
