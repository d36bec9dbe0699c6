"""Draft → submitted → approved / returned; approved figures are locked until reopened; every
change is audited with who, when, old and new value and the channel."""

import pytest
from django.urls import reverse

from indicators import services
from indicators.core import workflow
from indicators.models import Indicator, IndicatorValue, Plan
from projects import services as project_services
from projects.models import KeyProject, ProjectProgress

pytestmark = pytest.mark.django_db
YEAR = 2022


@pytest.fixture
def plan():
    return Plan.objects.get(code="div3-2021-2025")


@pytest.fixture
def forest(plan):
    return Indicator.objects.get(plan=plan, seq="9")


def submit(plan, user, indicator, text="13.98"):
    services.values_save(plan=plan, year=YEAR, user=user, rows=[services.RowInput(key=indicator.pk, text=text)], submit=True)
    return IndicatorValue.objects.get(indicator=indicator, year=YEAR)


def test_the_transition_table():
    assert workflow.next_state("submit", "draft", "official") == "submitted"
    assert workflow.next_state("approve", "submitted", "reviewer") == "approved"
    assert workflow.next_state("return", "submitted", "reviewer") == "returned"
    assert workflow.next_state("edit", "returned", "official") == "draft"
    assert workflow.next_state("reopen", "approved", "reviewer") == "draft"


@pytest.mark.parametrize(
    "action,state,role,message",
    [
        ("approve", "draft", "reviewer", "“草稿”状态的数据不能审核通过"),
        ("approve", "approved", "reviewer", "“已审核”状态的数据不能审核通过"),
        ("edit", "approved", "official", "“已审核”状态的数据不能修改"),
        ("submit", "submitted", "official", "“已提交”状态的数据不能提交"),
        ("approve", "submitted", "official", "只有审核员可以审核通过"),
        ("submit", "draft", "reviewer", "只有填报员可以提交"),
        ("reopen", "submitted", "reviewer", "“已提交”状态的数据不能重新打开"),
    ],
)
def test_illegal_transitions_are_refused_with_a_reason(action, state, role, message):
    with pytest.raises(workflow.WorkflowError, match=message):
        workflow.next_state(action, state, role)


def test_return_needs_a_comment(plan, forest, div3_official, div3_reviewer):
    value = submit(plan, div3_official, forest)
    with pytest.raises(workflow.WorkflowError, match="退回时必须填写审核意见"):
        services.values_review(plan=plan, year=YEAR, user=div3_reviewer, value_ids=[value.pk], action="return")


def test_returned_then_fixed_then_approved_then_locked(plan, forest, div3_official, div3_reviewer):
    value = submit(plan, div3_official, forest, "13.5")
    services.values_review(
        plan=plan, year=YEAR, user=div3_reviewer, value_ids=[value.pk], action="return", comment="与林草局数据不符"
    )
    value.refresh_from_db()
    assert (value.state, value.review_comment, value.reviewed_by) == ("returned", "与林草局数据不符", div3_reviewer)

    services.values_save(
        plan=plan,
        year=YEAR,
        user=div3_official,
        rows=[services.RowInput(key=forest.pk, text="13.98", version=value.version)],
        submit=True,
    )
    value.refresh_from_db()
    assert (value.raw_text, value.state) == ("13.98", "submitted")

    services.values_review(plan=plan, year=YEAR, user=div3_reviewer, value_ids=[value.pk], action="approve")
    value.refresh_from_db()
    assert value.state == "approved"
    with pytest.raises(services.EntryRejected, match="已审核，不能修改"):
        services.values_save(
            plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=forest.pk, text="14", version=value.version)]
        )

    services.values_review(plan=plan, year=YEAR, user=div3_reviewer, value_ids=[value.pk], action="reopen")
    value.refresh_from_db()
    assert value.state == "draft"


def test_a_reviewer_cannot_act_on_another_plans_values(plan, forest, div3_official, kashgar_reviewer):
    value = submit(plan, div3_official, forest)
    kashgar = Plan.objects.get(code="kashgar-2021-2025")
    with pytest.raises(workflow.WorkflowError, match="不属于该规划"):
        services.values_review(plan=kashgar, year=YEAR, user=kashgar_reviewer, value_ids=[value.pk], action="approve")


def test_every_change_is_audited_with_who_when_old_new_and_channel(plan, forest, div3_official, div3_reviewer):
    services.values_save(plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.5")])
    value = IndicatorValue.objects.get(indicator=forest, year=YEAR)
    services.values_save(
        plan=plan,
        year=YEAR,
        user=div3_official,
        rows=[services.RowInput(key=forest.pk, text="13.98", version=value.version)],
        submit=True,
        channel="import",
    )
    services.values_review(plan=plan, year=YEAR, user=div3_reviewer, value_ids=[value.pk], action="approve")
    history = list(value.history.order_by("history_date"))
    # Attribution comes from the request middleware in the web; here the writes name the user.
    assert [(h.raw_text, h.state, h.history_change_reason) for h in history] == [
        ("13.5", "draft", "form"),
        ("13.98", "draft", "import"),
        ("13.98", "submitted", "import"),
        ("13.98", "approved", "form"),
    ]
    assert all(h.history_date for h in history)
    assert history[0].entered_by == div3_official and history[-1].reviewed_by == div3_reviewer


def test_the_web_records_the_acting_user_in_the_history(client, plan, forest, div3_official):
    client.force_login(div3_official)
    client.post(
        reverse("values_entry", args=[plan.code, YEAR]),
        {"action": "save", f"value-{forest.pk}": "13.9", f"version-{forest.pk}": "0"},
    )
    record = IndicatorValue.history.get(indicator_id=forest.pk, year=YEAR)
    assert (record.history_user, record.history_change_reason, record.raw_text) == (div3_official, "form", "13.9")


def test_project_progress_follows_the_same_workflow(plan, div3_official, div3_reviewer):
    project = KeyProject.objects.get(plan=plan, seq="1")
    row = services.RowInput(key=project.pk, status="ongoing", investment="1200", percent="30", remark="河道监管用房在建")
    project_services.progress_save(plan=plan, year=YEAR, user=div3_official, rows=[row], submit=True)
    progress = ProjectProgress.objects.get(project=project, year=YEAR)
    assert (progress.state, progress.investment_completed_wan, progress.percent_complete) == ("submitted", 1200, 30)
    project_services.progress_review(plan=plan, year=YEAR, user=div3_reviewer, progress_ids=[progress.pk], action="approve")
    progress.refresh_from_db()
    assert progress.state == "approved"
    assert [h.state for h in progress.history.order_by("history_date")] == ["draft", "submitted", "approved"]


def test_project_progress_is_validated_whole(plan, div3_official):
    first, second = KeyProject.objects.filter(plan=plan).order_by("position")[:2]
    rows = [
        services.RowInput(key=first.pk, status="ongoing", investment="100"),
        services.RowInput(key=second.pk, status="ongoing", investment="-5", percent="140"),
    ]
    with pytest.raises(services.EntryRejected) as caught:
        project_services.progress_save(plan=plan, year=YEAR, user=div3_official, rows=rows)
    assert caught.value.errors == {second.pk: ["累计完成投资（万元）不能小于0", "完成比例（%）不能大于100"]}
    assert not ProjectProgress.objects.exists()


def test_a_reviewer_records_an_assigned_number_and_it_is_audited(plan, div3_reviewer):
    nox = Indicator.objects.get(plan=plan, name="氮氧化物(%)")
    target = nox.targets.get(year=YEAR)
    services.assigned_record(plan=plan, target_id=target.pk, number="36.5", note="兵团环发〔2022〕X号", user=div3_reviewer)
    target.refresh_from_db()
    assert (str(target.assigned_value), target.assigned_note) == ("36.500000", "兵团环发〔2022〕X号")
    assert target.history.latest().history_change_reason == "form"
    with pytest.raises(workflow.WorkflowError, match="不是数字"):
        services.assigned_record(plan=plan, target_id=target.pk, number="三十", user=div3_reviewer)
    forest_target = Indicator.objects.get(plan=plan, seq="9").targets.get(year=YEAR)
    with pytest.raises(workflow.WorkflowError, match="不是上级下达的目标"):
        services.assigned_record(plan=plan, target_id=forest_target.pk, number="1", user=div3_reviewer)
