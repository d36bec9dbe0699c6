"""方向不明确: the engine does not guess which way is better; a reviewer sets it once, on the
indicator page, with a reason; it is audited, survives reloading the plan, and is used."""

import pytest
from django.urls import reverse

from indicators import recompute
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Target
from plandata.loading import plans_load

pytestmark = pytest.mark.django_db
CODE = "div3-2021-2025"


@pytest.fixture
def unclear():
    """An indicator whose target is a bare number and whose name says nothing, with a value."""
    indicator = Indicator.objects.get(plan__code=CODE, seq="9")  # 森林覆盖率(%)
    Indicator.objects.filter(pk=indicator.pk).update(direction="", direction_source="无法从目标或名称判断，请人工确认")
    value = IndicatorValue(indicator=indicator, year=2022, origin="entry", state="approved")
    value.set_text("13.90")
    value.save()
    recompute.recompute(Indicator.objects.filter(pk=indicator.pk), as_of_year=2023)
    return Indicator.objects.get(pk=indicator.pk)


def url(indicator):
    return reverse("indicator_detail", args=[CODE, indicator.pk])


def test_without_a_direction_the_engine_says_so_and_asks_the_reviewer(unclear):
    result = AttainmentResult.objects.get(indicator=unclear, year=2022)
    assert Target.objects.get(indicator=unclear, year=2022).raw_text == "13.97"
    assert result.status == "not_assessable" and "审核员" in result.explanation


def test_a_reviewer_sets_it_once_with_a_reason_and_it_is_used(client, unclear, div3_reviewer, eager_tasks):
    client.force_login(div3_reviewer)
    assert "设定指标方向" in client.get(url(unclear)).content.decode()
    response = client.post(url(unclear), {"action": "direction", "direction": "higher", "reason": "覆盖率越高越好"})
    assert response.status_code == 302
    unclear.refresh_from_db()
    assert (unclear.direction, unclear.direction_source) == ("higher", "人工校正")
    record = unclear.history.latest()
    assert record.history_user == div3_reviewer and "覆盖率越高越好" in record.history_change_reason
    recompute.recompute(Indicator.objects.filter(pk=unclear.pk), as_of_year=2023)
    assert AttainmentResult.objects.get(indicator=unclear, year=2022).status == "not_met"  # 13.90 < 13.97
    plans_load(codes=[CODE])  # reloading the plan keeps the reviewer's direction
    unclear.refresh_from_db()
    assert unclear.direction == "higher"


def test_only_a_reviewer_sets_it_and_never_without_a_reason(client, unclear, div3_official, div3_reviewer):
    client.force_login(div3_official)
    assert client.post(url(unclear), {"action": "direction", "direction": "higher", "reason": "x"}).status_code == 403
    client.force_login(div3_reviewer)
    response = client.post(url(unclear), {"action": "direction", "direction": "higher", "reason": " "}, follow=True)
    assert "必须填写设定方向的理由" in response.content.decode()
    response = client.post(url(unclear), {"action": "direction", "direction": "sideways", "reason": "x"}, follow=True)
    assert "请选择“越高越好”或“越低越好”" in response.content.decode()
    unclear.refresh_from_db()
    assert unclear.direction == ""
