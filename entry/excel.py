"""The Excel entry template (download) and its import (upload).

An upload is checked whole before anything is saved: the file itself (size, a real .xlsx, no zip
or XML bomb: openpyxl never checks how large a workbook unzips to, so the zip's declared sizes are
checked first, and defusedxml refuses entity tricks), then the layout (sheets, the plan and year
it was made for, the header row), then every row. One wrong cell refuses the whole upload with a
list of errors naming sheet, row, column and reason; a good one is saved in one transaction.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from defusedxml import DefusedXmlException
from django.conf import settings
from django.db import transaction
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from indicators.services import EntryRejected, RowInput, entry_rows, values_save
from projects.models import KeyProject, ProjectProgress
from projects.services import progress_save

TEMPLATE_VERSION = "1"
VALUES_SHEET = "指标填报"
PROGRESS_SHEET = "项目进展"
HEADER_ROW = 4
VALUE_HEADERS = [
    "指标ID",
    "方面/领域",
    "序号",
    "指标名称",
    "区域",
    "单位",
    "本年目标",
    "基准值",
    "上年值",
    "本年值（填写）",
    "备注（填写）",
    "确认无误（是/否）",
    "版本",
]
PROGRESS_HEADERS = [
    "项目ID",
    "序号",
    "项目类型",
    "项目名称",
    "计划投资（万元）",
    "建设年份",
    "进展状态（填写）",
    "累计完成投资（万元）（填写）",
    "完成比例（%）（填写）",
    "备注（填写）",
    "版本",
]
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
STATUS_BY_LABEL = {label: code for code, label in ProjectProgress.Status.choices}
LABEL_BY_STATUS = {code: str(label) for code, label in ProjectProgress.Status.choices}


class ImportRefused(Exception):
    """The upload was not saved; `errors` are messages naming sheet, row, column and reason."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("；".join(errors))


# --- template ------------------------------------------------------------------------------------


def template_build(*, plan, year, user):
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
        cells = [
            i.pk,
            i.category,
            i.seq,
            i.name,
            i.region.name if i.region else "",
            i.unit,
            row.target.raw_text if row.target else "",
            row.baseline.raw_text if row.baseline else "",
            row.previous.raw_text if row.previous else "",
            row.current.raw_text if row.current else "",
            row.current.remark if row.current else "",
            "",
            row.current.version if row.current else 0,
        ]
        for c, value in enumerate(cells, start=1):
            cell = ws.cell(row=r, column=c, value=value)
            cell.data_type = "s" if isinstance(value, str) else cell.data_type
        for c in (10, 11, 12):
            ws.cell(row=r, column=c).protection = Protection(locked=not row.editable)
            if row.editable:
                ws.cell(row=r, column=c).fill = INPUT_FILL
        if row.choices and row.editable:
            key = ",".join(row.choices)
            if key not in choices_validation:
                choices_validation[key] = DataValidation(type="list", formula1=f'"{key}"', allow_blank=True)
                ws.add_data_validation(choices_validation[key])
            choices_validation[key].add(f"J{r}")
        if row.editable:
            confirm.add(f"L{r}")
    _finish(ws, [10, 14, 6, 40, 10, 8, 24, 12, 12, 16, 24, 10, 6])

    ps = wb.create_sheet(PROGRESS_SHEET)
    _title(ps, f"{plan.title} · {year}年 重点项目进展填报", plan, year)
    _header(ps, PROGRESS_HEADERS)
    status_list = DataValidation(type="list", formula1='"' + ",".join(LABEL_BY_STATUS.values()) + '"', allow_blank=True)
    ps.add_data_validation(status_list)
    progress = {p.project_id: p for p in ProjectProgress.objects.filter(project__plan=plan, year=year)}
    for offset, project in enumerate(KeyProject.objects.filter(plan=plan).order_by("position")):
        r = HEADER_ROW + 1 + offset
        current = progress.get(project.pk)
        editable = current is None or current.state in ("draft", "returned")
        cells = [
            project.pk,
            project.seq,
            project.category,
            project.name,
            float(project.investment_wan) if project.investment_wan is not None else None,
            project.period_text,
            LABEL_BY_STATUS[current.status] if current else "",
            float(current.investment_completed_wan) if current and current.investment_completed_wan is not None else None,
            float(current.percent_complete) if current and current.percent_complete is not None else None,
            current.remark if current else "",
            current.version if current else 0,
        ]
        for c, value in enumerate(cells, start=1):
            ps.cell(row=r, column=c, value=value)
        for c in (7, 8, 9, 10):
            ps.cell(row=r, column=c).protection = Protection(locked=not editable)
            if editable:
                ps.cell(row=r, column=c).fill = INPUT_FILL
        if editable:
            status_list.add(f"G{r}")
    _finish(ps, [10, 6, 24, 40, 14, 14, 14, 18, 14, 24, 6])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _title(ws, title, plan, year):
    ws["A1"] = title
    ws["A1"].font = Font(bold=True, size=13)
    for column, value in zip("ABCDEF", ["规划代码", plan.code, "年份", year, "模板版本", TEMPLATE_VERSION], strict=True):
        ws[f"{column}2"] = value
    ws["A3"] = "说明：只在黄色单元格中填写；其他单元格受保护。上传后全部校验通过才会保存。"


def _header(ws, headers):
    for c, text in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def _finish(ws, widths):
    for c, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.column_dimensions[get_column_letter(len(widths))].hidden = True  # 版本: for conflict checks
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


def workbook_open(data):
    """Open an uploaded file safely, or ImportRefused saying what is wrong with it."""
    limit = settings.IMPORT_MAX_BYTES
    if len(data) > limit:
        raise ImportRefused([f"文件大小 {len(data) // 1024} KB 超过上限 {limit // 1024} KB"])
    if not data:
        raise ImportRefused(["文件为空"])
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(["文件不是有效的 Excel 工作簿（.xlsx）：可能是 CSV 或其他格式改了扩展名，或文件已损坏"])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = {m.filename for m in members}
            total = sum(m.file_size for m in members)
            if total > settings.IMPORT_MAX_UNZIPPED_BYTES:
                raise ImportRefused([f"工作簿解压后达 {total // (1024 * 1024)} MB，超过上限，拒绝读取（疑似压缩炸弹）"])
            for m in members:
                if m.compress_size and m.file_size / m.compress_size > settings.IMPORT_MAX_RATIO:
                    raise ImportRefused(
                        [
                            f"工作簿中 {m.filename} 的压缩比异常（{m.file_size // max(m.compress_size, 1)} 倍），拒绝读取（疑似压缩炸弹）"
                        ]
                    )
            if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
                raise ImportRefused(["文件不是 Excel 工作簿（.xlsx）：缺少工作簿结构"])
            bad = archive.testzip()
            if bad is not None:
                raise ImportRefused([f"文件已损坏：{bad} 校验失败"])
    except zipfile.BadZipFile as exc:
        raise ImportRefused(["文件已损坏或不完整，无法打开"]) from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportRefused:
        raise
    except Exception as exc:  # defusedxml refusing entities (wrapped by openpyxl), broken XML, ...
        if _caused_by_defusedxml(exc):
            raise ImportRefused(["文件包含不安全的 XML 内容（实体或 DTD），拒绝读取"]) from exc
        raise ImportRefused(["无法读取工作簿：文件中的 XML 内容损坏"]) from exc


def _caused_by_defusedxml(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, DefusedXmlException):
            return True
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return False


def workbook_import(*, plan, year, user, data, submit=False, channel="import"):
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
            problems += _located(exc, value_where, "J列（本年值）")
        if progress_rows:
            try:
                progress = progress_save(plan=plan, year=year, user=user, rows=progress_rows, submit=submit, channel=channel)
            except EntryRejected as exc:
                problems += _located(exc, progress_where, "G–J列（进展）")
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportRefused(problems)
    return {"values": values, "progress": progress}


def _located(exc, where, column):
    messages = []
    for key, problems in exc.errors.items():
        place = where.get(key)
        prefix = f"工作表“{place.sheet}”第{place.row}行 {column}" if place else f"ID {key}"
        messages.extend(f"{prefix}：{problem}" for problem in problems)
    return messages


def _read_sheet(wb, name, headers, plan, year, errors, make_row, required=True):
    if name not in wb.sheetnames:
        if required:
            errors.append(f"缺少工作表“{name}”：请使用本平台下载的填报模板")
        return [], {}
    ws = wb[name]
    rows = list(ws.iter_rows(values_only=True))
    if len(rows) < HEADER_ROW:
        errors.append(f"工作表“{name}”是空的：请使用本平台下载的填报模板")
        return [], {}
    meta = rows[1]
    code, meta_year = (meta[1] if len(meta) > 1 else None), (meta[3] if len(meta) > 3 else None)
    if code != plan.code:
        errors.append(f"工作表“{name}”第2行 B列：模板属于规划“{code}”，不是本规划“{plan.code}”")
    if str(meta_year) != str(year):
        errors.append(f"工作表“{name}”第2行 D列：模板年份为“{meta_year}”，不是{year}年")
    version = meta[5] if len(meta) > 5 else None
    if str(version) != TEMPLATE_VERSION:
        errors.append(f"工作表“{name}”第2行 F列：模板版本为“{version}”，本平台现行版本为“{TEMPLATE_VERSION}”，请重新下载模板")
    header = [("" if v is None else str(v)) for v in rows[HEADER_ROW - 1]][: len(headers)]
    for c, expected in enumerate(headers):
        actual = header[c] if c < len(header) else ""
        if actual != expected:
            errors.append(
                f"工作表“{name}”第{HEADER_ROW}行 {get_column_letter(c + 1)}列：表头应为“{expected}”，实际为“{actual}”（表格布局被修改）"
            )
    if errors:
        return [], {}
    inputs, where = [], {}
    for offset, cells in enumerate(rows[HEADER_ROW:]):
        r = HEADER_ROW + 1 + offset
        cells = list(cells) + [None] * (len(headers) - len(cells))
        if all(v in (None, "") for v in cells):
            continue
        try:
            key = int(cells[0])
        except (TypeError, ValueError):
            errors.append(f"工作表“{name}”第{r}行 A列：ID“{cells[0]}”不是本平台的编号")
            continue
        row = make_row(key, cells, name, r, errors)
        if row is not None:
            inputs.append(row)
            where[key] = _Row(name, r, key)
    return inputs, where


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value).removesuffix(".0") if value == int(value) else repr(value)
    return str(value).strip()


def _version(value, sheet, r, column, errors):
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        errors.append(f"工作表“{sheet}”第{r}行 {column}列：版本号被修改")
        return None


def _value_row(key, cells, sheet, r, errors):
    confirm = _text(cells[11])
    if confirm not in ("", "是", "否"):
        errors.append(f"工作表“{sheet}”第{r}行 L列（确认无误）：应填“是”或“否”，实际为“{confirm}”")
        return None
    version = _version(cells[12], sheet, r, "M", errors)
    if version is None:
        return None
    return RowInput(key=key, text=_text(cells[9]), remark=_text(cells[10]), confirmed=confirm == "是", version=version)


def _progress_row(key, cells, sheet, r, errors):
    label = _text(cells[6])
    if label and label not in STATUS_BY_LABEL:
        errors.append(f"工作表“{sheet}”第{r}行 G列（进展状态）：应为{'、'.join(STATUS_BY_LABEL)}之一，实际为“{label}”")
        return None
    version = _version(cells[10], sheet, r, "K", errors)
    if version is None:
        return None
    return RowInput(
        key=key,
        status=STATUS_BY_LABEL.get(label, ""),
        investment=_text(cells[7]),
        percent=_text(cells[8]),
        remark=_text(cells[9]),
        version=version,
    )
