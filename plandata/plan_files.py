"""Read and validate plan fixture files (fixtures/plans/<code>.yaml). Plain Python, no Django.

A file is checked whole before anything is loaded from it; every problem is reported with the file,
the row and the key, in Chinese, so the person fixing the file knows where to look.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import yaml

from indicators.core import targets as grammar

PLAN_KEYS = {
    "code",
    "title",
    "region",
    "issuer",
    "issued_on",
    "doc_number",
    "period_start",
    "period_end",
    "baseline_year",
    "predecessor",
    "milestones",
    "source",
    "note",
    "public_note",
    "reporting",
}
PLAN_REQUIRED = {"code", "title", "region", "period_start", "period_end", "baseline_year", "source"}
INDICATOR_KEYS = {
    "seq",
    "name",
    "parent",
    "category",
    "subcategory",
    "unit",
    "attribute",
    "region",
    "standard_value",
    "values",
    "targets",
    "verdict",
    "assessment_object",
    "footnotes",
    "direction",
    "note",
    "public_note",
    "key",
    "source",
}
INDICATOR_REQUIRED = {"seq", "name", "category", "attribute", "values", "targets", "source"}
PROJECT_KEYS = {
    "seq",
    "category",
    "name",
    "nature",
    "content",
    "period",
    "start_year",
    "end_year",
    "investment_wan",
    "location",
    "note",
    "source",
}
PROJECT_REQUIRED = {"seq", "name", "source"}
TOTAL_KEYS = {"what", "category", "count", "text", "value_wan", "source", "note"}
TOTAL_REQUIRED = {"what", "text", "source"}
ATTRIBUTES = {"约束性", "预期性", "参考性"}
NATURES = {"新建", "续建", "改扩建"}
VERDICTS = {"完成", "未完成"}
DIRECTIONS = {"higher", "lower", "qualitative"}
MILESTONE_KINDS = {"annual", "midterm", "stage", "final"}


class PlanFileError(Exception):
    """A fixture file that must not be loaded; `problems` lists every reason found."""

    def __init__(self, path, problems):
        self.path = Path(path)
        self.problems = problems
        super().__init__(f"{self.path.name}: " + "；".join(problems))


@dataclass
class Cell:
    """A printed cell: its raw text and the seed line it was copied from (None: the row's line)."""

    text: str
    line: int | None = None


def read(path: str | Path, region_names: set[str] | None = None) -> dict:
    """Load and validate one plan file; return its data with cells normalised to `Cell`s."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PlanFileError(path, [f"无法读取文件：{exc}"]) from exc
    return check(data, path, region_names)


def check(data: object, path: str | Path, region_names: set[str] | None = None) -> dict:
    """Validate plan data read from a file or an imported document (`path` names it in messages);
    return it with cells normalised to `Cell`s, or raise PlanFileError listing every problem."""
    problems = []
    if not isinstance(data, dict):
        raise PlanFileError(path, ["文件内容不是一个映射（应含 plan、indicators 等键）"])
    _keys(problems, "文件", data, {"plan", "indicators", "projects", "stated_totals"}, {"plan", "indicators"})
    plan = data.get("plan") or {}
    _check_plan(problems, plan, region_names)
    indicators = data.get("indicators") or []
    projects = data.get("projects") or []
    totals = data.get("stated_totals") or []
    for kind, rows in (("indicators", indicators), ("projects", projects), ("stated_totals", totals)):
        if not isinstance(rows, list):
            problems.append(f"{kind} 应为列表")
    if problems:
        raise PlanFileError(path, problems)

    seen = set()
    names = {row.get("name") for row in indicators if isinstance(row, dict)}
    for number, row in enumerate(indicators, start=1):
        where = f"指标第{number}行（{row.get('name') if isinstance(row, dict) else row}）"
        if not isinstance(row, dict):
            problems.append(f"{where}：应为映射")
            continue
        _keys(problems, where, row, INDICATOR_KEYS, INDICATOR_REQUIRED)
        _check_indicator(problems, where, row, names, region_names)
        identity = (row.get("seq"), row.get("name"), row.get("region"))
        if identity in seen:
            problems.append(f"{where}：序号+名称+区域 与前面的行重复")
        seen.add(identity)

    seqs = set()
    for number, row in enumerate(projects, start=1):
        where = f"项目第{number}行（{row.get('name') if isinstance(row, dict) else row}）"
        if not isinstance(row, dict):
            problems.append(f"{where}：应为映射")
            continue
        _keys(problems, where, row, PROJECT_KEYS, PROJECT_REQUIRED)
        _check_project(problems, where, row)
        if str(row.get("seq")) in seqs:
            problems.append(f"{where}：序号 {row.get('seq')} 重复")
        seqs.add(str(row.get("seq")))

    for number, row in enumerate(totals, start=1):
        where = f"合计第{number}行"
        if not isinstance(row, dict):
            problems.append(f"{where}：应为映射")
            continue
        _keys(problems, where, row, TOTAL_KEYS, TOTAL_REQUIRED)
        _decimal(problems, where, row, "value_wan")
        _source(problems, where, row.get("source"))

    if problems:
        raise PlanFileError(path, problems)
    for row in indicators:
        row["values"] = _cells(row.get("values"))
        row["targets"] = _cells(row.get("targets"))
    return {"plan": plan, "indicators": indicators, "projects": projects, "stated_totals": totals}


def read_regions(path: str | Path) -> list[dict]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    rows = data.get("regions") if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise PlanFileError(path, ["regions 应为列表"])
    problems, names = [], set()
    for number, row in enumerate(rows, start=1):
        _keys(problems, f"区域第{number}行", row, {"name", "kind", "parent", "code", "aliases"}, {"name", "kind"})
        if not isinstance(row.get("aliases", []), list):
            problems.append(f"区域第{number}行（{row.get('name')}）：aliases 应为列表")
        if row.get("parent") and row["parent"] not in names:
            problems.append(f"区域第{number}行（{row.get('name')}）：上级区域 {row['parent']} 须在其前面列出")
        if row.get("name") in names:
            problems.append(f"区域第{number}行：名称 {row.get('name')} 重复")
        names.add(row.get("name"))
    if problems:
        raise PlanFileError(path, problems)
    return rows


def _keys(problems, where, row, allowed, required):
    unknown = sorted(set(row) - allowed)
    if unknown:
        problems.append(f"{where}：未知的键 {', '.join(unknown)}")
    missing = sorted(required - set(row))
    if missing:
        problems.append(f"{where}：缺少必需的键 {', '.join(missing)}")


def _check_plan(problems, plan, region_names):
    if not isinstance(plan, dict):
        problems.append("plan：应为映射")
        return
    _keys(problems, "plan", plan, PLAN_KEYS, PLAN_REQUIRED)
    if "reporting" in plan and not isinstance(plan["reporting"], bool):
        problems.append("plan：reporting 应为 true 或 false")
    for key in ("period_start", "period_end", "baseline_year"):
        if key in plan and not isinstance(plan[key], int):
            problems.append(f"plan：{key} 应为年份整数")
    if isinstance(plan.get("period_start"), int) and isinstance(plan.get("period_end"), int):
        if plan["period_start"] > plan["period_end"]:
            problems.append("plan：period_start 晚于 period_end")
    issued = plan.get("issued_on")
    if issued is not None and not isinstance(issued, datetime.date):
        try:
            datetime.date.fromisoformat(str(issued))
        except ValueError:
            problems.append(f"plan：issued_on“{issued}”不是 YYYY-MM-DD 日期")
    if region_names is not None and plan.get("region") not in region_names:
        problems.append(f"plan：区域“{plan.get('region')}”不在 regions.yaml 中")
    for number, milestone in enumerate(plan.get("milestones") or [], start=1):
        if not isinstance(milestone, dict) or set(milestone) != {"kind", "year", "label"}:
            problems.append(f"plan：milestones 第{number}项应含 kind、year、label")
        elif milestone["kind"] not in MILESTONE_KINDS:
            problems.append(f"plan：milestones 第{number}项 kind“{milestone['kind']}”未知")
    source = plan.get("source")
    if not isinstance(source, dict) or not source.get("file"):
        problems.append("plan：source 应含 file")


def _check_indicator(problems, where, row, names, region_names):
    if not row.get("name"):
        problems.append(f"{where}：name 不能为空")
    if row.get("attribute") is not None and row["attribute"] not in ATTRIBUTES:
        problems.append(f"{where}：attribute“{row['attribute']}”应为 约束性/预期性/参考性 或 null")
    if row.get("verdict") is not None and row["verdict"] not in VERDICTS:
        problems.append(f"{where}：verdict“{row['verdict']}”应为 完成/未完成 或 null")
    if row.get("direction") is not None and row["direction"] not in DIRECTIONS:
        problems.append(f"{where}：direction“{row['direction']}”应为 higher/lower/qualitative 或 null")
    if row.get("parent") is not None and row["parent"] not in names:
        problems.append(f"{where}：parent“{row['parent']}”不是本文件中的指标名称")
    if row.get("region") is not None and region_names is not None and row["region"] not in region_names:
        problems.append(f"{where}：区域“{row['region']}”不在 regions.yaml 中")
    if row.get("seq") is not None and not isinstance(row["seq"], str):
        problems.append(f"{where}：seq 应为字符串（加引号）")
    if not isinstance(row.get("footnotes", []), list):
        problems.append(f"{where}：footnotes 应为列表")
    for key in ("values", "targets"):
        cells = row.get(key)
        if cells is None:
            continue
        if not isinstance(cells, dict):
            problems.append(f"{where}：{key} 应为 年份→原文 的映射")
            continue
        for year, cell in cells.items():
            if not str(year).isdigit() or len(str(year)) != 4:
                problems.append(f"{where}：{key} 的年份“{year}”不是四位年份")
            text = cell.get("text") if isinstance(cell, dict) else cell
            if isinstance(cell, dict) and (set(cell) - {"text", "line"} or "text" not in cell):
                problems.append(f"{where}：{key}[{year}] 应为原文字符串或 {{text, line}}")
            if text is None or grammar.is_empty(text):
                problems.append(f"{where}：{key}[{year}] 为空（空单元格不应写入）")
            elif key == "targets" and grammar.parse(str(text)).kind == grammar.UNPARSED and not row.get("note"):
                problems.append(f"{where}：targets[{year}]“{text}”无法解析，且该行没有 note 说明")
    _source(problems, where, row.get("source"))


def _check_project(problems, where, row):
    if row.get("nature") is not None and row["nature"] not in NATURES:
        problems.append(f"{where}：nature“{row['nature']}”应为 新建/续建/改扩建 或 null")
    for key in ("start_year", "end_year"):
        if row.get(key) is not None and not isinstance(row[key], int):
            problems.append(f"{where}：{key} 应为年份整数")
    if isinstance(row.get("start_year"), int) and isinstance(row.get("end_year"), int):
        if row["start_year"] > row["end_year"]:
            problems.append(f"{where}：start_year 晚于 end_year")
    _decimal(problems, where, row, "investment_wan")
    _source(problems, where, row.get("source"))


def _decimal(problems, where, row, key):
    value = row.get(key)
    if value is None:
        return
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        problems.append(f"{where}：{key}“{value}”不是数字")
        return
    if number < 0:
        problems.append(f"{where}：{key} 不能为负数")


def _source(problems, where, source):
    if not isinstance(source, dict) or not source.get("file") or not isinstance(source.get("line"), int):
        problems.append(f"{where}：source 应含 file 和 line（行号）")


def _cells(cells):
    result = {}
    for year, cell in (cells or {}).items():
        if isinstance(cell, dict):
            result[int(year)] = Cell(str(cell["text"]), cell.get("line"))
        else:
            result[int(year)] = Cell(str(cell))
    return result
