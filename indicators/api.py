"""The REST API for other systems (a statistics bureau, a provincial platform).

Reads go through the same access helpers as the pages; writes go through the same write
functions as the forms (same validation, workflow, concurrency checks and audit rows, with the
channel "api"). Unknown fields are refused rather than ignored: a typo must not pass silently.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.response import Response

from indicators import access, services
from indicators.core import workflow
from indicators.core.validation import TEXT_LIMIT
from indicators.i18n import error_text
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan, Region, Target

CHANNEL = "api"


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know, naming them."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise ValidationError({name: [_("未知字段")] for name in unknown})
        return super().to_internal_value(data)


# --- read serializers ---------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="name", read_only=True)

    class Meta:
        model = Region
        fields = ["id", "name", "kind", "parent"]


class PlanSerializer(serializers.ModelSerializer):
    region = serializers.SlugRelatedField(slug_field="name", read_only=True)
    predecessor = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Plan
        fields = [
            "code",
            "title",
            "region",
            "issuer",
            "issued_on",
            "doc_number",
            "period_start",
            "period_end",
            "baseline_year",
            "predecessor",
            "reporting",
            "source_file",
            "source_line",
        ]


class TargetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Target
        fields = ["id", "year", "raw_text", "kind", "parsed", "assigned_value", "assigned_note", "source_file", "source_line"]


class IndicatorSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    region = serializers.SlugRelatedField(slug_field="name", read_only=True)
    targets = TargetSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "plan",
            "seq",
            "name",
            "category",
            "subcategory",
            "unit",
            "attribute",
            "region",
            "direction",
            "standard_value",
            "verdict",
            "key",
            "source_file",
            "source_line",
            "targets",
        ]


class ValueSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="indicator.plan.code", read_only=True)
    entered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "plan",
            "indicator",
            "year",
            "raw_text",
            "number",
            "qualitative",
            "remark",
            "origin",
            "state",
            "version",
            "entered_by",
            "entered_at",
            "review_comment",
        ]


class ResultSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="indicator.plan.code", read_only=True)

    class Meta:
        model = AttainmentResult
        fields = ["id", "plan", "indicator", "year", "status", "method", "explanation", "details", "computed_at"]


# --- write serializers --------------------------------------------------------------------------


class ValueWriteSerializer(StrictSerializer):
    indicator = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    value = serializers.CharField(max_length=300, allow_blank=True)
    remark = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(min_value=0, required=False, default=0)
    confirmed = serializers.BooleanField(required=False, default=False)
    submit = serializers.BooleanField(required=False, default=False)


class ReviewSerializer(StrictSerializer):
    action = serializers.ChoiceField(choices=["approve", "return", "reopen"])
    comment = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False, default="")


class AssignSerializer(StrictSerializer):
    assigned_value = serializers.CharField(max_length=30, allow_blank=True)
    assigned_note = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")


# --- filters --------------------------------------------------------------------------------------


class IndicatorFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__code")
    region = filters.CharFilter(field_name="region__name")

    class Meta:
        model = Indicator
        fields = ["plan", "category", "attribute", "region", "key"]


class ValueFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="indicator__plan__code")
    category = filters.CharFilter(field_name="indicator__category")
    attribute = filters.CharFilter(field_name="indicator__attribute")
    region = filters.CharFilter(field_name="indicator__region__name")

    class Meta:
        model = IndicatorValue
        fields = ["plan", "indicator", "year", "state", "origin", "category", "attribute", "region"]


class ResultFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="indicator__plan__code")
    category = filters.CharFilter(field_name="indicator__category")
    attribute = filters.CharFilter(field_name="indicator__attribute")
    region = filters.CharFilter(field_name="indicator__region__name")

    class Meta:
        model = AttainmentResult
        fields = ["plan", "indicator", "year", "status", "category", "attribute", "region"]


# --- views ----------------------------------------------------------------------------------------


def _readable_plans(request):
    return access.plans_for_user(request.user)


def _plan_for(request, plan, check):
    if not check(request.user, plan):
        raise PermissionDenied(_("您没有该规划的相应权限"))
    return plan


def _require_year_in_period(plan, year):
    if not plan.period_start <= year <= plan.period_end:
        message = _("%(year)s年不在规划期 %(start)s—%(end)s 内") % {
            "year": year,
            "start": plan.period_start,
            "end": plan.period_end,
        }
        raise ValidationError({"year": [message]})


def _review(request, row, plan, write, ids_name, serializer):
    """A reviewer action on one value or progress row, through the same write as the review page."""
    plan = _plan_for(request, plan, access.can_review)
    data = ReviewSerializer(data=request.data)
    data.is_valid(raise_exception=True)
    try:
        write(
            plan=plan,
            year=row.year,
            user=request.user,
            action=data.validated_data["action"],
            comment=data.validated_data["comment"],
            channel=CHANNEL,
            **{ids_name: [row.pk]},
        )
    except workflow.WorkflowError as exc:
        return Response({"detail": error_text(exc)}, status=403 if isinstance(exc, workflow.FourEyesError) else 400)
    row.refresh_from_db()
    return Response(serializer(row).data)


def _refused(exc: services.EntryRejected) -> Response:
    """Nothing was saved: 409 when someone else changed the figure meanwhile, else 400."""
    status_code = 409 if isinstance(exc, services.EntryConflict) else 400
    errors = {str(key): messages for key, messages in exc.errors.items()}
    return Response({"detail": _("未保存"), "errors": errors}, status=status_code)


class RegionViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Region.objects.select_related("parent").order_by("id")
    serializer_class = RegionSerializer
    ordering_fields = ["id", "name"]


class PlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PlanSerializer
    lookup_field = "code"
    ordering_fields = ["code", "period_start", "period_end"]

    def get_queryset(self):
        return _readable_plans(self.request).select_related("region", "predecessor").order_by("code")


class IndicatorViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter
    ordering_fields = ["id", "plan__code", "position", "seq"]

    def get_queryset(self):
        return (
            Indicator.objects.filter(plan__in=_readable_plans(self.request))
            .select_related("plan", "region")
            .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("year")))
            .order_by("plan__code", "position")
        )


class ResultViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ResultSerializer
    filterset_class = ResultFilter
    ordering_fields = ["id", "year", "status"]

    def get_queryset(self):
        return (
            AttainmentResult.objects.filter(indicator__plan__in=_readable_plans(self.request))
            .select_related("indicator__plan")
            .order_by("indicator__plan__code", "indicator__position", "year")
        )


@extend_schema_view(
    create=extend_schema(request=ValueWriteSerializer, responses={201: ValueSerializer}),
    review=extend_schema(request=ReviewSerializer, responses={200: ValueSerializer}),
)
class ValueViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Values; POST saves one (create or update, naming the version edited), like the entry form."""

    serializer_class = ValueSerializer
    filterset_class = ValueFilter
    ordering_fields = ["id", "year", "entered_at"]

    def get_queryset(self):
        return (
            IndicatorValue.objects.filter(indicator__plan__in=_readable_plans(self.request))
            .select_related("indicator__plan", "entered_by")
            .order_by("indicator__plan__code", "indicator__position", "year")
        )

    def create(self, request, *args, **kwargs):
        data = ValueWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        indicator = Indicator.objects.select_related("plan").filter(pk=fields["indicator"]).first()
        if indicator is None or not access.can_read(request.user, indicator.plan):
            raise NotFound(_("指标不存在"))
        plan = _plan_for(request, indicator.plan, access.can_enter)
        _require_year_in_period(plan, fields["year"])
        row = services.RowInput(
            key=indicator.pk,
            text=fields["value"],
            remark=fields["remark"],
            version=fields["version"],
            confirmed=fields["confirmed"],
        )
        try:
            result = services.values_save(
                plan=plan, year=fields["year"], user=request.user, rows=[row], submit=fields["submit"], channel=CHANNEL
            )
        except services.EntryRejected as exc:
            return _refused(exc)
        value = IndicatorValue.objects.filter(indicator=indicator, year=fields["year"], region__isnull=True).first()
        body = ValueSerializer(value).data if value else {"deleted": True}
        body["recompute_queued"] = result["recompute"]["queued"]
        if not result["recompute"]["queued"]:
            body["notice"] = _("数据已保存；后台计算暂不可用，达标状态将在恢复后或夜间全量计算时更新")
        return Response(body, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        value = self.get_object()
        return _review(request, value, value.indicator.plan, services.values_review, "value_ids", ValueSerializer)


@extend_schema_view(assign=extend_schema(request=AssignSerializer, responses={200: TargetSerializer}))
class TargetViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = TargetSerializer

    def get_queryset(self):
        return Target.objects.filter(indicator__plan__in=_readable_plans(self.request)).order_by("indicator_id", "year")

    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        target = self.get_object()
        plan = _plan_for(request, target.indicator.plan, access.can_review)
        data = AssignSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            target = services.assigned_record(
                plan=plan,
                target_id=target.pk,
                number=data.validated_data["assigned_value"],
                note=data.validated_data["assigned_note"],
                user=request.user,
                channel=CHANNEL,
            )
        except workflow.WorkflowError as exc:
            return Response({"detail": error_text(exc)}, status=400)
        return Response(TargetSerializer(target).data)
