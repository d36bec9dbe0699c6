"""The API's URLs and its error format: every error is JSON with a "detail" (and field errors)."""

from django.http import JsonResponse
from django.urls import include, path
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers
from rest_framework.views import exception_handler as drf_exception_handler

from indicators import api
from projects import api as project_api

router = routers.DefaultRouter()
router.register("regions", api.RegionViewSet, basename="region")
router.register("plans", api.PlanViewSet, basename="plan")
router.register("indicators", api.IndicatorViewSet, basename="indicator")
router.register("targets", api.TargetViewSet, basename="target")
router.register("values", api.ValueViewSet, basename="value")
router.register("results", api.ResultViewSet, basename="result")
router.register("projects", project_api.ProjectViewSet, basename="project")
router.register("progress", project_api.ProgressViewSet, basename="progress")


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" not in response.data:
        response.data = {"detail": _("输入有误"), "errors": response.data}
    elif response is not None and isinstance(response.data, list):
        response.data = {"detail": _("输入有误"), "errors": response.data}
    return response


@csrf_exempt
def not_found(request, rest=""):
    return JsonResponse({"detail": _("未找到")}, status=404)


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("", include(router.urls)),
    path("<path:rest>", not_found),
]
