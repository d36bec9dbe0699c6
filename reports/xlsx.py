"""A write-only workbook whose rows are written straight as sheet XML. No Django.

openpyxl writes everything around the rows (styles, column widths, panes, merges, page setup,
print titles, charts): `Book.save` lets it write the package with each sheet's rows empty, then
puts the rows in. The rows themselves do not go through openpyxl's cells: at about five
microseconds a cell, openpyxl's own write-only mode was the larger part of the all-plans summary
(issue 17). Each row's XML is built once as a string, and the rows of a sheet are kept in a
temporary file until saving, so memory stays flat however many plans a workbook holds.

The XML written is what openpyxl writes for the same cells: strings inline (`t="inlineStr"`),
numbers, formulas, and a cell's style as the id of a style registered through openpyxl.
"""

from __future__ import annotations

import io
import math
import re
import tempfile
import zipfile

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils import get_column_letter

# Not allowed in XML 1.0 (openpyxl refuses them in a cell): dropped, as they carry nothing a reader
# could see, and lone surrogates would not encode as UTF-8.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EMPTY_ROWS = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_LETTERS = [get_column_letter(n) for n in range(1, 16385)]
_WIDE = re.compile("[\u2e80-\U0010ffff]")


def display_width(text: str) -> int:
    """Width in Excel column units: a Chinese character takes about two, a Latin one about one."""
    return len(text) + len(_WIDE.findall(text)) + 1


EXCEL_CELL_CHARS = 32_767  # Excel refuses a file with a longer cell, and repairs it by emptying the cell


def _fitted(text: str) -> str:
    """`text` within what an Excel cell holds, saying how much was left out."""
    if len(text) <= EXCEL_CELL_CHARS:
        return text
    kept = EXCEL_CELL_CHARS
    while True:  # the note's length depends on the count it gives
        note = f"…（另有 {len(text) - kept} 字超出 Excel 单元格上限，未写入）"
        if kept + len(note) <= EXCEL_CELL_CHARS:
            return text[:kept] + note
        kept = EXCEL_CELL_CHARS - len(note)


def _escaped(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL.sub("", text)


class Cell:
    """A value and its XML, written in some style: everything of a cell but its place. A cell
    can stand in any number of places, so `Book` keeps the ones it made and reuses them."""

    __slots__ = ("value", "xml", "widths")

    def __init__(self, value, xml: str, wrap: bool = False):
        self.value = value
        self.xml = xml  # what follows the cell's reference: ' s="3" t="inlineStr"><is>…</c>'
        # Text that wraps within its column: the display width of each of its lines, from which
        # its row's height is estimated (None: the cell never wraps).
        self.widths = tuple(display_width(line) for line in value.split("\n")) if wrap else None

    def lines(self, column_width: int) -> int:
        """How many lines the cell takes in a column `column_width` wide."""
        if self.widths is None:
            return 1
        return sum(-(-width // column_width) or 1 for width in self.widths)


def _number(value) -> str | None:
    """A number as the XML writes it; None for what Excel cannot hold (NaN, infinities)."""
    if isinstance(value, int):
        return str(int(value))  # int(): True is written 1
    value = float(value)
    return repr(value) if math.isfinite(value) else None


class Book:
    """An openpyxl write-only workbook plus the rows of its sheets (see the module docstring)."""

    # Figures, units and categories repeat across rows and plans, so cells are kept to be reused;
    # a bound keeps memory flat.
    CELLS_KEPT = 100_000

    def __init__(self):
        self.wb = Workbook(write_only=True)
        self._file = tempfile.TemporaryFile()
        self._segments: dict[object, list[tuple[int, int]]] = {}  # sheet -> (offset, length) in _file
        self._styles: dict[tuple, int] = {}
        self._style_objects: list[tuple] = []
        self._cells: dict[tuple, Cell] = {}
        self._pending: list[str] = []
        self._pending_sheet = None

    def create_sheet(self, title):
        ws = self.wb.create_sheet(title)
        self._segments[ws] = []
        return ws

    def style(self, ws, *, font=None, fill=None, alignment=None, border=None, number_format="General") -> int:
        """The id of a cell style, registered in the workbook once. Keyed by the identity of the
        (shared, module-level) style objects: hashing them for every cell is what costs."""
        key = (id(font), id(fill), id(alignment), id(border), number_format)
        found = self._styles.get(key)
        if found is None:
            self._style_objects.append((font, fill, alignment, border))  # alive while their ids are keys
            prototype = WriteOnlyCell(ws)
            if font is not None:
                prototype.font = font
            if fill is not None:
                prototype.fill = fill
            if alignment is not None:
                prototype.alignment = alignment
            if border is not None:
                prototype.border = border
            prototype.number_format = number_format
            found = self._styles[key] = prototype.style_id
        return found

    def text(self, value: str, style: int, wrap: bool = False) -> Cell:
        """A text cell (never a formula, whatever it starts with)."""
        # Short texts (units, categories, figures, targets) recur; long ones (names, explanations)
        # rarely do and are not kept.
        key = (style, "s", value) if len(value) <= 32 else None
        found = self.kept(key) if key else None
        if found is None:
            value = _fitted(value)
            if value == "":
                xml = f' s="{style}"/>'
            else:
                space = ' xml:space="preserve"' if value != value.strip() else ""
                xml = f' s="{style}" t="inlineStr"><is><t{space}>{_escaped(value)}</t></is></c>'
            found = Cell(value, xml, wrap)
            if key:
                self.keep(key, found)
        return found

    def number(self, value, style: int) -> Cell:
        found = self.kept((style, "n", value))
        if found is None:
            written = None if value is None else _number(value)
            xml = f' s="{style}"/>' if written is None else f' s="{style}" t="n"><v>{written}</v></c>'
            found = self.keep((style, "n", value), Cell(value, xml))
        return found

    def formula(self, expression: str, style: int) -> Cell:
        """A formula cell: `expression` starts with "="."""
        return Cell(expression, f' s="{style}"><f>{_escaped(expression[1:])}</f><v></v></c>')

    def kept(self, key) -> Cell | None:
        """A cell made before under `key` (text and numbers are kept by style and value; callers
        may keep their own, such as a printed figure by its text)."""
        return self._cells.get(key)

    def keep(self, key, cell: Cell) -> Cell:
        if len(self._cells) >= self.CELLS_KEPT:
            self._cells.clear()
        self._cells[key] = cell
        return cell

    def append(self, ws, number: int, cells, height: float | None = None):
        """Write row `number` of `ws` (rows are appended in order): `Cell`s, None leaving a cell out."""
        r = str(number)
        parts = [f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">']
        for column, cell in enumerate(cells):
            if cell is not None:
                parts.append('<c r="' + _LETTERS[column] + r + '"' + cell.xml)
        parts.append("</row>")
        if self._pending_sheet is not ws:
            self._flush()
            self._pending_sheet = ws
        self._pending.append("".join(parts))
        if len(self._pending) >= 2000:
            self._flush()

    def _flush(self):
        if self._pending:
            data = "".join(self._pending).encode("utf-8")
            self._segments[self._pending_sheet].append((self._file.tell(), len(data)))
            self._file.write(data)
            self._pending = []

    def save(self) -> bytes:
        self._flush()
        package = io.BytesIO()
        self.wb.save(package)
        # A sheet's part name is known once saving has numbered the sheets.
        segments = {ws.path.lstrip("/"): found for ws, found in self._segments.items()}
        out = io.BytesIO()
        with zipfile.ZipFile(package) as written, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as final:
            for info in written.infolist():
                content = written.read(info)
                rows = segments.get(info.filename)
                if rows is None:
                    final.writestr(info, content)
                    continue
                head, tail = _EMPTY_ROWS.split(content, maxsplit=1)
                info = zipfile.ZipInfo(info.filename, info.date_time)
                info.compress_type = zipfile.ZIP_DEFLATED
                with final.open(info, "w") as part:
                    part.write(head + b"<sheetData>")
                    for offset, length in rows:
                        self._file.seek(offset)
                        part.write(self._file.read(length))
                    part.write(b"</sheetData>" + tail)
        self._file.close()
        return out.getvalue()
