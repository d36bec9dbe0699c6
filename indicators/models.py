"""Plans, their indicators, targets and values, and the attainment results computed from them."""

from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from indicators.core import targets as grammar
from indicators.core import vocabulary


def _choices(name, terms):
    """Django choices from the vocabulary (members named by their upper-cased English code)."""
    members = [(t.code.upper() if t.code.isascii() else key, (t.code, _(t.label))) for key, t in terms]
    return models.TextChoices(name, members)


def reporting_calendar_year() -> int:
    """The calendar year being reported now: last year (the one place that says so)."""
    return timezone.localdate().year - 1


class Region(models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "province", _("自治区")
        CORPS = "corps", _("兵团")
        PREFECTURE = "prefecture", _("地州")
        DIVISION = "division", _("师市")
        CITY = "city", _("城市")
        COUNTY = "county", _("县市")

    name = models.CharField(_("名称"), max_length=100, unique=True)
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("上级区域"))
    code = models.CharField(_("区划代码"), max_length=12, blank=True, help_text=_("GB/T 2260 行政区划代码；兵团师无独立代码"))
    # Other names documents use (简称, full names of autonomous counties): an imported plan's region
    # is matched against the name and these.
    aliases = models.JSONField(_("别名"), default=list, blank=True)

    history = HistoricalRecords()  # staff add regions from the intake page

    class Meta:
        verbose_name = _("区域")
        verbose_name_plural = _("区域")
        ordering = ["id"]

    def __str__(self):
        return self.name


class Plan(models.Model):
    code = models.SlugField(_("代码"), max_length=50, unique=True)
    title = models.CharField(_("规划名称"), max_length=200)
    region = models.ForeignKey(Region, models.PROTECT, related_name="plans", verbose_name=_("区域"))
    issuer = models.CharField(_("印发单位"), max_length=200, blank=True)
    issued_on = models.DateField(_("印发日期"), null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=100, blank=True)
    period_start = models.PositiveSmallIntegerField(_("规划期起始年"))
    period_end = models.PositiveSmallIntegerField(_("规划期结束年"))
    baseline_year = models.PositiveSmallIntegerField(_("基准年"))
    predecessor = models.ForeignKey(
        "self",
        models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("上一期规划"),
    )
    source_file = models.CharField(_("来源文件"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)
    note = models.TextField(_("录入说明"), blank=True)  # written while typing the plan in: staff only
    public_note = models.TextField(_("说明"), blank=True)  # for everyone who reads the plan
    is_public = models.BooleanField(_("公开"), default=False, help_text=_("公开的规划无需登录即可查看"))
    reporting = models.BooleanField(
        _("接受填报"),
        default=True,
        help_text=_("否：该规划仅为后一期文件所印的完成情况表，数据全部来自文件，不再填报"),
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    # Changes whenever anything a dashboard shows changes; cached pages are keyed by it. A random
    # token, not a counter: a rolled-back change leaves no reusable key behind.
    data_version = models.CharField(_("数据版本"), max_length=32, default="", editable=False)

    class Meta:
        verbose_name = _("规划")
        verbose_name_plural = _("规划")
        ordering = ["code"]

    def __str__(self):
        return self.title

    @property
    def years(self):
        return list(range(self.period_start, self.period_end + 1))

    @property
    def reporting_year(self):
        """The year officials are reporting now: last year, kept inside the plan period."""
        return min(max(reporting_calendar_year(), self.period_start), self.period_end)

    HEAD = ("id", "code", "period_start", "period_end", "is_public", "reporting", "data_version")  # in field order

    @classmethod
    def head(cls, code: str):
        """The plan's few fields a cached page needs (its data version keys the page), or None: one
        small query written out, because the ORM's building of it cost more than the query itself
        on the busiest page (bench/dashboards.py)."""
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(cls.HEAD)} FROM {cls._meta.db_table} WHERE code = %s", [code])
            row = cursor.fetchone()
        # As a queryset's .only() would build it: the other fields load if touched, and a save
        # writes only these.
        return None if row is None else cls.from_db(connection.alias, list(cls.HEAD), row)

    @staticmethod
    def touch(plan_ids):
        """Mark the plans' shown data as changed (invalidates their cached dashboards)."""
        import uuid

        Plan.objects.filter(pk__in=set(plan_ids)).update(data_version=uuid.uuid4().hex)


class Milestone(models.Model):
    class Kind(models.TextChoices):
        ANNUAL = "annual", _("年度评估")
        MIDTERM = "midterm", _("中期评估")
        STAGE = "stage", _("阶段目标")
        FINAL = "final", _("终期考核")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="milestones", verbose_name=_("规划"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年份"))
    label = models.CharField(_("名称"), max_length=50)

    class Meta:
        verbose_name = _("评估节点")
        verbose_name_plural = _("评估节点")
        ordering = ["plan", "year"]
        constraints = [models.UniqueConstraint(fields=["plan", "kind", "year"], name="milestone_unique")]

    def __str__(self):
        return f"{self.label} {self.year}"


class Indicator(models.Model):
    Attribute = _choices("Attribute", zip(("BINDING", "EXPECTED", "REFERENCE"), vocabulary.ATTRIBUTES, strict=True))

    class Direction(models.TextChoices):
        HIGHER = grammar.HIGHER, _("越高越好")
        LOWER = grammar.LOWER, _("越低越好")
        QUALITATIVE = "qualitative", _("定性")
        UNKNOWN = "", _("未确定")

    plan = models.ForeignKey(Plan, models.CASCADE, related_name="indicators", verbose_name=_("规划"))
    position = models.PositiveIntegerField(_("排序"), default=0)
    # Identity within the plan as the fixture names it (seq, name, region): load_plans updates in place.
    row_key = models.CharField(_("行键"), max_length=400, editable=False)
    seq = models.CharField(_("序号"), max_length=20, blank=True)
    name = models.CharField(_("指标名称"), max_length=300)
    parent = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="children", verbose_name=_("上级指标")
    )
    category = models.CharField(_("方面/领域"), max_length=100, blank=True)
    subcategory = models.CharField(_("任务/类型"), max_length=100, blank=True)
    unit = models.CharField(_("单位"), max_length=50, blank=True)
    attribute = models.CharField(_("指标属性"), max_length=10, choices=Attribute.choices, blank=True)
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="indicators", verbose_name=_("区域"))
    direction = models.CharField(_("方向"), max_length=20, choices=Direction.choices, blank=True)
    direction_source = models.CharField(
        _("方向依据"), max_length=200, blank=True, help_text=_("方向从何而来：目标文字、指标名称规则、文件或人工校正")
    )
    standard_value = models.CharField(_("标准值"), max_length=200, blank=True)
    verdict = models.CharField(_("文件评价结果"), max_length=20, blank=True)
    assessment_object = models.CharField(_("考核对象"), max_length=50, blank=True)
    footnotes = models.JSONField(_("注释"), default=list, blank=True)
    note = models.TextField(_("录入说明"), blank=True)  # written while typing the plan in: staff only
    public_note = models.TextField(_("说明"), blank=True)  # for everyone who reads the plan
    key = models.CharField(
        _("统一指标键"), max_length=100, blank=True, db_index=True, help_text=_("跨规划比较时用来匹配同一指标")
    )
    source_file = models.CharField(_("来源文件"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["position"])

    class Meta:
        verbose_name = _("指标")
        verbose_name_plural = _("指标")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "row_key"], name="indicator_row_unique")]

    def __str__(self):
        label = f"{self.seq} {self.name}" if self.seq else self.name
        return f"{label}（{self.region}）" if self.region_id else label

    @staticmethod
    def make_row_key(seq, name, region_name):
        return "|".join([seq or "", name, region_name or ""])


class Target(models.Model):
    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="targets", verbose_name=_("指标"))
    year = models.PositiveSmallIntegerField(_("年份"))
    raw_text = models.CharField(_("目标原文"), max_length=300)
    kind = models.CharField(_("目标类型"), max_length=20, choices=[(k, k) for k in grammar.KINDS])
    parsed = models.JSONField(_("解析结果"), default=dict)
    grammar_version = models.PositiveSmallIntegerField(_("解析版本"), default=grammar.GRAMMAR_VERSION)
    # "Assigned by the superior body" targets get their number from a reviewer, year by year.
    assigned_value = models.DecimalField(_("下达指标值"), max_digits=18, decimal_places=6, null=True, blank=True)
    assigned_note = models.CharField(_("下达说明"), max_length=300, blank=True)
    source_file = models.CharField(_("来源文件"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("目标")
        verbose_name_plural = _("目标")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="target_unique_year")]

    def __str__(self):
        return f"{self.year}: {self.raw_text}"

    @property
    def target(self):
        return grammar.Target.from_dict(self.parsed)

    def set_text(self, raw_text):
        parsed = grammar.parse(raw_text)
        self.raw_text = raw_text
        self.kind = parsed.kind
        self.parsed = parsed.to_dict()
        self.grammar_version = grammar.GRAMMAR_VERSION


class TargetRevision(models.Model):
    """A published target changed by a later document (中期调整): the text before and after, why,
    when and by which document. Years before `effective_from` stay judged against the text before
    (the target in force then); the Target row holds the text in force now."""

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="revisions", verbose_name=_("指标"))
    year = models.PositiveSmallIntegerField(_("目标年份"))
    previous_text = models.CharField(_("调整前目标"), max_length=300, blank=True)
    new_text = models.CharField(_("调整后目标"), max_length=300)
    reason = models.TextField(_("调整理由"))
    revised_on = models.DateField(_("调整日期"))
    document = models.CharField(_("调整依据文件"), max_length=300, help_text=_("文件名称及文号"))
    effective_from = models.PositiveSmallIntegerField(_("起始适用年份"), help_text=_("此年及以后按调整后目标评价"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+", verbose_name=_("录入人")
    )
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("目标调整")
        verbose_name_plural = _("目标调整")
        ordering = ["indicator", "created_at", "id"]

    def __str__(self):
        return f"{self.year}: {self.previous_text} → {self.new_text}"


class Reviewed(models.Model):
    """Who entered a figure and where it stands in the approval workflow (indicators.core.workflow).

    Shared by indicator values and project progress, which go through the same workflow.
    """

    State = _choices("State", ((None, t) for t in vocabulary.STATES))

    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.DRAFT)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("填报人")
    )
    entered_at = models.DateTimeField(_("填报时间"), auto_now=True)
    # Optimistic concurrency: a save names the version it edited; a stale one is refused.
    version = models.PositiveIntegerField(_("版本"), default=1)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("审核人")
    )
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)

    class Meta:
        abstract = True


class IndicatorValue(Reviewed):
    Origin = _choices("Origin", ((None, t) for t in vocabulary.ORIGINS))

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="values", verbose_name=_("指标"))
    year = models.PositiveSmallIntegerField(_("年份"))
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("区域"))
    raw_text = models.CharField(_("原文"), max_length=300, blank=True)
    number = models.DecimalField(_("数值"), max_digits=18, decimal_places=6, null=True, blank=True)
    qualitative = models.CharField(_("定性状态"), max_length=50, blank=True)
    parsed = models.JSONField(_("解析结果"), default=dict, blank=True)
    remark = models.TextField(_("备注"), blank=True)
    origin = models.CharField(_("来源"), max_length=20, choices=Origin.choices)
    source_file = models.CharField(_("来源文件"), max_length=100, blank=True)
    source_line = models.PositiveIntegerField(_("来源行号"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], condition=Q(region__isnull=True), name="value_unique_year"),
            models.UniqueConstraint(
                fields=["indicator", "year", "region"],
                condition=Q(region__isnull=False),
                name="value_unique_year_region",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.raw_text}"

    @property
    def is_approved(self):
        return vocabulary.is_approved(self.origin, self.state)

    def set_text(self, raw_text, parsed=None):
        """Store a printed or typed value with its parsed number or qualitative status.

        `parsed`: what the strict reader made of a typed number (indicators.core.validation), so the
        number stored is the number typed; printed values are parsed by the grammar.
        """
        parsed = parsed or grammar.parse(raw_text)
        self.raw_text = raw_text
        self.parsed = parsed.to_dict()
        self.number = parsed.value if parsed.kind == grammar.THRESHOLD else None
        self.qualitative = parsed.status or ""
        if parsed.kind == grammar.NO_EVENT:
            self.qualitative = "no_event"
        elif parsed.kind == grammar.ELIMINATE:
            self.qualitative = "eliminated"


class AttainmentResult(models.Model):
    Status = _choices("Status", ((None, t) for t in vocabulary.STATUSES))

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="results", verbose_name=_("指标"))
    year = models.PositiveSmallIntegerField(_("年份"))
    status = models.CharField(_("状态"), max_length=30, choices=Status.choices)
    method = models.CharField(_("方法"), max_length=50)
    explanation = models.TextField(_("说明"))
    details = models.JSONField(_("明细"), default=dict, blank=True)
    engine_version = models.PositiveSmallIntegerField(_("算法版本"), default=1)
    # What the judgement was based on (the year's value and target): an override made on another
    # basis no longer stands.
    fingerprint = models.CharField(_("依据指纹"), max_length=40, blank=True)
    computed_at = models.DateTimeField(_("计算时间"))

    class Meta:
        verbose_name = _("达标判定")
        verbose_name_plural = _("达标判定")
        ordering = ["indicator", "year"]
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="result_unique_year")]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.get_status_display()}"


class StatusOverride(models.Model):
    """A reviewer's written correction of the engine's status for one indicator-year.

    It stands while the value and target it was made on are unchanged; once either changes the
    engine's new judgement applies again, and the page shows both.
    """

    indicator = models.ForeignKey(Indicator, models.CASCADE, related_name="overrides", verbose_name=_("指标"))
    year = models.PositiveSmallIntegerField(_("年份"))
    status = models.CharField(_("人工判定状态"), max_length=30, choices=AttainmentResult.Status.choices)
    reason = models.TextField(_("理由"))
    basis = models.CharField(_("依据指纹"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("审核员"))
    created_at = models.DateTimeField(_("时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人工判定")
        verbose_name_plural = _("人工判定")
        constraints = [models.UniqueConstraint(fields=["indicator", "year"], name="override_unique_year")]

    def __str__(self):
        return f"{self.indicator} {self.year}: {self.get_status_display()}"


class RecomputeRun(models.Model):
    """One recomputation (an indicator after a save, a plan, or the nightly full run)."""

    scope = models.CharField(_("范围"), max_length=100)
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    indicators = models.PositiveIntegerField(_("指标数"), default=0)
    results = models.PositiveIntegerField(_("判定数"), default=0)
    counts = models.JSONField(_("各状态数"), default=dict)
    errors = models.JSONField(_("错误"), default=list)

    class Meta:
        verbose_name = _("计算记录")
        verbose_name_plural = _("计算记录")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.scope} {self.started_at:%Y-%m-%d %H:%M}"


class PlanMembership(models.Model):
    """Who works on which plan, in which role; the single source of per-plan permissions."""

    class Role(models.TextChoices):
        OFFICIAL = "official", _("填报员")
        REVIEWER = "reviewer", _("审核员")
        VIEWER = "viewer", _("查看者")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="memberships", verbose_name=_("用户"))
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="memberships", verbose_name=_("规划"))
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)
    region = models.ForeignKey(
        Region,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("限定区域"),
        help_text=_("填报员只能填报该区域（及其下级区域）的分城市指标；留空为全部"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("规划成员")
        verbose_name_plural = _("规划成员")
        constraints = [models.UniqueConstraint(fields=["user", "plan", "role"], name="membership_unique_role")]

    def __str__(self):
        return f"{self.user} · {self.plan.code} · {self.get_role_display()}"


class ReportingDeadline(models.Model):
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="deadlines", verbose_name=_("规划"))
    year = models.PositiveSmallIntegerField(_("数据年份"))
    due_on = models.DateField(_("报送截止日期"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报送截止日期")
        verbose_name_plural = _("报送截止日期")
        constraints = [models.UniqueConstraint(fields=["plan", "year"], name="deadline_unique_year")]

    def __str__(self):
        return f"{self.plan.code} {self.year}: {self.due_on}"
