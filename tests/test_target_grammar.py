"""The target grammar: every printed string in the seeds, plus the edge cases people type."""

import glob
from decimal import Decimal

import pytest
import yaml

from indicators.core import targets as grammar
from tests.grammar_cases import CASES


def _fixture_strings():
    strings = set()
    for path in glob.glob("fixtures/plans/*.yaml"):
        data = yaml.safe_load(open(path, encoding="utf-8"))
        for row in data["indicators"]:
            for key in ("targets", "values"):
                for cell in (row.get(key) or {}).values():
                    strings.add(str(cell["text"] if isinstance(cell, dict) else cell))
            if row.get("standard_value"):
                strings.add(str(row["standard_value"]))
    return strings


def _without_raw(data):
    data = dict(data)
    data.pop("raw")
    if "parts" in data:
        data["parts"] = [_without_raw(p) for p in data["parts"]]
    return data


@pytest.mark.parametrize("raw,expected", CASES, ids=[c[0] for c in CASES])
def test_it_parses_every_printed_string(raw, expected):
    assert _without_raw(grammar.parse(raw).to_dict()) == expected


def test_the_case_table_covers_every_string_in_the_fixtures():
    missing = _fixture_strings() - {raw for raw, _ in CASES}
    assert not missing, f"strings in fixtures/plans without a reviewed grammar case: {sorted(missing)}"


def test_no_printed_string_is_left_unparsed(capsys):
    strings = _fixture_strings()
    unparsed = sorted(s for s in strings if grammar.parse(s).kind == grammar.UNPARSED)
    with capsys.disabled():
        print(f"\ntarget grammar: {len(strings)} distinct printed strings, {len(unparsed)} unparsed")
    assert unparsed == []


def test_it_keeps_the_printed_precision():
    target = grammar.parse("14.058")
    assert target.value == Decimal("14.058")
    assert target.decimals == 3
    assert grammar.parse("97.40").decimals == 2


def test_it_reads_full_width_comparators_and_digits():
    target = grammar.parse("＞８０％")
    assert (target.kind, target.op, target.value, target.unit) == ("threshold", "gt", Decimal(80), "%")
    assert target.raw == "＞８０％"


def test_a_value_reported_as_a_bound_keeps_its_comparator():
    target = grammar.parse("> 80%")
    assert (target.op, target.value, target.direction) == ("gt", Decimal(80), "higher")


def test_chinese_comparator_words():
    assert grammar.parse("不低于94%").op == "ge"
    assert grammar.parse("不高于35").op == "le"
    assert grammar.parse("达到85%以上").op == "ge"
    assert grammar.parse("控制在550亿立方米以内").to_dict() == {
        "kind": "threshold",
        "raw": "控制在550亿立方米以内",
        "op": "le",
        "unit": "亿立方米",
        "value": "550",
    }
    assert grammar.parse("330亿千瓦时").unit == "亿千瓦时"


def test_a_bare_number_says_nothing_about_direction():
    # "100" could be a ceiling or a floor: the indicator's stored direction decides, not the cell.
    assert grammar.parse("100").direction is None


def test_relative_change_against_a_base_year():
    target = grammar.parse("较2020年下降7.40%以上")
    assert (target.kind, target.base_year, target.change, target.value, target.op) == (
        "relative_change",
        2020,
        "decrease",
        Decimal("7.40"),
        "ge",
    )
    assert target.direction == "lower"


def test_an_annotated_value_keeps_the_number_and_the_annotation():
    target = grammar.parse("0.32（“十四五”期间上级规定的目标任务是上升 10%）")
    assert target.value == Decimal("0.32")
    assert target.annotation == "“十四五”期间上级规定的目标任务是上升 10%"


def test_a_marked_value_keeps_its_marker():
    target = grammar.parse("未制定*")
    assert (target.kind, target.status, target.marker) == ("qualitative", "not_done", "*")


def test_a_compound_cell_keeps_both_measures():
    target = grammar.parse("重点工程减排量2772.12吨，下降0.64%")
    first, second = target.parts
    assert (first.measure, first.value, first.unit) == ("重点工程减排量", Decimal("2772.12"), "吨")
    assert (second.kind, second.change, second.value) == ("relative_change", "decrease", Decimal("0.64"))


def test_assigned_targets_name_the_superior_body():
    assert grammar.parse("控制在兵团下达的指标范围内").superior == "兵团"
    assert grammar.parse("控制在自治区下达指标范围内").superior == "自治区"
    assert grammar.parse("满足兵团指标").kind == "assigned"


def test_a_string_it_does_not_understand_is_kept_unparsed():
    for raw in ("见附表", "待定", "约三成", "12,5"):
        target = grammar.parse(raw)
        assert target.kind == "unparsed", raw
        assert target.raw == raw


def test_parse_round_trips_through_its_dict_form():
    for raw, _ in CASES:
        target = grammar.parse(raw)
        assert grammar.Target.from_dict(target.to_dict()) == target
