"""The portal's own small views: liveness, and the status colours as a style sheet."""

from django.http import HttpResponse
from django.views.decorators.cache import cache_control

from indicators.core.vocabulary import STATUSES


def healthz(request):
    """Liveness for the load balancer, and the minimal view the dashboard benchmark compares with."""
    return HttpResponse("ok", content_type="text/plain")


@cache_control(public=True, max_age=3600)
def status_css(request):
    """`.status-<code>` badges in the vocabulary's colours: one definition for pages, charts and workbooks."""
    rules = [
        f".status-{t.code} {{ color: {t.text_colour}; background: {t.colour}; border-color: {t.colour}; }}" for t in STATUSES
    ]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css")
