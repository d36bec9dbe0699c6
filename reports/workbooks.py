"""Excel workbooks from report data (reports.data), no Django. Written through reports.xlsx, so
memory stays flat however many plans a report holds. Laid out like the tables officials know: the
plan's own indicator table with merged category cells, frozen header rows, A4 landscape with
repeated title rows, fitted to the width.

Every text cell is written as text: a remark or name starting with "=" stays a string and never
becomes a formula. Formulas are only the ones written here (totals and execution rates).
"""

from __future__ import annotations

import csv
import gc
import io
import re
from contextlib import contextmanager
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from indicators.core.vocabulary import STATUS_LABELS, STATUS_ORDER, STATUSES
from reports.xlsx import Book

# Excel colours are "RRGGBB": the vocabulary's, without the "#".
STATUS_FILLS = {t.code: (t.colour.lstrip("#").upper(), t.text_colour.lstrip("#").upper()) for t in STATUSES}
STATUS_STYLES = {
    code: (Font(bold=True, color=colour), PatternFill("solid", fgColor=background))
    for code, (background, colour) in STATUS_FILLS.items()
}
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
THIN = Side(style="thin", color="9AA0A6")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
WRAP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
BANNER = Alignment(vertical="center", wrap_text=True)
TOP = Alignment(vertical="top")  # numbers level with the first line of the wrapped texts beside them
MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


_PLAIN_NUMBER = re.compile(r"-?\d+(?:\.(\d+))?%?")


LINE_HEIGHT = 15  # points per line of 11-point text
A4_LANDSCAPE_WIDTH = 160  # in Excel column-width units, about what fits legibly across A4 landscape


@contextmanager
def fewer_collections(every=10_000):
    """Run the cyclic garbage collector after `every` new containers rather than Python's 700.

    Reading and writing a province's reports makes millions of short-lived dicts and tuples, and
    each collection walks every live object: at the default the collector took a sixth of the
    all-plans summary's time (issue 17). Process-wide while it lasts, which only changes how often
    the collector runs for anything else in the process."""
    previous = gc.get_threshold()
    gc.set_threshold(max(every, previous[0]), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def printed_time(iso: str) -> str:
    """2026-11-28T17:01:13+08:00 as a Chinese document prints it: 2026年11月28日 17:01."""
    when = datetime.fromisoformat(iso)
    return _("{y}年{m}月{d}日 {hm}").format(y=when.year, m=when.month, d=when.day, hm=f"{when:%H:%M}")


class Sheet:
    """A worksheet of a `Book` with the portal's cell helpers: text, numbers, formulas, statuses,
    headers and merged runs. Cells are appended row by row and written at once (reports.xlsx)."""

    def __init__(self, book, title, widths, title_rows=3):
        self.book = book
        self.ws = book.create_sheet(title[:31])
        self.row = 0  # the number of the last row written
        self.widths = list(widths)
        self._plain_text = book.style(self.ws, alignment=WRAP, border=BORDER)
        self._numbers = {}
        ws = self.ws
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(index)].width = width
        ws.page_setup.orientation = "landscape"
        # A wide table squeezed onto A4 prints too small to read; offices print such tables on A3.
        wide = sum(widths) > A4_LANDSCAPE_WIDTH
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if wide else Worksheet.PAPERSIZE_A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = f"1:{title_rows}"

    def freeze(self, cell):
        self.ws.freeze_panes = cell

    def append(self, cells):
        return self._write(cells, self._lines(cells))

    def banner(self, text, columns):
        """A line of text across the first `columns` columns (a subtitle): merged, and wrapped
        within their total width, which the row's height is estimated from."""
        cell = self.text(text, alignment=BANNER, border=False)
        row = self._write([cell], cell.lines(sum(self.widths[:columns])))
        self.merge_across(row, 1, columns)
        return row

    def _write(self, cells, lines):
        # Excel grows a row to fit wrapped text when it opens the file; LibreOffice and print
        # previews do not, and cut the text off. So the height is set from an estimate.
        self.row += 1
        self.book.append(self.ws, self.row, cells, height=LINE_HEIGHT * lines if lines > 1 else None)
        return self.row

    def _lines(self, cells):
        most = 1
        for cell, width in zip(cells, self.widths, strict=False):
            if cell is not None and cell.widths is not None and (len(cell.widths) > 1 or cell.widths[0] > width):
                most = max(most, cell.lines(width))
        return most

    def text(self, value, *, font=None, fill=None, alignment=WRAP, border=True):
        """Always a string: a text starting with "=" is never a formula."""
        value = "" if value is None else str(value)
        if font is None and fill is None and alignment is WRAP and border:
            return self.book.text(value, self._plain_text, True)  # most cells
        style = self.book.style(self.ws, font=font, fill=fill, alignment=alignment, border=BORDER if border else None)
        return self.book.text(value, style, alignment is not None and alignment.wrap_text)

    def number(self, value, number_format="General", *, border=True):
        style = self._numbers.get((number_format, border))
        if style is None:
            style = self.book.style(self.ws, alignment=TOP, border=BORDER if border else None, number_format=number_format)
            self._numbers[number_format, border] = style
        return self.book.number(value, style)

    def formula(self, expression, number_format="General"):
        style = self.book.style(self.ws, font=BOLD, alignment=TOP, border=BORDER, number_format=number_format)
        return self.book.formula(expression, style)

    def printed(self, raw):
        """A printed or entered figure: a number with its printed precision, else the text as is."""
        if raw is None or raw == "":
            return self.text("")
        # Kept by its text: the same figures recur across years and plans.
        found = self.book.kept(("printed", raw))
        if found is None:
            text = raw.strip()
            number = _PLAIN_NUMBER.fullmatch(text)
            if number:
                decimals = len(number.group(1) or "")
                found = self.number(float(text.rstrip("%")), "0." + "0" * decimals if decimals else "0")
            else:
                found = self.text(raw)
            self.book.keep(("printed", raw), found)
        return found

    def status(self, code, label=None):
        if not code:
            return self.text("")
        font, fill = STATUS_STYLES[code]
        return self.text(label or _(STATUS_LABELS[code]), font=font, fill=fill, alignment=CENTER)

    def header(self, labels):
        return self.append([self.text(label, font=BOLD, fill=HEADER_FILL, alignment=CENTER) for label in labels])

    def merge(self, first_row, last_row, column):
        if last_row > first_row:
            letter = get_column_letter(column)
            self.ws.merged_cells.add(f"{letter}{first_row}:{letter}{last_row}")

    def merge_runs(self, rows, key, write):
        """Write `rows`; merge column A over each run of rows with the same `key` (the printed
        tables merge their category cells)."""
        start, current = None, object()
        for row in rows:
            if key(row) != current:
                if start is not None:
                    self.merge(start, self.row, 1)
                current, start = key(row), self.row + 1
            write(row)
        if start is not None:
            self.merge(start, self.row, 1)

    def merge_across(self, row, first_column, last_column):
        self.ws.merged_cells.add(f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}")


def _decimal(text):
    try:
        return float(Decimal(text)) if text not in (None, "") else None
    except InvalidOperation:
        return None


def _title_rows(sheet, title, subtitle, width):
    row = sheet.append([sheet.text(title, font=TITLE, alignment=Alignment(vertical="center"), border=False)])
    sheet.merge_across(row, 1, width)
    sheet.banner(subtitle, width)


def _subtitle(data):
    plan = data["plan"]
    return (
        _("规划期 {start}—{end}，基准年 {base}；数据截至 {year} 年；生成于 {when}；判定算法版本 {version}").format(
            start=plan["period_start"],
            end=plan["period_end"],
            base=plan["baseline_year"],
            year=data["year"],
            when=printed_time(data["generated_at"]),
            version=data["engine_version"],
        )
        + (_("；冻结快照") if data.get("frozen_at") else "")
        + (_("；“来源”列为《{document}》的行号").format(document=plan["source"]) if plan.get("source") else "")
    )


# --- the plan progress report --------------------------------------------------------------------


def indicator_sheet(book, data, title=None):
    """The plan's own table: category merged, targets and actuals for each year, status, explanation."""
    title = title or _("指标完成情况")
    target_years, value_years = data["target_years"], data["value_years"]
    columns = (
        [_("方面/领域"), _("序号"), _("指标名称"), _("单位"), _("属性"), _("基准值")]
        + [_("{year}年目标").format(year=y) for y in target_years]
        + [_("{year}年实际").format(year=y) for y in value_years]
        + [_("{year}年状态").format(year=data["year"]), _("说明"), _("数据状态"), _("来源")]
    )
    widths = [12, 6, 30, 9, 8, 10] + [12] * len(target_years) + [10] * len(value_years) + [10, 50, 9, 10]
    sheet = Sheet(book, title, widths)
    sheet.freeze("D4")
    _title_rows(
        sheet,
        _("《{title}》{year}年指标完成情况").format(title=data["plan"]["title"], year=data["year"]),
        _subtitle(data),
        len(columns),
    )
    sheet.header(columns)
    # Looked up once per sheet, not once per row: the all-plans summary writes every plan's rows.
    target_keys, value_keys = [str(y) for y in target_years], [str(y) for y in value_years]
    demo, approved, provisional, returned, manual = _("演示"), _("已审核"), _("暂定"), _("已退回、待重新报送"), _("（人工）")

    def write(row):
        name = row["name"] + (f"（{row['region']}）" if row["region"] else "")
        targets, values = row["targets"], row["values"]
        cells = [
            sheet.text(row["category"]),
            sheet.text(row["seq"]),
            sheet.text(name),
            sheet.text(row["unit"]),
            sheet.text(row["attribute"]),
            sheet.printed(row["baseline"]),
        ]
        cells += [sheet.text(targets.get(y, "")) for y in target_keys]
        cells += [sheet.printed(values.get(y)) for y in value_keys]
        state = demo if row["demo"] else (approved if row["approved"] else (provisional if row["value"] else ""))
        # .get: snapshots frozen before returned figures were shown have no "pending".
        if row.get("pending") == "returned":
            state = "、".join(filter(None, [state, returned]))
        label = (_(row["status_label"]) + (manual if row.get("overridden") else "")) if row["status"] else None
        cells += [
            sheet.status(row["status"], label),
            sheet.text(row["explanation"]),
            sheet.text(state),
            sheet.text(row["source"]),
        ]
        sheet.append(cells)

    sheet.merge_runs(data["indicators"], lambda row: row["category"], write)
    return sheet


def project_sheet(book, data):
    columns = [
        _("序号"),
        _("项目类型"),
        _("项目名称"),
        _("建设性质"),
        _("建设年份"),
        _("计划投资（万元）"),
        _("累计完成投资（万元）"),
        _("投资执行率"),
        _("进度"),
        _("备注"),
    ]
    sheet = Sheet(book, _("重点项目"), [6, 22, 40, 8, 12, 14, 16, 10, 8, 20, 4, 30, 16, 14])
    sheet.freeze("D4")
    _title_rows(sheet, _("《{title}》重点项目投资执行情况").format(title=data["plan"]["title"]), _subtitle(data), len(columns))
    sheet.header(columns + ["", _("文件所列合计"), _("金额（万元）"), _("差额（万元）")])
    first = sheet.row + 1
    for project in data["projects"]:
        r = sheet.row + 1
        sheet.append(
            [
                sheet.text(project["seq"]),
                sheet.text(project["category"]),
                sheet.text(project["name"]),
                sheet.text(project["nature"]),
                sheet.text(project["period"]),
                sheet.number(_decimal(project["planned"]), "#,##0.00"),
                sheet.number(_decimal(project["completed"]), "#,##0.00"),
                sheet.formula(f'=IF(N(F{r})>0,N(G{r})/F{r},"")', "0.0%"),
                sheet.text(_(project["status_label"])),
                sheet.text(project["remark"]),
            ]
        )
    last = sheet.row
    total_row = sheet.row + 1
    totals = [
        sheet.text(_("合计"), font=BOLD),
        sheet.text(""),
        sheet.text(_("{n} 项").format(n=len(data["projects"])), font=BOLD),
        sheet.text(""),
        sheet.text(""),
    ]
    if data["projects"]:
        totals += [
            sheet.formula(f"=SUM(F{first}:F{last})", "#,##0.00"),
            sheet.formula(f"=SUM(G{first}:G{last})", "#,##0.00"),
            sheet.formula(f'=IF(F{total_row}>0,G{total_row}/F{total_row},"")', "0.0%"),
        ]
    sheet.append(totals)
    # The document's stated totals beside the computed sums, with the difference.
    for index, stated in enumerate(data["stated_totals"]):
        label = stated["text"] + (_("（{n} 项）").format(n=stated["count"]) if stated.get("count") else "")
        cells = [None] * 10 + [None, sheet.text(label), sheet.number(_decimal(stated["value_wan"]), "#,##0.00")]
        if index == 0 and data["projects"]:
            cells.append(sheet.formula(f"=F{total_row}-M{sheet.row + 1}", "#,##0.00"))
        sheet.append(cells)
    return sheet, total_row


def summary_sheet(book, data):
    summary = data["summary"]
    sheet = Sheet(book, _("汇总"), [22] + [10] * len(STATUS_ORDER) + [8])
    _title_rows(
        sheet,
        _("《{title}》{year}年达标情况汇总").format(title=data["plan"]["title"], year=data["year"]),
        _subtitle(data),
        len(STATUS_ORDER) + 2,
    )
    sheet.header([_("按方面/领域")] + [_(STATUS_LABELS[s]) for s in STATUS_ORDER] + [_("合计")])
    first = sheet.row + 1
    for category, counts in summary["by_category"].items():
        r = sheet.row + 1
        sheet.append(
            [sheet.text(category)]
            + [sheet.number(counts.get(s, 0)) for s in STATUS_ORDER]
            + [sheet.formula(f"=SUM(B{r}:{get_column_letter(1 + len(STATUS_ORDER))}{r})")]
        )
    last = sheet.row
    sheet.append([])
    sheet.header([_("按指标属性")] + [_(STATUS_LABELS[s]) for s in STATUS_ORDER] + [_("合计")])
    for attribute, counts in summary["by_attribute"].items():
        r = sheet.row + 1
        sheet.append(
            [sheet.text(attribute)]
            + [sheet.number(counts.get(s, 0)) for s in STATUS_ORDER]
            + [sheet.formula(f"=SUM(B{r}:{get_column_letter(1 + len(STATUS_ORDER))}{r})")]
        )
    sheet.append([])
    sheet.append([sheet.text(_("约束性指标预警"), font=BOLD)])
    for name, status in summary["alerts"]:
        sheet.append([sheet.text(name), sheet.status(status)])
    if not summary["alerts"]:
        sheet.append([sheet.text(_("无"))])
    if last >= first:
        chart = BarChart()
        chart.type = "bar"
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.title = _("各方面指标达标情况")
        chart.y_axis.title = _("指标数")
        chart.add_data(
            Reference(sheet.ws, min_col=2, max_col=1 + len(STATUS_ORDER), min_row=first - 1, max_row=last), titles_from_data=True
        )
        chart.set_categories(Reference(sheet.ws, min_col=1, min_row=first, max_row=last))
        for series, status in zip(chart.series, STATUS_ORDER, strict=True):
            series.graphicalProperties.solidFill = STATUS_FILLS[status][0]
        # On a page of its own, and no taller than an A4 landscape page holds below the repeated
        # title rows: a chart cut by a page break prints as two useless halves.
        chart.width, chart.height = 18, min(8 + (last - first), 12)
        sheet.ws.row_breaks.append(Break(id=sheet.row + 1))
        sheet.ws.add_chart(chart, f"B{sheet.row + 2}")
    return sheet


def progress_workbook(data, differences=None):
    """The 指标完成情况 report: indicators, key projects, summary with a chart (and differences)."""
    book = Book()
    indicator_sheet(book, data)
    project_sheet(book, data)
    summary_sheet(book, data)
    if differences is not None:
        differences_sheet(book, differences)
    return book.save()


# --- evaluations -----------------------------------------------------------------------------------


def evaluation_workbook(data, verdict, conclusion, differences=None):
    """中期评估 / 终期考核: per indicator the baseline, target, value at the year, completion share
    against the elapsed share and the verdict; a conclusion sheet written from the counts."""
    kind_name = _("中期评估") if data["kind"] == "midterm" else _("终期考核")
    book = Book()
    conclusion_sheet = Sheet(book, _("评估结论"), [110], title_rows=2)
    _title_rows(
        conclusion_sheet,
        _("《{title}》{kind}（{year}年）").format(title=data["plan"]["title"], kind=kind_name, year=data["year"]),
        _subtitle(data),
        1,
    )
    for sentence in conclusion:
        conclusion_sheet.append([conclusion_sheet.text(sentence, border=False)])
    final_year = data["plan"]["period_end"]
    columns = [
        _("方面/领域"),
        _("序号"),
        _("指标名称"),
        _("单位"),
        _("属性"),
        _("基准值"),
        _("基准年"),
        _("{year}年目标").format(year=final_year),
        _("{year}年目标").format(year=data["year"]),
        _("{year}年实际值").format(year=data["year"]),
        _("完成进度"),
        _("时序进度"),
        _("评价"),
        _("说明"),
    ]
    sheet = Sheet(book, kind_name, [12, 6, 30, 9, 8, 10, 7, 14, 14, 12, 9, 9, 12, 50])
    sheet.freeze("D4")
    _title_rows(
        sheet, _("《{title}》{kind}指标评价表").format(title=data["plan"]["title"], kind=kind_name), _subtitle(data), len(columns)
    )
    sheet.header(columns)

    def write(row):
        label = verdict(data["kind"], row["status"]) if row["status"] else ""
        sheet.append(
            [
                sheet.text(row["category"]),
                sheet.text(row["seq"]),
                sheet.text(row["name"] + (f"（{row['region']}）" if row["region"] else "")),
                sheet.text(row["unit"]),
                sheet.text(row["attribute"]),
                sheet.printed(row["baseline"]),
                sheet.number(row["baseline_year"]),
                sheet.text(row["targets"].get(str(final_year), "")),
                sheet.text(row["targets"].get(str(data["year"]), "")),
                sheet.printed(row["value"]),
                sheet.number(row["completion_share"], "0.0%"),
                sheet.number(row["elapsed_share"], "0.0%"),
                sheet.status(row["status"], label) if row["status"] else sheet.text(""),
                sheet.text(row["explanation"]),
            ]
        )

    sheet.merge_runs(data["indicators"], lambda row: row["category"], write)
    if differences is not None:
        differences_sheet(book, differences)
    return book.save()


def differences_sheet(book, differences):
    sheet = Sheet(book, _("与冻结快照的差异"), [30, 12, 30, 30], title_rows=3)
    _title_rows(
        sheet, _("冻结之后的更正（报表按冻结时的数据生成，以下为此后数据的变化）"), _("共 {n} 处").format(n=len(differences)), 4
    )
    sheet.header([_("指标"), _("项目"), _("冻结时"), _("当前")])
    for diff in differences:
        sheet.append(
            [sheet.text(diff["indicator"]), sheet.text(diff["field"]), sheet.text(diff["frozen"]), sheet.text(diff["current"])]
        )
    if not differences:
        sheet.append([sheet.text(_("无变化"))])


# --- all plans ---------------------------------------------------------------------------------------


@fewer_collections()
def summary_workbook(data, progress=None):
    """One row per plan with counts per status and investment execution; one sheet per plan.

    The plans' data is consumed as it comes (reports.data.summary_data): each plan's sheet is
    written, then its row of the summary sheet, so only one plan is in memory at a time."""
    book = Book()
    columns = (
        [_("代码"), _("规划"), _("区域"), _("规划期"), _("年份")]
        + [_(STATUS_LABELS[s]) for s in STATUS_ORDER]
        + [_("合计"), _("约束性预警"), _("计划投资（万元）"), _("累计完成投资（万元）"), _("投资执行率")]
    )
    sheet = Sheet(book, _("各规划汇总"), [16, 36, 14, 11, 6] + [8] * len(STATUS_ORDER) + [7, 9, 14, 16, 10])
    sheet.freeze("C4")
    _title_rows(
        sheet,
        _("生态环境保护规划执行情况汇总"),
        _("生成于 {when}；共 {n} 个规划").format(when=printed_time(data["generated_at"]), n=data["count"]),
        len(columns),
    )
    sheet.header(columns)
    first_status = get_column_letter(6)
    last_status = get_column_letter(5 + len(STATUS_ORDER))
    planned_col, completed_col = get_column_letter(8 + len(STATUS_ORDER)), get_column_letter(9 + len(STATUS_ORDER))
    for index, plan_data in enumerate(data["plans"], start=1):
        indicator_sheet(book, plan_data, title=plan_data["plan"]["code"])
        row = data["rows"][index - 1]  # added as the plan's data was produced
        r = sheet.row + 1
        sheet.append(
            [
                sheet.text(row["code"]),
                sheet.text(row["title"]),
                sheet.text(row["region"]),
                sheet.text(row["period"]),
                sheet.number(row["year"]),
            ]
            + [sheet.number(row["counts"].get(s, 0)) for s in STATUS_ORDER]
            + [
                sheet.formula(f"=SUM({first_status}{r}:{last_status}{r})"),
                sheet.number(row["alerts"]),
                sheet.number(row["planned"], "#,##0.00"),
                sheet.number(row["completed"], "#,##0.00"),
                sheet.formula(f'=IF({planned_col}{r}>0,{completed_col}{r}/{planned_col}{r},"")', "0.0%"),
            ]
        )
        if progress is not None:
            progress(index, data["count"])
    return book.save()


def csv_safe(value):
    """Text that a spreadsheet would read as a formula gets a leading apostrophe (CSV injection)."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "@", "\t", "\r") or (text[:1] == "-" and _decimal(text) is None):
        return "'" + text
    return text


def progress_csv(data):
    """The progress report's indicator rows as CSV, UTF-8 with a BOM so Excel reads the Chinese."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    target_years, value_years = data["target_years"], data["value_years"]
    writer.writerow(
        [_("规划代码"), _("方面/领域"), _("序号"), _("指标名称"), _("区域"), _("单位"), _("属性"), _("基准值")]
        + [_("{year}年目标").format(year=y) for y in target_years]
        + [_("{year}年实际").format(year=y) for y in value_years]
        + [_("状态代码"), _("状态"), _("说明"), _("数据状态")]
    )
    for row in data["indicators"]:
        state = "demo" if row["demo"] else ("approved" if row["approved"] else ("provisional" if row["value"] else ""))
        if row.get("pending") == "returned":
            state = "+".join(filter(None, [state, "returned"]))
        cells = (
            [
                data["plan"]["code"],
                row["category"],
                row["seq"],
                row["name"],
                row["region"],
                row["unit"],
                row["attribute"],
                row["baseline"] or "",
            ]
            + [row["targets"].get(str(y), "") for y in target_years]
            + [row["values"].get(str(y), "") for y in value_years]
            + [row["status"] or "", _(row["status_label"]) if row["status_label"] else "", row["explanation"], state]
        )
        writer.writerow([csv_safe(cell) for cell in cells])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")
