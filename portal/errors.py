"""Error pages: JSON under /api/ (other systems parse them), the normal pages elsewhere."""

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from django.views.csrf import csrf_failure as html_csrf_failure

MESSAGES = {
    400: gettext_lazy("请求无效"),
    403: gettext_lazy("没有权限"),
    404: gettext_lazy("未找到"),
    500: gettext_lazy("服务器内部错误"),
}


def _is_api(request):
    return request.path.startswith("/api/")


def _json(status):
    return JsonResponse({"detail": str(MESSAGES[status])}, status=status)


def bad_request(request, exception=None):
    return _json(400) if _is_api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception=None):
    return _json(403) if _is_api(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception=None):
    return _json(404) if _is_api(request) else defaults.page_not_found(request, exception)


def server_error(request):
    return _json(500) if _is_api(request) else defaults.server_error(request)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse({"detail": _("CSRF 校验失败：%(reason)s") % {"reason": reason}}, status=403)
    return html_csrf_failure(request, reason)
