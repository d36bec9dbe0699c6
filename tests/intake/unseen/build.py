"""Rebuild the blind plan tables of this folder as Word documents.

Each ``<slug>.yaml`` beside this file holds one table as the published plan prints
it (``header`` + ``rows``, ``None`` where a merged cell covers the position) and the
reading a careful human makes of it (``expected``).  ``build_docx`` writes the table
the way a plan office would: a title page, a page break, a short paragraph, the
caption, the table with real Word merges, repeating header rows, "Table Grid"
borders, 宋体 as the east-asian font, a landscape section when the table is wide,
the 注 paragraphs, and the key-project table when the entry has one.

Merges are read off the grid: a ``None`` in the table's first row is covered by the
cell to its left; a ``None`` in any later row is covered by the cell above it (so a
cell spanning two header rows and two columns needs no extra words).  A ``None`` in
a later row that is covered from the *left* (a value printed once across several
year columns) is listed in the entry's ``hmerge`` as ``[grid, row, col]``.

Run ``python -m tests.intake.unseen.build OUT_DIR`` to write every entry.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml
from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

HERE = Path(__file__).resolve().parent
SLUGS: list[str] = sorted(p.stem for p in HERE.glob("*.yaml"))

EAST_ASIAN_FONT = "宋体"
WIDE_COLUMNS = 8  # tables with this many grid columns or more go on a landscape page


def load_entry(slug: str) -> dict:
    with open(HERE / f"{slug}.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


# ----------------------------------------------------------------------------- grid


def merge_regions(header: list[list], rows: list[list], hmerge: list | None = None) -> list[tuple[int, int, int, int]]:
    """Rectangles (top, left, bottom, right) of every printed cell, in table rows.

    Raises ValueError when the ``None`` positions do not make rectangles.
    """
    grid = [list(r) for r in header] + [list(r) for r in rows]
    width = {len(r) for r in grid}
    if len(width) != 1:
        raise ValueError(f"rows of unequal width: {sorted(width)}")
    n_header = len(header)
    from_left = set()
    for grid_name, r, c in hmerge or []:
        from_left.add((r if grid_name == "header" else r + n_header, c))
    owner: dict[tuple[int, int], tuple[int, int]] = {}
    for r, row in enumerate(grid):
        for c, text in enumerate(row):
            if text is not None:
                owner[(r, c)] = (r, c)
                continue
            if r == 0 or (r, c) in from_left:
                if c == 0:
                    raise ValueError(f"cell ({r},{c}) is covered from the left but is in the first column")
                owner[(r, c)] = owner[(r, c - 1)]
            else:
                owner[(r, c)] = owner[(r - 1, c)]
    cells: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for pos, anchor in owner.items():
        cells.setdefault(anchor, []).append(pos)
    regions = []
    for anchor, members in sorted(cells.items()):
        top = min(r for r, _ in members)
        bottom = max(r for r, _ in members)
        left = min(c for _, c in members)
        right = max(c for _, c in members)
        if len(members) != (bottom - top + 1) * (right - left + 1) or (top, left) != anchor:
            raise ValueError(f"the cells covered by {anchor} do not make a rectangle: {sorted(members)}")
        if top < n_header <= bottom:
            raise ValueError(f"cell {anchor} spans from the header into the body")
        regions.append((top, left, bottom, right))
    return regions


# ----------------------------------------------------------------------------- docx helpers


def _east_asian(run_or_style_element, font: str = EAST_ASIAN_FONT) -> None:
    rpr = run_or_style_element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    rfonts.set(qn("w:eastAsia"), font)


def _add_run(paragraph, text: str, *, bold: bool = False, size: float | None = None, superscript: bool = False):
    run = paragraph.add_run(text)
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if superscript:
        run.font.superscript = True
    _east_asian(run._r)
    return run


def _write_cell(cell, text: str, marks: list[dict], *, bold: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if len(marks) > 1:
        raise ValueError(f"only one superscript per cell is supported: {marks!r}")
    pieces: list[tuple[str, bool]] = [(text, False)]
    for mark in marks:
        i = text.find(mark["after"] + mark["mark"])
        if i < 0:
            raise ValueError(f"superscript {mark!r} not found in {text!r}")
        cut = i + len(mark["after"])
        pieces = [(text[:cut], False), (mark["mark"], True), (text[cut + len(mark["mark"]) :], False)]
    for piece, sup in pieces:
        if piece:
            _add_run(paragraph, piece, bold=bold, size=10.5, superscript=sup)


def _mark_header_row(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    trpr.append(flag)


def add_grid_table(document, header: list[list], rows: list[list], *, superscripts=None, hmerge=None):
    """Add one table; return it.  ``superscripts`` items: {grid, row, col, after, mark}."""
    regions = merge_regions(header, rows, hmerge)
    grid = [list(r) for r in header] + [list(r) for r in rows]
    n_header = len(header)
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    table.style = "Table Grid"
    for r in range(n_header):
        _mark_header_row(table.rows[r])
    marks: dict[tuple[int, int], list[dict]] = {}
    for item in superscripts or []:
        r = item["row"] if item["grid"] == "header" else item["row"] + n_header
        marks.setdefault((r, item["col"]), []).append(item)
    for top, left, bottom, right in regions:
        cell = table.cell(top, left)
        if (bottom, right) != (top, left):
            cell = cell.merge(table.cell(bottom, right))
        _write_cell(cell, str(grid[top][left]), marks.get((top, left), []), bold=top < n_header)
    return table


def _landscape_section(document):
    section = document.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE
    if section.page_width < section.page_height:
        section.page_width, section.page_height = section.page_height, section.page_width
    return section


def _paragraph(document, text: str, *, bold: bool = False, size: float = 12, center: bool = False):
    paragraph = document.add_paragraph()
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _add_run(paragraph, text, bold=bold, size=size)
    return paragraph


# ----------------------------------------------------------------------------- build


def build_docx(slug: str, out_dir: Path) -> Path:
    entry = load_entry(slug)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    document = Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    _east_asian(normal.element)

    # title page
    for _ in range(6):
        document.add_paragraph()
    _paragraph(document, entry["title"], bold=True, size=22, center=True)
    document.add_paragraph()
    if entry.get("issuer"):
        _paragraph(document, entry["issuer"], size=16, center=True)

    width = len((entry.get("header") or entry["rows"])[0])
    wide = entry.get("landscape") or width >= WIDE_COLUMNS
    if wide:
        _landscape_section(document)
    else:
        document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    _paragraph(
        document,
        "为深入贯彻落实生态文明建设决策部署，持续改善生态环境质量，结合本地实际，制定本规划。规划主要指标如下表所示。",
    )
    _paragraph(document, entry["caption"], bold=True, center=True)
    add_grid_table(
        document,
        entry.get("header") or [],
        entry["rows"],
        superscripts=entry.get("superscripts"),
        hmerge=entry.get("hmerge"),
    )
    for note in entry.get("footnotes") or []:
        _paragraph(document, note, size=10.5)

    if entry.get("project_rows"):
        document.add_paragraph()
        _paragraph(document, entry.get("project_caption") or "", bold=True, center=True)
        add_grid_table(
            document,
            entry.get("project_header") or [],
            entry["project_rows"],
            superscripts=entry.get("project_superscripts"),
            hmerge=entry.get("project_hmerge"),
        )

    path = out_dir / f"{slug}.docx"
    document.save(path)
    return path


# ----------------------------------------------------------------------------- read back


def docx_grid(table) -> list[list[str | None]]:
    """The printed grid of a python-docx table: text at each cell's top-left, None elsewhere."""
    tr_list = table._tbl.tr_lst
    out: list[list[str | None]] = []
    for tr in tr_list:
        row: list[str | None] = []
        for tc in tr.tc_lst:
            span = tc.grid_span
            vmerge = tc.vMerge  # None, "restart" or "continue"
            text = "".join(node.text or "" for node in tc.iter(qn("w:t")))
            row.append(None if vmerge == "continue" else text)
            row.extend([None] * (span - 1))
        out.append(row)
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.intake.unseen.build OUT_DIR", file=sys.stderr)
        return 2
    for slug in SLUGS:
        print(build_docx(slug, Path(argv[0])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
