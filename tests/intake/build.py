"""Plan documents rebuilt from the fixtures, to measure the reader that imports plans from Word/PDF.

Each of the seven plans that the seeds print as tables is written as a .docx the way a plan office
lays such a plan out: a title page, a few paragraphs, the indicator table under the seed's own
caption and column headings (merged category cells, two-row headers over year columns, header rows
repeated on every page), the footnotes printed under it, and the key-project table.  LibreOffice
turns the same files into PDFs, so one reader can be measured on both formats.

Every cell text is copied from fixtures/plans/<code>.yaml; nothing is typed here except headings,
captions and a couple of generic sentences.  `comparable_cells` is the ground truth for one layout:
(row identity, field, expected text) for every fixture cell the document prints.  An expected text
of "" means the document prints that cell empty (or with a dash such as "-" / "—"), so the reader
must report nothing for it.  Fixture cells that no rebuilt table can print truthfully (values the
fixture took from elsewhere in the document, judgement calls explained in a row's note) are listed
with a reason in `EXCLUDED` instead.

Layouts (`LAYOUTS`):
  usual          the seed's headings and column order
  years_as_rows  the indicator table transposed: one row per year, one column per indicator
                 (only for plans with several year columns, see `APPLICABLE`)
  split_pages    the usual table split in two Word tables, "表X（续）" and a page break between
  remarks        the usual layout plus a last 备注 column (indicator and project tables)
  reworded       headings worded differently, single-row headers, investments in 亿元

    .venv/bin/python -m tests.intake.build /tmp/intake     # every plan in every layout, .docx and .pdf
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[2]
PLANS_DIR = ROOT / "fixtures" / "plans"

# changji-2021-2025 states its goals in prose: there is no table to rebuild.
PLANS = (
    "div3-2021-2025",
    "div3-2016-2020",
    "div12-2023-2035",
    "kashgar-2021-2025",
    "kashgar-2016-2020",
    "xinjiang-2016-2020",
    "xinjiang-2011-2015",
)
LAYOUTS = ("usual", "years_as_rows", "split_pages", "remarks", "reworded")

Cell = tuple[str, str, str]  # (row identity, field, expected text)

EAST_ASIAN_FONT = "宋体"  # LibreOffice falls back to an installed CJK face (Noto Sans CJK) for it
WESTERN_FONT = "Times New Roman"
A4_SHORT, A4_LONG, MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)
TABLE_WIDTH_CM = 29.7 - 2 * 2.0  # tables sit in landscape sections
TRANSPOSED_COLUMNS = 6  # indicators per transposed table: more would squash the names

# Short generic remarks, no numbers: a reader must not take them for targets or units.
INDICATOR_REMARKS = ("纳入年度考核", "按上级下达指标执行", "以统计部门发布数据为准", "单位以目标值所列为准")
PROJECT_REMARKS = ("前期工作已启动", "分期实施", "争取上级资金支持")

INTRO = (
    "为深入贯彻习近平生态文明思想，持续改善生态环境质量，推动经济社会发展全面绿色转型，结合本地实际，制定本规划。",
    "本规划明确了规划期内生态环境保护的总体要求、主要目标、重点任务和保障措施，是规划期内开展生态环境保护工作的重要依据。",
)

CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


# ---------------------------------------------------------------------------------------------
# What each plan's tables look like in its seed


@dataclass(frozen=True)
class Col:
    kind: str  # which fixture field the column prints (see _indicator_text / _project_text)
    heading: str  # the seed's own heading
    reworded: str  # the same column headed differently (layout "reworded")
    width: float = 1.0  # relative width
    year: str | None = None  # for value/target columns: the fixture key
    group: str | None = None  # first-row heading over several columns (two-row header)


@dataclass(frozen=True)
class TableSpec:
    caption: str  # as the seed prints it
    line: int  # seed line of the caption; a row belongs to the last table whose line is <= its own
    columns: tuple[Col, ...]
    # Tables without category columns print categories as full-width heading rows, numbered and
    # counted the way the seed does ("1、环境质量（6项）*").
    category_rows: str | None = None
    subcategory_rows: str | None = None
    empty: tuple[tuple[str, str], ...] = ()  # (column kind, text printed in its empty cells)
    merge_equal: tuple[str, ...] = ()  # kinds whose equal neighbouring cells the seed prints once
    footnote_lead: str = ""  # "注：" when the seed starts the first footnote with it


@dataclass(frozen=True)
class PlanSpec:
    tables: tuple[TableSpec, ...]
    project_heading: str = "三、重点工程"
    project_caption: str | None = None
    project_columns: tuple[Col, ...] = ()
    project_category: str = "rows"  # "rows": full-width row per category; "column": merged 项目类型 column


def _years(kind, years, group=None, width=1.0, fmt="{y}年", reworded="{y}年目标值"):
    return tuple(Col(kind, fmt.format(y=y), reworded.format(y=y), width=width, year=str(y), group=group) for y in years)


SPECS = {
    "div3-2021-2025": PlanSpec(
        tables=(
            TableSpec(
                caption="表二：“十四五”生态环境保护规划指标",
                line=279,
                columns=(
                    Col("category", "方面", "领域", 1.6),
                    Col("seq", "序号", "编号", 0.7),
                    Col("name", "指标", "指标名称", 3.6),
                    Col("value", "2020年", "基期值（2020年）", 1.5, year="2020", group="基准年"),
                    *_years("target", range(2021, 2026), group="目标值", width=1.5),
                    Col("attribute", "指标类别", "指标性质", 1.1),
                ),
            ),
        ),
        project_heading="附件：重点项目工程清单",
        project_caption="第三师图木舒克市“十四五”生态环境保护重点工程",
        project_category="column",
        project_columns=(
            Col("seq", "序号", "序号", 0.6),
            Col("category", "项目类型", "类别", 1.6),
            Col("name", "项目名称", "项目", 2.4),
            Col("nature", "建设性质", "建设类型", 0.9),
            Col("content", "主要建设内容", "建设规模及内容", 5.0),
            Col("period", "建设年份", "实施年限", 1.2),
            Col("investment", "资金概算(万元)", "投资额（亿元）", 1.1),
            Col("location", "建设地点", "实施地点", 1.6),
        ),
    ),
    "div3-2016-2020": PlanSpec(
        tables=(
            TableSpec(
                caption="表一：“十三五”生态环境保护规划各指标完成情况",
                line=127,
                # 规划指标 heads the category, sub-category and name columns as one merged cell.
                columns=(
                    Col("category", "规划指标", "领域", 1.4),
                    Col("subcategory", "规划指标", "分类", 1.4),
                    Col("name", "规划指标", "指标", 3.4),
                    Col("assessment", "考核对象", "考核范围", 1.0),
                    Col("target", "“十三五”规划目标", "规划目标值（2020年）", 2.2, year="2020"),
                    Col("value", "完成情况", "2020年实际值", 2.2, year="2020"),
                    Col("verdict", "比较结果", "是否完成", 1.0),
                ),
            ),
        ),
    ),
    "div12-2023-2035": PlanSpec(
        tables=(
            TableSpec(
                caption="表1 第十二师生态文明建设示范区规划指标体系",
                line=56,
                columns=(
                    Col("category", "领域", "方面", 0.9),
                    Col("subcategory", "任务", "重点任务", 1.4),
                    Col("seq", "序号", "编号", 0.8),
                    Col("name", "指标名称", "指标", 3.0),
                    Col("unit", "单位", "计量单位", 0.9),
                    Col("standard", "指标值", "标准值", 1.8),
                    Col("attribute", "指标属性", "指标性质", 0.9),
                    Col("value", "2022年", "现状值（2022年）", 1.6, year="2022", group="现状值"),
                    *_years("target", (2025, 2030, 2035), group="目标值", width=1.6),
                ),
                # The seed prints "—" in the 单位 cells of dimensionless indicators.
                empty=(("unit", "—"),),
            ),
        ),
    ),
    "kashgar-2021-2025": PlanSpec(
        tables=(
            TableSpec(
                caption="表2 “十四五”生态环境保护规划指标",
                line=234,
                columns=(
                    Col("category", "领域", "方面", 1.3),
                    Col("seq", "序号", "编号", 0.6),
                    Col("subcategory", "环境类型", "要素类别", 1.0),
                    Col("name", "指标名称", "指标", 4.0),
                    Col("target", "2025年目标", "2025年目标值", 1.8, year="2025"),
                    Col("attribute", "指标属性", "指标性质", 1.0),
                ),
            ),
        ),
        project_caption="喀什地区生态环境保护“十四五”重点工程",
        project_columns=(
            Col("seq", "序号", "编号", 0.6),
            Col("name", "项目名称", "项目", 2.2),
            Col("content", "建设内容", "建设规模及内容", 7.0),
        ),
    ),
    "kashgar-2016-2020": PlanSpec(
        tables=(
            TableSpec(
                caption="表1 “十三五”生态环境保护规划各项指标完成情况",
                line=58,
                columns=(
                    Col("category", "系统层", "类别", 1.2),
                    Col("subcategory", "指数层", "分类", 1.6),
                    Col("name", "指标名称", "指标", 3.0),
                    Col("target", "“十三五”目标", "规划目标值（2020年）", 2.2, year="2020"),
                    Col("value", "2020年完成情况", "2020年实际值", 2.2, year="2020"),
                ),
            ),
        ),
    ),
    "xinjiang-2016-2020": PlanSpec(
        tables=(
            TableSpec(
                caption="专栏2 “十三五”环境保护主要指标（共20项）",
                line=203,
                columns=(
                    Col("name", "指 标", "指标名称", 4.0),
                    # Footnote ① is printed on this heading: 水环境质量 baselines are 2014's.
                    Col("value", "基准年①", "基期值①", 1.2, year="2015"),
                    Col("target", "2020年", "2020年目标值", 1.8, year="2020"),
                    Col("attribute", "属性", "指标性质", 0.9),
                ),
                category_rows="{n}. {name}（{count}项）{marker}",
                subcategory_rows="（{n}）{name}（{count}项）{marker}",
                empty=(("value", "—"),),
                footnote_lead="注：",
            ),
            # 专栏3 is a box of prose in the seed; printed here as the per-city table an office
            # would make of it.
            TableSpec(
                caption="专栏3 “十三五”期间各城市细颗粒物浓度下降目标要求",
                line=252,
                columns=(
                    Col("name", "指标", "指标名称", 1.6),
                    Col("region", "城市", "地区", 1.2),
                    Col("value", "2015年", "2015年浓度", 1.5, year="2015"),
                    Col("target", "2020年", "2020年目标值", 3.5, year="2020"),
                ),
                # One name for all cities, one target text for cities given it jointly.
                merge_equal=("name", "target"),
            ),
        ),
        project_heading="三、主要任务和重点工程",
        project_caption="“十三五”环境保护重点工程",
        project_columns=(
            Col("seq", "序号", "编号", 0.7),
            Col("name", "项目名称", "项目", 2.2),
            Col("content", "建设内容", "建设规模及内容", 7.0),
        ),
    ),
    "xinjiang-2011-2015": PlanSpec(
        tables=(
            TableSpec(
                caption="专栏1 “十二五”环境保护规划指标完成情况",
                line=108,
                columns=(
                    Col("name", "指 标", "指标名称", 4.0),
                    Col("target", "“十二五”规划目标", "规划目标值（2015年）", 1.6, year="2015"),
                    Col("value", "2015年完成情况", "2015年实际值", 1.6, year="2015"),
                    Col("verdict", "比较结果", "是否完成", 1.0),
                ),
                category_rows="{n}、{name}（{count}项）{marker}",
            ),
        ),
    ),
}

# Layouts that make sense for a plan: transposing needs several year columns to be worth it.
APPLICABLE = {
    code: tuple(
        layout
        for layout in LAYOUTS
        if layout != "years_as_rows" or sum(c.year is not None for c in SPECS[code].tables[0].columns) >= 3
    )
    for code in PLANS
}


# ---------------------------------------------------------------------------------------------
# Fixture access


@cache
def load_plan(code: str) -> dict:
    return yaml.safe_load((PLANS_DIR / f"{code}.yaml").read_text(encoding="utf-8"))


def row_identity(row: dict) -> str:
    # Written as tests/intake/measure.py looks rows up: a missing seq or region reads "None".
    return f"{row['seq']}|{row['name']}|{row['region']}"


def _text(cell) -> str:
    """A fixture cell as printed: "{text, line}" cells were printed elsewhere in the document."""
    return cell["text"] if isinstance(cell, dict) else cell


def _brackets(text: str) -> list[str]:
    return re.findall(r"[（(]([^（）()]*)[)）]", text)


def _table_rows(code: str) -> list[list[dict]]:
    """The fixture rows of each table of the plan, by where their source line falls."""
    spec = SPECS[code]
    lines = [t.line for t in spec.tables]
    out = [[] for _ in spec.tables]
    for row in load_plan(code)["indicators"]:
        index = max(i for i, line in enumerate(lines) if line <= row["source"]["line"])
        out[index].append(row)
    return out


def _note(row: dict) -> str:
    return row.get("note") or ""


def _printed_dash(row: dict, heading: str) -> bool:
    # The fixture notes say where the seed printed "-" in a cell it left out ('2020年 cell printed as "-"').
    note = _note(row)
    return f'{heading} cell printed as "-"' in note or f'{heading} printed as "-"' in note


def _spanned_years(row: dict) -> tuple[int, int] | None:
    # One target printed across several year columns ('spanning the 2021年–2025年 columns').
    match = re.search(r"spanning the (\d{4})年–(\d{4})年 columns", _note(row))
    return (int(match[1]), int(match[2])) if match else None


def _continues_target_above(row: dict) -> bool:
    # The target cell is the lower part of a cell merged down from the row above.
    note = _note(row)
    return "carried down from the spanned cell" in note or "纵向合并单元格" in note


def _printed_once(row: dict) -> set[str]:
    # Sub-items whose cells the seed prints once for the whole item: headings of those columns.
    match = re.search(r"printed once for the whole item and repeated here: ([^.]+)\.", _note(row))
    return set(match[1].split("、")) if match else set()


def _marker(footnote: str) -> str | None:
    """The marker a footnote explains, when it is one printed next to a heading or a name."""
    if footnote[:1] in CIRCLED:
        return footnote[0]
    if footnote.startswith("注*"):
        return "*"
    return None  # plain notes, or 注：“*”… explaining a marker already inside the cells


# ---------------------------------------------------------------------------------------------
# Printed rows, before they become Word rows


@dataclass
class Line:
    texts: list[str]
    cont: list[bool] = field(default_factory=list)  # per column: the cell merges with the one above
    spans: list[tuple[int, int]] = field(default_factory=list)  # horizontal merges, text in the first
    heading: bool = False  # header row or full-width heading row: printed bold
    row: dict | None = None  # the fixture row it prints

    def __post_init__(self):
        self.cont = self.cont or [False] * len(self.texts)

    @classmethod
    def full_width(cls, text: str, width: int) -> Line:
        return cls([text] + [""] * (width - 1), spans=[(0, width - 1)], heading=True)


@dataclass
class Printed:
    """One table as printed: its header, its body, what it lets a reader compare."""

    caption: str
    columns: list[Col]
    header: list[Line]
    body: list[Line] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    excluded: list[Cell] = field(default_factory=list)  # (identity, field, reason)
    continued: bool = False  # a further part of the table above it ("表X（续）", "续表")
    projects: bool = False  # the key-project table


def _runs(texts: list[str]) -> list[tuple[int, int]]:
    """Neighbouring equal, non-empty texts of one row: printed as one cell."""
    runs, start = [], 0
    for i in range(1, len(texts) + 1):
        if i == len(texts) or texts[i] != texts[start]:
            if i - 1 > start and texts[start]:
                runs.append((start, i - 1))
            start = i
    return runs


def _header(columns: list[Col], layout: str) -> list[Line]:
    if layout == "reworded":
        # Offices that reword also flatten: "2025年目标值" in one row instead of 目标值 over 2025年.
        return [Line([c.reworded for c in columns], heading=True)]
    if not any(c.group for c in columns):
        line = Line([c.heading for c in columns], heading=True)
        line.spans = _runs(line.texts)  # 规划指标 over three columns
        return [line]
    # Two rows: a group heading over its year columns; every other heading spans both rows.
    top = Line([c.group or c.heading for c in columns], heading=True)
    top.spans = _runs([c.group or "" for c in columns])
    bottom = Line([c.heading for c in columns], heading=True)
    bottom.cont = [c.group is None for c in columns]
    return [top, bottom]


def _with_remarks(columns: list[Col], layout: str) -> list[Col]:
    return columns + [Col("remark", "备注", "备注", 1.2)] if layout == "remarks" else columns


# ---------------------------------------------------------------------------------------------
# Indicator tables

INDICATOR_FIELDS = (  # (column kind, fixture key)
    ("seq", "seq"),
    ("category", "category"),
    ("subcategory", "subcategory"),
    ("standard", "standard_value"),
    ("attribute", "attribute"),
    ("assessment", "assessment_object"),
    ("verdict", "verdict"),
)
NOT_PRINTED = {
    "category": "专栏3 prints no category: the fixture carries it over from 专栏2",
    "subcategory": "专栏3 prints no sub-category: the fixture carries it over from 专栏2",
    "attribute": "the table has no 属性 column: the fixture's attribute is a judgement call (group label or inherited, see note)",
    "verdict": "the table has no verdict column: the fixture took the verdict from prose (see note)",
}


def _indicator_tables(code: str, layout: str) -> list[Printed]:
    out = []
    for number, (spec, rows) in enumerate(zip(SPECS[code].tables, _table_rows(code), strict=True)):
        if layout == "years_as_rows" and number == 0:
            out.extend(_transposed(code, spec, rows))
        else:
            out.append(_indicator_table(spec, rows, layout))
    if layout == "split_pages":
        out[0:1] = _split(out[0])
    return out


def _indicator_table(spec: TableSpec, rows: list[dict], layout: str) -> Printed:
    columns = _with_remarks(list(spec.columns), layout)
    printed = Printed(spec.caption, columns, _header(columns, layout))
    footnotes = list(dict.fromkeys(f for row in rows for f in row["footnotes"] or []))
    printed.footnotes = [spec.footnote_lead + f if i == 0 else f for i, f in enumerate(footnotes)]
    name_marks, group_marks = _footnote_markers(rows, footnotes)

    counters = [0, 0]  # category and sub-category heading numbers
    for index, row in enumerate(rows):
        before = rows[index - 1] if index else None
        above = before  # the row printed right above, unless a heading row comes between
        new_category = before is None or row["category"] != before["category"]
        if spec.category_rows and new_category:
            counters = [counters[0] + 1, 0]
            group = [r for r in rows if r["category"] == row["category"]]
            text = spec.category_rows.format(
                n=counters[0], name=row["category"], count=len(group), marker=group_marks.get(("category", row["category"]), "")
            )
            printed.body.append(Line.full_width(text, len(columns)))
            above = None
        key = ("subcategory", row["category"], row["subcategory"])
        if spec.subcategory_rows and row["subcategory"] and (new_category or row["subcategory"] != before["subcategory"]):
            counters[1] += 1
            group = [r for r in rows if (r["category"], r["subcategory"]) == key[1:]]
            text = spec.subcategory_rows.format(
                n=counters[1], name=row["subcategory"], count=len(group), marker=group_marks.get(key, "")
            )
            printed.body.append(Line.full_width(text, len(columns)))
            above = None

        line = Line([_indicator_text(spec, row, col, name_marks) for col in columns], row=row)
        if layout == "remarks" and index % 4 == 1:
            line.texts[-1] = INDICATOR_REMARKS[index // 4 % len(INDICATOR_REMARKS)]
        _merges(spec, line, columns, row, above)
        printed.body.append(line)
        _indicator_cells(printed, spec, row, columns)
    return printed


def _indicator_text(spec: TableSpec, row: dict, col: Col, name_marks: dict | None = None) -> str:
    kind = col.kind
    if kind == "name":
        return row["name"] + (name_marks or {}).get(row_identity(row), "")
    if kind == "remark":
        return ""
    if kind in ("value", "target"):
        cells = row["values"] if kind == "value" else row["targets"]
        text = cells.get(col.year)
        if text is None and kind == "value":
            # A baseline keyed to a year no column has (水环境质量: 2014, footnote ①) is printed in the
            # 基准年 column all the same.
            others = [y for y in cells if y not in {c.year for c in spec.columns if c.kind == "value"}]
            text = cells[others[0]] if len(others) == 1 else None
        if isinstance(text, dict):
            raise AssertionError(f"{row['name']}: a value printed elsewhere in the document")
        if text is not None:
            return text
        return "-" if _printed_dash(row, col.heading) else dict(spec.empty).get(kind, "")
    value = row.get(dict(INDICATOR_FIELDS + (("unit", "unit"), ("region", "region")))[kind])
    return value if value is not None else dict(spec.empty).get(kind, "")


def _merges(spec: TableSpec, line: Line, columns: list[Col], row: dict, above: dict | None) -> None:
    """Which cells the seed prints as one cell with the row above, or across several columns."""
    index = {c.kind: i for i, c in reversed(list(enumerate(columns)))}
    once = _printed_once(row)
    for i, col in enumerate(columns):
        if above is None:
            break
        same = line.texts[i] != "" and line.texts[i] == _indicator_text(spec, above, col)
        if col.kind == "category":
            line.cont[i] = row["category"] == above["category"]
        elif col.kind == "subcategory":
            line.cont[i] = bool(row["subcategory"]) and row["category"] == above["category"]
            line.cont[i] = line.cont[i] and row["subcategory"] == above["subcategory"]
        elif col.kind == "seq":
            line.cont[i] = bool(row["seq"]) and row["seq"] == above["seq"] and row["category"] == above["category"]
        elif col.kind in spec.merge_equal:
            line.cont[i] = same
        elif col.heading in once and row["parent"] and row["parent"] in (above["name"], above["parent"]):
            line.cont[i] = same  # one cell for the item and its sub-items
        elif col.kind == "target" and _continues_target_above(row):
            assert same, row["name"]
            line.cont[i] = True
    # A row without sub-category prints its name across the empty sub-category column beside it.
    if "subcategory" in index and not row["subcategory"] and index["subcategory"] + 1 == index["name"]:
        line.spans.append((index["subcategory"], index["name"]))
        line.texts[index["subcategory"]] = line.texts[index["name"]]
        line.cont[index["subcategory"]] = line.cont[index["name"]] = False
    spanned = _spanned_years(row)
    if spanned:
        years = [i for i, c in enumerate(columns) if c.kind == "target" and spanned[0] <= int(c.year) <= spanned[1]]
        assert len({line.texts[i] for i in years}) == 1 and years == list(range(years[0], years[-1] + 1)), row["name"]
        line.spans.append((years[0], years[-1]))
        for i in years:
            line.cont[i] = False


def _footnote_markers(rows: list[dict], footnotes: list[str]) -> tuple[dict, dict]:
    """Where the seed prints each footnote marker: after a name, or on a group heading row.

    A marker on every row of the table sits on a column heading (written in SPECS); one shared by
    all rows of a sub-category or category is on that group's heading; one on a single row follows
    its name.  Returns ({row identity: markers}, {group key: markers}).
    """
    names: dict[str, str] = {}
    groups: dict[tuple, str] = {}
    for footnote in footnotes:
        marker = _marker(footnote)
        having = [r for r in rows if footnote in (r["footnotes"] or [])]
        if marker is None or len(having) == len(rows):
            continue
        first = having[0]
        subgroup = [r for r in rows if (r["category"], r["subcategory"]) == (first["category"], first["subcategory"])]
        category = [r for r in rows if r["category"] == first["category"]]
        if first["subcategory"] and having == subgroup and len(having) > 1:
            key = ("subcategory", first["category"], first["subcategory"])
        elif having == category and len(having) > 1:
            key = ("category", first["category"])
        elif len(having) == 1:
            names[row_identity(first)] = names.get(row_identity(first), "") + marker
            continue
        else:
            continue  # no single place to print it: the footnote text is still printed
        groups[key] = groups.get(key, "") + marker
    return names, groups


def _indicator_cells(printed: Printed, spec: TableSpec, row: dict, columns: list[Col]) -> None:
    identity = row_identity(row)
    kinds = {c.kind for c in columns}

    def put(name, text):
        printed.cells.append((identity, name, text or ""))

    def skip(name, reason):
        printed.excluded.append((identity, name, reason))

    put("name", row["name"])
    for kind, key in INDICATOR_FIELDS:
        in_rows = (kind == "category" and spec.category_rows) or (kind == "subcategory" and spec.subcategory_rows)
        if kind in kinds or in_rows:
            put(key, row[key])
        elif row[key] is not None:
            skip(key, NOT_PRINTED[key])

    unit = row["unit"]
    brackets = _brackets(row["name"])
    if "unit" in kinds or unit is None or unit in brackets:
        put("unit", unit)  # a unit column, or the unit left inside the name as "(%)"
    elif any(b.startswith(unit) for b in brackets):
        skip("unit", "the name's brackets print more than the unit (e.g. “千克/亩,折纯”): the fixture's unit is a judgement call")
    elif unit in _brackets(row["subcategory"] or ""):
        skip("unit", "unit taken from the brackets of the sub-category heading, not printed with the row")
    else:
        skip("unit", "unit not printed as such: the fixture inferred it from the target/value text (see note)")

    for kind, key in (("value", "values"), ("target", "targets")):
        years = [c.year for c in columns if c.kind == kind]
        for year in years:
            if year in row[key] or not row[key] or kind == "target":
                put(f"{kind}:{year}", _text(row[key].get(year)) if year in row[key] else None)
        for year, cell in row[key].items():
            if isinstance(cell, dict):
                skip(f"{kind}:{year}", f"value printed elsewhere in the document (line {cell['line']}), not in this table")
            elif year not in years:
                heading = next(c.heading for c in columns if c.kind == kind)
                skip(
                    f"{kind}:{year}",
                    f"keyed {year} by a footnote (judgement call in note); the table prints it under “{heading}”",
                )


def _split(printed: Printed) -> list[Printed]:
    """The table split in two at about half its rows, as a long table breaks over two pages.

    It is not split between an item and its sub-items nor inside a cell the seed prints once over
    several rows (a category cell is printed again at the top of the second part).
    """
    structural = {"category", "subcategory", "seq"}

    def can_start(i: int) -> bool:
        line = printed.body[i]
        if line.row is None:
            return True
        free = all(not cont for col, cont in zip(printed.columns, line.cont, strict=True) if col.kind not in structural)
        return free and not line.row.get("parent")

    half = len(printed.body) // 2
    at = min((i for i in range(1, len(printed.body)) if can_start(i)), key=lambda i: abs(i - half))
    first = Printed(printed.caption, printed.columns, printed.header, printed.body[:at], [], printed.cells, printed.excluded)
    label = re.split(r"[：:\s]", printed.caption, maxsplit=1)[0]
    second = Printed(f"{label}（续）", printed.columns, printed.header, printed.body[at:], printed.footnotes, continued=True)
    return [first, second]


def _transposed(code: str, spec: TableSpec, rows: list[dict]) -> list[Printed]:
    """The indicator table turned round: a row per year, a column per indicator.

    Three header rows: the category over its indicators, the indicator's name, its unit.  Years up
    to the baseline print values, later years targets; a target printed once across several year
    columns becomes one cell down those year rows.
    """
    baseline = load_plan(code)["plan"]["baseline_year"]
    shown = [r for r in rows if r["values"] or r["targets"]]
    for row in shown:
        # Each year row prints values up to the baseline and targets after it: nothing may be lost,
        # and nothing taken from elsewhere in the document may be printed here.
        assert all(int(y) <= baseline for y in row["values"]) and all(int(y) > baseline for y in row["targets"]), row
        assert not any(isinstance(v, dict) for v in (row["values"] | row["targets"]).values()), row
    years = sorted({int(y) for r in shown for y in (r["values"] | r["targets"])})
    footnotes = list(dict.fromkeys(f for row in rows for f in row["footnotes"] or []))

    chunks: list[list[dict]] = [[]]
    for row in shown:
        chunk = chunks[-1]
        new_category = chunk and row["category"] != chunk[-1]["category"]
        if len(chunk) == TRANSPOSED_COLUMNS or (new_category and len(chunk) >= TRANSPOSED_COLUMNS - 2):
            chunks.append(chunk := [])
        chunk.append(row)

    out = []
    for number, chunk in enumerate(chunks):
        columns = [Col("year", "年份", "年份", 1.0)] + [Col("indicator", r["name"], r["name"], 2.0) for r in chunk]
        top = Line(["年份"] + [r["category"] for r in chunk], heading=True)
        top.spans = [(a + 1, b + 1) for a, b in _runs(top.texts[1:])]
        names = Line([""] + [r["name"] for r in chunk], cont=[True] + [False] * len(chunk), heading=True)
        units = Line([""] + [r["unit"] or "" for r in chunk], cont=[True] + [False] * len(chunk), heading=True)
        printed = Printed(spec.caption if number == 0 else "续表", columns, [top, names, units])
        printed.continued = number > 0
        printed.footnotes = footnotes if number == len(chunks) - 1 else []
        for year in years:
            kind, key = ("value", "values") if year <= baseline else ("target", "targets")
            line = Line([f"{year}年"])
            for row in chunk:
                text = row[key].get(str(year))
                if text is None:
                    text = "-" if _printed_dash(row, f"{year}年") else ""
                line.texts.append(text)
                spanned = _spanned_years(row)
                line.cont.append(bool(spanned) and spanned[0] < year <= spanned[1])
            printed.body.append(line)
        for row in chunk:
            identity = row_identity(row)
            printed.cells += [(identity, "name", row["name"]), (identity, "category", row["category"] or "")]
            printed.cells.append((identity, "unit", row["unit"] or ""))
            for year in years:
                kind, key = ("value", "values") if year <= baseline else ("target", "targets")
                printed.cells.append((identity, f"{kind}:{year}", row[key].get(str(year), "")))
        out.append(printed)
    return out


# ---------------------------------------------------------------------------------------------
# Key projects

PROJECT_FIELDS = {  # column kind -> fixture key
    "seq": "seq",
    "category": "category",
    "name": "name",
    "nature": "nature",
    "content": "content",
    "period": "period",
    "investment": "investment_wan",
    "location": "location",
}


def wan_to_yi(text: str) -> str:
    """万元 as printed -> 亿元, exactly (5000 -> 0.5)."""
    yi = Decimal(text) / Decimal(10000)
    assert yi * 10000 == Decimal(text)
    return format(yi.normalize(), "f")


def _project_table(code: str, layout: str) -> Printed | None:
    spec, plan = SPECS[code], load_plan(code)
    projects = plan.get("projects") or []
    if not projects:
        return None
    columns = _with_remarks(list(spec.project_columns), layout)
    kinds = [c.kind for c in columns]
    printed = Printed(spec.project_caption or "", columns, _header(columns, layout), projects=True)
    for index, project in enumerate(projects):
        before = projects[index - 1] if index else None
        new_category = before is None or project["category"] != before["category"]
        if spec.project_category == "rows" and new_category:
            printed.body.append(Line.full_width(project["category"], len(columns)))
        texts = []
        for col in columns:
            text = project.get(PROJECT_FIELDS.get(col.kind, ""))
            if col.kind == "investment" and text is not None and layout == "reworded":
                text = wan_to_yi(text)
            texts.append(text or "")
        if layout == "remarks" and index % 5 == 2:
            texts[-1] = PROJECT_REMARKS[index // 5 % len(PROJECT_REMARKS)]
        line = Line(texts, row=project)
        if "category" in kinds:
            line.cont[kinds.index("category")] = not new_category
        printed.body.append(line)

        identity = f"{project['seq']}|{project['name']}"
        for kind, key in PROJECT_FIELDS.items():
            if kind == "seq":
                continue
            cell = f"project:{project['seq']}:{key}"
            if kind in kinds or (kind == "category" and spec.project_category == "rows"):
                # Expected in 万元 as the fixture has it, whatever unit the column prints.
                printed.cells.append((identity, cell, project[key] or ""))
            elif project[key] is not None:
                reason = "the seed prints no such column: the fixture took it from the project's text (see note)"
                printed.excluded.append((identity, cell, reason))
    for total in plan.get("stated_totals") or []:
        if total["category"] is None:
            printed.body.append(Line.full_width(total["text"], len(columns)))
    return printed


# ---------------------------------------------------------------------------------------------
# Ground truth


def _tables(code: str, layout: str) -> list[Printed]:
    if code not in SPECS:
        raise ValueError(f"unknown plan {code!r}; the table plans are {', '.join(PLANS)}")
    if layout not in APPLICABLE[code]:
        raise ValueError(f"layout {layout!r} does not apply to {code}; it has {', '.join(APPLICABLE[code])}")
    tables = _indicator_tables(code, layout)
    projects = _project_table(code, layout)
    return tables + ([projects] if projects else [])


def comparable_cells(code: str, layout: str = "usual") -> list[Cell]:
    """(row identity, field, expected text) for every fixture cell the document of this layout prints.

    Indicator rows are identified as "seq|name|region" (Indicator.make_row_key) and projects as
    "project:<seq>".  Indicator fields: name, seq, category, subcategory, unit, standard_value
    (div12's 指标值 column), attribute, verdict, assessment_object, value:<year>, target:<year>.
    Project fields: name, category, nature, period, investment_wan (in 万元 even where the document
    prints 亿元), location, content.  "" = printed empty or as a dash.
    """
    return [cell for table in _tables(code, layout) for cell in table.cells]


def _excluded(code: str) -> list[Cell]:
    return [cell for table in _tables(code, "usual") for cell in table.excluded]


EXCLUDED: dict[str, list[Cell]] = {code: _excluded(code) for code in PLANS}


def fixture_cells(code: str) -> set[tuple[str, str]]:
    """Every non-empty cell of the fixture, as (identity, field): what the documents should cover."""
    plan = load_plan(code)
    out = set()
    for row in plan["indicators"]:
        identity = row_identity(row)
        out |= {(identity, key) for key in ("name", "unit") + tuple(k for _, k in INDICATOR_FIELDS) if row[key] is not None}
        out |= {(identity, f"value:{y}") for y in row["values"]} | {(identity, f"target:{y}") for y in row["targets"]}
    for project in plan.get("projects") or []:
        keys = set(PROJECT_FIELDS.values()) - {"seq"}
        identity = f"{project['seq']}|{project['name']}"
        out |= {(identity, f"project:{project['seq']}:{key}") for key in keys if project[key] is not None}
    return out


def check(code: str) -> None:
    """Every fixture cell is compared or excluded with a reason; the expected texts are the fixture's."""
    cells = comparable_cells(code)
    compared = {(i, f) for i, f, _ in cells}
    excluded = {(i, f) for i, f, _ in EXCLUDED[code]}
    for layout in APPLICABLE[code]:
        keys = [(i, f) for i, f, _ in comparable_cells(code, layout)]
        assert keys and len(keys) == len(set(keys)), f"{code} {layout}: a cell compared twice"
    assert not compared & excluded, f"{code}: compared and excluded: {sorted(compared & excluded)}"
    missing = fixture_cells(code) - compared - excluded
    assert not missing, f"{code}: fixture cells neither compared nor excluded: {sorted(missing)}"


# ---------------------------------------------------------------------------------------------
# Word


def _fonts(element) -> None:
    """Western and East Asian fonts on a style or run, dropping theme fonts that would override them."""
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in list(fonts.attrib):
        if attribute.endswith("Theme"):
            del fonts.attrib[attribute]
    for attribute, font in (("ascii", WESTERN_FONT), ("hAnsi", WESTERN_FONT), ("eastAsia", EAST_ASIAN_FONT)):
        fonts.set(qn(f"w:{attribute}"), font)
    # Chinese text: LibreOffice then falls back to the Simplified Chinese face of a CJK font.
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _new_document() -> Document:
    doc = Document()
    for name, size in (("Normal", 12), ("Heading 1", 16), ("Heading 2", 14)):
        style = doc.styles[name]
        _fonts(style.element)
        style.font.size = Pt(size)
        if name != "Normal":
            style.font.color.rgb = None
    section = doc.sections[0]
    section.page_width, section.page_height = A4_SHORT, A4_LONG
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)
    return doc


def _paragraph(doc, text: str, size: float | None = None, bold=False, align=None, page_break_before=False):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    if page_break_before:
        paragraph.paragraph_format.page_break_before = True
    return paragraph


def _title_page(doc, plan: dict) -> None:
    for _ in range(6):
        doc.add_paragraph()
    _paragraph(doc, plan["title"], size=24, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(4):
        doc.add_paragraph()
    lines = [plan.get("issuer")]
    if plan.get("issued_on"):
        lines.append(f"{plan['issued_on'].year}年{plan['issued_on'].month}月")
    lines.append(plan.get("doc_number"))
    for line in filter(None, lines):
        _paragraph(doc, line, size=16, align=WD_ALIGN_PARAGRAPH.CENTER)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _landscape(doc) -> None:
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = A4_LONG, A4_SHORT


LEFT_ALIGNED = {"name", "content"}  # long texts; the rest is centred as in the seeds


def _word_table(doc, printed: Printed) -> None:
    lines = printed.header + printed.body
    width = len(printed.columns)
    table = doc.add_table(rows=len(lines), cols=width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(c.width for c in printed.columns)
    widths = [Cm(TABLE_WIDTH_CM * c.width / total) for c in printed.columns]
    for i, column in enumerate(table.columns):
        column.width = widths[i]

    merges = _merge_areas(lines, width, len(printed.header))
    hidden = {(r, c) for r0, c0, r1, c1 in merges for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)} - {
        (r0, c0) for r0, c0, _, _ in merges
    }
    keep = _kept_with_next(printed, lines, merges)
    for r, (line, row) in enumerate(zip(lines, table.rows, strict=True)):
        properties = row._tr.get_or_add_trPr()
        properties.append(OxmlElement("w:cantSplit"))
        if r < len(printed.header):
            # Repeated at the top of every page the table runs over.
            header = OxmlElement("w:tblHeader")
            header.set(qn("w:val"), "true")
            properties.append(header)
        for c, cell in enumerate(row.cells):
            cell.width = widths[c]
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            text = "" if (r, c) in hidden else line.texts[c]
            paragraph = cell.paragraphs[0]
            full_width = any(a == 0 and b == width - 1 for a, b in line.spans)
            left = printed.columns[c].kind in LEFT_ALIGNED and not line.heading or (full_width and r >= len(printed.header))
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_before = paragraph.paragraph_format.space_after = Pt(1.5)
            paragraph.paragraph_format.keep_with_next = keep[r] or None
            if text:
                run = paragraph.add_run(text)
                run.font.size = Pt(9)
                run.bold = line.heading
    for r0, c0, r1, c1 in merges:
        table.cell(r0, c0).merge(table.cell(r1, c1))


def _kept_with_next(printed: Printed, lines: list[Line], merges: list[tuple[int, int, int, int]]) -> list[bool]:
    """Rows kept on one page with the row below, so that no merged cell's text is cut by a page break.

    Short merged blocks (a sub-category, an item and its sub-items, a target printed once) stay
    together; a category block may be longer than a page, so only its first rows are kept together,
    enough for the category's text.  A heading row stays with the row under it."""
    keep = [line.heading and r >= len(printed.header) for r, line in enumerate(lines)]
    for r0, c0, r1, _ in merges:
        if r1 == r0:
            continue
        last = min(r1, r0 + 3) if printed.columns[c0].kind == "category" else r1
        for r in range(r0, last):
            keep[r] = True
    return keep


def _merge_areas(lines: list[Line], width: int, header_rows: int) -> list[tuple[int, int, int, int]]:
    """Rectangles (first row, first column, last row, last column) to print as one cell.

    No cell runs from the header into the body: the first row of the second part of a split table
    prints its category again."""
    areas = [(r, a, r, b) for r, line in enumerate(lines) for a, b in line.spans]
    in_span = {(r, c) for r, a, _, b in areas for c in range(a, b + 1)}
    for c in range(width):
        r = 0
        while r < len(lines):
            end = r
            while end + 1 < len(lines) and end + 1 != header_rows and lines[end + 1].cont[c] and (end + 1, c) not in in_span:
                end += 1
            if end > r:
                assert (r, c) not in in_span or all(lines[k].spans == lines[r].spans for k in range(r, end + 1))
                areas.append((r, c, end, c))
            r = end + 1
    cells = [(r, c) for r0, c0, r1, c1 in areas for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)]
    assert len(cells) == len(set(cells)), "overlapping merged cells"
    return areas


def build_docx(code: str, out_dir: Path, layout: str = "usual") -> Path:
    """Write <out_dir>/<code>-<layout>.docx and return its path."""
    tables = _tables(code, layout)
    plan = load_plan(code)["plan"]
    doc = _new_document()
    _title_page(doc, plan)
    for text in INTRO:
        paragraph = _paragraph(doc, text)
        paragraph.paragraph_format.first_line_indent = Pt(24)
    doc.add_heading("二、主要指标", level=1)
    _paragraph(doc, "规划主要指标见下表。").paragraph_format.first_line_indent = Pt(24)

    _landscape(doc)
    for number, printed in enumerate(tables):
        if printed.projects:
            _paragraph(doc, SPECS[code].project_heading, size=16, bold=True, page_break_before=True)
        # Only the split layout breaks the page: transposed parts follow each other.
        page_break = printed.continued and layout == "split_pages"
        _paragraph(doc, printed.caption, size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, page_break_before=page_break)
        _word_table(doc, printed)
        for footnote in printed.footnotes:
            _paragraph(doc, footnote, size=10)
        if number + 1 < len(tables) and not tables[number + 1].continued:
            doc.add_paragraph()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{code}-{layout}.docx"
    doc.save(path)
    return path


# ---------------------------------------------------------------------------------------------
# PDF


def build_pdfs(docx_paths: list[Path], out_dir: Path | None = None) -> list[Path]:
    """Convert the documents to PDF with one LibreOffice call; return the PDF paths.

    The PDFs go to `out_dir`, by default the directory of the first document."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is not installed: cannot convert the test documents to PDF")
    paths = [Path(p).resolve() for p in docx_paths]
    if not paths:
        return []
    out_dir = Path(out_dir or paths[0].parent).resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    pdfs = [out_dir / f"{p.stem}.pdf" for p in paths]
    for pdf in pdfs:
        pdf.unlink(missing_ok=True)  # a PDF left from an earlier run must not pass for a conversion
    # A private profile: parallel runs sharing the default one block or fail.
    with tempfile.TemporaryDirectory(prefix="intake-soffice-") as profile:
        command = [
            soffice,
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out_dir),
            *map(str, paths),
        ]
        result = subprocess.run(command, capture_output=True, text=True, timeout=180)
    missing = [p.name for p in pdfs if not p.exists()]
    if result.returncode != 0 or missing:
        raise RuntimeError(f"LibreOffice did not convert {missing or 'all files'}: {result.stderr or result.stdout}")
    return pdfs


def build_all(out_dir: Path, codes: Iterable[str] = PLANS) -> list[Path]:
    docx = [build_docx(code, out_dir, layout) for code in codes for layout in APPLICABLE[code]]
    return docx + build_pdfs(docx)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.intake.build OUT_DIR")
    for code in PLANS:
        check(code)
    for path in build_all(Path(sys.argv[1])):
        print(path)
