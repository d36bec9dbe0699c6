"""The review page gives each figure its context: the year's target, last year's counting figure,
the change and an outlier flag, who entered it and when; a word is shown without a unit."""

from django.urls import reverse
from django.utils import timezone

from indicators import services
from indicators.models import Indicator, IndicatorValue, Plan

CODE = "div3-2021-2025"


def _enter(plan, year, user, reviewer, rows, approve=True):
    services.values_save(plan=plan, year=year, user=user, rows=rows, submit=True)
    if approve:
        ids = list(IndicatorValue.objects.filter(indicator__plan=plan, year=year).values_list("pk", flat=True))
        services.values_review(plan=plan, year=year, user=reviewer, value_ids=ids, action="approve")


def test_each_figure_comes_with_its_target_last_years_figure_and_the_change(client, div3_official, div3_reviewer):
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")  # 森林覆盖率(%), a target printed for every year
    _enter(plan, 2021, div3_official, div3_reviewer, [services.RowInput(key=forest.pk, text="10")])
    _enter(
        plan,
        2022,
        div3_official,
        div3_reviewer,
        [services.RowInput(key=forest.pk, text="16", confirmed=True, remark="新增造林")],
        approve=False,
    )
    client.force_login(div3_reviewer)
    response = client.get(reverse("review", args=[CODE, 2022]))
    row = next(r for r in response.context["rows"] if r.value.indicator_id == forest.pk)
    assert row.previous == "10" and row.change == 60 and row.outlier
    assert row.target == plan.indicators.get(pk=forest.pk).targets.get(year=2022).raw_text
    html = response.content.decode()
    assert "+60.0%" in html and "变化大" in html and "新增造林" in html
    assert "全选" in html and 'class="secondary select-all"' in html
    assert timezone.localtime(row.value.submitted_at).strftime("%Y-%m-%d %H:%M") in html


def test_a_word_value_has_no_unit_and_a_first_year_has_no_change(client, div3_official, div3_reviewer):
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")
    _enter(plan, 2022, div3_official, div3_reviewer, [services.RowInput(key=forest.pk, text="13.9")], approve=False)
    client.force_login(div3_reviewer)
    response = client.get(reverse("review", args=[CODE, 2022]))
    row = next(r for r in response.context["rows"] if r.value.indicator_id == forest.pk)
    assert row.previous is None and row.change is None and not row.outlier and row.numeric
    for r in response.context["rows"]:
        if not r.numeric:
            assert f"<strong>{r.value.raw_text}</strong> " not in response.content.decode()
