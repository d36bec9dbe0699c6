"""Query counts per page are a contract: each test lists the queries it expects, for a reviewer of a
synthetic plan of 10 indicators (the dashboard's count is also checked at 80 in test_dashboards)."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from indicators import recompute
from indicators.models import Indicator
from plandata.synthetic import synthetic_generate
from tests.conftest import _member

pytestmark = pytest.mark.django_db

CODE = "syn-9001"


@pytest.fixture
def reviewer_client(client):
    synthetic_generate(plans=1, indicators_per_plan=10, projects_per_plan=3, first=9001)
    recompute.recompute(Indicator.objects.filter(plan__code=CODE), as_of_year=2025)
    client.force_login(_member("syn-reviewer", "reviewer", CODE))
    client.get("/")  # the session exists before counting
    return client


def test_the_plan_dashboard_runs_16_queries_then_1_from_the_cache(reviewer_client, django_assert_num_queries):
    cache.clear()
    # session (the cache was cleared: read from the database), the plan's data version, user,
    # user's roles, user's groups (staff?); the plan to render; then the body: indicators, targets,
    # values, overrides, results, the closed reporting deadlines (which year to show), projects,
    # project progress, stated totals, milestones
    with django_assert_num_queries(16, exact=True):
        assert reviewer_client.get(reverse("plan_detail", args=[CODE])).status_code == 200
    # the whole page for this person, from the cache: the plan (its data version keys the page);
    # session, user and roles come from the cache too
    with django_assert_num_queries(1, exact=True):
        assert reviewer_client.get(reverse("plan_detail", args=[CODE])).status_code == 200


def test_the_indicator_page_runs_8_queries(reviewer_client, django_assert_num_queries):
    indicator = Indicator.objects.filter(plan__code=CODE).first()
    # plan; indicator, its targets, values, the values that count (indicators.counting; one more
    # only where a figure awaits correction), results, overrides, target revisions (中期调整).
    # Session, user, groups and roles come from the cache once a page has been opened.
    with django_assert_num_queries(8, exact=True):
        assert reviewer_client.get(reverse("indicator_detail", args=[CODE, indicator.pk])).status_code == 200


@pytest.mark.parametrize(
    "url, count",
    [
        # count, page (session, user and groups from the cache)
        (f"/api/values/?plan={CODE}", 2),
        (f"/api/results/?plan={CODE}", 2),
        (f"/api/projects/?plan={CODE}", 2),
        ("/api/plans/", 2),
        # count, page, the page's targets (prefetched)
        (f"/api/indicators/?plan={CODE}", 3),
    ],
)
def test_api_lists_run_a_fixed_number_of_queries(reviewer_client, django_assert_num_queries, url, count):
    with django_assert_num_queries(count, exact=True):
        assert reviewer_client.get(url).status_code == 200
