"""Frozen evaluations and report files built in the background."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from indicators.models import Plan


class EvaluationSnapshot(models.Model):
    """An evaluation frozen at its cut-off: the exact report data as it stood, so the report can be
    reproduced later, and later corrections show as differences instead of changing it silently."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度评估")
        MIDTERM = "midterm", _("中期评估")
        FINAL = "final", _("终期考核")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="snapshots", verbose_name=_("规划"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("评估年份"))
    data = models.JSONField(_("冻结内容"))
    engine_version = models.PositiveSmallIntegerField(_("算法版本"))
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("冻结人"))
    frozen_at = models.DateTimeField(_("冻结时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("评估快照")
        verbose_name_plural = _("评估快照")
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "year"], name="snapshot_unique")]

    def __str__(self):
        return f"{self.plan.code} {self.get_kind_display()} {self.year}"


class ReportJob(models.Model):
    """A report too large to build within a request: built by a Celery task, kept for a while."""

    class State(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("生成中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    kind = models.CharField(_("报表类型"), max_length=20)
    plan = models.ForeignKey(Plan, models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("规划"))
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+", verbose_name=_("申请人"))
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    file = models.FileField(_("文件"), upload_to="reports/%Y/%m/", blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    error = models.TextField(_("错误"), blank=True)
    # The requester's language: the workbook's headings are written in it.
    language = models.CharField(_("语言"), max_length=10, default="zh-hans")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报表任务")
        verbose_name_plural = _("报表任务")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} {self.plan_id or 'all'} {self.year or ''}"
