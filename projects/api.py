"""The REST API's project endpoints: key projects and their yearly progress.

Same contract as indicators.api (strict fields, the access module, the service write path, channel "api").
"""

from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from indicators import access, services
from indicators.api import (
    CHANNEL,
    ReviewSerializer,
    StrictSerializer,
    _plan_for,
    _readable_plans,
    _refused,
    _require_year_in_period,
    _review,
)
from indicators.core.validation import TEXT_LIMIT
from projects import services as project_services
from projects.models import KeyProject, ProjectProgress


class ProjectSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "plan",
            "seq",
            "category",
            "name",
            "nature",
            "content",
            "period_text",
            "start_year",
            "end_year",
            "investment_wan",
            "location",
            "source_file",
            "source_line",
        ]


class ProgressSerializer(serializers.ModelSerializer):
    plan = serializers.CharField(source="project.plan.code", read_only=True)

    class Meta:
        model = ProjectProgress
        fields = [
            "id",
            "plan",
            "project",
            "year",
            "status",
            "investment_completed_wan",
            "percent_complete",
            "remark",
            "state",
            "version",
            "review_comment",
        ]


class ProgressWriteSerializer(StrictSerializer):
    project = serializers.IntegerField(min_value=1)
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    status = serializers.ChoiceField(choices=ProjectProgress.Status.choices)
    investment_completed_wan = serializers.CharField(max_length=30, allow_blank=True, required=False, default="")
    percent_complete = serializers.CharField(max_length=10, allow_blank=True, required=False, default="")
    remark = serializers.CharField(max_length=TEXT_LIMIT, allow_blank=True, required=False, default="")
    version = serializers.IntegerField(min_value=0, required=False, default=0)
    submit = serializers.BooleanField(required=False, default=False)


class ProjectFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="plan__code")

    class Meta:
        model = KeyProject
        fields = ["plan", "category", "nature", "start_year", "end_year"]


class ProgressFilter(filters.FilterSet):
    plan = filters.CharFilter(field_name="project__plan__code")

    class Meta:
        model = ProjectProgress
        fields = ["plan", "project", "year", "status", "state"]


class ProjectViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilter
    ordering_fields = ["id", "seq", "investment_wan"]

    def get_queryset(self):
        return (
            KeyProject.objects.filter(plan__in=_readable_plans(self.request))
            .select_related("plan")
            .order_by("plan__code", "position")
        )


@extend_schema_view(
    create=extend_schema(request=ProgressWriteSerializer, responses={201: ProgressSerializer}),
    review=extend_schema(request=ReviewSerializer, responses={200: ProgressSerializer}),
)
class ProgressViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = ProgressSerializer
    filterset_class = ProgressFilter
    ordering_fields = ["id", "year"]

    def get_queryset(self):
        return (
            ProjectProgress.objects.filter(project__plan__in=_readable_plans(self.request))
            .select_related("project__plan")
            .order_by("project__plan__code", "project__position", "year")
        )

    def create(self, request, *args, **kwargs):
        data = ProgressWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        project = KeyProject.objects.select_related("plan").filter(pk=fields["project"]).first()
        if project is None or not access.can_read(request.user, project.plan):
            raise NotFound(_("项目不存在"))
        plan = _plan_for(request, project.plan, access.can_enter)
        _require_year_in_period(plan, fields["year"])
        row = services.RowInput(
            key=project.pk,
            status=fields["status"],
            investment=fields["investment_completed_wan"],
            percent=fields["percent_complete"],
            remark=fields["remark"],
            version=fields["version"],
        )
        try:
            project_services.progress_save(
                plan=plan, year=fields["year"], user=request.user, rows=[row], submit=fields["submit"], channel=CHANNEL
            )
        except services.EntryRejected as exc:
            return _refused(exc)
        progress = ProjectProgress.objects.get(project=project, year=fields["year"])
        return Response(ProgressSerializer(progress).data, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        progress = self.get_object()
        return _review(
            request, progress, progress.project.plan, project_services.progress_review, "progress_ids", ProgressSerializer
        )
