from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.utils.translation import gettext as _

from indicators.access import LoginRequired
from portal.errors import bad_input, too_large


class LoginRequiredMiddleware:
    """Turns the access helpers' LoginRequired into a redirect to the log-in page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, LoginRequired):
            return redirect_to_login(request.get_full_path())
        return None


class ChineseFirstLocaleMiddleware:
    """The interface speaks Simplified Chinese unless the user chose another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many office
    computers run English-language browsers; here only the language menu (its cookie) switches.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RefuseNulMiddleware:
    """A NUL character in the address or a submitted field is refused with 400, naming the field.

    No one types one; PostgreSQL cannot store one, and a query or save that carries one would fail
    with a 500 after the page had half run. Checked once here, after the CSRF check, for every page
    (the API's serializers refuse it in their own fields too)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "\x00" in request.path:
            return bad_input(request, _("网址中含有无效字符（NUL）"))
        sources = [request.GET]
        if request.method == "POST" and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            sources.append(request.POST)
        for source in sources:
            for key, values in source.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return bad_input(request, _("字段“%(field)s”中含有无效字符（NUL）") % {"field": key.replace("\x00", "")})
        return None


def client_address(request) -> str | None:
    """The client's address for log-in throttling (django-axes' AXES_CLIENT_IP_CALLABLE).

    Behind TRUSTED_PROXY_COUNT proxies (the documented TLS proxy: 1), each appends the address it was
    reached from to X-Forwarded-For, so the client is that many entries from the right; anything a
    client put further left is its own claim and ignored. Without proxies, REMOTE_ADDR. (django-ipware
    counts proxies strictly and falls back to the proxy's own address when a client sends its own
    X-Forwarded-For: everyone would share one address again, and anyone could lock anyone out.)
    """
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


class RefuseOversizedBodyMiddleware:
    """A request body larger than its endpoint allows is refused (413) from its Content-Length, before
    anything reads it: an anonymous 60 MB POST to the log-in page never reaches the disk. The Excel
    import takes IMPORT_MAX_BYTES and a plan document's upload INTAKE_MAX_BYTES (and a little for the
    form around the file); everything else,
    DATA_UPLOAD_MAX_MEMORY_SIZE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if not length and "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
            # A body without a declared length could be any size: refused before it is read.
            return HttpResponse(status=411)
        if request.path == "/intake/upload/":
            limit = settings.INTAKE_MAX_BYTES + 64 * 1024
        elif request.path.endswith("/import/"):
            limit = settings.IMPORT_MAX_BYTES + 64 * 1024
        else:
            limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if length > limit:
            return too_large(
                request, _("提交的内容为 %(size)d KB，超过上限 %(limit)d KB") % {"size": length // 1024, "limit": limit // 1024}
            )
        return self.get_response(request)
