"""A normalised key per indicator, so that plans that share an indicator can be compared.

The rules match the names the five documents print; the first rule that matches wins. Staff can
set or correct a key in the admin (Indicator.key), and load_plans keeps a key already set.
"""

import re

RULES = [
    (r"PM\s*_?\{?2\.5|细颗粒", "pm25", "细颗粒物（PM2.5）浓度"),
    (r"优良天数|好于(二|II|Ⅱ)级.*天数", "air_good_days", "城市空气质量优良天数比例"),
    (r"森林覆盖率", "forest_cover", "森林覆盖率"),
    (r"劣\s*[ⅤV]", "water_worst_share", "劣Ⅴ类水体比例"),
    (r"饮用水.*水源地|水源地.*水质", "drinking_water", "集中式饮用水水源地水质达标比例"),
    (r"(地表水|河流断面).*(优良|达到或优于|好于)", "surface_water_good", "地表水水质优良比例"),
    (r"受污染耕地安全利用率", "farmland_safe_use", "受污染耕地安全利用率"),
    (r"污染地块安全利用率", "site_safe_use", "污染地块安全利用率"),
    (r"危险废物.*处置率", "hazardous_waste", "危险废物安全处置率"),
    (r"非化石能源", "non_fossil_share", "非化石能源占一次能源消费比例"),
    (r"二氧化碳排放", "co2_intensity", "单位地区生产总值二氧化碳排放降低"),
    (r"能源消耗|能耗", "energy_intensity", "单位地区生产总值能源消耗降低"),
    (r"生态保护红线", "redline_share", "生态保护红线占国土面积比例"),
    (r"生态质量指数|EQI|新EI", "eco_quality", "生态质量指数"),
    (r"放射源", "radiation", "放射源辐射事故年发生率"),
    (r"(农村|连队)生活污水治理率", "rural_sewage", "农村生活污水治理率"),
    (r"工业固体废物.*利用率", "industrial_solid_waste", "工业固体废物综合利用率"),
    (r"(城镇|城市)(生活)?污水.*处理率", "urban_sewage", "城镇污水处理率"),
    (r"生活垃圾无害化", "msw_harmless", "生活垃圾无害化处理率"),
    (r"化学需氧量", "cod", "化学需氧量排放"),
    (r"氨氮", "ammonia", "氨氮排放"),
    (r"氮氧化物", "nox", "氮氧化物排放"),
    (r"二氧化硫", "so2", "二氧化硫排放"),
    (r"挥发性有机物", "vocs", "挥发性有机物排放"),
]
_COMPILED = [(re.compile(pattern), key, label) for pattern, key, label in RULES]
LABELS = {key: label for _, key, label in RULES}


def key_for(name: str) -> str:
    for pattern, key, _ in _COMPILED:
        if pattern.search(name):
            return key
    return ""
