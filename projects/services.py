"""Writes of key-project progress: one function each, keyword-only and transactional.

Progress goes through the same workflow, version check and audit as indicator values
(indicators.services); only its fields and their checks differ.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from indicators import access
from indicators.core import validation, workflow
from indicators.core.numbers import NumberRefused, read_number
from indicators.i18n import translate
from indicators.models import Plan
from indicators.services import EDITABLE, ORIGIN_OF_CHANNEL, EntryConflict, EntryRejected, RowInput, review_rows, save_row
from projects.models import KeyProject, ProjectProgress

PROGRESS_STATUSES = dict(ProjectProgress.Status.choices)


def _decimal(text, label, errors, *, unit, low=None, high=None):
    """A typed amount or percent, read strictly (indicators.core.numbers) for a 14.2 column."""
    if not (text or "").strip():
        return None
    try:
        number = read_number(text, unit=unit, max_digits=14, decimal_places=2)
    except NumberRefused as exc:
        errors.append(_("%(field)s：%(reason)s") % {"field": label, "reason": translate(exc.message)})
        return None
    if low is not None and number < low:
        errors.append(_("%(field)s不能小于%(low)s") % {"field": label, "low": low})
    if high is not None and number > high:
        errors.append(_("%(field)s不能大于%(high)s") % {"field": label, "high": high})
    return number


def projects_for_entry(user, plan: Plan) -> QuerySet[KeyProject]:
    """The key projects `user` reports on `plan`: all, or those of a regional official's region."""
    return access.within_entry_regions(KeyProject.objects.filter(plan=plan), user, plan)


def _changed_by_someone(project, year):
    other = ProjectProgress.objects.select_related("entered_by").get(project=project, year=year)
    return _("该进展已被%(who)s修改，您的修改未保存，请核对后重新填写") % {"who": other.entered_by or _("他人")}


@transaction.atomic
def progress_save(*, plan: Plan, year: int, user, rows: list[RowInput], submit: bool = False, channel: str = "form") -> dict:
    """Save (and optionally submit) key-project progress for one plan and year. All or nothing."""
    projects = {p.pk: p for p in projects_for_entry(user, plan)}
    of_plan = set(KeyProject.objects.filter(plan=plan).values_list("pk", flat=True))
    existing = {
        p.project_id: p
        for p in ProjectProgress.objects.select_for_update(of=("self",))
        .select_related("entered_by")
        .filter(project__plan=plan, year=year)
    }
    errors, changes, conflict = {}, [], False
    for row in rows:
        if row.key not in projects:
            errors[row.key] = [_("您无权填报该项目（不在您的区域）") if row.key in of_plan else _("该项目不属于本规划")]
            continue
        current = existing.get(row.key)
        if row.version != (current.version if current else 0):
            errors[row.key] = [
                _("该进展已被%(who)s修改，您的修改未保存，请核对后重新填写") % {"who": current.entered_by or _("他人")}
                if current
                else _("该进展已被删除")
            ]
            conflict = True
            continue
        if not row.status and current is None:
            continue
        row_errors = []
        if row.status not in PROGRESS_STATUSES:
            row_errors.append(_("请选择进展状态"))
        investment = _decimal(row.investment, _("累计完成投资（万元）"), row_errors, unit="万元", low=0)
        percent = _decimal(row.percent, _("完成比例（%）"), row_errors, unit="%", low=0, high=100)
        too_long = validation.text_too_long((row.remark or "").strip(), _("备注"))
        if too_long:
            row_errors.append(translate(too_long))
        fields = (row.status, investment, percent, (row.remark or "").strip())
        if current is not None and fields == (
            current.status,
            current.investment_completed_wan,
            current.percent_complete,
            current.remark,
        ):
            continue
        if current is not None and current.state not in EDITABLE:
            row_errors.append(
                _("该进展%(state)s，不能修改（需审核员重新打开）") % {"state": _(workflow.STATE_LABELS[current.state])}
            )
        if row_errors:
            errors[row.key] = row_errors
            continue
        changes.append((projects[row.key], current, fields))
    if errors:
        raise (EntryConflict if conflict else EntryRejected)(errors)
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
        save_row(progress, project.pk, lambda p=project: _changed_by_someone(p, year))
        saved += 1
    if submit:
        # Only the submitter's own rows: another official's draft is theirs to submit.
        mine = ProjectProgress.objects.select_for_update().filter(
            project__plan=plan, year=year, state__in=EDITABLE, entered_by=user
        )
        for progress in mine:
            progress.state = workflow.next_state("submit", progress.state, workflow.OFFICIAL)
            progress.submitted_at = now
            progress.version += 1
            progress._change_reason = channel
            progress.save()
            submitted += 1
    return {"saved": saved, "submitted": submitted}


@transaction.atomic
def progress_review(
    *, plan: Plan, year: int, user, progress_ids: list[int], action: str, comment: str = "", channel: str = "form"
) -> int:
    """A reviewer approves, returns (with a comment) or reopens project progress of one plan and year."""
    rows = ProjectProgress.objects.filter(project__plan=plan, year=year)
    return len(review_rows(rows, progress_ids, user=user, action=action, comment=comment, channel=channel))
