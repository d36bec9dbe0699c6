"""Schemathesis fuzzes the API against its own OpenAPI schema, authenticated as an official:
no response is a 500, every 4xx carries a JSON error body, and no write lands outside the
official's plan."""

import json

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from portal.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Called as a WSGI app (not through Django's test client), Django would close the database
    connection at the end of each request, and with it the test's transaction (PostgreSQL)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def official_token(db, kashgar_official):
    from rest_framework.authtoken.models import Token

    return Token.objects.create(user=kashgar_official).key


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_survives_generated_requests(case, official_token):
    from indicators.models import IndicatorValue, Target
    from projects.models import ProjectProgress

    outside_before = (
        IndicatorValue.objects.exclude(indicator__plan__code="kashgar-2021-2025").exclude(origin="document").count(),
        ProjectProgress.objects.exclude(project__plan__code="kashgar-2021-2025").count(),
        Target.objects.exclude(indicator__plan__code="kashgar-2021-2025").exclude(assigned_value=None).count(),
    )
    response = case.call(headers={"Authorization": f"Token {official_token}"})
    case.validate_response(response, checks=[not_a_server_error])
    if 400 <= response.status_code < 500:
        body = json.loads(response.content or b"null")
        assert isinstance(body, dict) and "detail" in body, (response.status_code, response.content[:200])
    outside_after = (
        IndicatorValue.objects.exclude(indicator__plan__code="kashgar-2021-2025").exclude(origin="document").count(),
        ProjectProgress.objects.exclude(project__plan__code="kashgar-2021-2025").count(),
        Target.objects.exclude(indicator__plan__code="kashgar-2021-2025").exclude(assigned_value=None).count(),
    )
    assert outside_after == outside_before
