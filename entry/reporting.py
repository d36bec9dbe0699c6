"""Reporting status of a plan and year (DHIS2's completeness and timeliness), and reminders."""

from collections import Counter, defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from indicators.access import indicators_for_entry
from indicators.core import workflow
from indicators.models import IndicatorValue, PlanMembership, ReportingDeadline
from projects.models import KeyProject, ProjectProgress
from projects.services import projects_for_entry

MISSING = "missing"
STATE_ORDER = [MISSING, workflow.DRAFT, workflow.RETURNED, workflow.SUBMITTED, workflow.APPROVED]
STATE_LABELS = {MISSING: gettext_noop("未填报"), **workflow.STATE_LABELS}


def _deadline_passed(deadline, when):
    """Was `when` (a datetime) after the deadline day, in the portal's time zone?"""
    return deadline is not None and timezone.localdate(when) > deadline.due_on


def status_for(plan, year):
    deadline = ReportingDeadline.objects.filter(plan=plan, year=year).first()
    indicators = list(plan.indicators.select_related("region").order_by("position"))
    values = {
        v.indicator_id: v
        for v in IndicatorValue.objects.filter(indicator__plan=plan, year=year, region__isnull=True).select_related("entered_by")
    }
    rows, by_region, by_official, late = [], defaultdict(Counter), defaultdict(Counter), []
    for indicator in indicators:
        value = values.get(indicator.pk)
        state = value.state if value else MISSING
        if value and value.origin == IndicatorValue.Origin.DOCUMENT:
            state = workflow.APPROVED
        region = indicator.region.name if indicator.region else plan.region.name
        official = value.entered_by.get_username() if value and value.entered_by else "—"
        rows.append({"indicator": indicator, "value": value, "state": state, "label": _(STATE_LABELS[state])})
        by_region[region][state] += 1
        by_official[official][state] += 1
        if value and value.submitted_at and _deadline_passed(deadline, value.submitted_at):
            late.append(value)
    total = len(indicators)
    counts = Counter(r["state"] for r in rows)
    done = counts[workflow.SUBMITTED] + counts[workflow.APPROVED]
    progress = {p.project_id: p for p in ProjectProgress.objects.filter(project__plan=plan, year=year)}
    projects = list(KeyProject.objects.filter(plan=plan).order_by("position"))
    project_counts = Counter(progress[p.pk].state if p.pk in progress else MISSING for p in projects)
    overdue = deadline is not None and timezone.localdate() > deadline.due_on
    return {
        "deadline": deadline,
        "overdue": overdue,
        "rows": rows,
        "counts": [(state, _(STATE_LABELS[state]), counts[state]) for state in STATE_ORDER],
        "total": total,
        "share_complete": (done / total) if total else None,
        "share_approved": (counts[workflow.APPROVED] / total) if total else None,
        "by_region": _table(by_region),
        "by_official": _table(by_official),
        "late": late,
        "project_counts": [(state, _(STATE_LABELS[state]), project_counts[state]) for state in STATE_ORDER],
        "project_total": len(projects),
    }


def _table(groups):
    return [(name, [counts[state] for state in STATE_ORDER], sum(counts.values())) for name, counts in sorted(groups.items())]


def reminders_send(today=None):
    """E-mail each official their missing or returned items, the set number of days before and
    after each deadline. Returns the number of messages sent."""
    today = today or timezone.localdate()
    sent = 0
    for deadline in ReportingDeadline.objects.select_related("plan"):
        days = (deadline.due_on - today).days
        if days not in settings.REMINDER_DAYS_BEFORE and -days not in settings.REMINDER_DAYS_AFTER:
            continue
        plan, year = deadline.plan, deadline.year
        if not plan.reporting:
            continue
        memberships = PlanMembership.objects.filter(plan=plan, role=PlanMembership.Role.OFFICIAL).select_related("user")
        for membership in memberships:
            user = membership.user
            if not user.email or not user.is_active:
                continue
            items = _open_items(user, plan, year)
            if not items:
                continue
            if days > 0:
                when = _("还有 %(days)d 天") % {"days": days}
            else:
                when = _("今天") if days == 0 else _("已过 %(days)d 天") % {"days": -days}
            body = "\n".join(
                [
                    _("%(user)s，您好：") % {"user": user.get_username()},
                    "",
                    _("《%(plan)s》%(year)s年数据的报送截止日期为 %(due)s（%(when)s）。")
                    % {"plan": plan.title, "year": year, "due": date_format(deadline.due_on), "when": when},
                    _("以下事项尚需处理："),
                    *[f"  - {item}" for item in items],
                    "",
                    _("请登录生态环境保护规划指标跟踪平台填报。"),
                ]
            )
            send_mail(
                _("【填报提醒】%(plan)s %(year)s年数据（%(n)d 项待处理）") % {"plan": plan.title, "year": year, "n": len(items)},
                body,
                settings.DEFAULT_FROM_EMAIL,
                [user.email],
            )
            sent += 1
    return sent


def _open_items(user, plan, year):
    indicators = list(indicators_for_entry(user, plan).order_by("position"))
    values = {v.indicator_id: v for v in IndicatorValue.objects.filter(indicator__in=indicators, year=year, region__isnull=True)}
    items = []
    for indicator in indicators:
        value = values.get(indicator.pk)
        label = f"{indicator.seq} {indicator.name}".strip()
        if indicator.region_id:
            label += f"（{indicator.region}）"
        if value is None:
            items.append(_("未填报：%(item)s") % {"item": label})
        elif value.state == workflow.RETURNED:
            items.append(_("已退回：%(item)s（审核意见：%(comment)s）") % {"item": label, "comment": value.review_comment})
    progress = {p.project_id: p for p in ProjectProgress.objects.filter(project__plan=plan, year=year)}
    for project in projects_for_entry(user, plan).order_by("position"):
        current = progress.get(project.pk)
        if current is None:
            items.append(_("项目进展未填报：%(item)s") % {"item": f"{project.seq} {project.name}"})
        elif current.state == workflow.RETURNED:
            items.append(
                _("项目进展已退回：%(item)s（审核意见：%(comment)s）")
                % {"item": f"{project.seq} {project.name}", "comment": current.review_comment}
            )
    return items
