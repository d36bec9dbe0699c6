"""The attainment engine's rules, on plain inputs (no database)."""

from decimal import Decimal

import pytest

from indicators.core import attainment as engine
from indicators.core.attainment import IndicatorInput, Observation
from indicators.core.targets import parse


def make(
    targets,
    values,
    *,
    direction="higher",
    unit="%",
    baseline_year=2020,
    start=2021,
    end=2025,
    as_of=2026,
    assigned=None,
    reporting=True,
):
    return IndicatorInput(
        name="测试指标",
        unit=unit,
        direction=direction,
        baseline_year=baseline_year,
        period_start=start,
        period_end=end,
        targets={y: parse(t) for y, t in targets.items()},
        values={y: Observation.of(y, v) for y, v in values.items()},
        assigned={y: Decimal(str(n)) for y, n in (assigned or {}).items()},
        as_of_year=as_of,
        reporting=reporting,
    )


def status(inp, year):
    return engine.judge_year(inp, year).status


# --- a target for the year --------------------------------------------------------------------


def test_a_value_exactly_on_the_target_is_met():
    inp = make({2025: "41.5"}, {2025: "41.5"})
    j = engine.judge_year(inp, 2025)
    assert (j.status, j.method) == ("met", "target_year")
    assert j.explanation == "2025年实际值 41.5%，达到目标“41.5”。"


def test_a_value_below_a_floor_is_not_met():
    assert status(make({2025: "≥93"}, {2025: "92.9"}), 2025) == "not_met"


def test_percentages_given_as_bare_comparator_numbers_are_compared():
    # 受污染耕地安全利用率 "≥93" (000 表二): no % sign in the cell.
    assert status(make({2022: "≥93"}, {2022: "93"}), 2022) == "met"


def test_the_comparator_in_the_target_beats_the_indicator_direction():
    # A ceiling ("≤") is a ceiling even on an indicator marked higher-is-better.
    assert status(make({2025: "≤22"}, {2025: "20"}, direction="higher"), 2025) == "met"


def test_lower_is_better_uses_the_stored_direction_for_a_bare_number():
    inp = make({2025: "35"}, {2025: "37"}, direction="lower", unit="㎍/m3")
    j = engine.judge_year(inp, 2025)
    assert j.status == "not_met"
    assert "37㎍/m3" in j.explanation


def test_without_any_direction_a_bare_number_is_not_assessable():
    j = engine.judge_year(make({2025: "10万亩"}, {2025: "11万亩"}, direction=""), 2025)
    assert j.status == "not_assessable"
    assert "方向未确定" in j.explanation


def test_a_value_reported_as_a_bound_is_met_when_the_bound_suffices():
    assert status(make({2020: "80%"}, {2020: "> 80%"}, start=2016, end=2020, baseline_year=2015), 2020) == "met"
    assert status(make({2020: "≥98%"}, {2020: "≥98%"}, start=2016, end=2020, baseline_year=2015), 2020) == "met"


def test_a_bound_that_leaves_the_answer_open_is_not_assessable():
    j = engine.judge_year(make({2025: ">90"}, {2025: "≥90"}), 2025)
    assert j.status == "not_assessable"
    assert "只给出范围" in j.explanation


def test_values_in_another_unit_are_not_compared():
    j = engine.judge_year(make({2025: "52.8㎍/m3"}, {2025: "50微克/立方米"}, direction="lower", unit=""), 2025)
    assert j.status == "not_assessable"


# --- only a later target: the time-elapsed rule -------------------------------------------------


def test_progress_at_least_the_elapsed_share_is_on_track():
    # Baseline 36.3 (2020) -> 41.5 (2025); 2022 needs 40% of the way: 38.38. 38.5 is 42.3%.
    j = engine.judge_year(make({2025: "41.5"}, {2020: "36.3", 2022: "38.5"}), 2022)
    assert (j.status, j.method) == ("on_track", "time_elapsed")
    assert "完成进度 42.3%，不低于时序进度 40%" in j.explanation
    assert "按时序进度应达到 38.38%" in j.explanation


def test_progress_short_of_the_elapsed_share_is_lagging_and_says_by_how_much():
    j = engine.judge_year(make({2025: "41.5"}, {2020: "36.3", 2023: "37.6"}), 2023)
    assert j.status == "lagging"
    assert j.explanation.startswith("2023年实际值 37.6%，完成进度 25%，低于时序进度 60%（按时序进度应达到 39.42%")
    assert j.details["completion_share"] == 0.25
    assert j.details["elapsed_share"] == 0.6


def test_an_end_target_already_reached_is_met():
    j = engine.judge_year(make({2025: "41.5"}, {2020: "36.3", 2022: "42"}), 2022)
    assert (j.status, j.method) == ("met", "end_target_reached")


def test_negative_progress_is_lagging_and_called_a_step_back():
    j = engine.judge_year(make({2025: "41.5"}, {2020: "36.3", 2022: "35.0"}), 2022)
    assert j.status == "lagging"
    assert "较基准倒退" in j.explanation
    assert j.details["growth_class"] == "倒退"


def test_a_target_equal_to_the_baseline_is_lagging_when_below_it():
    j = engine.judge_year(make({2025: "21.72"}, {2020: "21.72", 2022: "21.5"}), 2022)
    assert j.status == "lagging"
    assert "保持基准水平 21.72%" in j.explanation


def test_a_missing_baseline_is_not_assessable_with_the_reason():
    j = engine.judge_year(make({2025: "60"}, {2022: "40"}), 2022)
    assert j.status == "not_assessable"
    assert "缺少基准值" in j.explanation


def test_the_trend_projection_is_reported_and_disagreement_named():
    # 69% done with 60% of the time gone, but the line through 2020–2023 reaches only 39.52 by 2025.
    inp = make({2025: "40"}, {2020: "30", 2021: "30.5", 2022: "31", 2023: "36.9"})
    j = engine.judge_year(inp, 2023)
    assert j.status == "on_track"
    assert j.details["projection"] == pytest.approx(39.52, abs=0.001)
    assert "按最小二乘趋势外推，2025年预计为 39.52%，难以达到目标，两种方法结论不一致" in j.explanation


def test_lower_is_better_progress_uses_the_same_rule():
    # 重污染天数比例 0.9 -> 0.5 by 2025 (lower); 2023 at 0.6 is 75% of the way, 60% needed.
    j = engine.judge_year(make({2025: "0.5%"}, {2020: "0.9", 2023: "0.6"}, direction="lower"), 2023)
    assert j.status == "on_track"


# --- the two figures beside the status ------------------------------------------------------------


def test_growth_rate_classes():
    assert engine.growth_class_of(Decimal(100), 2020, Decimal(110), 2022, Decimal(120), 2024)[1] == "显著进展"
    ratio, name = engine.growth_class_of(Decimal(100), 2020, Decimal(104), 2022, Decimal(120), 2024)
    assert name == "进展有限" and ratio == pytest.approx(Decimal("0.4247"), abs=Decimal("0.0001"))
    assert engine.growth_class_of(Decimal(100), 2020, Decimal(95), 2022, Decimal(120), 2024)[1] == "倒退"


def test_growth_rate_edge_rules():
    # Fewer than two points: no class.
    assert engine.growth_class_of(Decimal(100), 2020, Decimal(100), 2020, Decimal(120), 2025) == (None, None)
    # A zero baseline: the linear rate stands in for the compound one.
    ratio, name = engine.growth_class_of(Decimal(0), 2020, Decimal(5), 2022, Decimal(10), 2024)
    assert (ratio, name) == (Decimal(1), "显著进展")
    # No growth required: holding the level is significant progress, anything else is regression.
    assert engine.growth_class_of(Decimal(100), 2020, Decimal(100), 2022, Decimal(100), 2025)[1] == "显著进展"
    assert engine.growth_class_of(Decimal(100), 2020, Decimal(99), 2022, Decimal(100), 2025)[1] == "倒退"


def test_the_required_annual_rate_from_the_latest_value():
    assert engine.required_rate(Decimal(100), Decimal(121), 2) == pytest.approx(0.1)
    assert engine.required_rate(Decimal(100), Decimal(121), 0) is None


# --- years without values ------------------------------------------------------------------------


def test_a_passed_year_without_a_value_is_no_data_and_future_years_are_not_judged():
    inp = make({2025: "41.5"}, {2020: "36.3", 2021: "37"}, as_of=2024)
    assert [j.year for j in engine.judge(inp)] == [2021, 2022, 2023]
    assert status(inp, 2022) == "no_data"


def test_a_completion_review_without_a_printed_value_is_not_assessable():
    inp = make({2020: "13.69"}, {}, start=2016, end=2020, baseline_year=2015, reporting=False)
    [j] = engine.judge(inp)
    assert (j.year, j.status) == (2020, "not_assessable")
    assert "文件未给出2020年完成值" in j.explanation


# --- qualitative, events, elimination ------------------------------------------------------------


def test_qualitative_targets_are_judged_from_the_recorded_status():
    assert status(make({2025: "全面实施"}, {2025: "已实施"}, direction="qualitative"), 2025) == "met"
    assert status(make({2025: "全面实施"}, {2025: "未实施"}, direction="qualitative"), 2025) == "not_met"
    assert status(make({2025: "实施"}, {2022: "未制定*"}, direction="qualitative"), 2022) == "not_assessable"


def test_a_qualitative_value_that_restates_the_target_is_met():
    assert status(make({2025: "有效开展"}, {2025: "有效开展"}, direction="qualitative"), 2025) == "met"


def test_a_number_for_a_qualitative_target_is_not_assessable():
    j = engine.judge_year(make({2025: "全面实施"}, {2025: "85"}, direction="qualitative"), 2025)
    assert j.status == "not_assessable"
    assert "需要填报完成状态" in j.explanation


def test_no_events():
    assert status(make({2022: "不发生"}, {2022: "未发生"}), 2022) == "met"
    assert status(make({2022: "不发生"}, {2022: "1"}), 2022) == "not_met"
    assert status(make({2022: "不发生"}, {2022: "0"}), 2022) == "met"


def test_elimination():
    assert status(make({2022: "基本消除"}, {2022: "基本消除"}), 2022) == "met"
    assert status(make({2022: "基本消除"}, {2022: "0"}, direction="lower"), 2022) == "met"
    assert status(make({2022: "基本消除"}, {2022: "2.4"}, direction="lower"), 2022) == "not_met"


# --- directional targets -------------------------------------------------------------------------


def test_a_decrease_is_judged_against_the_previous_year_and_reports_the_baseline():
    inp = make({2025: "持续下降"}, {2020: "40", 2021: "38", 2022: "39"}, direction="lower", unit="㎍/m3")
    assert status(inp, 2021) == "met"
    j = engine.judge_year(inp, 2022)
    assert j.status == "not_met"
    assert (
        j.explanation
        == "2022年实际值 39㎍/m3，较2021年 38㎍/m3 变化 +1㎍/m3，较基准年2020年 40㎍/m3 变化 -1㎍/m3，不符合“持续下降”。"
    )


def test_keeping_stable_allows_a_small_change_in_the_wrong_direction():
    inp = make({2025: "保持稳定"}, {2020: "100", 2021: "96", 2022: "90"})
    assert status(inp, 2021) == "met"  # 4% below: within 5%
    assert status(inp, 2022) == "not_met"


def test_improvement_at_100_percent_is_met():
    assert status(make({2025: "持续改善"}, {2020: "100", 2021: "100"}), 2021) == "met"


def test_a_direction_target_without_an_earlier_value_is_not_assessable():
    assert status(make({2025: "有所下降"}, {2021: "5"}, direction="lower"), 2021) == "not_assessable"


# --- assigned by the superior ---------------------------------------------------------------------


def test_an_assigned_target_waits_for_the_recorded_number():
    inp = make({2022: "控制在兵团下达指标范围内"}, {2022: "12.0"}, direction="lower")
    j = engine.judge_year(inp, 2022)
    assert (j.status, j.method) == ("pending_assignment", "assigned_pending")
    assert "2022年的下达数值尚未录入" in j.explanation


def test_an_assigned_number_is_a_ceiling_for_control_within():
    inp = make({2022: "控制在兵团下达指标范围内"}, {2022: "12.0"}, assigned={2022: 12.5}, direction="higher")
    j = engine.judge_year(inp, 2022)
    assert (j.status, j.method) == ("met", "assigned_target_year")
    assert j.details["assigned_value"] == 12.5
    inp = make({2022: "控制在兵团下达指标范围内"}, {2022: "13"}, assigned={2022: 12.5})
    assert status(inp, 2022) == "not_met"


def test_a_value_saying_the_assigned_target_was_reached_is_met_only_against_an_assigned_target():
    assert status(make({2020: "满足兵团指标"}, {2020: "达到兵团下达指标"}, start=2016, end=2020), 2020) == "met"
    j = engine.judge_year(make({2020: "52"}, {2020: "达到兵团下达指标"}, start=2016, end=2020), 2020)
    assert j.status == "not_assessable"
    assert "未给出数值，无法与目标“52”比较" in j.explanation


# --- relative change and compound cells -----------------------------------------------------------


def test_a_relative_decrease_from_printed_levels():
    # 专栏3: 乌鲁木齐市 64 微克/立方米 in 2015, "下降20%" by 2020.
    inp = make(
        {2020: "下降20%"}, {2015: "64微克/立方米", 2020: "51微克/立方米"}, unit="", baseline_year=2015, start=2016, end=2020
    )
    j = engine.judge_year(inp, 2020)
    assert j.status == "met"
    assert "2020年实际值 51微克/立方米，较2015年 64微克/立方米 下降 20.31%，达到目标“下降20%”" in j.explanation
    inp = make(
        {2020: "下降20%"}, {2015: "64微克/立方米", 2018: "60微克/立方米"}, unit="", baseline_year=2015, start=2016, end=2020
    )
    assert status(inp, 2018) == "lagging"  # 6.25% of 20% is 31%, 60% of the time has passed


def test_a_relative_change_reported_as_a_change():
    inp = make(
        {2025: "较2020年下降7.40%以上"}, {2025: "较2020年下降10.64%"}, direction="lower", start=2023, end=2035, baseline_year=2022
    )
    assert status(inp, 2025) == "met"


def test_a_compound_cell_is_judged_part_by_part_and_the_worst_part_decides():
    target = "重点工程减排量2772.12吨，下降0.64%"
    inp = make({2020: target}, {2020: "重点工程减排量2977.36吨，下降0.65%"}, start=2016, end=2020, baseline_year=2015)
    j = engine.judge_year(inp, 2020)
    assert (j.status, j.method) == ("met", "compound")
    assert "2977.36吨" in j.explanation
    inp = make({2020: target}, {2020: "重点工程减排量2977.36吨，下降0.50%"}, start=2016, end=2020, baseline_year=2015)
    assert status(inp, 2020) == "not_met"


def test_an_assigned_part_leaves_a_compound_pending():
    inp = make({2022: "控制在兵团下达指标范围内 平均达到73%"}, {2022: "75"})
    j = engine.judge_year(inp, 2022)
    assert j.status == "pending_assignment"
    assert [p["status"] for p in j.details["parts"]] == ["pending_assignment", "met"]


def test_rollup_counts_and_flags_binding_alerts():
    rows = [
        ("森林覆盖率", "生态保护", "约束性", "lagging"),
        ("草地覆盖率", "生态保护", "预期性", "lagging"),
        ("地表水", "环境质量改善", "约束性", "met"),
        ("PM2.5", "环境质量改善", "约束性", "not_met"),
    ]
    summary = engine.rollup(rows)
    assert summary["total"]["lagging"] == 2
    assert summary["by_category"]["生态保护"]["lagging"] == 2
    assert summary["by_attribute"]["约束性"] == {**{s: 0 for s in engine.STATUS_LABELS}, "lagging": 1, "met": 1, "not_met": 1}
    assert summary["alerts"] == [("森林覆盖率", "lagging"), ("PM2.5", "not_met")]


# --- kinds read from other plans (issue 13) -----------------------------------------------------


def test_about_is_met_within_five_percent_and_on_the_better_side():
    lower = {"direction": "lower", "unit": "微克/立方米"}
    assert status(make({2025: "60左右"}, {2025: "62"}, **lower), 2025) == "met"
    assert status(make({2025: "60左右"}, {2025: "50"}, **lower), 2025) == "met"
    assert status(make({2025: "60左右"}, {2025: "70"}, **lower), 2025) == "not_met"


def test_a_range_is_met_inside_and_judged_by_direction_outside():
    assert status(make({2025: "1.2~1.5"}, {2025: "1.3"}, direction=""), 2025) == "met"
    assert status(make({2025: "1.2~1.5"}, {2025: "1.6"}), 2025) == "met"
    assert status(make({2025: "1.2~1.5"}, {2025: "1.1"}), 2025) == "not_met"
    j = engine.judge_year(make({2025: "1.2~1.5"}, {2025: "1.1"}, direction=""), 2025)
    assert j.status == "not_assessable" and "方向不明确" in j.explanation


def test_year_on_year_compares_with_the_previous_years_figure():
    inp = make({2023: "同比下降5%"}, {2022: "40", 2023: "37.6"}, direction="lower")
    assert status(inp, 2023) == "met"  # −6%
    inp = make({2023: "同比下降5%"}, {2022: "40", 2023: "39"}, direction="lower")
    assert status(inp, 2023) == "not_met"  # −2.5%
    j = engine.judge_year(make({2023: "同比下降5%"}, {2023: "39"}, direction="lower"), 2023)
    assert j.status == "not_assessable" and "缺少2022年数值" in j.explanation and "填报员" in j.explanation


def test_an_annual_rate_is_compounded_from_the_baseline():
    inp = make({2025: "年均增长7%"}, {2020: "100", 2025: "141"})
    assert status(inp, 2025) == "met"  # 7.1% a year
    assert status(make({2025: "年均增长7%"}, {2020: "100", 2025: "130"}), 2025) == "not_met"


def test_a_deadline_judges_what_must_hold_by_its_year():
    inp = make({2025: "于2023年底前基本消除黑臭水体"}, {2023: "0"}, direction="lower")
    assert status(inp, 2023) == "met"


def test_several_values_in_one_cell_ask_for_the_indicator_to_be_split():
    j = engine.judge_year(make({2025: "分别控制在35、40以内"}, {2025: "36"}), 2025)
    assert j.status == "not_assessable" and "拆分" in j.explanation and "管理员" in j.explanation


def test_a_direction_the_cell_and_the_name_disagree_on_is_not_guessed():
    from indicators.core import directions

    direction, reason = directions.decide("细颗粒物(PM2.5)浓度", [parse("≥35")])
    assert direction == "" and reason.startswith("方向不明确") and "审核员" in reason
    assert directions.decide("细颗粒物(PM2.5)浓度", [parse("≤35")])[0] == "lower"
    # A change speaks of the quantity, "下降幅度" of the size of its fall: no contradiction.
    assert directions.decide("PM2.5浓度下降幅度", [parse("较2020年下降7.40%以上")])[0] == "lower"


def test_a_cumulative_quantity_starts_from_zero_at_the_baseline():
    inp = make({2025: "≥100"}, {2023: "60"})
    inp.name = "累计造林面积"
    j = engine.judge_year(inp, 2023)
    assert j.status == "on_track" and j.details["elapsed_share"] == 0.6  # 60 of 100 after 3 of 5 years
    inp.name = "造林面积"
    assert engine.judge_year(inp, 2023).status == "not_assessable"  # no baseline, not a running total


@pytest.mark.parametrize("answer", ["未消除", "尚未基本消除", "未基本消除"])
def test_not_eliminated_is_never_read_as_eliminated(answer):
    # "未消除" was once read by the eliminate rule as "消除" with a label "未": 达标 for a figure
    # that says the opposite. Every choice the entry form offers must read back its own way.
    inp = make({2025: "基本消除"}, {2025: answer}, direction="qualitative", unit="")
    assert status(inp, 2025) == "not_met"


@pytest.mark.parametrize("target", ["基本消除", "消除", "全面推行", "划定并遵守", "建立", "不发生", "全面实施", "已消除"])
def test_every_choice_offered_reads_back_its_own_way(target):
    from indicators.core import validation

    kind, choices = validation.input_kind(parse(target))
    assert kind == validation.CHOICE
    done, not_done = choices
    assert status(make({2025: target}, {2025: done}, direction="qualitative", unit=""), 2025) == "met"
    assert status(make({2025: target}, {2025: not_done}, direction="qualitative", unit=""), 2025) == "not_met"


def test_the_choices_use_the_targets_own_words():
    from indicators.core import validation

    assert validation.input_kind(parse("基本消除"))[1] == ["已基本消除", "未消除"]
    assert validation.input_kind(parse("全面推行"))[1] == ["已全面推行", "未全面推行"]
