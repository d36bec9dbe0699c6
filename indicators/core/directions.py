"""Which way is better for an indicator: a plain rule table, no Django.

The target's own comparator decides first (≤, 以下, 下降, 控制在…以内); only where the cells say
nothing does the indicator's name decide, by the rules below. The result is stored on the indicator
with the reason, so a reviewer can see it and correct it in the admin: nothing is guessed silently.
"""

import re

from indicators.core import targets as grammar

QUALITATIVE = "qualitative"
# The reason stored when a person set the direction by hand: reloading a plan keeps it.
MANUAL_DIRECTION = "人工校正"

# A rate of reduction is better when larger, even though the words say "lower": checked first.
_REDUCTION_RATE_WORDS = (
    "降低(%)",
    "降低（%）",
    "下降(%)",
    "下降（%）",
    "下降比例",
    "下降率",
    "降低率",
    "下降幅度",
    "减少比例",
    "降低比例",
    "减排量",
)
_LOWER_WORDS = (
    "排放总量",
    "排放量",
    "浓度",
    "劣Ⅴ类",
    "劣V类",
    "重污染",
    "重度污染",
    "重度及以上污染",
    "能耗",
    "能源消耗",
    "用水量",
    "二氧化碳排放",
    "发生率",
    "事故",
    "突发环境事件",
    "施用强度",
    "使用量",
    "黑臭水体",
    "噪声",
    "入侵",
    "建设用地使用面积",
    "Ⅴ类水",
    "V类水",
    # indicators of the economic and social plans (规划纲要) whose evaluations print verdicts too
    "失业率",
    "价格涨幅",
    "价格指数涨幅",
    "赤字",
    "贫困人口",
    "死亡率",
    "发病率",
    "超标",
    "污染天数",
    "水土流失",
    "沙化",
)
_HIGHER_WORDS = (
    "优良",
    "达标",
    "覆盖率",
    "覆盖",
    "改造",
    "开工",
    "利用率",
    "处理率",
    "处置率",
    "治理率",
    "回收率",
    "合格率",
    "普及率",
    "执行率",
    "监控率",
    "联网率",
    "备案率",
    "达到或优于",
    "好于",
    "比例",
    "比重",
    "率",
    "面积",
    "蓄积量",
    "数量",
    "指数",
    "占有率",
    "满意度",
    "参与度",
    "生产总值",
    "收入",
    "床位",
    "淘汰",
    # things that are good to have more of, whatever the quantity word after them
    "保护率",
    "保护地",
    "保护区",
    "绿化",
    "森林",
    "植被",
    "湿地",
    "示范",
    "规范化",
    "整治",
    "清洁",
    "公开",
    "生态质量",
    "生态环境状况指数",
    "非化石",
    "培训",
    "创建",
    "修复",
    "新能源",
    "可再生",
    "无害化",
    "节水",
    "生态保护红线",
    "就业",
    "粮食产量",
    "预期寿命",
    "居民人均",
    "国内生产总值",
    "地区生产总值",
)
_QUALITATIVE_KINDS = {grammar.QUALITATIVE}


# Generic words ("比例", "率") give a default when nothing else speaks, but never outweigh a target.
_GENERIC = ("比例", "比重", "率", "面积", "数量", "指数")


def _named_direction(name):
    """The way a specific word of the name says, with the reason; None for none or only generic words."""
    if any(word in name for word in _REDUCTION_RATE_WORDS):
        return None  # a rate of fall: its cells may print the rate or the level, either way round
    for word in _LOWER_WORDS:
        if word in name:
            return grammar.LOWER, f"指标名称含“{word}”"
    for word in _HIGHER_WORDS:
        if word in name and word not in _GENERIC:
            return grammar.HIGHER, f"指标名称含“{word}”"
    return None


def decide(name: str, targets: list[grammar.Target]) -> tuple[str, str]:
    """Return (direction, reason) for an indicator named `name` with parsed `targets`.

    direction is grammar.HIGHER, grammar.LOWER, "qualitative" or "" (unknown: the engine then
    reports the indicator as not assessable instead of guessing).
    """
    for target in targets:
        if target.direction:
            # Only a level's comparator can contradict the name: a change ("下降7.4%") or "不发生"
            # speaks of the quantity, a name like "下降幅度" of the size of its fall.
            named = _named_direction(name) if target.kind == grammar.THRESHOLD else None
            if named and named[0] != target.direction:
                # The cell and the name say opposite things: not guessed, a reviewer decides once.
                return "", f"方向不明确：目标“{target.raw}”与{named[1]}不一致，请审核员确认"
            return target.direction, f"目标“{target.raw}”"
    kinds = {t.kind for t in targets}
    if kinds and kinds <= _QUALITATIVE_KINDS:
        return QUALITATIVE, "定性目标"
    for word in _REDUCTION_RATE_WORDS:
        if word in name:
            return grammar.HIGHER, f"指标名称含“{word}”（降幅越大越好）"
    named = _named_direction(name)
    if named:
        return named
    if re.search(r"达到.{0,12}(?:标准|类)", name):
        return grammar.HIGHER, "指标名称为达到某一标准的比例"
    # "率", "比例", "面积" alone say nothing: 失业率 and Ⅴ类水比例 are better low. Not guessed.
    if kinds & _QUALITATIVE_KINDS:
        return QUALITATIVE, "定性目标"
    return "", "无法从目标或名称判断，请人工确认"
