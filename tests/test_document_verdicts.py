"""The real test of the engine: the completion-review tables print a verdict for each row
(完成 / 未完成), and judging each row's achieved value against its target must give it."""

import pytest

from indicators.models import AttainmentResult, Indicator, Plan
from indicators.recompute import recompute_plan

pytestmark = pytest.mark.django_db

REVIEWS = {"div3-2016-2020": 2020, "kashgar-2016-2020": 2020, "xinjiang-2011-2015": 2015}
PRINTED = {"完成": "met", "未完成": "not_met"}

# Rows whose verdict cannot be derived from what the document prints, and why. They must come out
# not_assessable; every other row must agree with the printed verdict.
NOT_DERIVABLE = {
    ("div3-2016-2020", "单位工业增加值综合能耗"): "value is 达到兵团下达指标, no number against ≤1t(标煤)/万元",
    ("div3-2016-2020", "单位工业增加值用水量(m ³ /万元)"): "value is 达到兵团下达指标, no number against 52",
    ("div3-2016-2020", "单位生产总值二氧化碳排放降低(%)"): "neither target nor achieved value printed",
    ("div3-2016-2020", "主要污染物排放降低(%)"): "target 13.69 printed, achieved value cell empty",
    ("div3-2016-2020", "建成标准化、规范化的环境执法系统"): "target and achieved value printed as -",
    ("div3-2016-2020", "建设图木舒克市空气质量自动监测网络"): "target and achieved value printed as -",
    ("div3-2016-2020", "建成师团级环境应急响应系统，全面提高应急响应能力"): "target and achieved value printed as -",
}


def _judged(code):
    plan = Plan.objects.get(code=code)
    recompute_plan(plan, as_of_year=2026)
    final = REVIEWS[code]
    rows = []
    for indicator in Indicator.objects.filter(plan=plan).order_by("position"):
        result = AttainmentResult.objects.get(indicator=indicator, year=final)
        rows.append((indicator, result))
    return rows


@pytest.mark.parametrize("code", REVIEWS)
def test_the_engine_reproduces_the_printed_verdicts(code, capsys):
    agree, exempt, disagree = 0, [], []
    for indicator, result in _judged(code):
        assert indicator.verdict in PRINTED, indicator.name
        if (code, indicator.name) in NOT_DERIVABLE:
            assert result.status == "not_assessable", (indicator.name, result.explanation)
            assert result.explanation  # says what is missing
            exempt.append(indicator.name)
        elif result.status == PRINTED[indicator.verdict]:
            agree += 1
        else:
            disagree.append((indicator.name, indicator.verdict, result.status, result.explanation))
    with capsys.disabled():
        print(f"\n{code}: {agree} rows agree with the printed verdict, {len(exempt)} not derivable: {exempt}")
    assert disagree == []
    assert sorted(exempt) == sorted(name for (c, name) in NOT_DERIVABLE if c == code)


def test_the_not_derivable_rows_explain_what_is_missing():
    results = {i.name: r for i, r in _judged("div3-2016-2020")}
    assert "未给出数值" in results["单位工业增加值综合能耗"].explanation
    assert "文件未给出2020年完成值" in results["主要污染物排放降低(%)"].explanation


def test_every_review_row_has_a_printed_verdict_and_the_counts_hold():
    assert Indicator.objects.filter(plan__code="div3-2016-2020").count() == 42
    assert Indicator.objects.filter(plan__code="kashgar-2016-2020").count() == 9
    assert Indicator.objects.filter(plan__code="xinjiang-2011-2015").count() == 16
