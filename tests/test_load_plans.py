"""load_plans: the documents' own counts hold, loading is idempotent, entered data survives,
and a bad file is refused whole with a message naming file, row and key."""

import shutil
from decimal import Decimal
from io import StringIO

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from indicators.models import Indicator, IndicatorValue, Plan, Target
from plandata.loading import PLANS_DIR, plans_load
from projects.models import KeyProject, StatedTotal

pytestmark = pytest.mark.django_db


def numbered(plan_code):
    return Indicator.objects.filter(plan__code=plan_code, parent__isnull=True).exclude(seq="")


def test_twelfth_division_has_36_indicators_18_binding_18_reference():
    rows = numbered("div12-2023-2035")
    assert rows.values("seq").distinct().count() == 36
    assert rows.filter(attribute="约束性").count() == 18
    assert rows.filter(attribute="参考性").count() == 18


def test_kashgar_table_2_has_26_indicators():
    assert numbered("kashgar-2021-2025").count() == 26


def test_xinjiang_box_2_has_20_indicators_by_its_group_headings():
    # 专栏2 spans lines 203–251 of 003; 专栏3's per-city rows follow it.
    rows = Indicator.objects.filter(plan__code="xinjiang-2016-2020", source_line__lt=252)
    assert rows.count() == 20
    assert {c: rows.filter(category=c).count() for c in ("环境质量", "总量控制", "污染防治")} == {
        "环境质量": 9,
        "总量控制": 4,
        "污染防治": 7,
    }


def test_xinjiang_box_3_gives_pm25_targets_per_city():
    urumqi = Indicator.objects.get(plan__code="xinjiang-2016-2020", region__name="乌鲁木齐市", name="PM_{2.5}浓度")
    assert urumqi.targets.get(year=2020).raw_text == "下降20%"
    assert urumqi.values.get(year=2015).raw_text == "64微克/立方米"


def test_third_division_table_2_has_18_numbered_indicators():
    assert numbered("div3-2021-2025").values("seq").distinct().count() == 18


def test_third_division_projects_sum_to_the_stated_2581_yi_yuan():
    projects = KeyProject.objects.filter(plan__code="div3-2021-2025")
    assert projects.count() == 39
    total = sum(p.investment_wan for p in projects)
    stated = StatedTotal.objects.get(plan__code="div3-2021-2025", what="重点项目资金概算合计")
    assert stated.value_wan == Decimal("258100")
    # The document rounds to 0.01 亿元 (100 万元): 258092.40 prints as 25.81 亿元.
    assert total == Decimal("258092.40")
    assert abs(total - stated.value_wan) <= Decimal("50")


def test_twelfth_division_has_stated_category_totals_and_no_invented_projects():
    assert not KeyProject.objects.filter(plan__code="div12-2023-2035").exists()
    totals = StatedTotal.objects.filter(plan__code="div12-2023-2035", what="重点工程项目分类投资")
    assert totals.count() == 6
    assert sum(t.count for t in totals) == 41
    assert sum(t.value_wan for t in totals) == Decimal("735600")


def test_completion_reviews_keep_the_printed_verdicts():
    assert Indicator.objects.filter(plan__code="div3-2016-2020", verdict="未完成").count() == 3
    assert Indicator.objects.filter(plan__code="xinjiang-2011-2015", verdict="未完成").count() == 2
    assert not Indicator.objects.filter(plan__code="kashgar-2016-2020").exclude(verdict="完成").exists()


def test_predecessors_are_linked():
    assert Plan.objects.get(code="div3-2021-2025").predecessor.code == "div3-2016-2020"
    assert Plan.objects.get(code="xinjiang-2016-2020").predecessor.code == "xinjiang-2011-2015"


def test_every_target_in_the_database_is_parsed():
    assert not Target.objects.filter(kind="unparsed").exists()


def test_every_indicator_has_a_direction_and_says_why():
    assert not Indicator.objects.filter(direction_source="").exists()
    forest = Indicator.objects.get(plan__code="div3-2021-2025", seq="9")
    assert forest.direction == "higher"
    nox = Indicator.objects.get(plan__code="xinjiang-2011-2015", name="氮氧化物排放总量（万吨）")
    assert (nox.direction, nox.direction_source) == ("lower", "目标“≤67.9”")


def _snapshot():
    return {
        "indicators": list(Indicator.objects.order_by("pk").values()),
        "targets": list(Target.objects.order_by("pk").values()),
        "values": list(
            IndicatorValue.objects.order_by("pk").values_list("pk", "indicator", "year", "raw_text", "number", "version")
        ),
        "projects": list(KeyProject.objects.order_by("pk").values()),
        "totals": list(StatedTotal.objects.order_by("pk").values()),
        "history": Indicator.history.count() + Target.history.count() + IndicatorValue.history.count(),
    }


def test_loading_twice_gives_the_same_database():
    before = _snapshot()
    call_command("load_plans", stdout=StringIO())
    assert _snapshot() == before


def test_loading_again_keeps_values_officials_entered():
    official = User.objects.create_user("kashgar-official")
    indicator = Indicator.objects.get(plan__code="kashgar-2021-2025", seq="1")
    entered = IndicatorValue(indicator=indicator, year=2023, origin="entry", entered_by=official)
    entered.set_text("47.1")
    entered.save()
    # An official also entered a figure for a year the document prints: the document must not win.
    overridden = IndicatorValue.objects.get(indicator=indicator, year=2020)
    overridden.origin, overridden.state = "entry", "submitted"
    overridden.set_text("46.0")
    overridden.save()

    out = StringIO()
    call_command("load_plans", "--plan", "kashgar-2021-2025", stdout=out)

    assert IndicatorValue.objects.get(pk=entered.pk).raw_text == "47.1"
    assert IndicatorValue.objects.get(pk=overridden.pk).raw_text == "46.0"
    assert "2020 年已有填报值" in out.getvalue()


def _copy_plans(tmp_path, codes=("div3-2021-2025",)):
    for code in codes:
        shutil.copy(PLANS_DIR / f"{code}.yaml", tmp_path / f"{code}.yaml")
    return tmp_path


def _edit(path, change):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_bad_file_is_refused_whole_naming_file_row_and_key(tmp_path):
    plans_dir = _copy_plans(tmp_path)
    path = plans_dir / "div3-2021-2025.yaml"

    def break_it(data):
        data["indicators"][0]["targets"]["2025"] = "99.9"  # a valid change that must not land
        data["indicators"][4]["colour"] = "green"  # unknown key
        del data["indicators"][5]["category"]  # missing required key

    _edit(path, break_it)
    report = plans_load(plans_dir=plans_dir)

    assert report.loaded == {}
    [error] = report.refused
    assert error.path.name == "div3-2021-2025.yaml"
    assert "指标第5行（城镇建成区绿化覆盖率(%)）：未知的键 colour" in error.problems
    assert "指标第6行（氮氧化物(%)）：缺少必需的键 category" in error.problems
    assert Indicator.objects.get(plan__code="div3-2021-2025", seq="1").targets.get(year=2025).raw_text != "99.9"


def test_it_refuses_an_unparsed_target_without_a_note(tmp_path):
    path = _copy_plans(tmp_path) / "div3-2021-2025.yaml"

    def break_it(data):
        data["indicators"][1]["targets"]["2025"] = "见附表"
        data["indicators"][1]["note"] = None

    _edit(path, break_it)
    [error] = plans_load(plans_dir=tmp_path).refused
    assert any("targets[2025]“见附表”无法解析" in p for p in error.problems)


def test_it_refuses_a_duplicate_seq_and_name(tmp_path):
    path = _copy_plans(tmp_path) / "div3-2021-2025.yaml"
    _edit(path, lambda data: data["indicators"].append(dict(data["indicators"][0])))
    [error] = plans_load(plans_dir=tmp_path).refused
    assert any("序号+名称+区域 与前面的行重复" in p for p in error.problems)


def test_the_command_fails_loudly_on_a_bad_file(tmp_path):
    path = _copy_plans(tmp_path) / "div3-2021-2025.yaml"
    _edit(path, lambda data: data["plan"].update(period_start="二〇二一"))
    err = StringIO()
    with pytest.raises(CommandError, match="1 个规划文件有错误"):
        call_command("load_plans", "--dir", str(tmp_path), stdout=StringIO(), stderr=err)
    assert "period_start 应为年份整数" in err.getvalue()


def test_it_names_an_unknown_plan_code():
    with pytest.raises(CommandError, match="找不到规划文件 nowhere.yaml"):
        call_command("load_plans", "--plan", "nowhere", stdout=StringIO())
