"""Recomputation against the database: stored results, idempotence, overrides, commands, triggers."""

import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from indicators import recompute, selectors, services
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan, RecomputeRun, StatusOverride, Target

pytestmark = pytest.mark.django_db


def forest():
    return Indicator.objects.get(plan__code="div3-2021-2025", seq="9")  # 森林覆盖率 13.81 -> 14.23


def enter(indicator, year, text, **fields):
    """An entered figure a reviewer has approved (drafts never count; see test_values_that_count)."""
    fields.setdefault("state", "approved")
    value = IndicatorValue(indicator=indicator, year=year, origin="entry", **fields)
    value.set_text(text)
    value.save()
    return value


def _rows():
    return list(
        AttainmentResult.objects.order_by("indicator_id", "year").values_list(
            "indicator_id", "year", "status", "method", "explanation", "details", "fingerprint"
        )
    )


def test_a_plan_recomputation_stores_one_result_per_indicator_and_due_year():
    plan = Plan.objects.get(code="div3-2021-2025")
    run = recompute.recompute_plan(plan, as_of_year=2024)
    assert run.indicators == 21
    assert run.results == 21 * 3  # 2021, 2022, 2023 are due
    assert run.counts == {"no_data": 63}
    assert RecomputeRun.objects.filter(scope="plan:div3-2021-2025").exists()


def test_recomputing_writes_the_same_rows():
    recompute.recompute_all(as_of_year=2024)
    first = _rows()
    recompute.recompute_all(as_of_year=2024)
    assert _rows() == first


def test_results_for_years_no_longer_judged_are_removed():
    plan = Plan.objects.get(code="div3-2021-2025")
    recompute.recompute_plan(plan, as_of_year=2025)
    recompute.recompute_plan(plan, as_of_year=2023)
    assert set(AttainmentResult.objects.filter(indicator__plan=plan).values_list("year", flat=True)) == {2021, 2022}


def test_an_entered_value_is_judged_against_the_plans_yearly_target():
    enter(forest(), 2022, "13.90")
    recompute.recompute(Indicator.objects.filter(pk=forest().pk), as_of_year=2024)
    result = AttainmentResult.objects.get(indicator=forest(), year=2022)
    assert result.status == "not_met"
    assert result.explanation == "2022年实际值 13.9%，未达到目标“13.97”。"


def test_saving_a_value_recomputes_its_indicator_after_commit(eager_tasks, django_capture_on_commit_callbacks, div3_official):
    plan = forest().plan
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.values_save(
            plan=plan, year=2021, user=div3_official, rows=[services.RowInput(key=forest().pk, text="13.95")], submit=True
        )
    assert len(callbacks) == 1  # queued once, after commit, by the service itself
    assert AttainmentResult.objects.get(indicator=forest(), year=2021).status == "met"


def test_saving_outside_the_services_queues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        enter(forest(), 2021, "13.95")
    assert callbacks == []  # no hidden signal: writes go through the services


def test_recording_an_assigned_number_recomputes(eager_tasks, django_capture_on_commit_callbacks, div3_reviewer):
    nox = Indicator.objects.get(plan__code="div3-2021-2025", name="氮氧化物(%)")
    enter(nox, 2022, "37.5")
    with django_capture_on_commit_callbacks(execute=True):
        target = Target.objects.get(indicator=nox, year=2022)
        services.assigned_record(plan=nox.plan, target_id=target.pk, number="38", user=div3_reviewer)
    result = AttainmentResult.objects.get(indicator=nox, year=2022)
    assert (result.status, result.details["assigned_value"]) == ("met", 38.0)


def test_a_reviewers_override_stands_until_the_value_changes():
    reviewer = User.objects.create_user("reviewer")
    value = enter(forest(), 2022, "13.90")
    recompute.recompute(Indicator.objects.filter(pk=forest().pk), as_of_year=2024)
    result = AttainmentResult.objects.get(indicator=forest(), year=2022)
    override = recompute.status_override(
        indicator=forest(), year=2022, status="met", reason="林业部门复核面积后确认", user=reviewer
    )
    assert recompute.effective_status(result, override) == "met"
    assert StatusOverride.history.filter(id=override.pk).count() == 1  # audited

    value.set_text("13.92")
    value.save()
    recompute.recompute(Indicator.objects.filter(pk=forest().pk), as_of_year=2024)
    result.refresh_from_db()
    assert result.status == "not_met"
    assert recompute.effective_status(result, override) == "not_met"  # the engine judges again


def test_an_override_needs_a_reason():
    recompute.recompute(Indicator.objects.filter(pk=forest().pk), as_of_year=2024)
    with pytest.raises(ValueError, match="理由"):
        recompute.status_override(indicator=forest(), year=2022, status="met", reason=" ", user=User.objects.create_user("r"))


def test_the_recompute_command_reports_counts():
    out = StringIO()
    call_command("recompute_attainment", "--plan", "xinjiang-2011-2015", stdout=out)
    assert out.getvalue().strip() == "plan:xinjiang-2011-2015: 16 indicators, 16 results (met=14, not_met=2)"


def test_the_attainment_command_prints_one_json_object_per_indicator_year_for_every_plan():
    call_command("recompute_attainment", "--as-of", "2026", stdout=StringIO())
    for plan in Plan.objects.all():
        out = StringIO()
        call_command("attainment", "--plan", plan.code, "--json", stdout=out)
        rows = [json.loads(line) for line in out.getvalue().splitlines()]
        assert rows, plan.code
        for row in rows:
            assert set(row) == {"plan", "seq", "name", "region", "year", "status", "method", "value", "target", "explanation"}
            assert row["status"] in {"met", "not_met", "on_track", "lagging", "pending_assignment", "no_data", "not_assessable"}
            assert str(row["year"]) in row["explanation"] or row["status"] == "pending_assignment"
    out = StringIO()
    call_command("attainment", "--plan", "xinjiang-2016-2020", "--year", "2020", "--json", stdout=out)
    urumqi = [json.loads(line) for line in out.getvalue().splitlines() if '"乌鲁木齐市"' in line and "PM_" in line]
    assert urumqi[0]["region"] == "乌鲁木齐市" and urumqi[0]["target"] == "下降20%"


def test_the_plan_rollup_counts_statuses_and_flags_binding_indicators():
    plan = Plan.objects.get(code="div3-2021-2025")
    enter(forest(), 2022, "13.90")  # 约束性, below its 2022 target 13.97
    enter(Indicator.objects.get(plan=plan, seq="5"), 2022, "38.5")  # 预期性, above 38.38
    recompute.recompute_plan(plan, as_of_year=2023)
    summary = selectors.plan_rollup(plan, 2022)
    assert summary["total"]["not_met"] == 1
    assert summary["total"]["met"] == 1
    assert summary["total"]["no_data"] == 19
    assert summary["by_category"]["生态保护"]["not_met"] == 1
    assert summary["by_attribute"]["约束性"]["not_met"] == 1
    assert summary["alerts"] == [("森林覆盖率(%)", "not_met")]


def test_key_project_schedules_come_with_the_plan():
    from projects.models import KeyProject, ProjectProgress

    plan = Plan.objects.get(code="div3-2021-2025")
    project = KeyProject.objects.get(plan=plan, seq="12")  # 封闭煤场改造, 2021, 5100 万元
    ProjectProgress.objects.create(project=project, year=2021, status="ongoing", investment_completed_wan=2550, state="approved")
    from reports.dashboards.selectors import project_rows

    schedules = dict(project_rows(plan, 2022))
    assert schedules[project].label == "未报告"  # 2022 passed without a report
    assert schedules[project].execution_rate == 0.5
