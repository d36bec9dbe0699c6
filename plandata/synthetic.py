"""A province-scale synthetic data set for benchmarks: plans "syn-0001"…, marked 合成数据.

200 plans × 50 indicators × 15 years of values = 150,000 values, 5,000 key projects by default,
with the target kinds the real plans print, mixed. Built with bulk inserts; `--remove` drops it.
"""

import random
from decimal import Decimal

from django.db import connection, transaction

from indicators.core import keys
from indicators.core import targets as grammar
from indicators.models import Indicator, IndicatorValue, Plan, Region, Target
from projects.models import KeyProject

PREFIX = "syn-"
CHUNK = 100  # plans written per transaction
REMARK = "合成数据"
BASELINE_YEAR, START, END = 2010, 2011, 2025

# (kind, name, unit, attribute, direction, target text for a baseline b, value text for a level v)
TEMPLATES = [
    ("floor", "城市空气质量优良天数比例", "%", "约束性", "higher", lambda b: f"≥{b + 8:.1f}", lambda v: f"{v:.1f}"),
    ("bare", "森林覆盖率", "%", "约束性", "higher", lambda b: f"{b + 3:.2f}", lambda v: f"{v:.2f}"),
    ("ceiling", "细颗粒物（PM2.5）年均浓度", "㎍/m3", "约束性", "lower", lambda b: f"{b * 0.8:.1f}㎍/m3", lambda v: f"{v:.1f}"),
    ("relative", "单位地区生产总值能耗降低", "", "约束性", "lower", lambda b: "较2010年下降13.5%以上", lambda v: f"{v:.2f}"),
    ("trend", "地下水质量", "%", "预期性", "higher", lambda b: "保持稳定", lambda v: f"{v:.1f}"),
    ("qualitative", "河长制", "", "预期性", "qualitative", lambda b: "全面实施", lambda v: "已实施" if v > 40 else "未实施"),
    ("assigned", "化学需氧量排放总量", "万吨", "约束性", "lower", lambda b: "控制在兵团下达指标范围内", lambda v: f"{v:.2f}"),
    ("no_event", "重特大突发环境事件", "起", "预期性", "lower", lambda b: "不发生", lambda v: "未发生" if v > 30 else "1"),
    (
        "compound",
        "重点工程减排",
        "吨",
        "约束性",
        "higher",
        lambda b: f"重点工程减排量{b * 10:.2f}吨，下降1%",
        lambda v: f"重点工程减排量{v * 11:.2f}吨，下降1.2%",
    ),
    ("rate", "城镇污水处理率", "%", "预期性", "higher", lambda b: "≥95%", lambda v: f"{min(v + 40, 100):.1f}%"),
]


def synthetic_generate(*, plans=200, indicators_per_plan=50, projects_per_plan=25, seed=7, first=1):
    """Plans first … first + plans - 1, written CHUNK plans at a time (a province-scale set of
    2,000 plans and 1.5 million values never sits in memory whole), then ANALYZEd on PostgreSQL:
    right after a bulk load the planner's statistics would still describe empty tables."""
    rng = random.Random(seed)
    parsed_cache = {}

    def parsed(text):
        if text not in parsed_cache:
            parsed_cache[text] = grammar.parse(text)
        return parsed_cache[text]

    totals = {"plans": 0, "indicators": 0, "values": 0, "projects": 0}
    root, _ = Region.objects.get_or_create(name="合成省", defaults={"kind": "province"})
    for low in range(first, first + plans, CHUNK):
        counts = _chunk(rng, parsed, root, low, min(low + CHUNK, first + plans), indicators_per_plan, projects_per_plan)
        for key, n in counts.items():
            totals[key] += n
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return totals


def _chunk(rng, parsed, root, first, stop, indicators_per_plan, projects_per_plan):
    plans = stop - first
    with transaction.atomic():
        regions = Region.objects.bulk_create(
            [Region(name=f"合成地区{n:04d}", kind="prefecture", parent=root) for n in range(first, first + plans)]
        )
        plan_rows = Plan.objects.bulk_create(
            [
                Plan(
                    code=f"{PREFIX}{n:04d}",
                    title=f"合成规划{n:04d}（{REMARK}）",
                    region=regions[n - first],
                    period_start=START,
                    period_end=END,
                    baseline_year=BASELINE_YEAR,
                    note=REMARK,
                )
                for n in range(first, first + plans)
            ]
        )
        indicators, levels = [], []
        for plan in plan_rows:
            for position in range(1, indicators_per_plan + 1):
                kind, name, unit, attribute, direction, _, _ = TEMPLATES[position % len(TEMPLATES)]
                indicators.append(
                    Indicator(
                        plan=plan,
                        position=position,
                        row_key=f"{position}|{name}{position}|",
                        seq=str(position),
                        name=f"{name}{position}",
                        key=keys.key_for(name),  # the comparison page pairs them across plans
                        category=f"类别{position % 5 + 1}",
                        unit=unit,
                        attribute=attribute,
                        direction=direction,
                        direction_source=REMARK,
                        note=REMARK,
                    )
                )
                levels.append(rng.uniform(20, 80))
        indicators = Indicator.objects.bulk_create(indicators, batch_size=5000)
        targets, values = [], []
        for indicator, level in zip(indicators, levels, strict=True):
            template = TEMPLATES[indicator.position % len(TEMPLATES)]
            for year in (2015, 2020, END):
                text = template[5](level)
                targets.append(
                    Target(indicator=indicator, year=year, raw_text=text, kind=parsed(text).kind, parsed=parsed(text).to_dict())
                )
            value = level
            for year in range(BASELINE_YEAR, END):
                value = value * (1 + rng.uniform(-0.03, 0.05))
                text = template[6](value)
                p = parsed(text)
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        year=year,
                        raw_text=text,
                        number=p.value if p.kind == grammar.THRESHOLD else None,
                        qualitative=p.status or "",
                        parsed=p.to_dict(),
                        origin=IndicatorValue.Origin.DEMO,
                        state=IndicatorValue.State.APPROVED,
                        remark=REMARK,
                    )
                )
        Target.objects.bulk_create(targets, batch_size=5000)
        IndicatorValue.objects.bulk_create(values, batch_size=5000)
        projects = []
        for plan in plan_rows:
            for seq in range(1, projects_per_plan + 1):
                start = rng.randint(START, 2022)
                projects.append(
                    KeyProject(
                        plan=plan,
                        position=seq,
                        seq=str(seq),
                        category=f"项目类型{seq % 6 + 1}",
                        name=f"合成项目{plan.code}-{seq}",
                        nature=rng.choice(["新建", "续建", "改扩建"]),
                        start_year=start,
                        end_year=min(END, start + rng.randint(0, 4)),
                        investment_wan=Decimal(rng.randint(100, 50000)),
                        note=REMARK,
                    )
                )
        KeyProject.objects.bulk_create(projects, batch_size=5000)
    return {"plans": len(plan_rows), "indicators": len(indicators), "values": len(values), "projects": len(projects)}


def synthetic_remove():
    with transaction.atomic():
        deleted, _ = Plan.objects.filter(code__startswith=PREFIX).delete()
        Region.objects.filter(name__startswith="合成地区").delete()
        Region.objects.filter(name="合成省").delete()
    return deleted
