"""Four eyes: nobody reviews a figure they entered or last changed, superusers included; and a
submit submits only the submitter's own rows, never another official's draft."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from rest_framework.test import APIClient

from indicators import services
from indicators.core import workflow
from indicators.models import Indicator, IndicatorValue, Plan, PlanMembership
from projects import services as project_services
from projects.models import KeyProject, ProjectProgress
from tests.conftest import _member

pytestmark = pytest.mark.django_db
CODE, YEAR = "div3-2021-2025", 2022


@pytest.fixture
def plan():
    return Plan.objects.get(code=CODE)


@pytest.fixture
def both(plan):
    """Official and reviewer of the same plan."""
    user = _member("both-roles", "official", CODE)
    PlanMembership.objects.create(user=user, plan=plan, role="reviewer")
    return user


@pytest.fixture
def superuser():
    return User.objects.create_superuser("root", password="pw-root-2026")


def indicator(seq):
    return Indicator.objects.get(plan__code=CODE, seq=seq)


def submit(plan, user, seq, text):
    services.values_save(plan=plan, year=YEAR, user=user, rows=[services.RowInput(key=indicator(seq).pk, text=text)], submit=True)
    return IndicatorValue.objects.get(indicator=indicator(seq), year=YEAR)


@pytest.mark.parametrize("action", ["approve", "return"])
def test_an_official_who_is_also_reviewer_cannot_review_their_own_value(plan, both, action):
    value = submit(plan, both, "9", "13.98")
    with pytest.raises(workflow.FourEyesError, match="须由其他审核员审核"):
        services.values_review(plan=plan, year=YEAR, user=both, value_ids=[value.pk], action=action, comment="核实")
    value.refresh_from_db()
    assert value.state == "submitted" and value.reviewed_by is None


def test_a_superuser_cannot_approve_a_value_they_changed(plan, superuser, div3_reviewer):
    value = submit(plan, superuser, "9", "13.98")
    with pytest.raises(workflow.FourEyesError):
        services.values_review(plan=plan, year=YEAR, user=superuser, value_ids=[value.pk], action="approve")
    services.values_review(plan=plan, year=YEAR, user=div3_reviewer, value_ids=[value.pk], action="approve")
    value.refresh_from_db()
    assert (value.state, value.reviewed_by) == ("approved", div3_reviewer)


def test_four_eyes_applies_to_project_progress(plan, both):
    project = KeyProject.objects.get(plan=plan, seq="1")
    row = services.RowInput(key=project.pk, status="ongoing", investment="1200", percent="30")
    project_services.progress_save(plan=plan, year=YEAR, user=both, rows=[row], submit=True)
    progress = ProjectProgress.objects.get(project=project, year=YEAR)
    with pytest.raises(workflow.FourEyesError):
        project_services.progress_review(plan=plan, year=YEAR, user=both, progress_ids=[progress.pk], action="approve")
    progress.refresh_from_db()
    assert progress.state == "submitted"


def test_the_review_page_disables_own_rows_with_the_reason_and_refuses_a_forged_post(client, plan, both, div3_official):
    own = submit(plan, both, "9", "13.98")
    other = submit(plan, div3_official, "5", "38.5")
    client.force_login(both)
    html = client.get(reverse("review", args=[CODE, YEAR])).content.decode()
    assert f'<input type="checkbox" disabled id="check-{own.pk}"' in html
    assert "这是您本人填报或最后修改的数据，须由其他审核员审核" in html
    assert f'name="value" value="{other.pk}"' in html
    response = client.post(reverse("review", args=[CODE, YEAR]), {"value": [own.pk, other.pk], "action": "approve"}, follow=True)
    assert "须由其他审核员审核" in response.content.decode()
    own.refresh_from_db()
    other.refresh_from_db()
    assert (own.state, other.state) == ("submitted", "submitted")  # all or nothing


def test_the_api_answers_403_to_self_review(plan, both):
    value = submit(plan, both, "9", "13.98")
    client = APIClient()
    client.force_authenticate(both)
    response = client.post(f"/api/values/{value.pk}/review/", {"action": "approve"}, format="json")
    assert response.status_code == 403 and "须由其他审核员审核" in response.json()["detail"]
    value.refresh_from_db()
    assert value.state == "submitted"


def test_a_submit_leaves_another_officials_draft_alone(plan, div3_official):
    colleague = _member("div3-colleague", "official", CODE)
    services.values_save(plan=plan, year=YEAR, user=colleague, rows=[services.RowInput(key=indicator("5").pk, text="38.5")])
    submit(plan, div3_official, "9", "13.98")
    theirs = IndicatorValue.objects.get(indicator=indicator("5"), year=YEAR)
    mine = IndicatorValue.objects.get(indicator=indicator("9"), year=YEAR)
    assert (mine.state, theirs.state, theirs.version) == ("submitted", "draft", 1)


def test_a_submit_leaves_another_officials_project_draft_alone(plan, div3_official):
    colleague = _member("div3-colleague", "official", CODE)
    first, second = KeyProject.objects.filter(plan=plan).order_by("position")[:2]
    project_services.progress_save(
        plan=plan, year=YEAR, user=colleague, rows=[services.RowInput(key=first.pk, status="ongoing", percent="10")]
    )
    project_services.progress_save(
        plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=second.pk, status="ongoing")], submit=True
    )
    states = dict(ProjectProgress.objects.filter(year=YEAR).values_list("project_id", "state"))
    assert states == {first.pk: "draft", second.pk: "submitted"}
