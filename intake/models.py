"""Plans being brought in from their documents: a draft per upload, seen by staff only."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanDraft(models.Model):
    """What the reader made of an uploaded document, as staff correct it, until it is published.

    `data` is a plan in the schema of fixtures/plans/*.yaml (what `plan_files.check` validates and
    `load_plans` loads), so a draft is published by the same loader as the seed plans.
    """

    class State(models.TextChoices):
        DRAFT = "draft", _("草稿")
        PUBLISHED = "published", _("已发布")
        DISCARDED = "discarded", _("已放弃")

    code = models.SlugField(_("代码"), max_length=50)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    original_name = models.CharField(_("上传文件名"), max_length=255)
    sha256 = models.CharField(_("文件摘要"), max_length=64)
    source_file = models.CharField(_("来源文件"), max_length=100)  # the text rendering's name
    source_text = models.TextField(_("文本"))
    data = models.JSONField(_("规划数据"))
    report = models.JSONField(_("读取报告"), default=dict)  # tables found, warnings (for the review page)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    plan = models.ForeignKey("indicators.Plan", models.SET_NULL, null=True, blank=True, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规划导入草稿")
        verbose_name_plural = _("规划导入草稿")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.code} ({self.original_name})"
