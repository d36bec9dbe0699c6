"""Key projects (重点项目/重点工程) of a plan, their yearly progress, and totals the documents state."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.models import IndicatorValue, Plan, Region, Reviewed


class KeyProject(models.Model):
    class Nature(models.TextChoices):
        NEW = "新建", _("新建")
        CONTINUED = "续建", _("续建")
        EXPANSION = "改扩建", _("改扩建")

    class Origin(models.TextChoices):
        DOCUMENT = "document", _("规划文件")
        STAFF = "staff", _("后续录入")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="projects", verbose_name=_("规划"))
    position = models.PositiveIntegerField(_("排序"), default=0)
    seq = models.CharField(_("序号"), max_length=20)
    category = models.CharField(_("项目类型"), max_length=200, blank=True)
    name = models.CharField(_("项目名称"), max_length=300)
    nature = models.CharField(_("建设性质"), max_length=10, choices=Nature.choices, blank=True)
    content = models.TextField(_("主要建设内容"), blank=True)
    period_text = models.CharField(_("建设年份（原文）"), max_length=50, blank=True)
    start_year = models.PositiveSmallIntegerField(_("开工年份"), null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(_("完工年份"), null=True, blank=True)
    investment_wan = models.DecimalField(_("计划投资（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    location = models.CharField(_("建设地点"), max_length=200, blank=True)
    # The region named by the printed location, else the plan's (projects.location): a regional
    # official reports only the projects of their region.
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("所属区域"))
    note = models.TextField(_("说明"), blank=True)
    origin = models.CharField(_("来源"), max_length=20, choices=Origin.choices, default=Origin.STAFF)
    source_file = models.CharField(_("来源文件"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="project_unique_seq")]

    def __str__(self):
        return f"{self.seq} {self.name}"


class ProjectProgress(Reviewed):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("未开工")
        ONGOING = "ongoing", _("在建")
        COMPLETED = "completed", _("已完工")

    project = models.ForeignKey(KeyProject, models.CASCADE, related_name="progress", verbose_name=_("项目"))
    year = models.PositiveSmallIntegerField(_("年份"))
    status = models.CharField(_("进展状态"), max_length=20, choices=Status.choices)
    investment_completed_wan = models.DecimalField(
        _("累计完成投资（万元）"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("截至该年末的累计完成投资"),
    )
    percent_complete = models.DecimalField(_("完成比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    remark = models.TextField(_("备注"), blank=True)
    origin = models.CharField(
        _("来源"), max_length=20, choices=IndicatorValue.Origin.choices, default=IndicatorValue.Origin.ENTRY
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("项目进展")
        verbose_name_plural = _("项目进展")
        ordering = ["project", "year"]
        constraints = [models.UniqueConstraint(fields=["project", "year"], name="progress_unique_year")]

    def __str__(self):
        return f"{self.project} {self.year}: {self.get_status_display()}"


class StatedTotal(models.Model):
    """A total the document prints (e.g. 合计 25.81 亿元), shown beside the sum the portal computes."""

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="stated_totals", verbose_name=_("规划"))
    position = models.PositiveIntegerField(_("排序"), default=0)
    what = models.CharField(_("项目"), max_length=100)
    category = models.CharField(_("类别"), max_length=200, blank=True)
    count = models.PositiveIntegerField(_("项目数"), null=True, blank=True)
    text = models.CharField(_("原文"), max_length=300)
    value_wan = models.DecimalField(_("金额（万元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    source_file = models.CharField(_("来源文件"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)

    class Meta:
        verbose_name = _("文件所列合计")
        verbose_name_plural = _("文件所列合计")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "what", "category"], name="stated_total_unique")]

    def __str__(self):
        return self.text
