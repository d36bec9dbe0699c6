"""The Excel entry template (download) and its import (upload).

An upload is checked whole before anything is saved: the file itself (size, a real .xlsx, no zip
or XML bomb: openpyxl never checks how large a workbook unzips to, so the zip's declared sizes are
checked first, and defusedxml refuses entity tricks), then the layout (sheets, the plan and year
it was made for, the header row), then every row. One wrong cell refuses the whole upload with a
list of errors naming sheet, row, column and reason; a good one is saved in one transaction.
"""

from __future__ import annotations

import io
import math
import time
import zipfile
import zlib
from dataclasses import dataclass
from enum import IntEnum

from defusedxml import DefusedXmlException
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.core import packages
from indicators.models import Indicator
from indicators.services import EntryRejected, RowInput, entry_rows, values_save
from projects.models import KeyProject, ProjectProgress
from projects.services import progress_save, projects_for_entry

TEMPLATE_VERSION = "1"
VALUES_SHEET = "指标填报"
PROGRESS_SHEET = "项目进展"
HEADER_ROW = 4


class ValueColumn(IntEnum):
    """Columns of the 指标填报 sheet, numbered as Excel numbers them (A = 1)."""

    ID = 1
    CATEGORY = 2
    SEQ = 3
    NAME = 4
    REGION = 5
    UNIT = 6
    TARGET = 7
    BASELINE = 8
    PREVIOUS = 9
    VALUE = 10
    REMARK = 11
    CONFIRM = 12
    VERSION = 13


class ProgressColumn(IntEnum):
    """Columns of the 项目进展 sheet (A = 1)."""

    ID = 1
    SEQ = 2
    CATEGORY = 3
    NAME = 4
    INVESTMENT = 5
    PERIOD = 6
    STATUS = 7
    INVESTMENT_DONE = 8
    PERCENT = 9
    REMARK = 10
    VERSION = 11


# The header text is part of the layout check on import, so it stays Chinese in every language.
VALUE_HEADERS = {
    ValueColumn.ID: "指标ID",
    ValueColumn.CATEGORY: "方面/领域",
    ValueColumn.SEQ: "序号",
    ValueColumn.NAME: "指标名称",
    ValueColumn.REGION: "区域",
    ValueColumn.UNIT: "单位",
    ValueColumn.TARGET: "本年目标",
    ValueColumn.BASELINE: "基准值",
    ValueColumn.PREVIOUS: "上年值",
    ValueColumn.VALUE: "本年值（填写）",
    ValueColumn.REMARK: "备注（填写）",
    ValueColumn.CONFIRM: "确认无误（是/否）",
    ValueColumn.VERSION: "版本",
}
VALUE_INPUTS = (ValueColumn.VALUE, ValueColumn.REMARK, ValueColumn.CONFIRM)
PROGRESS_HEADERS = {
    ProgressColumn.ID: "项目ID",
    ProgressColumn.SEQ: "序号",
    ProgressColumn.CATEGORY: "项目类型",
    ProgressColumn.NAME: "项目名称",
    ProgressColumn.INVESTMENT: "计划投资（万元）",
    ProgressColumn.PERIOD: "建设年份",
    ProgressColumn.STATUS: "进展状态（填写）",
    ProgressColumn.INVESTMENT_DONE: "累计完成投资（万元）（填写）",
    ProgressColumn.PERCENT: "完成比例（%）（填写）",
    ProgressColumn.REMARK: "备注（填写）",
    ProgressColumn.VERSION: "版本",
}
PROGRESS_INPUTS = (ProgressColumn.STATUS, ProgressColumn.INVESTMENT_DONE, ProgressColumn.PERCENT, ProgressColumn.REMARK)
# Row 2 names the plan, year and template version the file was made for.
META_PLAN, META_YEAR, META_VERSION = 2, 4, 6
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
STATUS_BY_LABEL = {label: code for code, label in ProjectProgress.Status.choices}
LABEL_BY_STATUS = {code: str(label) for code, label in ProjectProgress.Status.choices}


class ImportRefused(Exception):
    """The upload was not saved; `errors` are messages naming sheet, row, column and reason."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("；".join(errors))


def letter(column: int) -> str:
    return get_column_letter(column)


def column_name(letters: str, label: str = "") -> str:
    """How a column is named to the user: "J列", or "J列（本年值）" where its letter alone is not enough."""
    if label:
        return _("%(letters)s列（%(label)s）") % {"letters": letters, "label": label}
    return _("%(letters)s列") % {"letters": letters}


def at_cell(sheet: str, row: int, column: str, problem: str) -> str:
    """A problem located in the workbook the way the user sees it: sheet, row, column (see column_name)."""
    return _("工作表“%(sheet)s”第%(row)s行 %(column)s：%(problem)s") % {
        "sheet": sheet,
        "row": row,
        "column": column,
        "problem": problem,
    }


# --- template ------------------------------------------------------------------------------------


def template_build(*, plan, year, user) -> bytes:
    """The entry template for `user` on `plan` and `year`, as xlsx bytes."""
    wb = Workbook()
    ws = wb.active
    ws.title = VALUES_SHEET
    _title(ws, f"{plan.title} · {year}年 指标数据填报", plan, year)
    _header(ws, VALUE_HEADERS)
    choices_validation = {}
    confirm = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(confirm)
    for offset, row in enumerate(entry_rows(plan, year, user)):
        r = HEADER_ROW + 1 + offset
        i = row.indicator
        cells = {
            ValueColumn.ID: i.pk,
            ValueColumn.CATEGORY: i.category,
            ValueColumn.SEQ: i.seq,
            ValueColumn.NAME: i.name,
            ValueColumn.REGION: i.region.name if i.region else "",
            ValueColumn.UNIT: i.unit,
            ValueColumn.TARGET: row.target.raw_text if row.target else "",
            ValueColumn.BASELINE: row.baseline.raw_text if row.baseline else "",
            ValueColumn.PREVIOUS: row.previous.raw if row.previous else "",
            ValueColumn.VALUE: row.current.raw_text if row.current else "",
            ValueColumn.REMARK: row.current.remark if row.current else "",
            ValueColumn.CONFIRM: "",
            ValueColumn.VERSION: row.current.version if row.current else 0,
        }
        for c, value in cells.items():
            _put(ws, r, c, value)
        _mark_inputs(ws, r, VALUE_INPUTS, row.editable)
        if row.choices and row.editable:
            key = ",".join(row.choices)
            if key not in choices_validation:
                choices_validation[key] = DataValidation(type="list", formula1=f'"{key}"', allow_blank=True)
                ws.add_data_validation(choices_validation[key])
            choices_validation[key].add(f"{letter(ValueColumn.VALUE)}{r}")
        if row.editable:
            confirm.add(f"{letter(ValueColumn.CONFIRM)}{r}")
    _finish(ws, [10, 14, 6, 40, 10, 8, 24, 12, 12, 16, 24, 10, 6])

    ps = wb.create_sheet(PROGRESS_SHEET)
    _title(ps, f"{plan.title} · {year}年 重点项目进展填报", plan, year)
    _header(ps, PROGRESS_HEADERS)
    status_list = DataValidation(type="list", formula1='"' + ",".join(LABEL_BY_STATUS.values()) + '"', allow_blank=True)
    ps.add_data_validation(status_list)
    progress = {p.project_id: p for p in ProjectProgress.objects.filter(project__plan=plan, year=year)}
    for offset, project in enumerate(projects_for_entry(user, plan).order_by("position")):
        r = HEADER_ROW + 1 + offset
        current = progress.get(project.pk)
        editable = current is None or current.state in ("draft", "returned")
        cells = {
            ProgressColumn.ID: project.pk,
            ProgressColumn.SEQ: project.seq,
            ProgressColumn.CATEGORY: project.category,
            ProgressColumn.NAME: project.name,
            ProgressColumn.INVESTMENT: _number(project.investment_wan),
            ProgressColumn.PERIOD: project.period_text,
            ProgressColumn.STATUS: LABEL_BY_STATUS[current.status] if current else "",
            ProgressColumn.INVESTMENT_DONE: _number(current.investment_completed_wan) if current else None,
            ProgressColumn.PERCENT: _number(current.percent_complete) if current else None,
            ProgressColumn.REMARK: current.remark if current else "",
            ProgressColumn.VERSION: current.version if current else 0,
        }
        for c, value in cells.items():
            _put(ps, r, c, value)
        _mark_inputs(ps, r, PROGRESS_INPUTS, editable)
        if editable:
            status_list.add(f"{letter(ProgressColumn.STATUS)}{r}")
    _finish(ps, [10, 6, 24, 40, 14, 14, 14, 18, 14, 24, 6])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _put(ws, r, c, value):
    """Text is always written as a string cell: a remark beginning with "=" must not become a formula."""
    cell = ws.cell(row=r, column=c, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    return cell


def _number(value):
    return float(value) if value is not None else None


def _mark_inputs(ws, r, columns, editable):
    for c in columns:
        ws.cell(row=r, column=c).protection = Protection(locked=not editable)
        if editable:
            ws.cell(row=r, column=c).fill = INPUT_FILL


def _title(ws, title, plan, year):
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    meta = {1: "规划代码", META_PLAN: plan.code, 3: "年份", META_YEAR: year, 5: "模板版本", META_VERSION: TEMPLATE_VERSION}
    for c, value in meta.items():
        _put(ws, 2, c, value)
    ws["A3"] = "说明：只在黄色单元格中填写；其他单元格受保护。上传后全部校验通过才会保存。"


def _header(ws, headers):
    for c, text in headers.items():
        cell = _put(ws, HEADER_ROW, c, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _finish(ws, widths):
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[letter(c)].width = width
    ws.column_dimensions[letter(len(widths))].hidden = True  # 版本: for conflict checks
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


# --- import --------------------------------------------------------------------------------------


@dataclass
class _Row:
    sheet: str
    row: int
    key: int


def workbook_open(data: bytes):
    """Open an uploaded file safely, or ImportRefused saying what is wrong with it."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused(
            [_("文件大小 %(size)d KB 超过上限 %(limit)d KB") % {"size": len(data) // 1024, "limit": limit // 1024}]
        )
    if not data:
        raise ImportRefused([_("文件为空")])
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused([_("文件不是有效的 Excel 工作簿（.xlsx）：可能是 CSV 或其他格式改了扩展名，或文件已损坏")])
    try:
        packages.package_check(
            data,
            required=("[Content_Types].xml", "xl/workbook.xml"),
            max_unzipped=settings.IMPORT_MAX_UNZIPPED_BYTES,
            max_ratio=settings.IMPORT_MAX_RATIO,
        ).close()
    except packages.PackageRefused as exc:
        raise ImportRefused([_package_problem(exc)]) from exc
    try:
        # Formulas, not their cached values: a formula in the template is refused (see _read_sheet).
        # keep_links=False: links to other workbooks are not followed nor kept (see external_links).
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except ImportRefused:
        raise
    except Exception as exc:  # defusedxml refusing entities (wrapped by openpyxl), broken XML, ...
        if _caused_by_defusedxml(exc):
            raise ImportRefused([_("文件包含不安全的 XML 内容（实体或 DTD），拒绝读取")]) from exc
        raise ImportRefused([_("无法读取工作簿：文件中的 XML 内容损坏")]) from exc


def _package_problem(exc) -> str:
    """What indicators.core.packages found, in the words of a workbook upload."""
    if exc.reason == packages.TOO_LARGE:
        return _("工作簿解压后达 %(mb)d MB，超过上限，拒绝读取（疑似压缩炸弹）") % {"mb": exc.params["bytes"] // (1024 * 1024)}
    if exc.reason == packages.RATIO:
        return _("工作簿中 %(member)s 的压缩比异常（%(ratio)d 倍），拒绝读取（疑似压缩炸弹）") % exc.params
    if exc.reason == packages.MACROS:
        # openpyxl refuses these as a broken file; say what it is and what to do instead.
        return _("文件是含宏的工作簿（.xlsm）：平台不接受宏，请在 Excel 中另存为 .xlsx 后上传")
    if exc.reason == packages.ENTITIES:
        # Whatever XML parser openpyxl uses (lxml ignores entities, defusedxml refuses them),
        # a workbook that declares entities is refused in words the user can act on.
        return _("文件包含不安全的 XML 内容（实体或 DTD），拒绝读取")
    if exc.reason == packages.MISSING:
        return _("文件不是 Excel 工作簿（.xlsx）：缺少工作簿结构")
    if exc.reason == packages.CORRUPT_MEMBER:
        return _("文件已损坏：%(member)s 校验失败") % exc.params
    return _("文件已损坏或不完整，无法打开")


def _caused_by_defusedxml(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def external_links(data: bytes) -> int:
    """How many links to other workbooks an upload carries (ignored: reported to the user)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(1 for n in archive.namelist() if n.startswith("xl/externalLinks/") and n.endswith(".xml"))


def workbook_import(*, plan, year, user, data: bytes, submit: bool = False, channel: str = "import") -> dict:
    """Validate an uploaded template whole, then save it in one transaction. Returns counts."""
    wb = workbook_open(data)
    try:
        errors = []
        value_rows, value_where = _read_sheet(wb, VALUES_SHEET, VALUE_HEADERS, plan, year, errors, _value_row)
        progress_rows, progress_where = _read_sheet(
            wb, PROGRESS_SHEET, PROGRESS_HEADERS, plan, year, errors, _progress_row, required=False
        )
    finally:
        wb.close()
    if errors:
        raise ImportRefused(errors)
    problems = []
    with transaction.atomic():
        values = progress = {"saved": 0, "submitted": 0}
        try:
            values = values_save(plan=plan, year=year, user=user, rows=value_rows, submit=submit, channel=channel)
        except EntryRejected as exc:
            problems += _located(exc, value_where, column_name(letter(ValueColumn.VALUE), _("本年值")))
        if progress_rows:
            try:
                progress = progress_save(plan=plan, year=year, user=user, rows=progress_rows, submit=submit, channel=channel)
            except EntryRejected as exc:
                span = f"{letter(ProgressColumn.STATUS)}–{letter(ProgressColumn.REMARK)}"
                problems += _located(exc, progress_where, column_name(span, _("进展")))
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(problems)
    return {"values": values, "progress": progress, "external_links": external_links(data)}


def _located(exc, where, column):
    messages = []
    for key, problems in exc.errors.items():
        place = where.get(key)
        for problem in problems:
            if place:
                messages.append(at_cell(place.sheet, place.row, column, problem))
            else:
                messages.append(_("ID %(key)s：%(problem)s") % {"key": key, "problem": problem})
    return messages


SLACK_ROWS, SLACK_COLUMNS = 50, 5  # room for a blank row or column someone added by hand


def _template_rows(name, plan):
    """How many rows below the header the downloaded template has for this plan (at most)."""
    if name == VALUES_SHEET:
        return Indicator.objects.filter(plan=plan).count() * 2  # a row per indicator, and per region row
    return KeyProject.objects.filter(plan=plan).count()


def _read_sheet(wb, name, headers, plan, year, errors, make_row, required=True):
    if name not in wb.sheetnames:
        if required:
            errors.append(_("缺少工作表“%(sheet)s”：请使用本平台下载的填报模板") % {"sheet": name})
        return [], {}
    ws = wb[name]
    # Read no further than the template itself reaches: a sheet that declares a million rows
    # (11 KB on disk) must not keep a worker busy for half an hour.
    max_rows = HEADER_ROW + _template_rows(name, plan) + SLACK_ROWS
    max_cols = len(headers) + SLACK_COLUMNS
    declared_rows, declared_cols = ws.max_row or 0, ws.max_column or 0
    if declared_rows > max_rows or declared_cols > max_cols:
        errors.append(
            _(
                "工作表“%(sheet)s”的范围为 %(rows)d 行 × %(cols)d 列，超出本模板（最多 %(max_rows)d 行、%(max_cols)d 列）：请在本平台下载的模板中填写"
            )
            % {"sheet": name, "rows": declared_rows, "cols": declared_cols, "max_rows": max_rows, "max_cols": max_cols}
        )
        return [], {}
    rows, formulas = [], []
    deadline = time.monotonic() + settings.IMPORT_MAX_SECONDS
    try:
        for cells in ws.iter_rows(max_row=max_rows, max_col=max_cols):
            rows.append(tuple(getattr(cell, "value", None) for cell in cells))
            formulas += [cell for cell in cells if getattr(cell, "data_type", None) == "f"]
            if time.monotonic() > deadline:  # the bounds above should make this unreachable
                errors.append(_("读取工作表“%(sheet)s”超时，拒绝导入：请在本平台下载的模板中填写") % {"sheet": name})
                return [], {}
    except (DefusedXmlException, SyntaxError, ValueError, KeyError, TypeError, AttributeError, IndexError, zlib.error):
        # ElementTree's ParseError is a SyntaxError: the sheet's XML itself is broken.
        # The row being read when it broke: the cell that cannot be read is on it ("NaN" typed as a number).
        errors.append(
            _("工作表“%(sheet)s”第%(row)d行有无法读取的内容（文件已损坏或数值无效）：请改正该行或重新下载模板填写")
            % {"sheet": name, "row": len(rows) + 1}
        )
        return [], {}
    if len(rows) < HEADER_ROW:
        errors.append(_("工作表“%(sheet)s”是空的：请使用本平台下载的填报模板") % {"sheet": name})
        return [], {}
    meta = list(rows[1]) + [None] * META_VERSION
    code, meta_year, version = meta[META_PLAN - 1], meta[META_YEAR - 1], meta[META_VERSION - 1]
    if code != plan.code:
        problem = _("模板属于规划“%(theirs)s”，不是本规划“%(ours)s”") % {"theirs": code, "ours": plan.code}
        errors.append(at_cell(name, 2, column_name(letter(META_PLAN)), problem))
    if str(meta_year) != str(year):
        problem = _("模板年份为“%(theirs)s”，不是%(year)s年") % {"theirs": meta_year, "year": year}
        errors.append(at_cell(name, 2, column_name(letter(META_YEAR)), problem))
    if str(version) != TEMPLATE_VERSION:
        problem = _("模板版本为“%(theirs)s”，本平台现行版本为“%(ours)s”，请重新下载模板") % {
            "theirs": version,
            "ours": TEMPLATE_VERSION,
        }
        errors.append(at_cell(name, 2, column_name(letter(META_VERSION)), problem))
    header = [("" if v is None else str(v)) for v in rows[HEADER_ROW - 1]]
    for c, expected in headers.items():
        actual = header[c - 1] if c - 1 < len(header) else ""
        if actual != expected:
            problem = _("表头应为“%(expected)s”，实际为“%(actual)s”（表格布局被修改）") % {
                "expected": expected,
                "actual": actual,
            }
            errors.append(at_cell(name, HEADER_ROW, column_name(letter(c)), problem))
    for cell in formulas:
        problem = _("单元格含公式“%(formula)s”：请直接填写数值或文字") % {"formula": cell.value}
        errors.append(at_cell(name, cell.row, column_name(letter(cell.column)), problem))
    if errors:
        return [], {}
    inputs, where = [], {}
    width = len(headers)
    for offset, values in enumerate(rows[HEADER_ROW:]):
        r = HEADER_ROW + 1 + offset
        values = list(values) + [None] * (width - len(values))
        if all(v in (None, "") for v in values):
            continue
        cells = {c: values[c - 1] for c in headers}
        try:
            key = int(values[0])
        except (TypeError, ValueError):
            errors.append(at_cell(name, r, column_name(letter(1)), _("ID“%(id)s”不是本平台的编号") % {"id": values[0]}))
            continue
        row = make_row(key, cells, name, r, errors)
        if row is not None:
            inputs.append(row)
            where[key] = _Row(name, r, key)
    return inputs, where


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # inf, nan: refused by the number reader, with the cell named
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value == int(value) else repr(value)
    return str(value).strip()


def _version(value, sheet, r, column, errors):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        errors.append(at_cell(sheet, r, column_name(letter(column)), _("版本号被修改")))
        return None


def _value_row(key, cells, sheet, r, errors):
    confirm = _text(cells[ValueColumn.CONFIRM])
    if confirm not in ("", "是", "否"):
        problem = _("应填“是”或“否”，实际为“%(actual)s”") % {"actual": confirm}
        errors.append(at_cell(sheet, r, column_name(letter(ValueColumn.CONFIRM), _("确认无误")), problem))
        return None
    version = _version(cells[ValueColumn.VERSION], sheet, r, ValueColumn.VERSION, errors)
    if version is None:
        return None
    return RowInput(
        key=key,
        # An empty cell leaves a stored figure as it is: clearing one is done on the form.
        text=_text(cells[ValueColumn.VALUE]) or None,
        remark=_text(cells[ValueColumn.REMARK]),
        confirmed=confirm == "是",
        version=version,
    )


def _progress_row(key, cells, sheet, r, errors):
    label = _text(cells[ProgressColumn.STATUS])
    if label and label not in STATUS_BY_LABEL:
        problem = _("应为%(choices)s之一，实际为“%(actual)s”") % {
            "choices": "、".join(STATUS_BY_LABEL),
            "actual": label,
        }
        errors.append(at_cell(sheet, r, column_name(letter(ProgressColumn.STATUS), _("进展状态")), problem))
        return None
    version = _version(cells[ProgressColumn.VERSION], sheet, r, ProgressColumn.VERSION, errors)
    if version is None:
        return None
    inputs = (ProgressColumn.STATUS, ProgressColumn.INVESTMENT_DONE, ProgressColumn.PERCENT)
    if not any(_text(cells[c]) for c in inputs):
        return None  # nothing reported on this row: any stored progress stays as it is
    return RowInput(
        key=key,
        status=STATUS_BY_LABEL.get(label, ""),
        investment=_text(cells[ProgressColumn.INVESTMENT_DONE]),
        percent=_text(cells[ProgressColumn.PERCENT]),
        remark=_text(cells[ProgressColumn.REMARK]),
        version=version,
    )
