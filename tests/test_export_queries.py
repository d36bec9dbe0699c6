"""Multi-plan reports read with a fixed number of queries, whatever the number of plans (issue 17)."""

from plandata.synthetic import synthetic_generate


def _summary_queries(plans):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from reports import data, workbooks

    with CaptureQueriesContext(connection) as captured:
        workbooks.summary_workbook(data.summary_data(plans, 2024))
    return [q["sql"] for q in captured.captured_queries]


def test_the_all_plans_summary_reads_a_fixed_number_of_queries_whatever_the_number_of_plans(db):
    from indicators.models import Plan

    synthetic_generate(plans=12, indicators_per_plan=5, projects_per_plan=2, first=9101)
    few = _summary_queries(list(Plan.objects.filter(code__in=["syn-9101", "syn-9102"])))
    many = _summary_queries(list(Plan.objects.all()))  # 12 synthetic plans and the 8 of the documents
    # the plans, their order by code (the database's collation); then one query each, for all of
    # them: indicators, targets, target revisions, values, values reopened (their approved
    # version), results, overrides, projects, project progress, progress reopened, stated totals
    assert len(few) == len(many) == 13, many


def test_every_plan_gets_its_own_rows_whatever_the_collation_orders_first(db):
    """The summary reads each table once in the database's order of the codes, which may differ
    from Python's (PostgreSQL's en_US ignores hyphens: div12-… before div3-…); each plan's sheet
    must hold its own indicators."""
    from indicators.models import Plan
    from reports import data

    summary = data.summary_data(list(Plan.objects.all()), 2024)
    for plan_data in summary["plans"]:
        plan = Plan.objects.get(code=plan_data["plan"]["code"])
        assert [r["name"] for r in plan_data["indicators"]] == list(
            plan.indicators.order_by("position").values_list("name", flat=True)
        )


def _page_queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_overview_and_the_comparison_do_not_grow_with_the_number_of_plans(client, staff):
    """A page of 24 plan cards and a page of compared rows, whatever the number of plans."""
    client.force_login(staff)
    synthetic_generate(plans=3, indicators_per_plan=10, projects_per_plan=2, first=9301)
    client.get("/")  # session, user, scope cached as for anyone who has opened a page
    few = (_page_queries(client, "/"), _page_queries(client, "/compare/"))
    synthetic_generate(plans=40, indicators_per_plan=10, projects_per_plan=2, first=9401)
    many = (_page_queries(client, "/"), _page_queries(client, "/compare/"))
    assert few == many, (few, many)
    assert client.get("/").content.decode().count('class="card"') == 24
