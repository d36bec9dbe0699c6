"""Plotly's JavaScript, as production serves it: a hashed name and a year-long, immutable cache, so a
reviewer's browser downloads the 4 MB once; loaded with `defer`, so it never blocks the first paint."""

import re

from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

MANIFEST = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_plotly_has_a_hashed_name_and_an_immutable_cache(client, tmp_path, viewer):
    client.force_login(viewer)
    with override_settings(STORAGES=MANIFEST, STATIC_ROOT=tmp_path, WHITENOISE_AUTOREFRESH=False, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
        html = client.get(reverse("plan_detail", args=["div3-2021-2025"])).content.decode()
        src = re.search(r'<script src="(/static/vendor/plotly\.min\.[0-9a-f]{12}\.js)" defer></script>', html)
        assert src, "the dashboard loads Plotly by its hashed name, deferred"
        response = client.get(src.group(1))
        assert response.status_code == 200
        assert "immutable" in response["Cache-Control"] and "max-age=315360000" in response["Cache-Control"]
