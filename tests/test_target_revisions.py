"""Targets revised by a later document (中期调整): the history is kept and each year is judged
against the target in force then (issue 16, item 3)."""

import datetime
from dataclasses import replace

import pytest
from django.core.management import call_command

from indicators import services
from indicators.core import attainment as engine
from indicators.core.workflow import WorkflowError
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan, TargetRevision
from indicators.recompute import recompute_plan, targets_before
from tests.test_attainment_engine import make

TODAY = datetime.date(2026, 3, 1)


def test_a_year_before_the_revision_keeps_the_target_in_force_then():
    # 2023's target was ≥70 when 2023 was reported; a 2024 document raised it to ≥80 from 2024 on.
    current = make({2023: "≥80", 2025: "≥85"}, {2023: "75", 2025: "86"})
    revised = replace(current, revisions=((2024, {**current.targets, 2023: make({2023: "≥70"}, {}).targets[2023]}),))
    assert engine.judge_year(current, 2023).status == "not_met"  # what judging with today's text would say
    judged = {j.year: j for j in engine.judge(revised)}
    assert judged[2023].status == "met" and "70" in judged[2023].explanation
    assert judged[2025].status == "met"


def test_a_revision_in_force_from_its_own_year_applies_to_it():
    current = make({2023: "≥80"}, {2023: "75"})
    revised = replace(current, revisions=((2023, {2023: make({2023: "≥70"}, {}).targets[2023]}),))
    assert {j.year: j.status for j in engine.judge(revised)}[2023] == "not_met"


def test_the_newest_revision_in_force_decides():
    class Revision:
        def __init__(self, year, previous, new, effective_from):
            self.year, self.previous_text, self.new_text, self.effective_from = year, previous, new, effective_from

    current = make({2025: "≥90"}, {}).targets
    # recorded in this order: 70 → 80 from 2023, then 80 → 90 from 2024
    stages = targets_before(current, [Revision(2025, "≥70", "≥80", 2023), Revision(2025, "≥80", "≥90", 2024)])
    inp = replace(make({2025: "≥90"}, {}), revisions=stages)
    assert [str(engine.targets_in_force(inp, y)[2025].value) for y in (2022, 2023, 2024, 2025)] == ["70", "80", "90", "90"]
    # a later document moving the start back: 80 from 2024, then 90 from 2023
    stages = targets_before(current, [Revision(2025, "≥70", "≥80", 2024), Revision(2025, "≥80", "≥90", 2023)])
    inp = replace(make({2025: "≥90"}, {}), revisions=stages)
    assert [str(engine.targets_in_force(inp, y)[2025].value) for y in (2022, 2023, 2024)] == ["70", "90", "90"]


def test_an_evaluations_completion_share_is_against_the_target_in_force_that_year():
    # Baseline 50 (2020); the 2025 target was ≥70 until a 2024 document raised it to ≥90.
    current = make({2025: "≥90"}, {2020: "50", 2023: "60"})
    revised = replace(current, revisions=((2024, {2025: make({2025: "≥70"}, {}).targets[2025]}),))
    assert engine.progress_shares(revised, 2023)[0] == 0.5  # (60 − 50) / (70 − 50), as printed beside it
    assert engine.progress_shares(current, 2023)[0] == 0.25  # against ≥90


@pytest.fixture
def forest(db, staff):
    """div3's 森林覆盖率: yearly targets 13.89 … 14.23 (表二)."""
    plan = Plan.objects.get(code="div3-2021-2025")
    indicator = Indicator.objects.get(plan=plan, name="森林覆盖率(%)")
    IndicatorValue.objects.create(
        indicator=indicator, year=2023, raw_text="14.2", number="14.2", state="approved", entered_by=staff
    )
    return plan, indicator


def _revise(plan, indicator, user, **changes):
    fields = dict(
        plan=plan, indicator_id=indicator.pk, year=2023, text="14.5", reason="中期评估后上调", revised_on=TODAY,
        document="第三师图木舒克市“十四五”生态环境保护规划中期调整方案（师市发〔2026〕1号）", effective_from=2024, user=user,
    )  # fmt: skip
    fields.update(changes)
    return services.target_revise(**fields)


def test_revising_keeps_the_old_text_and_judges_each_year_against_its_own(forest, staff, eager_tasks):
    plan, indicator = forest
    recompute_plan(plan, as_of_year=2026)
    assert AttainmentResult.objects.get(indicator=indicator, year=2023).status == "met"  # 14.2 against 14.058
    revision = _revise(plan, indicator, staff, year=2023, text="14.5", effective_from=2024)
    assert (revision.previous_text, revision.new_text, revision.created_by) == ("14.058", "14.5", staff)
    target = indicator.targets.get(year=2023)
    assert target.raw_text == "14.5"
    assert target.history.first().history_change_reason.startswith("中期调整：中期评估后上调")
    recompute_plan(plan, as_of_year=2026)
    # 2023 is judged against 14.058, the target in force then, not against 14.5
    result = AttainmentResult.objects.get(indicator=indicator, year=2023)
    assert result.status == "met" and "14.058" in result.explanation and "14.5" not in result.explanation
    # a revision in force from 2023 itself: 2023 is judged against it
    _revise(plan, indicator, staff, year=2023, text="14.6", effective_from=2023)
    recompute_plan(plan, as_of_year=2026)
    result = AttainmentResult.objects.get(indicator=indicator, year=2023)
    assert result.status == "not_met" and "14.6" in result.explanation
    assert list(indicator.revisions.values_list("previous_text", "new_text")) == [("14.058", "14.5"), ("14.5", "14.6")]


def test_reloading_the_plan_file_keeps_a_revised_target(forest, staff):
    plan, indicator = forest
    _revise(plan, indicator, staff)
    call_command("load_plans", "--plan", plan.code, verbosity=0)
    assert indicator.targets.get(year=2023).raw_text == "14.5"
    assert indicator.targets.get(year=2024).raw_text == "14.1"


@pytest.mark.parametrize(
    "change, field",
    [
        ({"text": " "}, "调整后目标"),
        ({"reason": ""}, "调整理由"),
        ({"document": ""}, "调整依据文件"),
        ({"year": 2030}, "目标年份"),
        ({"effective_from": 2019}, "起始适用年份"),
        ({"revised_on": None}, "调整日期"),
        ({"revised_on": datetime.date(2099, 1, 1)}, "调整日期"),
        ({"text": "14.058"}, "相同"),
    ],
)
def test_a_bad_revision_names_its_field_and_changes_nothing(forest, staff, change, field):
    plan, indicator = forest
    with pytest.raises(WorkflowError, match=field):
        _revise(plan, indicator, staff, **change)
    assert not TargetRevision.objects.exists()
    assert indicator.targets.get(year=2023).raw_text == "14.058"


def test_only_staff_revise_and_everyone_who_reads_sees_the_history(forest, client, staff, div3_reviewer):
    plan, indicator = forest
    url = f"/plans/{plan.code}/indicators/{indicator.pk}/"
    post = {"action": "revise", "year": "2023", "text": "14.5", "reason": "上调", "revised_on": "2026-03-01",
            "document": "调整方案", "effective_from": "2024"}  # fmt: skip
    client.force_login(div3_reviewer)
    assert "目标调整（中期调整）" not in client.get(url).content.decode()
    assert client.post(url, post).status_code == 403
    assert not TargetRevision.objects.exists()
    client.force_login(staff)
    client.post(url, post)
    assert TargetRevision.objects.get().new_text == "14.5"
    client.force_login(div3_reviewer)
    page = client.get(url).content.decode()
    assert "目标调整记录" in page and "14.058" in page and "调整方案" in page


def test_a_report_prints_the_targets_in_force_in_its_year_and_says_what_was_revised(forest, staff):
    from reports.data import report_data

    plan, indicator = forest
    _revise(plan, indicator, staff, year=2025, text="14.5", effective_from=2024)
    rows = {r["id"]: r for r in report_data(plan, 2023)["indicators"]}
    assert rows[indicator.pk]["targets"]["2025"] == "14.23"  # 2023 still had the document's target
    assert (
        "2025年目标经" in rows[indicator.pk]["explanation"] and "14.23→14.5，自2024年起适用" in rows[indicator.pk]["explanation"]
    )
    rows = {r["id"]: r for r in report_data(plan, 2025)["indicators"]}
    assert rows[indicator.pk]["targets"]["2025"] == "14.5"
