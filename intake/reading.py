"""A plan document's tables -> a plan in the schema of fixtures/plans/*.yaml. Plain Python.

The reader finds the indicator and key-project tables by their headings wherever they are, and reads
headers spread over two rows, category cells merged down, sub-items under one 序号, units inside
names, footnote markers, years as columns (or as rows), and project investment in 万元 or 亿元. Every
row keeps its source (the line of the document's text rendering and where it is printed). What it
cannot read becomes a warning naming the place, never a guess: a cell the target grammar cannot
read stays as printed, with a note, and a plan detail the document does not print is asked for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from indicators.core import targets as grammar
from indicators.core.messages import Message, gettext_noop
from indicators.core.numbers import NumberRefused, read_number
from intake.documents import Cell, Document, Table
from plandata import plan_files

INDICATORS, PROJECTS, SKIPPED = "indicators", "projects", "skipped"
INVESTMENT_LIMIT = Decimal(10) ** 12  # 万元: KeyProject.investment_wan holds 12 digits before the point
ATTRIBUTES = {"约束性": "约束性", "预期性": "预期性", "参考性": "参考性", "约束": "约束性", "预期": "预期性", "参考": "参考性"}
VERDICTS = {"完成", "未完成", "已完成", "基本完成", "达标", "未达标", "超额完成"}
_YEAR = re.compile(r"(19[5-9]\d|20\d\d)")
_PERIODS = {
    "十一五": (2006, 2010),
    "十二五": (2011, 2015),
    "十三五": (2016, 2020),
    "十四五": (2021, 2025),
    "十五五": (2026, 2030),
    "十六五": (2031, 2035),
}
# "2026—2030年", "2026-2030", and "2006年一2010年" (一 typed for a dash between two years)
_RANGE = re.compile(r"((?:19|20)\d\d)\s*(?:年)?\s*(?:[—\-–~～至到]+|一)\s*((?:19|20)\d\d)")
_TITLE_WORDS = re.compile(r"规划|方案|计划|纲要|行动|实施意见")
_MARKERS = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# Words a header cell is made of. A cell is a header cell when, without its years, brackets and
# decorations, it is built only of these (so "单位GDP能耗" in a body row is not a header).
_HEADER_TERMS = sorted(
    """序号 编号 序 类别 指标类别 领域 方面 分类 类型 指标类型 一级指标 二级指标 三级指标 一级 二级 三级 指标 指标名称 名称
    具体指标 主要指标 规划指标 评价指标 考核指标 指标项 单位 计量单位 属性 指标属性 性质 指标性质 现状 现状值 现状年 基准 基准年
    基准值 基期 基期值 基期年 基础值 基础 目标 目标值 目标年 规划目标 规划值 预期目标 预期值 期末 期末值 年 年份 年度 年底 年末
    备注 说明 考核对象 评价对象 完成情况 完成值 完成 实际值 实际 实际完成 比较结果 评价结果 评估结果 是否完成 结论 达标情况 标准值
    指标值 参考值 城市 地区 区域 地州 县市 地州市 师市 项目名称 项目 工程 工程名称 建设内容 建设规模 主要建设内容 内容 规模 及 和
    建设性质 建设年限 实施年限 建设期限 起止年限 建设周期 年限 总投资 投资 投资额 估算投资 计划投资 投资估算 概算 建设地点 实施地点 项目地点
    地点 位置 责任单位 牵头单位 实施主体 实施单位 任务 要素 环境要素 项目类型 项目类别 工程类别 类 值 万元 亿元 元 其中 合计 现状水平
    目标要求 期限 情况 值域 要求 达到 到 末 规划 预期 约束性 预期性 当年 累计 主要 重点 评估""".split(),
    key=len,
    reverse=True,
)
_TARGET_WORDS = ("目标", "规划", "预期", "期末", "累计", "到", "末")
_VALUE_WORDS = ("现状", "基准", "基期", "基础", "实际", "完成", "现值", "现有", "目前", "当前", "起始")


@dataclass
class Note:
    place: str
    message: Message


@dataclass
class TableReport:
    number: int
    kind: str  # INDICATORS, PROJECTS or SKIPPED
    place: str
    caption: str
    columns: list[str] = field(default_factory=list)  # each column's role, for the review page
    reason: Message | None = None


@dataclass
class Reading:
    plan: dict
    indicators: list[dict]
    projects: list[dict]
    stated_totals: list[dict]
    tables: list[TableReport]
    warnings: list[Note]
    missing: list[str]  # plan keys the document does not print: ask for them

    @property
    def cells(self) -> int:
        return sum(len(r["values"]) + len(r["targets"]) for r in self.indicators)

    @property
    def unparsed(self) -> int:
        return sum(1 for r in self.indicators for t in r["targets"].values() if grammar.parse(_text(t)).kind == grammar.UNPARSED)


@dataclass
class RegionName:
    """A region of the tree, as the reader needs it: names to match and its parent."""

    name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None


# --- the plan ------------------------------------------------------------------------------------


def read_plan(
    document: Document, *, code: str, source_file: str, regions: list[RegionName], given: dict | None = None
) -> Reading:
    """Read `document` as plan `code`; `given` holds plan details from the user (title, region,
    period_start, period_end, baseline_year, issuer …), which win over what is read."""
    given = {k: v for k, v in (given or {}).items() if v not in (None, "")}
    warnings: list[Note] = []
    plan = _metadata(document, regions, source_file)
    plan.update(given)
    plan["code"] = code
    if "period_start" in given and "baseline_year" not in given:
        plan["baseline_year"] = given["period_start"] - 1
    layouts = []
    reports = []
    for table in _logical_tables(document.tables):
        layout = _Layout(table, plan)
        reports.append(layout.report)
        if layout.report.kind != SKIPPED:
            layouts.append(layout)
    _period_from_tables(plan, layouts)  # years read from the tables settle a period the title does not state
    indicators, projects, totals = [], [], []
    seen = set()
    region_index = _region_index(regions)
    for layout in layouts:
        layout.resolve_years(plan)
        if layout.report.kind == INDICATORS:
            for row in layout.indicator_rows(source_file, region_index, warnings):
                identity = (row["seq"], row["name"], row["region"])
                if identity in seen:
                    warnings.append(
                        Note(row["source"]["place"], Message(gettext_noop("与前面的行重复（序号、名称、区域相同），未重复导入")))
                    )
                    continue
                seen.add(identity)
                indicators.append(row)
        else:
            rows, stated = layout.project_rows(source_file, warnings)
            projects.extend(rows)
            totals.extend(stated)
    _renumber_projects(projects, warnings)
    for table in reports:
        if table.kind == SKIPPED and table.reason:
            warnings.append(Note(table.place, table.reason))
    if not indicators:
        warnings.insert(0, Note("", Message(gettext_noop("未找到指标表：文件中没有表头含“指标”“目标值”“现状值”或年份的表格"))))
    missing = [k for k in ("title", "region", "period_start", "period_end", "baseline_year") if plan.get(k) in (None, "")]
    for key in ("issuer", "issued_on", "doc_number", "predecessor"):
        plan.setdefault(key, None)
    plan.setdefault("milestones", [])
    return Reading(plan, indicators, projects, totals, reports, warnings, missing)


def _metadata(document: Document, regions: list[RegionName], source_file: str) -> dict:
    """Title, period, issuer, date and document number from the title page, where printed."""
    plan: dict = {"source": {"file": source_file, "line": 1}}
    head = document.paragraphs[:60]
    if document.title and _TITLE_WORDS.search(document.title):
        head = [document.title, *head]
    titled = [
        t
        for t in head
        if _TITLE_WORDS.search(t) and len(t) <= 80 and not t.startswith(("表", "注", "专栏", "附")) and not t.endswith("。")
    ]
    for index, text in enumerate(head):
        if titled and text == titled[0]:
            plan["title"] = text
            plan["source"]["line"] = _line_of(text, document.lines)
            after = head[index + 1 : index + 6]
            break
    else:
        after = head[:6]
    title = plan.get("title", "")
    period = _period_of(title)
    if period:
        plan["period_start"], plan["period_end"] = period
        plan["baseline_year"] = period[0] - 1
    for text in after:
        if re.fullmatch(
            r".{2,40}(人民政府|委员会|生态环境局|环境保护局|生态环境厅|办公室|办公厅|管委会|管理委员会|师市|兵团|局)", text
        ):
            plan.setdefault("issuer", text)
        date = re.fullmatch(r"(20\d\d)\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日", text)
        if date:
            plan.setdefault("issued_on", f"{date[1]}-{int(date[2]):02d}-{int(date[3]):02d}")
    for text in head:
        number = re.search(r"[\u4e00-\u9fff]{1,12}〔(?:19|20)\d\d〕\d+号", text)
        if number:
            plan.setdefault("doc_number", number[0])
            break
    region = match_region(title, regions) or match_region(plan.get("issuer") or "", regions)
    if region:
        plan["region"] = region
    return plan


def _line_of(text: str, lines: list[str]) -> int:
    """The line a title starts on (a PDF prints a long title over several lines)."""
    for number, line in enumerate(lines, start=1):
        if line and (line == text or (len(line) >= 4 and text.startswith(line))):
            return number
    return 1


def _period_of(text: str) -> tuple[int, int] | None:
    found = _RANGE.search(text)
    if found and int(found[1]) < int(found[2]):
        return int(found[1]), int(found[2])
    for word, period in _PERIODS.items():
        if word in text:
            return period
    return None


def _period_from_tables(plan: dict, layouts) -> None:
    if plan.get("period_end"):
        return
    years = sorted({year for layout in layouts for year, role in layout.year_roles() if role == "target"})
    if years:
        plan["period_end"] = years[-1]
        values = sorted({year for layout in layouts for year, role in layout.year_roles() if role == "value"})
        if values:
            plan.setdefault("baseline_year", values[-1])
            plan.setdefault("period_start", values[-1] + 1)


def match_region(text: str, regions: list[RegionName]) -> str | None:
    """The one region `text` names (by name or alias), the most specific; None if none or several."""
    found = []
    for region in regions:
        for name in (region.name, *region.aliases):
            start = text.find(name)
            if name and start >= 0:
                found.append((start, start + len(name), region))
    # A name inside a longer one ("新疆" in "新疆生产建设兵团") is not a match of its own.
    found = [
        f for f in found if not any(o is not f and o[0] <= f[0] and f[1] <= o[1] and o[1] - o[0] > f[1] - f[0] for o in found)
    ]
    names = {f[2].name for f in found}
    parents = {r.name: r.parent for r in regions}
    # The region's parent printed with it ("新疆生产建设兵团第十二师") is not a second region.
    ancestors = set()
    for name in names:
        parent = parents.get(name)
        while parent:
            ancestors.add(parent)
            parent = parents.get(parent)
    names -= ancestors
    return names.pop() if len(names) == 1 else None


def _region_index(regions):
    index = {}
    for region in regions:
        for name in (region.name, *region.aliases):
            index.setdefault(name, region.name)
    return index


# --- tables --------------------------------------------------------------------------------------


def _logical_tables(tables: list[Table]) -> list[Table]:
    """Tables continued on a later page (a PDF page break, a 续表) joined to the table they continue."""
    joined: list[Table] = []
    for table in tables:
        previous = joined[-1] if joined else None
        if previous and table.width < previous.width:
            table = _aligned(previous, table) or table
        if previous and table.width == previous.width and _continues(previous, table):
            header = _header_rows(previous)
            if _looks_transposed(previous) and _looks_transposed(table):
                header = previous.rows[: len(_rows_above_years(previous))]
            skip = (
                len(header)
                if [[c.text for c in r] for r in table.rows[: len(header)]] == [[c.text for c in r] for r in header]
                else 0
            )
            merged = Table(
                previous.number,
                previous.rows + table.rows[skip:],
                previous.places + table.places[skip:],
                previous.lines + table.lines[skip:],
                previous.caption,
                previous.notes + table.notes,
                previous.page,
            )
            joined[-1] = merged
        else:
            joined.append(table)
    return joined


def _labels(rows: list[list[Cell]], width: int) -> list[str]:
    return ["/".join(dict.fromkeys(r[c].text for r in rows if c < len(r) and r[c].text)) for c in range(width)]


def _aligned(previous: Table, table: Table) -> Table | None:
    """A continuation that lost columns on its page (a PDF draws no line between cells that are
    merged on every row of that page) laid out again in the columns of the table it continues,
    matched by their headings; None when the headings do not match."""
    header = _header_rows(previous)
    mine = _header_rows(table)
    if not header or len(mine) != len(header):
        return None
    old, new = _labels(header, previous.width), _labels(mine, table.width)
    if list(dict.fromkeys(old)) != list(dict.fromkeys(new)):
        return None
    mapping: dict[int, int] = {}  # previous column -> this table's column
    for label in dict.fromkeys(old):
        before = [c for c, text in enumerate(old) if text == label]
        after = [c for c, text in enumerate(new) if text == label]
        if len(after) > len(before):
            return None
        for b, a in zip(before[: len(after) - 1], after[:-1], strict=False):
            mapping[b] = a
        mapping[before[-1]] = after[-1]  # the last of a group (the name) keeps its cell
    rows = []
    for row in table.rows:
        laid = []
        for c in range(previous.width):
            if c in mapping:
                laid.append(row[mapping[c]] if mapping[c] < len(row) else Cell(""))
            else:
                # A column this page does not draw: its cell is the one that spans it to the right.
                right = next((mapping[d] for d in range(c + 1, previous.width) if d in mapping), None)
                laid.append(Cell(row[right].text if right is not None and right < len(row) else ""))
        for c in range(1, previous.width):
            if c in mapping and c - 1 not in mapping and laid[c].text == laid[c - 1].text:
                laid[c] = Cell(laid[c].text, "left")
        rows.append(laid)
    return Table(table.number, rows, table.places, table.lines, table.caption, table.notes, table.page)


def _rows_above_years(table: Table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        if _YEAR_LABEL.fullmatch(row[0].text.strip()):
            break
        rows.append([c.text for c in row])
    return rows


def _last_page(table: Table) -> int | None:
    pages = [p.params.get("page") for p in table.places if hasattr(p, "params") and p.params.get("page")]
    return max(pages) if pages else table.page


def _continues(previous: Table, table: Table) -> bool:
    if (
        table.page is not None
        and table.page == (_last_page(previous) or 0) + 1
        and not table.caption
        and _YEAR_LABEL.fullmatch(table.rows[0][0].text.strip() if table.rows and table.rows[0] else "")
        and not any(_YEAR_LABEL.fullmatch(r[0].text.strip()) for r in previous.rows if r)
    ):
        return True  # years as rows whose names ended one page and whose years begin the next
    if _looks_transposed(previous) and _looks_transposed(table):
        # years as rows, carried onto the next page under the same names
        return _rows_above_years(previous) == _rows_above_years(table) and ("续" in table.caption or not table.caption)
    header = _header_rows(previous)
    if header and [[c.text for c in r] for r in table.rows[: len(header)]] == [[c.text for c in r] for r in header]:
        return not table.caption or table.caption == previous.caption or "续" in table.caption
    if "续" in table.caption and len(table.caption) <= 30:
        # a 续表 with headings of its own (or indicators of its own, years as rows) is read on its own
        return not _header_rows(table) and not _looks_transposed(table)
    # A PDF page break: the next page's table has no header and no caption of its own.
    return (
        bool(header)
        and table.page is not None
        and table.page == (_last_page(previous) or 0) + 1
        and not table.caption
        and not _header_rows(table)
    )


_YEAR_LABEL = re.compile(r"(19|20)\d\d\s*年?(底|末)?(目标|目标值|现状|现状值|基准|规划值|预期)?(（[^）]*）|\([^)]*\))?")


def _looks_transposed(table: Table) -> bool:
    """Years as rows: the first column holds years below a few rows of names (and units)."""
    first = [row[0].text.strip() for row in table.rows if row and row[0].text.strip()]
    start = next((i for i, text in enumerate(first) if _YEAR_LABEL.fullmatch(text)), None)
    if start is None or start == 0 or table.width < 2:
        return False
    below = first[start:]
    years = [t for t in below if _YEAR_LABEL.fullmatch(t)]
    if len(years) < 0.8 * len(below):
        return False
    # "年份" over the first column says so even when a page holds a single year's row
    return first[0] in ("年份", "年度", "年", "时间") or (len(years) >= 2 and first[0] in ("", "指标", "项目"))


def _header_term_cell(text: str) -> bool:
    text = re.sub(r"\s+", "", text)
    text = re.sub(r"[“”\"'‘’《》〈〉]?十[一二三四五六]五[“”\"'‘’]?(期间|末|时期)?", "", text)
    text = re.sub(r"(19|20)\d\d\s*年?\s*([—\-–~～至到]\s*(19|20)\d\d\s*年?)?(底|末|前|度)?", "", text)
    text = re.sub(r"[（(][^（）()]*[）)]", "", text)
    text = re.sub(r"[①-⑳*＊※▲△:：、/／\s]", "", text)
    if not text:
        return True
    while text:
        for term in _HEADER_TERMS:
            if text.startswith(term):
                text = text[len(term) :]
                break
        else:
            return False
    return True


def _is_header_row(row: list[Cell]) -> bool:
    texts = [c.text for c in row if c.text and c.merged != "left"]
    if not texts:
        return False
    headerish = [t for t in texts if _header_term_cell(t)]
    return len(headerish) >= max(1, 0.6 * len(texts)) and (len(headerish) >= 2 or len(set(c.text for c in row)) == 1)


def _head(table: Table) -> tuple[int, list[str], list[list[Cell]]]:
    """The rows a table starts with: how many single-text banner rows come first (a title, 单位：万元),
    their texts, then its header rows (at most five rows in all)."""
    banners, rows = [], []
    for row in table.rows[:5]:
        if _is_header_row(row):
            rows.append(row)
        elif not rows and _is_banner(row, table.width):
            banners.append(next((c.text for c in row if c.text), ""))
        else:
            break
    return len(banners), banners, rows


def _header_rows(table: Table) -> list[list[Cell]]:
    return _head(table)[2]


def _is_banner(row: list[Cell], width: int) -> bool:
    """A row that is one text across the whole table (a title, a category heading, 单位：万元)."""
    texts = {c.text for c in row if c.text}
    return (
        len(texts) == 1
        and width > 1
        and all(c.merged == "left" for c in row[1:])
        or (len(texts) == 1 and sum(1 for c in row if c.text) == 1 and width > 2 and not row[0].merged)
    )


class _Layout:
    """What each column of a table holds, from its header rows and its content."""

    def __init__(self, table: Table, plan: dict):
        self.table = table
        place = table.places[0] if table.places else ""
        self.report = TableReport(table.number, SKIPPED, place, table.caption)
        self.banner_rows, banners, self.header = _head(table)
        self.body_start = self.banner_rows + len(self.header)
        self._header_texts = [[c.text for c in row] for row in self.header]
        self.unit_hint = "".join(banners) + " " + table.caption  # 单位：亿元 printed above the headings
        self.plan_baseline = None  # set by resolve_years: years as rows need it
        self.labels = [self._label(c) for c in range(table.width)]
        self.roles: list[str] = [""] * table.width
        self.years: list[int | None] = [None] * table.width
        self.transposed = False
        if _looks_transposed(table):
            self.transposed = True
            self.report.kind = INDICATORS
            return
        if not self.header:
            self.report.reason = Message(gettext_noop("表{table}没有可识别的表头，未导入"), table=table.number)
            return
        joined = " ".join(self.labels)
        if ("项目" in joined or "工程" in joined) and any(
            w in joined for w in ("建设内容", "投资", "建设地点", "建设性质", "年限", "规模")
        ):
            self._classify_projects()
        elif any(w in joined for w in ("指标", "名称", "城市", "地区")) and (
            _YEAR.search(joined) or any(w in joined for w in _TARGET_WORDS + _VALUE_WORDS + tuple(_PERIODS))
        ):
            self._classify_indicators(plan)
        else:
            self.report.reason = Message(
                gettext_noop("表{table}不是指标表或项目表（表头：{header}），未导入"),
                table=table.number,
                header="、".join(label for label in self.labels if label)[:80],
            )
        self.report.columns = [f"{self.labels[i]} → {self.roles[i] or '—'}" for i in range(table.width)]

    def _label(self, column: int) -> str:
        parts = []
        for row in self.header:
            text = re.sub(r"\s+", "", row[column].text) if column < len(row) else ""
            if text and text not in parts:
                parts.append(text)
        return "/".join(parts)

    def body(self):
        for index in range(self.body_start, len(self.table.rows)):
            row = self.table.rows[index]
            if [c.text for c in row] in self._header_texts:
                continue  # a header repeated on a new page
            yield index, row

    def column_texts(self, column):
        return [
            row[column].text for _i, row in self.body() if column < len(row) and not grammar.is_empty(row[column].text.strip())
        ]

    # --- indicator tables --

    def _classify_indicators(self, plan):
        self.report.kind = INDICATORS
        width = self.table.width
        for c in range(width):
            label = re.sub(r"\s+", "", self.labels[c])
            texts = self.column_texts(c)
            if label in ("序号", "编号", "序") or re.fullmatch(r"序号.*", label):
                self.roles[c] = "seq"
            elif texts and sum(1 for t in texts if t.strip() in ATTRIBUTES) >= 0.6 * len(texts):
                self.roles[c] = "attribute"
            elif "属性" in label or "指标性质" in label:
                self.roles[c] = "attribute"
            elif any(w in label for w in ("比较结果", "评价结果", "评估结果", "是否完成", "结论", "达标情况", "完成评价")) or (
                texts
                and not _YEAR.search(label)
                and "值" not in label
                and all(t.strip() in VERDICTS for t in texts)
                and len(texts) >= 2
            ):
                self.roles[c] = "verdict"
            elif "单位" in label and len(label) <= 6:
                self.roles[c] = "unit"
            elif label in ("城市", "地区", "区域", "地州", "县市", "地州市", "师市", "城市名称", "县（市）", "县市区"):
                self.roles[c] = "region"
            elif any(w in label for w in ("考核对象", "评价对象", "考核范围", "考核单位", "考核层级")):
                self.roles[c] = "assessment_object"
            elif "备注" in label or label == "说明":
                self.roles[c] = "remark"
            elif label in ("标准值", "参考值", "国家标准", "考核标准", "指标值") and self._has_time_columns(c):
                self.roles[c] = "standard"
            elif (_YEAR.search(label) or any(w in label for w in _TARGET_WORDS + _VALUE_WORDS + tuple(_PERIODS))) and not any(
                w in label for w in ("指标", "名称", "类别", "领域", "方面")
            ):
                self.roles[c] = "time"
        name_columns = [c for c in range(width) if not self.roles[c] and any(w in self.labels[c] for w in ("指标", "名称"))]
        if not name_columns:
            name_columns = [c for c in range(width) if not self.roles[c] and self.column_texts(c)]
        if not name_columns:
            self.report.kind = SKIPPED
            self.report.reason = Message(gettext_noop("表{table}找不到指标名称列，未导入"), table=self.table.number)
            return
        category_words = ("类别", "领域", "方面", "分类", "类型", "要素", "任务", "一级", "二级")
        named = [c for c in name_columns if not any(w in self.labels[c] for w in category_words)]
        name = named[-1] if named else name_columns[-1]
        self.roles[name] = "name"
        # Unassigned text columns before the name are the category and its subcategory.
        extra = [c for c in range(name) if not self.roles[c] and self.column_texts(c)]
        for role, c in zip(("category", "subcategory"), extra, strict=False):
            self.roles[c] = role
        if "time" not in self.roles:
            self.report.kind = SKIPPED
            self.report.reason = Message(gettext_noop("表{table}没有现状值、目标值或年份列，未导入"), table=self.table.number)

    def _has_time_columns(self, column):
        return any(_YEAR.search(self.labels[c]) or "目标" in self.labels[c] for c in range(len(self.labels)) if c != column)

    def resolve_years(self, plan):
        """Each time column: a value or a target, and its year."""
        self.plan_baseline = plan.get("baseline_year")
        if self.report.kind != INDICATORS or self.transposed:
            return
        baseline, end = plan.get("baseline_year"), plan.get("period_end")
        for c, role in enumerate(self.roles):
            if role not in ("time", "value", "target"):
                continue
            kind, year = _time_column(self.labels[c], baseline, end)
            self.roles[c], self.years[c] = kind, year
        self.report.columns = [
            f"{self.labels[i]} → {self.roles[i] or '—'}{(' ' + str(self.years[i])) if self.years[i] else ''}"
            for i in range(self.table.width)
        ]

    def year_roles(self):
        for c, role in enumerate(self.roles):
            if role == "time":
                kind, year = _time_column(self.labels[c], None, None)
                if year:
                    yield year, kind
            elif role in ("value", "target") and self.years[c]:
                yield self.years[c], role

    def indicator_rows(self, source_file, regions, warnings):
        if self.transposed:
            yield from self._transposed_rows(source_file, warnings)
            return
        roles, years = self.roles, self.years
        heading_markers = ""
        parent = None  # (seq, name) of a parent row whose sub-items follow
        previous_name = None
        carried = {"category": None, "subcategory": None}
        notes = self.table.notes
        for index, row in self.body():
            place, line = self.table.places[index], self.table.lines[index]
            cells = {role: row[c] for c, role in enumerate(roles) if role and c < len(row)}
            if _is_banner(row, self.table.width):
                printed = next(c.text for c in row if c.text).strip()
                heading, heading_markers = _heading(printed)
                # "1. 环境质量" heads a category, "（1）水环境质量" a part of it, unless the table
                # has a category column already.
                if "category" in roles or re.match(r"[（(][一二三四五六七八九十\d]+[）)]", printed) and carried["category"]:
                    carried["subcategory"] = heading
                else:
                    carried["category"], carried["subcategory"] = heading, None
                parent = None
                continue
            name_cell = cells.get("name")
            name = name_cell.text.strip() if name_cell else ""
            if not name or name in ("合计", "总计"):
                if any(row[c].text for c, r in enumerate(roles) if r in ("value", "target") and c < len(row)):
                    warnings.append(Note(place, Message(gettext_noop("该行没有指标名称，未导入"))))
                continue
            for key in ("category", "subcategory"):
                if key not in cells:
                    continue
                text = cells[key].text.strip()
                if name_cell.merged == "left" and text == name:
                    # The name printed across the category column: this row has no category of that level.
                    carried[key] = None if key == "subcategory" else carried[key]
                elif text:
                    carried[key] = text
            seq_cell = cells.get("seq")
            seq = seq_cell.text.strip() if seq_cell and seq_cell.text.strip() else None
            name, markers = _split_markers(name)
            values, targets = {}, {}
            for c, role in enumerate(roles):
                if role in ("value", "target") and c < len(row) and years[c]:
                    text = row[c].text.strip()
                    if grammar.is_empty(text):
                        continue
                    (values if role == "value" else targets)[str(years[c])] = text
            if seq_cell and seq_cell.merged == "up" and parent and seq == parent[0]:
                row_parent = parent[1]
            elif seq is None and parent:
                seq, row_parent = parent[0], parent[1]
            else:
                row_parent = None
                # A numbered row with no figures of its own, whose sub-items follow without a number.
                parent = (seq, name) if seq and not values and not targets else None
            if name.startswith("其中") and previous_name and row_parent is None:
                row_parent = previous_name  # "其中：乌鲁木齐市…": a part of the row above
            elif not name.startswith("其中"):
                previous_name = name
            unit = cells["unit"].text.strip() if "unit" in cells and not grammar.is_empty(cells["unit"].text.strip()) else None
            if unit is None and "unit" not in roles:
                unit = _unit_in_name(name) or _unit_in_cells(targets.values())
            attribute = cells["attribute"].text.strip() if "attribute" in cells else ""
            region = None
            if name.startswith("其中"):
                region = _region_named_in(name, regions)
            if "region" in cells and cells["region"].text.strip():
                printed = cells["region"].text.strip()
                region = regions.get(printed)
                if region is None:
                    warnings.append(
                        Note(place, Message(gettext_noop("区域“{name}”不在区域表中：请在导入页添加该区域，或更正"), name=printed))
                    )
            verdict = cells["verdict"].text.strip() if "verdict" in cells else ""
            footnotes = [n for n in notes if _explains(n, markers + heading_markers, row)]
            row_note = []
            for year, text in targets.items():
                if grammar.parse(text).kind == grammar.UNPARSED:
                    row_note.append(f"{year}年目标“{text}”导入时未能解析，请核对")
                    warnings.append(
                        Note(
                            place,
                            Message(
                                gettext_noop("{year}年目标“{text}”无法解析：保留原文，判断时将为无法判断"), year=year, text=text
                            ),
                        )
                    )
            remark = cells["remark"].text.strip() if "remark" in cells else ""
            yield {
                "seq": seq,
                "name": name,
                "parent": row_parent,
                "category": carried["category"],
                "subcategory": carried["subcategory"],
                "unit": unit,
                "attribute": ATTRIBUTES.get(attribute),
                "region": region,
                "standard_value": (cells["standard"].text.strip() or None) if "standard" in cells else None,
                "values": values,
                "targets": targets,
                "verdict": verdict
                if verdict in ("完成", "未完成")
                else ("完成" if verdict in ("已完成", "超额完成", "达标") else ("未完成" if verdict == "未达标" else None)),
                "assessment_object": (cells["assessment_object"].text.strip() or None) if "assessment_object" in cells else None,
                "footnotes": footnotes,
                "note": "；".join(row_note) or None,
                "public_note": remark if not grammar.is_empty(remark) else None,
                "source": {"file": source_file, "line": line, "place": str(place)},
            }

    # --- years as rows --

    def _transposed_rows(self, source_file, warnings):
        """Years as rows: each column is an indicator. The rows above the first year hold, from the
        top, category headings (merged across their indicators), the names, and the units."""
        rows_above = []
        for row in self.table.rows:
            if _YEAR.match(row[0].text.strip()):
                break
            if not _is_banner(row, self.table.width) or rows_above:
                rows_above.append(row)
        units_row = None
        if len(rows_above) > 1 and all(not c.text.strip() or c.merged == "up" or _unit_like(c.text) for c in rows_above[-1][1:]):
            units_row = rows_above.pop()
        if not rows_above:
            return []
        names_row = rows_above[-1]
        category_rows = rows_above[:-1]
        plan_baseline = self.plan_baseline
        columns = range(1, self.table.width)
        rows = []
        for c in columns:
            if c >= len(names_row) or not names_row[c].text.strip() or names_row[c].merged == "left":
                continue
            name, markers = _split_markers(names_row[c].text.strip())
            unit = units_row[c].text.strip().strip("（）()") if units_row and c < len(units_row) else None
            categories = [r[c].text.strip() for r in category_rows if c < len(r) and r[c].text.strip()]
            values, targets = {}, {}
            first_line = None
            for index, row in self.body():
                year = _YEAR.search(row[0].text)
                if not year or c >= len(row):
                    continue
                text = row[c].text.strip()
                if grammar.is_empty(text):
                    continue
                first_line = first_line or (self.table.lines[index], self.table.places[index])
                label = row[0].text
                is_value = any(w in label for w in _VALUE_WORDS) or (
                    plan_baseline and int(year[1]) <= plan_baseline and not any(w in label for w in _TARGET_WORDS)
                )
                (values if is_value else targets)[year[1]] = text
            line, place = first_line or (self.table.lines[0], self.table.places[0])
            rows.append(
                {
                    "seq": None,
                    "name": name,
                    "parent": None,
                    "category": categories[0] if categories else None,
                    "subcategory": categories[1] if len(categories) > 1 else None,
                    "unit": unit or _unit_in_name(name),
                    "attribute": None,
                    "region": None,
                    "standard_value": None,
                    "values": values,
                    "targets": targets,
                    "verdict": None,
                    "assessment_object": None,
                    "footnotes": [n for n in self.table.notes if _explains(n, markers, [])],
                    "note": None,
                    "public_note": None,
                    "source": {"file": source_file, "line": line, "place": str(place)},
                }
            )
        return rows

    # --- project tables --

    def _classify_projects(self):
        self.report.kind = PROJECTS
        for c in range(self.table.width):
            label = re.sub(r"\s+", "", self.labels[c])
            if label in ("序号", "编号", "序"):
                role = "seq"
            elif "投资" in label or "概算" in label or "资金" in label:
                role = "investment"
            elif "性质" in label or "建设类型" in label:
                role = "nature"
            elif any(w in label for w in ("年限", "期限", "周期", "起止", "时间", "年份", "年度")):
                role = "period"
            elif any(w in label for w in ("地点", "位置", "地区")):
                role = "location"
            elif any(w in label for w in ("内容", "规模")):
                role = "content"
            elif any(w in label for w in ("类型", "类别", "领域", "分类")):
                role = "category"
            elif "备注" in label:
                role = "remark"
            elif any(w in label for w in ("项目", "工程", "名称")):
                role = "name"
            else:
                role = ""
            self.roles[c] = role
        if "name" not in self.roles:
            self.report.kind = SKIPPED
            self.report.reason = Message(gettext_noop("表{table}找不到项目名称列，未导入"), table=self.table.number)

    def project_rows(self, source_file, warnings):
        roles = self.roles
        factor = _money_factor(next((self.labels[c] for c, r in enumerate(roles) if r == "investment"), ""), self.unit_hint)
        rows, totals = [], []
        category = None
        for index, row in self.body():
            place, line = self.table.places[index], self.table.lines[index]
            cells = {role: row[c] for c, role in enumerate(roles) if role and c < len(row)}
            if _is_banner(row, self.table.width):
                category = next(c.text for c in row if c.text).strip()
                continue
            name = cells["name"].text.strip() if "name" in cells else ""
            first = next((c.text.strip() for c in row if c.text.strip()), "")
            if re.fullmatch(r"(合\s*计|总\s*计|小\s*计)", first) or re.fullmatch(r"(合\s*计|总\s*计)", name):
                amount = cells.get("investment")
                value = _money(amount.text, factor) if amount else None
                totals.append(
                    {
                        "what": "重点项目投资合计" if "小" not in first else f"{category or ''}小计",
                        "category": category if "小" in first else None,
                        "count": None,
                        "text": " ".join(
                            c.text
                            for c, prev in zip(row, [None, *row], strict=False)
                            if c.text and (prev is None or c.text != prev.text)
                        ),
                        "value_wan": value,
                        "source": {"file": source_file, "line": line, "place": str(place)},
                    }
                )
                continue
            if not name:
                continue
            if "category" in cells and cells["category"].text.strip():
                category = cells["category"].text.strip()
            nature = cells["nature"].text.strip() if "nature" in cells else ""
            period = cells["period"].text.strip() if "period" in cells else ""
            years = [int(y) for y in _YEAR.findall(period)]
            amount_text = cells["investment"].text.strip() if "investment" in cells else ""
            amount = _money(amount_text, factor) if not grammar.is_empty(amount_text) else None
            note = None
            if not grammar.is_empty(amount_text) and amount is None:
                note = f"投资“{amount_text}”不是数字，未导入金额"
                warnings.append(Note(place, Message(gettext_noop("投资“{text}”不是数字，未导入金额"), text=amount_text)))
            if nature and nature not in plan_files.NATURES:
                note = "；".join(filter(None, [note, f"建设性质印作“{nature}”"]))
            location = cells["location"].text.strip() if "location" in cells else ""
            rows.append(
                {
                    "seq": cells["seq"].text.strip() if "seq" in cells and cells["seq"].text.strip() else None,
                    "category": category,
                    "name": name,
                    "nature": nature if nature in plan_files.NATURES else None,
                    "content": (cells["content"].text.strip() or None) if "content" in cells else None,
                    "period": period or None,
                    "start_year": years[0] if years else None,
                    "end_year": years[-1] if years else None,
                    "investment_wan": amount,
                    "location": location if not grammar.is_empty(location) else None,
                    "note": note,
                    "source": {"file": source_file, "line": line, "place": str(place)},
                }
            )
        return rows, totals


def _time_column(label: str, baseline: int | None, end: int | None) -> tuple[str, int | None]:
    """('value' | 'target', year) of a column from its label; the year from the label, else the
    plan's baseline or end year."""
    clean = re.sub(r"\s+", "", label)
    years = [int(y) for y in _YEAR.findall(clean)]
    is_target = any(w in clean for w in _TARGET_WORDS)
    is_value = any(w in clean for w in _VALUE_WORDS)
    period = next((p for w, p in _PERIODS.items() if w in clean), None)
    # "2025年目标值" and "目标值/2025年": the word nearest the year decides when both are printed.
    if is_target and is_value:
        last_target = max(clean.rfind(w) for w in _TARGET_WORDS)
        last_value = max(clean.rfind(w) for w in _VALUE_WORDS)
        is_target, is_value = last_target > last_value, last_value > last_target
    if years:
        year = years[-1]
        if is_target:
            return "target", year
        if is_value:
            return "value", year
        if _RANGE.search(clean):
            return "target", year  # a stage of the plan ("2011—2015年"): what it must reach by its end
        if baseline is not None:
            return ("value" if year <= baseline else "target"), year
        return "time", year
    if is_value:
        # "完成情况", "实际值": what was achieved by the period's end; "现状值", "基准值": the baseline.
        achieved = "完成" in clean or "实际" in clean
        return "value", ((period[1] if period else end) if achieved else baseline)
    if is_target or period:
        # "目标值", or a period named alone ("“十四五”期间"): the target for the period's end.
        return "target", (period[1] if period else end)
    return "time", None


def _heading(text: str) -> tuple[str, str]:
    """A category heading printed across the table ("1、环境质量（6项）*") as the category's name
    ("环境质量") and its footnote markers ("*": the note applies to every row of the group)."""
    markers = "".join(re.findall(f"[{_MARKERS}*＊※]", text))
    name = re.sub(f"[{_MARKERS}*＊※]", "", text).strip()
    name = re.sub(r"^(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+\s*[、.．]\s*)", "", name)
    name = re.sub(r"[（(]\s*\d+\s*项\s*[）)]$", "", name).strip()
    return name or text, markers


def _region_named_in(name: str, regions: dict) -> str | None:
    """The region a "其中：乌鲁木齐市…" row names, by its full name or alias (longest first)."""
    for printed in sorted(regions, key=len, reverse=True):
        if len(printed) >= 3 and printed in name:
            return regions[printed]
    return None


def _unit_in_cells(texts) -> str | None:
    """The unit printed with the numbers of a row's cells ("43.3%", "1622吨"), when they agree."""
    units = set()
    for text in texts:
        found = re.fullmatch(r"[≥≤<>＞＜=约]*\s*-?\d+(?:\.\d+)?\s*([^\d\s].{0,8})", text.strip())
        if found and _UNIT.search(found[1]) and not re.search(r"[以上下内左右前后]", found[1]):
            units.add(found[1].strip())
        elif re.search(r"\d", text):
            return None
    return units.pop() if len(units) == 1 else None


def _split_markers(name: str) -> tuple[str, str]:
    """A name without the footnote markers printed after it ("…比例②"), and the markers."""
    found = re.search(f"[{_MARKERS}]+$", name)
    if not found:
        return name, ""
    return name[: found.start()].rstrip(), found[0]


def _explains(note: str, markers: str, row) -> bool:
    for marker in markers:
        if marker in note[:3]:
            return True
    quoted = re.search(r"[“\"](\*|＊|※|▲|△)[”\"]", note)
    if quoted:
        return any(quoted[1] in c.text for c in row if isinstance(c, Cell))
    return False


_UNIT = re.compile(
    r"[%‰]|/|吨|元|个|天|米|度|公顷|亩|千克|克|μg|mg|标煤|立方|平方|千瓦|小时|人|家|座|套|台|辆|项|处|条|公里|km|㎡|m|t|dB|分贝|倍|次|起|枚|户|年"
)


def _unit_like(text: str) -> bool:
    text = text.strip().strip("（）()")
    return len(text) <= 12 and bool(_UNIT.search(text)) and not re.search(r"[\u4e00-\u9fff]{6,}", text)


def _unit_in_name(name: str) -> str | None:
    """The unit printed in brackets in a name ("森林覆盖率（%）", "…比例（%）（新标准）")."""
    for found in reversed(re.findall(r"[（(]([^（）()]{1,14})[）)]", name)):
        if _unit_like(found) and not re.search(r"[市县区州师团镇乡]$", found):
            return found
    return None


def _money_factor(label: str, hint: str) -> Decimal:
    text = label + " " + hint
    if "亿元" in text:
        return Decimal(10000)
    if "万元" in text:
        return Decimal(1)
    if re.search(r"[（(]元[）)]|单位：元", text):
        return Decimal("0.0001")
    return Decimal(1)


def _money(text: str, factor: Decimal) -> str | None:
    """An amount in 万元 as text, from a printed one ("1,200", "3.5亿元") and its column's unit
    (`factor`); None if it is not a plain number or would not fit a project's investment."""
    clean = re.sub(r"\s+", "", text)
    unit = Decimal(1)
    if clean.endswith("亿元") or clean.endswith("亿"):
        clean, unit = re.sub(r"亿元?$", "", clean), Decimal(10000) / factor
    elif clean.endswith("万元") or clean.endswith("万"):
        clean, unit = re.sub(r"万元?$", "", clean), Decimal(1) / factor
    try:
        number = read_number(clean, max_digits=40, decimal_places=20) * factor * unit
    except NumberRefused:
        return None
    if number < 0 or number >= INVESTMENT_LIMIT:
        return None
    return format(number.normalize(), "f")


def _renumber_projects(projects, warnings):
    """Project seqs must be unique in a plan file; a document that restarts numbering per category
    gets "category-number" seqs, said in a warning, rather than losing a project."""
    seen = {}
    for row in projects:
        seen.setdefault(str(row["seq"]), []).append(row)
    if all(len(rows) == 1 for rows in seen.values()) and all(row["seq"] for row in projects):
        return
    categories = []
    for row in projects:
        if row["category"] not in categories:
            categories.append(row["category"])
    counters = {}
    for row in projects:
        group = categories.index(row["category"]) + 1
        counters[group] = counters.get(group, 0) + 1
        printed = row["seq"]
        row["seq"] = f"{group}-{printed or counters[group]}"
    warnings.append(Note("", Message(gettext_noop("重点项目的序号在各类别内重新编号，已按“类别序-项目序”编为唯一序号"))))


def _text(cell):
    return cell if isinstance(cell, str) else cell.get("text", "")
