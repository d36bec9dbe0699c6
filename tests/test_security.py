"""Security: headers, CSRF on unsafe methods, bad input, injection strings, one permissions matrix."""

import os
import subprocess
import sys

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from indicators import services
from indicators.models import Indicator, IndicatorValue, Plan

pytestmark = pytest.mark.django_db
KASHGAR, CHANGJI = "kashgar-2021-2025", "changji-2021-2025"


def test_security_headers_under_production_settings():
    script = (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/healthz', secure=True, HTTP_HOST='portal.example.gov.cn'); "
        "print(r.status_code, r.headers.get('Strict-Transport-Security'), r.headers.get('X-Content-Type-Options'), "
        "r.headers.get('Referrer-Policy'), r.headers.get('X-Frame-Options')); "
        "r = Client().get('/healthz', HTTP_HOST='portal.example.gov.cn'); print(r.status_code, r.headers.get('Location'))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.production",
        "SECRET_KEY": "t3st-only-9f8Q2vLx7KpZ4mN1rB6wYc0HjD5sA8eU3gT7iO2qW9zX4nV6bM1kL0",
        "ALLOWED_HOSTS": "portal.example.gov.cn",
    }
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=60).stdout.splitlines()
    assert out[0] == "200 max-age=31536000; includeSubDomains; preload nosniff same-origin DENY"
    assert out[1] == "301 https://portal.example.gov.cn/healthz"  # plain HTTP is redirected to TLS


def test_csrf_is_enforced_on_unsafe_methods(div3_official):
    client = Client(enforce_csrf_checks=True)
    client.force_login(div3_official)
    forest = Indicator.objects.get(plan__code="div3-2021-2025", seq="9")
    response = client.post(
        reverse("values_entry", args=["div3-2021-2025", 2022]), {f"value-{forest.pk}": "13.9", f"version-{forest.pk}": "0"}
    )
    assert response.status_code == 403
    assert not IndicatorValue.objects.filter(indicator=forest, year=2022).exists()
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(div3_official)
    response = api.post("/api/values/", {"indicator": forest.pk, "year": 2022, "value": "13.9"}, format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_an_oversized_body_is_refused(client, div3_official, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    client.force_login(div3_official)
    response = client.post(reverse("values_entry", args=["div3-2021-2025", 2022]), {"remark-1": "x" * 4096})
    assert response.status_code == 413  # refused from its declared length, before anything reads it
    api = APIClient()
    api.force_login(div3_official)  # authenticated, so the size check is what refuses it
    response = api.post("/api/values/", "x" * 4096, content_type="application/json")
    assert response.status_code == 413 and "超过上限" in response.json()["detail"]


def test_injection_strings_are_stored_as_text_and_escaped(client, div3_official, div3_reviewer):
    plan = Plan.objects.get(code="div3-2021-2025")
    forest = Indicator.objects.get(plan=plan, seq="9")
    nasty = "<script>alert('x')</script>'; DROP TABLE indicators_indicatorvalue; --"
    services.values_save(
        plan=plan, year=2022, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.9", remark=nasty)], submit=True
    )
    value = IndicatorValue.objects.get(indicator=forest, year=2022)
    assert value.remark == nasty and IndicatorValue.objects.count() > 0
    client.force_login(div3_reviewer)
    html = client.get(reverse("review", args=[plan.code, 2022])).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    history = client.get(reverse("indicator_history", args=[plan.code, forest.pk])).content.decode()
    assert "<script>alert" not in history


# One table: for each persona, each page / export / upload / API call, the status it gets.
def endpoints(forest_id):
    return [
        ("overview", "get", "/", {}),
        ("plan dashboard", "get", f"/plans/{KASHGAR}/", {}),
        ("indicator page", "get", f"/plans/{KASHGAR}/indicators/{forest_id}/", {}),
        ("entry form", "get", f"/plans/{KASHGAR}/entry/2022/", {}),
        ("entry save", "post", f"/plans/{KASHGAR}/entry/2022/", {}),
        ("template download", "get", f"/plans/{KASHGAR}/entry/2022/template.xlsx", {}),
        ("upload", "post", f"/plans/{KASHGAR}/entry/2022/import/", {}),
        ("progress form", "get", f"/plans/{KASHGAR}/progress/2022/", {}),
        ("review page", "get", f"/plans/{KASHGAR}/review/2022/", {}),
        ("review action", "post", f"/plans/{KASHGAR}/review/2022/", {}),
        ("reporting status", "get", f"/plans/{KASHGAR}/status/2022/", {}),
        ("history", "get", f"/plans/{KASHGAR}/indicators/{forest_id}/history/", {}),
        ("progress report", "get", f"/plans/{KASHGAR}/reports/progress/2022.xlsx", {}),
        ("final assessment", "get", f"/plans/{KASHGAR}/reports/final.xlsx", {}),
        ("all-plans summary", "get", "/reports/summary.xlsx", {}),
        ("freeze snapshot", "post", f"/plans/{KASHGAR}/snapshots/", {"kind": "progress", "year": "2022"}),
        ("changji dashboard", "get", f"/plans/{CHANGJI}/", {}),
        ("changji entry form", "get", f"/plans/{CHANGJI}/entry/2022/", {}),
        ("changji template", "get", f"/plans/{CHANGJI}/entry/2022/template.xlsx", {}),
        ("changji upload", "post", f"/plans/{CHANGJI}/entry/2022/import/", {}),
        ("changji progress form", "get", f"/plans/{CHANGJI}/progress/2022/", {}),
        ("changji review page", "get", f"/plans/{CHANGJI}/review/2022/", {}),
        ("changji status", "get", f"/plans/{CHANGJI}/status/2022/", {}),
        ("changji report", "get", f"/plans/{CHANGJI}/reports/progress/2022.xlsx", {}),
        ("api plan", "get", f"/api/plans/{KASHGAR}/", {}),
        ("api changji plan", "get", f"/api/plans/{CHANGJI}/", {}),
        ("api write value", "post", "/api/values/", {"indicator": forest_id, "year": 2022, "value": "5.0"}),
    ]


ANON = "→login"
MATRIX = {
    #                      anonymous  official  reviewer  viewer  changji-official  staff
    "overview": (ANON, 200, 200, 200, 200, 200),
    "plan dashboard": (ANON, 200, 200, 200, 403, 200),
    "indicator page": (ANON, 200, 200, 200, 403, 200),
    "entry form": (ANON, 200, 403, 403, 403, 403),
    "entry save": (ANON, 302, 403, 403, 403, 403),
    "template download": (ANON, 200, 403, 403, 403, 403),
    "upload": (ANON, 302, 403, 403, 403, 403),
    "progress form": (ANON, 200, 403, 403, 403, 403),
    "review page": (ANON, 403, 200, 403, 403, 403),
    "review action": (ANON, 403, 302, 403, 403, 403),
    "reporting status": (ANON, 200, 200, 200, 403, 200),
    "history": (ANON, 403, 200, 403, 403, 200),
    "progress report": (ANON, 200, 200, 200, 403, 200),
    "final assessment": (ANON, 200, 200, 200, 403, 200),
    "all-plans summary": (ANON, 403, 403, 403, 403, 200),
    "freeze snapshot": (ANON, 403, 403, 403, 403, 302),
    "changji dashboard": (ANON, 403, 403, 200, 200, 200),
    "changji entry form": (ANON, 403, 403, 403, 200, 403),
    "changji template": (ANON, 403, 403, 403, 200, 403),
    "changji upload": (ANON, 403, 403, 403, 302, 403),
    "changji progress form": (ANON, 403, 403, 403, 200, 403),
    "changji review page": (ANON, 403, 403, 403, 403, 403),
    "changji status": (ANON, 403, 403, 200, 200, 200),
    "changji report": (ANON, 403, 403, 200, 200, 200),
    "api plan": (403, 200, 200, 200, 404, 200),
    "api changji plan": (403, 404, 404, 200, 200, 200),
    "api write value": (403, 201, 403, 403, 404, 403),
}
PERSONAS = [None, "kashgar_official", "kashgar_reviewer", "viewer", "changji_official", "staff"]


@pytest.mark.parametrize("index,persona", list(enumerate(PERSONAS)), ids=[p or "anonymous" for p in PERSONAS])
def test_the_permissions_matrix(request, index, persona):
    forest = Indicator.objects.get(plan__code=KASHGAR, seq="25")
    client = APIClient()
    if persona:
        client.force_login(request.getfixturevalue(persona))
    problems = []
    for name, method, url, data in endpoints(forest.pk):
        response = (
            getattr(client, method)(url, data, format="json") if url.startswith("/api/") else getattr(client, method)(url, data)
        )
        expected = MATRIX[name][index]
        if expected == ANON:
            ok = response.status_code == 302 and "/accounts/login/" in response["Location"]
        else:
            ok = response.status_code == expected
        if not ok:
            problems.append((name, expected, response.status_code))
    assert problems == []


def test_every_page_carries_a_content_security_policy_without_inline_scripts(client, div3_official):
    client.force_login(div3_official)
    policy = client.get(reverse("plan_detail", args=["div3-2021-2025"]))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    permissions = client.get(reverse("plan_detail", args=["div3-2021-2025"]))["Permissions-Policy"]
    assert "camera=()" in permissions and "geolocation=()" in permissions and "microphone=()" in permissions
