"""Error pages: JSON under /api/ (other systems parse them); elsewhere a page in the site's layout
and the user's language that says what went wrong and offers a way back."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TITLES = {
    400: gettext_lazy("请求无效"),
    403: gettext_lazy("没有权限"),
    404: gettext_lazy("未找到"),
    413: gettext_lazy("提交的内容过大"),
    500: gettext_lazy("服务器内部错误"),
}
# What the user can do about it, when the exception carries no reason of its own.
HINTS = {
    400: gettext_lazy("请求中的数据无法处理。请返回上一页检查后重试。"),
    403: gettext_lazy("您的账号没有访问该页面的权限。如需权限，请联系管理员。"),
    404: gettext_lazy("该页面不存在，或链接已失效。"),
    413: gettext_lazy("请缩小文件或分批提交后重试；已保存的数据不受影响。"),
    500: gettext_lazy("平台处理请求时出错，已记录。已保存的数据不受影响，请稍后重试；如仍出错，请联系管理员。"),
}


def _is_api(request):
    return request.path.startswith("/api/")


def _reason(exception):
    """A refusal's own reason ("您不是该规划的审核员"), as the access rules word it for users."""
    return str(exception.args[0]) if exception is not None and exception.args else ""


def _back(request):
    """The page the user came from, when it is one of ours."""
    referer = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(referer, {request.get_host()}):
        return ""
    # Back to the same address only after a POST (the form again); a GET there would fail again.
    return referer if request.method == "POST" or referer != request.build_absolute_uri() else ""


def _page(request, status, reason=""):
    if _is_api(request):
        return JsonResponse({"detail": reason or str(TITLES[status])}, status=status)
    context = {"status": status, "title": TITLES[status], "reason": reason, "hint": HINTS[status], "back": _back(request)}
    try:
        return render(request, "error.html", context, status=status)
    except Exception:  # a broken page must not hide the error itself
        return JsonResponse({"detail": str(TITLES[status])}, status=status)


def bad_input(request, reason):
    """400 for input the portal refuses before any view runs, with the reason (the field named)."""
    return _page(request, 400, reason)


def too_large(request, reason):
    return _page(request, 413, reason)


def bad_request(request, exception=None):
    return _page(request, 400)  # the exception of a 400 is Django's own wording, not for users


def permission_denied(request, exception=None):
    return _page(request, 403, _reason(exception))


def page_not_found(request, exception=None):
    return _page(request, 404)


def server_error(request):
    return _page(request, 500)


def csrf_failure(request, reason=""):
    if _is_api(request):
        return JsonResponse({"detail": _("CSRF 校验失败：%(reason)s") % {"reason": reason}}, status=403)
    explained = _("页面已过期或浏览器未发送安全令牌（Cookie）。请返回上一页，刷新后再提交；您填写的内容未保存。")
    return render(
        request,
        "error.html",
        {"status": 403, "title": _("安全校验失败"), "reason": explained, "hint": "", "back": _back(request)},
        status=403,
    )
