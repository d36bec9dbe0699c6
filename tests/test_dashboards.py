"""The reading pages: overview, plan dashboard, indicator page, projects, comparison, reviews."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from indicators import recompute, services
from indicators.models import Indicator, IndicatorValue, Plan, StatusOverride
from plandata.synthetic import synthetic_generate
from projects.models import KeyProject, ProjectProgress

pytestmark = pytest.mark.django_db
CODE = "div3-2021-2025"


@pytest.fixture
def with_values(div3_official, div3_reviewer):
    """Third Division 2022: forest cover below its target (binding), green cover above, approved."""
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")
    green = Indicator.objects.get(plan=plan, seq="5")
    services.values_save(
        plan=plan,
        year=2022,
        user=div3_official,
        rows=[services.RowInput(key=forest.pk, text="13.90"), services.RowInput(key=green.pk, text="38.5")],
        submit=True,
    )
    value = IndicatorValue.objects.get(indicator=green, year=2022)
    services.values_review(plan=plan, year=2022, user=div3_reviewer, value_ids=[value.pk], action="approve")
    project = KeyProject.objects.get(plan=plan, seq="12")
    ProjectProgress.objects.create(
        project=project, year=2021, status="completed", investment_completed_wan=5100, state="approved"
    )
    recompute.recompute_all(as_of_year=2023)
    return plan


def login(client, user):
    client.force_login(user)
    return user


def test_the_overview_has_a_card_per_plan_with_shares_alerts_and_investment(
    client, viewer, with_values, django_assert_max_num_queries
):
    login(client, viewer)
    with django_assert_max_num_queries(15):  # the plans counted for the pages, then the page's aggregates
        response = client.get("/")
    html = response.content.decode()
    assert html.count('class="card"') == 8
    card = response.context["cards"][[c["plan"].code for c in response.context["cards"]].index(CODE)]
    assert card["year"] == 2022
    assert ("森林覆盖率(%)", "not_met") in [(name, status) for _, name, status in card["alerts"]]
    assert card["planned"] == Decimal("258092.40") and card["executed"] == 5100
    assert "约束性指标预警" in html and "森林覆盖率(%)" in html


def test_the_plan_dashboard_lays_out_the_plans_own_table(client, viewer, with_values):
    login(client, viewer)
    response = client.get(reverse("plan_detail", args=[CODE]) + "?year=2022")
    html = response.content.decode()
    assert response.status_code == 200
    for text in ("环境质量改善", "森林覆盖率(%)", "14.058", "控制在兵团下达指标范围内 平均达到73%", "约束性", "预期性"):
        assert text in html
    forest = next(i for i in response.context["rows"] if i["seq"] == "9")
    assert (forest["result"]["effective_status"], forest["value"].raw) == ("not_met", "13.90")
    assert '<span class="badge provisional"' in html  # forest is submitted, not approved
    assert '<span class="badge approved"' in html  # green cover is approved
    assert "2022年实际值 13.9%，未达到目标“13.97”。" in html  # the explanation as a tooltip
    assert 'href="/sources/000_7cba76df54bbb36f.txt#L293"' in html


def test_the_plan_dashboard_shows_stated_totals_beside_computed_sums(client, viewer, with_values):
    login(client, viewer)
    html = client.get(reverse("plan_detail", args=[CODE])).content.decode()
    assert "合计 25.81 亿元" in html and "258,100.00" in html
    assert "计划投资合计 258,092.40（39 项）" in html
    assert "累计完成投资" in html and "5,100.00" in html


def test_the_plan_dashboard_embeds_its_charts_and_loads_plotly_from_this_server(client, viewer, with_values):
    login(client, viewer)
    html = client.get(reverse("plan_detail", args=[CODE])).content.decode()
    assert '<script src="/static/vendor/plotly.min.js" defer></script>' in html
    for name in ("categories", "heatmap", "timeline", "investment"):
        assert f'id="fig-{name}"' in html
    heatmap = json.loads(re.search(r'<script id="fig-heatmap" type="application/json">(.*?)</script>', html, re.S).group(1))
    assert heatmap["data"][0]["type"] == "heatmap"
    assert "未达标" in sum(heatmap["data"][0]["text"], [])  # the word, not only the colour
    assert client.get("/static/vendor/plotly.min.js").status_code == 200


@pytest.mark.parametrize(
    "query,expected",
    [
        ("category=生态保护", {"7", "8", "9", "10"}),
        ("attribute=预期性&category=环境质量改善", {"4", "5"}),
        ("year=2022&status=not_met", {"9"}),
        ("year=2022&status=met", {"5"}),
    ],
)
def test_the_plan_dashboard_filters(client, viewer, with_values, query, expected):
    login(client, viewer)
    response = client.get(reverse("plan_detail", args=[CODE]) + "?" + query)
    assert {i["seq"] for i in response.context["rows"]} == expected


def test_dashboard_queries_do_not_grow_with_the_plan(client, staff):
    synthetic_generate(plans=1, indicators_per_plan=10, projects_per_plan=3, first=9001)
    synthetic_generate(plans=1, indicators_per_plan=80, projects_per_plan=30, first=9002)
    recompute.recompute(Indicator.objects.filter(plan__code__startswith="syn-"), as_of_year=2025)
    login(client, staff)
    client.get(reverse("plan_detail", args=["syn-9001"]))  # warm the session
    counts = []
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for code in ("syn-9001", "syn-9002"):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("plan_detail", args=[code])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 16
    # Rendered once, then served from the cache keyed by the plan's data version.
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("plan_detail", args=["syn-9002"]))
    assert len(queries) <= 8


def test_a_cached_dashboard_changes_when_a_value_changes(client, viewer, div3_official):
    login(client, viewer)
    url = reverse("plan_detail", args=[CODE]) + "?year=2022"
    assert "13.96" not in client.get(url).content.decode()
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(plan=plan, year=2022, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.96")])
    assert "13.96" not in client.get(url).content.decode()  # a draft is nobody's word yet
    version = IndicatorValue.objects.get(indicator=forest, year=2022).version
    services.values_save(
        plan=plan,
        year=2022,
        user=div3_official,
        rows=[services.RowInput(key=forest.pk, text="13.96", version=version)],
        submit=True,
    )
    assert "13.96" in client.get(url).content.decode()


def test_the_indicator_page_has_chart_explanations_and_source(client, viewer, with_values, django_assert_max_num_queries):
    login(client, viewer)
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("indicator_detail", args=[CODE, forest.pk]))
    html = response.content.decode()
    figure = response.context["figure"]
    lines = {trace["name"]: trace for trace in figure["data"]}
    assert lines["实际值"]["x"] == [2020, 2022] and lines["实际值"]["y"] == [13.81, 13.9]
    assert lines["目标路径"]["x"] == [2021, 2022, 2023, 2024, 2025]  # 表二 prints a target every year
    assert lines["目标路径"]["y"][1] == 13.97
    assert "趋势外推" in lines
    assert "2022年实际值 13.9%，未达到目标“13.97”。" in html
    assert "14.058" in html and 'href="/sources/000_7cba76df54bbb36f.txt#L293"' in html
    assert "查看修改记录" not in html  # viewers do not see the audit trail


def test_the_indicator_page_draws_the_straight_line_to_an_end_target(client, viewer):
    login(client, viewer)
    pm25 = Indicator.objects.get(plan__code="xinjiang-2016-2020", region__name="乌鲁木齐市", name="PM_{2.5}浓度")
    figure = client.get(reverse("indicator_detail", args=["xinjiang-2016-2020", pm25.pk])).context["figure"]
    assert [t["name"] for t in figure["data"]] == ["实际值"]  # "下降20%" is relative: no absolute path
    urumqi_days = Indicator.objects.get(plan__code="xinjiang-2011-2015", name__startswith="其中：乌鲁木齐市")
    figure = client.get(reverse("indicator_detail", args=["xinjiang-2011-2015", urumqi_days.pk])).context["figure"]
    assert {t["name"] for t in figure["data"]} == {"实际值", "目标路径"}


def test_the_national_standard_value_is_drawn_where_printed(client, viewer):
    login(client, viewer)
    indicator = Indicator.objects.get(plan__code="div12-2023-2035", seq="3")  # 指标值 ≥20
    figure = client.get(reverse("indicator_detail", args=["div12-2023-2035", indicator.pk])).context["figure"]
    standard = next(t for t in figure["data"] if t["name"] == "国家标准值")
    assert standard["y"] == [20.0, 20.0]


def test_a_reviewer_overrides_a_status_and_the_page_shows_both(client, with_values, div3_reviewer):
    login(client, div3_reviewer)
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    url = reverse("indicator_detail", args=[CODE, forest.pk])
    client.post(url, {"year": "2022", "status": "met", "reason": "林草局复核后更正"})
    override = StatusOverride.objects.get(indicator=forest, year=2022)
    assert (override.status, override.reason, override.created_by) == ("met", "林草局复核后更正", div3_reviewer)
    html = client.get(url).content.decode()
    assert "人工判定（div3-reviewer：林草局复核后更正）" in html and "算法判定" in html
    assert "查看修改记录" in html
    dashboard = client.get(reverse("plan_detail", args=[CODE]) + "?year=2022").context
    assert next(i for i in dashboard["rows"] if i["seq"] == "9")["result"]["effective_status"] == "met"


def test_viewers_cannot_override(client, viewer, with_values):
    login(client, viewer)
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    response = client.post(reverse("indicator_detail", args=[CODE, forest.pk]), {"year": "2022", "status": "met", "reason": "x"})
    assert response.status_code == 403


def test_the_project_list_filters_and_sums(client, viewer, with_values):
    login(client, viewer)
    url = reverse("project_list")
    assert len(client.get(url).context["rows"]) == 39 + 24 + 27 + 16
    rows = client.get(url, {"plan": CODE, "nature": "改扩建"}).context["rows"]
    assert {p.seq for p, _ in rows} == {"3", "12", "19"}
    rows = client.get(url, {"plan": CODE, "status": "completed"}).context["rows"]
    assert [p.seq for p, _ in rows] == ["12"]
    rows = client.get(url, {"location": "41团"}).context["rows"]
    assert {p.seq for p, _ in rows} >= {"8", "13", "22", "23"}
    response = client.get(url, {"plan": CODE, "category": "第三师图木舒克市水污染防治重点工程"})
    assert len(response.context["rows"]) == 6


def test_the_project_page_shows_planned_completed_and_yearly_progress(client, viewer, with_values):
    login(client, viewer)
    html = client.get(reverse("project_detail", args=[CODE, "12"])).content.decode()
    assert "5,100.00" in html and "已完工" in html and "执行率 100%" in html
    assert "《第三师图木舒克市“十四五”生态环境保护规划》 第" in html  # the document, by its title
    assert "000_7cba76df54bbb36f.txt" not in html.replace('href="/sources/000_7cba76df54bbb36f.txt', "")


def test_the_comparison_matches_shared_indicators_across_plans(client, viewer):
    login(client, viewer)
    shared = client.get(reverse("comparison")).context["keys"]  # the keys offered, with how many plans
    assert {"air_good_days", "forest_cover", "surface_water_good"} <= set(shared) and shared["forest_cover"] == 4
    (group,) = client.get(reverse("comparison"), {"key": "forest_cover"}).context["groups"]
    forest_plans = {i.plan.code for i, _ in group["rows"]}
    assert forest_plans == {"div3-2021-2025", "div3-2016-2020", "kashgar-2021-2025", "kashgar-2016-2020"}
    html = client.get(reverse("comparison"), {"key": "forest_cover"}).content.decode()
    assert "森林覆盖率" in html and "13.81" in html and "4.88" in html


def test_staff_can_edit_the_comparison_key_and_loading_keeps_it(client, staff):
    from io import StringIO

    from django.core.management import call_command

    indicator = Indicator.objects.get(plan__code="div12-2023-2035", seq="10")  # 林草覆盖率
    indicator.key = "forest_cover"
    indicator.save()
    call_command("load_plans", "--plan", "div12-2023-2035", stdout=StringIO())
    assert Indicator.objects.get(pk=indicator.pk).key == "forest_cover"


def test_the_completion_review_page_shows_printed_verdicts_beside_the_engine(client, viewer):
    recompute.recompute_all(as_of_year=2026)
    login(client, viewer)
    response = client.get(reverse("plan_detail", args=["div3-2016-2020"]))
    assert response.status_code == 302
    response = client.get(response["Location"])
    html = response.content.decode()
    assert (response.context["agree"], response.context["total"]) == (35, 42)
    assert "文件评价与平台判定一致 35 / 42 行" in html
    assert "森林覆盖率(%)" in html and "未完成" in html


def test_pages_need_a_login_unless_the_plan_is_public(client):
    assert client.get(reverse("plan_detail", args=[CODE]))["Location"].startswith("/accounts/login/")
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    assert client.get(reverse("indicator_detail", args=[CODE, forest.pk])).status_code == 302
    Plan.objects.filter(code=CODE).update(is_public=True)
    assert client.get(reverse("plan_detail", args=[CODE])).status_code == 200
    assert client.get(reverse("indicator_detail", args=[CODE, forest.pk])).status_code == 200


def test_a_member_of_another_plan_gets_403(client, changji_official):
    login(client, changji_official)
    assert client.get(reverse("plan_detail", args=[CODE])).status_code == 403
    assert client.get(reverse("project_detail", args=[CODE, "1"])).status_code == 403
    groups = client.get(reverse("comparison")).context["groups"]
    assert all(i.plan.code == "changji-2021-2025" for g in groups for i, _ in g["rows"])


def test_no_template_loads_anything_from_another_host():
    for template in Path("templates").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r'(src|href)="(https?:)?//', text), template


def test_the_year_shown_is_the_latest_complete_enough_not_the_first_with_a_figure(div3_official, div3_reviewer):
    from indicators.models import ReportingDeadline
    from reports.dashboards.selectors import plan_dashboard, shown_years

    plan = Plan.objects.get(code=CODE)
    indicators = list(Indicator.objects.filter(plan=plan).order_by("position"))
    # 2023: half the indicators submitted (they count, as 暂定); 2024: one early figure.
    half = []
    for indicator in indicators:
        if len(half) * 2 >= len(indicators):
            break
        try:
            row = services.RowInput(key=indicator.pk, text="1", confirmed=True, remark="测试")
            services.values_save(plan=plan, year=2023, user=div3_official, rows=[row], submit=True)
            half.append(indicator)
        except services.EntryRejected:
            continue  # a word-valued indicator: "1" is not one of its words
    row = services.RowInput(key=half[0].pk, text="2", confirmed=True, remark="测试")
    services.values_save(plan=plan, year=2024, user=div3_official, rows=[row], submit=True)
    year, reported, total = shown_years([plan])[plan.pk]
    assert (year, reported, total) == (2023, len(half), len(indicators))
    assert plan_dashboard(plan)["year"] == 2023
    # Once 2024's reporting deadline has passed, 2024 is shown however few figures came in.
    ReportingDeadline.objects.create(plan=plan, year=2024, due_on="2025-03-31")
    assert shown_years([plan])[plan.pk][0] == 2024
    assert plan_dashboard(plan)["year"] == 2024
    # A draft never counts: a year of drafts is not complete.
    assert dict(plan_dashboard(plan, year=2023)["year_choices"])[2023] == len(half)


def test_a_target_printed_once_for_several_years_is_shown_once():
    from reports.dashboards.selectors import target_runs

    runs = target_runs(["≥85", "≥85", "≥85", "≥90", ""], [2021, 2022, 2023, 2024, 2025])
    assert runs == [("≥85", 3, 2021, 2023), ("≥90", 1, 2024, 2024), ("", 1, 2025, 2025)]
