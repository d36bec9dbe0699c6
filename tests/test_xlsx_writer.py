"""The workbook writer (reports.xlsx): rows written as sheet XML into the package openpyxl writes.
Every file is read back with openpyxl, and once with LibreOffice, as an official's machine would."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font, PatternFill

from reports.workbooks import BOLD, CENTER, Sheet
from reports.xlsx import Book
from tests.conftest import soffice_convert

TRICKY_TEXTS = ["<a&b>", "  leading and trailing  ", "=1+1", "+86", "中文，全角", "line one\nline two", "]]>", "&amp;"]


def written(build):
    book = Book()
    build(book)
    return load_workbook(io.BytesIO(book.save()))


def one_row(cells_of):
    """A workbook of one sheet "s" whose one row is `cells_of(sheet)`."""

    def build(book):
        sheet = Sheet(book, "s", [20] * 10)
        sheet.append(cells_of(sheet))

    return written(build)["s"][1]


def test_texts_read_back_exactly_as_text_whatever_they_look_like():
    cells = one_row(lambda sheet: [sheet.text(t) for t in TRICKY_TEXTS])
    assert [c.value for c in cells] == TRICKY_TEXTS
    assert {c.data_type for c in cells} == {"s"}  # "=1+1" is a string, never a formula


def test_numbers_read_back_as_numbers_and_what_excel_cannot_hold_is_left_empty():
    def build(book):
        sheet = Sheet(book, "n", [10] * 8)
        sheet.append(
            [
                sheet.number(3),
                sheet.number(2.5),
                sheet.number(Decimal("1.25")),
                sheet.number(-0.0001),
                sheet.number(float("nan")),
                sheet.number(float("inf")),
                sheet.number(None),
                sheet.number(12345678901234),
            ]
        )

    values = [c.value for c in written(build)["n"][1]]
    assert values == [3, 2.5, 1.25, -0.0001, None, None, None, 12345678901234]


def test_printed_figures_keep_their_printed_precision():
    def build(book):
        sheet = Sheet(book, "p", [10] * 5)
        sheet.append([sheet.printed(t) for t in ("58.50", "45", "12.5%", "≥60", " 7.0 ")])

    cells = written(build)["p"][1]
    assert [(c.value, c.number_format) for c in cells] == [
        (58.5, "0.00"),
        (45, "0"),
        (12.5, "0.0"),
        ("≥60", "General"),
        (7.0, "0.0"),
    ]


def test_formulas_are_written_as_formulas_with_their_operators_intact():
    def build(book):
        sheet = Sheet(book, "f", [10] * 3)
        sheet.append([sheet.number(4), sheet.number(2), sheet.formula('=IF(A1>0,B1/A1,"<无>")', "0.0%")])

    cell = written(build)["f"]["C1"]
    assert (cell.value, cell.data_type, cell.number_format) == ('=IF(A1>0,B1/A1,"<无>")', "f", "0.0%")


def test_characters_xml_cannot_hold_are_dropped_and_the_file_still_opens():
    (cell,) = one_row(lambda sheet: [sheet.text("a\x01b\x0bc\x1f\ud800d")])
    assert cell.value == "abcd"


def test_each_cell_has_the_style_it_was_given():
    red = PatternFill("solid", fgColor="FFC7CE")

    def build(book):
        sheet = Sheet(book, "s", [10, 10, 10, 10])
        sheet.append(
            [
                sheet.text("粗体", font=BOLD),
                sheet.text("红底", fill=red, alignment=CENTER),
                sheet.text("无框", border=False, alignment=Alignment(vertical="center")),
                sheet.number(1.5, "0.00"),
            ]
        )

    a, b, c, d = written(build)["s"][1]
    assert a.font.b and a.border.left.style == "thin" and a.alignment.wrap_text
    assert b.fill.fgColor.rgb == "00FFC7CE" and b.alignment.horizontal == "center"
    assert c.border.left.style is None and not c.alignment.wrap_text
    assert d.number_format == "0.00" and d.border.left.style == "thin"


def test_rows_of_sheets_written_in_turn_stay_with_their_own_sheet():
    """The all-plans summary writes a plan's sheet, then its summary row, plan after plan."""

    def build(book):
        summary = Sheet(book, "汇总", [10, 10])
        for plan in range(3):
            own = Sheet(book, f"规划{plan}", [10, 10])
            for n in range(2500):  # over the writer's batch of rows
                own.append([own.text(f"{plan}-{n}"), own.number(n)])
            summary.append([summary.text(f"规划{plan}"), summary.number(own.row)])

    wb = written(build)
    assert [[c.value for c in row] for row in wb["汇总"].iter_rows()] == [[f"规划{p}", 2500] for p in range(3)]
    for plan in range(3):
        rows = list(wb[f"规划{plan}"].iter_rows(values_only=True))
        assert len(rows) == 2500 and rows[0] == (f"{plan}-0", 0) and rows[-1] == (f"{plan}-2499", 2499)


def test_wrapped_text_gets_a_row_height_that_shows_it_and_merges_and_panes_are_kept():
    def build(book):
        sheet = Sheet(book, "h", [10, 10])
        sheet.freeze("B2")
        sheet.append([sheet.text("一二三四五六七八九十" * 3), sheet.text("短")])
        sheet.append([sheet.text("短"), sheet.text("短")])
        sheet.merge(1, 2, 2)

    ws = written(build)["h"]
    assert ws.row_dimensions[1].height == 15 * 7  # 30 wide characters, 10 units a line: 61 units, 7 lines
    assert ws.row_dimensions[2].height is None
    assert [str(r) for r in ws.merged_cells.ranges] == ["B1:B2"]
    assert ws.freeze_panes == "B2"


def test_an_empty_sheet_and_an_empty_row_are_valid():
    def build(book):
        Sheet(book, "空", [10])
        sheet = Sheet(book, "行", [10])
        sheet.append([])
        sheet.append([None, sheet.text("B")])

    wb = written(build)
    assert wb["空"].max_row == 1 and wb["空"]["A1"].value is None
    assert wb["行"]["B2"].value == "B" and wb["行"]["A2"].value is None


def test_libreoffice_reads_the_same_cells(tmp_path):
    book = Book()
    sheet = Sheet(book, "lo", [20] * 4)
    sheet.append([sheet.text(t) for t in TRICKY_TEXTS[:4]])
    sheet.append([sheet.number(2), sheet.number(3.25), sheet.formula("=A2*B2"), sheet.printed("58.50")])
    source = tmp_path / "cells.xlsx"
    source.write_bytes(book.save())
    soffice_convert(source, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    rows = list(csv.reader(io.StringIO((tmp_path / "cells.csv").read_text("utf-8"))))
    assert rows[0] == TRICKY_TEXTS[:4]
    assert rows[1] == ["2", "3.25", "6.5", "58.50"]  # the formula computed, the figure in its printed precision


def test_a_workbook_styles_a_repeated_value_once_and_still_writes_every_place():
    font = Font(bold=True, color="FF0000")

    def build(book):
        sheet = Sheet(book, "r", [10] * 3)
        for _ in range(3):
            sheet.append([sheet.text("吨", font=font), sheet.printed("1.0"), sheet.text("吨")])

    rows = [[(c.value, c.font.b) for c in row] for row in written(build)["r"].iter_rows()]
    assert rows == [[("吨", True), (1.0, False), ("吨", False)]] * 3


def test_a_subtitle_wraps_within_the_columns_it_spans():
    def build(book):
        sheet = Sheet(book, "b", [10, 10, 10])
        sheet.banner("短标题", 3)
        sheet.banner("一二三四五六七八九十" * 4, 3)  # 81 units over 30: three lines

    ws = written(build)["b"]
    assert ws.row_dimensions[1].height is None and ws.row_dimensions[2].height == 15 * 3
    assert [str(r) for r in ws.merged_cells.ranges] == ["A1:C1", "A2:C2"]
    assert ws["A2"].alignment.wrap_text


def test_a_text_longer_than_an_excel_cell_holds_is_cut_and_says_so():
    (cell,) = one_row(lambda sheet: [sheet.text("备" * 40_000)])
    assert len(cell.value) == 32_767
    assert cell.value.startswith("备" * 32_000) and cell.value.endswith("字超出 Excel 单元格上限，未写入）")
    assert f"另有 {40_000 - cell.value.index('…')} 字" in cell.value


@pytest.mark.django_db
def test_the_collector_runs_less_often_during_an_all_plans_summary_and_as_before_after_it():
    import gc

    from indicators.models import Plan
    from reports import data, workbooks

    before = gc.get_threshold()
    seen = []
    workbooks.summary_workbook(data.summary_data(list(Plan.objects.all())), progress=lambda *_: seen.append(gc.get_threshold()))
    assert len(seen) == Plan.objects.count() and {t[0] for t in seen} == {max(10_000, before[0])}
    assert gc.get_threshold() == before
    with pytest.raises(RuntimeError), workbooks.fewer_collections():
        raise RuntimeError("an export that fails")
    assert gc.get_threshold() == before
