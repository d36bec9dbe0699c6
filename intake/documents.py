"""Reading a published plan document (.docx or .pdf) into paragraphs and table grids. Plain Python.

Nothing here knows what a plan is: `reading.py` finds the indicator and project tables in what this
module returns. A file that cannot be read safely is refused with `DocumentRefused`, whose message
says what is wrong and what to do, before any of it is used.

Every table row keeps where it was printed (表2 第5行 in a Word file, 第3页 表1 第5行 in a PDF) and
the line it has in the document's text rendering (`Document.lines`), which the portal stores as the
plan's source so that every imported row links to the line it was read from, like the seed plans.
"""

from __future__ import annotations

import io
import re
import time
from dataclasses import dataclass, field

from indicators.core import packages
from indicators.core.messages import Message, gettext_noop

DOCX, PDF = "docx", "pdf"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Relationship types that pull content from elsewhere when the file is opened (a remote template,
# linked OLE objects, sub-documents, frames, linked pictures); hyperlinks are only shown, so allowed.
_LINKING_RELATIONSHIPS = ("attachedTemplate", "oleObject", "subDocument", "frame", "image", "package", "externalLink")


class DocumentRefused(Exception):
    """A document that is not read at all; `message` says why (a translatable Message)."""

    def __init__(self, message: Message):
        self.message = message
        super().__init__(str(message))


@dataclass
class Cell:
    text: str
    # "up" / "left": this grid position is covered by a cell merged from above / from the left
    # (its text is that cell's text, repeated: a category merged down, a target spanning years).
    merged: str | None = None


@dataclass
class Table:
    number: int  # 1-based, in document order
    rows: list[list[Cell]]
    places: list[str]  # where each row is printed: "表2 第5行" or "第3页 表1 第5行"
    lines: list[int]  # each row's line in Document.lines
    caption: str = ""  # the text printed just above the table
    notes: list[str] = field(default_factory=list)  # paragraphs printed just below (注：…)
    page: int | None = None  # PDF: the page it starts on

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Document:
    kind: str  # DOCX or PDF
    paragraphs: list[str]  # the text outside tables, in order (title page first)
    tables: list[Table]
    lines: list[str]  # the text rendering that sources point into
    title: str = ""  # PDF: the largest print on the first page (a PDF's lines are visual lines)


@dataclass
class Limits:
    max_bytes: int = 20 * 1024 * 1024
    max_unzipped_bytes: int = 200 * 1024 * 1024
    max_ratio: int = 100
    max_pages: int = 400
    max_seconds: float = 60.0


def read(data: bytes, filename: str = "", limits: Limits | None = None) -> Document:
    """The document in `data` (.docx or .pdf, told by its content), or DocumentRefused."""
    limits = limits or Limits()
    if not data:
        raise DocumentRefused(Message(gettext_noop("文件为空")))
    if len(data) > limits.max_bytes:
        raise DocumentRefused(
            Message(
                gettext_noop("文件大小 {size} MB 超过上限 {limit} MB"),
                size=round(len(data) / 1048576, 1),
                limit=round(limits.max_bytes / 1048576, 1),
            )
        )
    if data.startswith(b"%PDF-"):
        return _read_pdf(data, limits)
    if data.startswith(_OLE_MAGIC):
        # Word keeps a password-protected .docx in an OLE container with an EncryptionInfo stream;
        # any other OLE file here is a legacy .doc (or .xls), which python-docx cannot read.
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise DocumentRefused(Message(gettext_noop("文件受密码保护：请在 Word 中取消密码后另存为 .docx 再上传")))
        raise DocumentRefused(Message(gettext_noop("文件是旧版 Word（.doc）或其他 OLE 格式：请另存为 .docx 或 PDF 后上传")))
    if data.startswith(b"PK"):
        return _read_docx(data, limits)
    raise DocumentRefused(
        Message(gettext_noop("无法识别文件“{name}”的格式：只接受 Word（.docx）和 PDF 文件"), name=filename or "?")
    )


# --- Word ------------------------------------------------------------------------------------------


def _read_docx(data: bytes, limits: Limits) -> Document:
    _check_docx_package(data, limits)
    import docx  # python-docx, imported here so the PDF path does not need it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # a broken part, bad XML: python-docx raises many kinds
        raise DocumentRefused(
            Message(gettext_noop("文件已损坏，无法作为 Word 文件打开：{reason}"), reason=type(exc).__name__)
        ) from exc
    started = time.monotonic()
    paragraphs, tables, lines = [], [], []
    last_text, notes_open = "", False
    for block in document.iter_inner_content():
        if time.monotonic() - started > limits.max_seconds:
            raise DocumentRefused(Message(gettext_noop("文件过于复杂，{seconds} 秒内未能读完"), seconds=int(limits.max_seconds)))
        if hasattr(block, "rows"):
            table = _docx_table(block, len(tables) + 1, lines)
            table.caption = last_text
            tables.append(table)
            last_text, notes_open = "", True
            continue
        text = block.text.strip()
        if not text:
            continue
        notes_open = _text_line(text, notes_open, paragraphs, tables, lines)
        last_text = text
    return Document(DOCX, paragraphs, tables, lines)


def _check_docx_package(data: bytes, limits: Limits) -> None:
    try:
        archive = packages.package_check(
            data, required=("word/document.xml",), max_unzipped=limits.max_unzipped_bytes, max_ratio=limits.max_ratio
        )
    except packages.PackageRefused as exc:
        raise DocumentRefused(_PACKAGE_PROBLEMS[exc.reason](exc.params)) from exc
    with archive:
        for name in archive.namelist():
            if not name.endswith(".rels"):
                continue
            for target_type in re.findall(
                rb'Type="[^"]*/([A-Za-z]+)"[^>]*TargetMode="External"', packages.part_head(archive, name)
            ):
                if target_type.decode() in _LINKING_RELATIONSHIPS:
                    raise DocumentRefused(
                        Message(
                            gettext_noop("文件链接了外部内容（{kind}）：请在 Word 中断开链接、嵌入内容后另存再上传"),
                            kind=target_type.decode(),
                        )
                    )


# What indicators.core.packages found, in the words of a document upload.
_PACKAGE_PROBLEMS = {
    packages.BROKEN: lambda p: Message(gettext_noop("文件已损坏或不完整，无法打开")),
    packages.MISSING: lambda p: Message(gettext_noop("文件不是 Word 文件（.docx）：缺少正文部分")),
    packages.TOO_LARGE: lambda p: Message(gettext_noop("文件解压后超过上限，拒绝读取（疑似压缩炸弹）")),
    packages.RATIO: lambda p: Message(gettext_noop("文件中 {member} 的压缩比异常，拒绝读取（疑似压缩炸弹）"), member=p["member"]),
    packages.MACROS: lambda p: Message(gettext_noop("文件含宏（.docm）：平台不接受宏，请在 Word 中另存为 .docx 后上传")),
    packages.ENTITIES: lambda p: Message(gettext_noop("文件包含不安全的 XML 内容（实体或 DTD），拒绝读取")),
    packages.CORRUPT_MEMBER: lambda p: Message(gettext_noop("文件已损坏：{member} 校验失败"), member=p["member"]),
}


def _docx_table(table, number, lines) -> Table:
    width = table._column_count
    flat = table._cells  # merged cells repeat: the same <w:tc> at every grid position they cover
    rows, places, row_lines = [], [], []
    lines.append(f"【表{number}】")
    for r in range(len(flat) // width if width else 0):
        row = []
        for c in range(width):
            tc = flat[r * width + c]._tc
            merged = None
            if c and flat[r * width + c - 1]._tc is tc:
                merged = "left"
            elif r and flat[(r - 1) * width + c]._tc is tc:
                merged = "up"
            row.append(Cell(_join_lines(_docx_text(p) for p in flat[r * width + c].paragraphs), merged))
        rows.append(row)
        places.append(Message(gettext_noop("表{table} 第{row}行"), table=number, row=r + 1))
        lines.append("| " + " | ".join("" if cell.merged else cell.text for cell in row))
        row_lines.append(len(lines))
    return Table(number, rows, places, row_lines)


def _docx_text(paragraph) -> str:
    """A paragraph's text without footnote references: a superscript number or marker after a
    Chinese character ("地级及以上城市²") refers to a note; after a Latin letter (m³) it is a unit."""
    text = ""
    for item in paragraph.iter_inner_content():  # runs, and hyperlinks holding runs
        superscript = getattr(getattr(item, "font", None), "superscript", False)
        if superscript and re.fullmatch(r"[0-9①-⑳*＊※,，]+", item.text or "") and text and not text[-1].isascii():
            continue
        text += item.text or ""
    return text


# --- PDF -------------------------------------------------------------------------------------------


def _read_pdf(data: bytes, limits: Limits) -> Document:
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        pages = pdf.pages
    except PDFPasswordIncorrect as exc:
        raise DocumentRefused(Message(gettext_noop("PDF 文件受密码保护：请提供未加密的文件"))) from exc
    except Exception as exc:
        if "password" in repr(exc).lower() or "encrypt" in repr(exc).lower():
            raise DocumentRefused(Message(gettext_noop("PDF 文件受密码保护：请提供未加密的文件"))) from exc
        raise DocumentRefused(Message(gettext_noop("PDF 文件已损坏，无法打开"))) from exc
    if len(pages) > limits.max_pages:
        raise DocumentRefused(
            Message(gettext_noop("PDF 共 {pages} 页，超过上限 {limit} 页"), pages=len(pages), limit=limits.max_pages)
        )
    started = time.monotonic()
    paragraphs, tables, lines = [], [], []
    chars = 0
    try:
        with pdf:
            for number, page in enumerate(pages, start=1):
                if time.monotonic() - started > limits.max_seconds:
                    raise DocumentRefused(
                        Message(gettext_noop("文件过于复杂，{seconds} 秒内未能读完"), seconds=int(limits.max_seconds))
                    )
                chars += len(page.chars)
                _pdf_page(page, number, paragraphs, tables, lines)
    except DocumentRefused:
        raise
    except Exception as exc:
        raise DocumentRefused(Message(gettext_noop("PDF 文件已损坏，无法读取：{reason}"), reason=type(exc).__name__)) from exc
    title = _largest_print(pages[0]) if pages else ""
    if chars == 0:
        raise DocumentRefused(
            Message(gettext_noop("PDF 中没有文字层（扫描件）：请提供含文字的 PDF 或 Word 文件，或先做文字识别（OCR）"))
        )
    return Document(PDF, paragraphs, tables, lines, title)


def _largest_print(page) -> str:
    """The title of a title page: its lines in the largest type, joined."""
    try:
        lines = [line for line in page.extract_text_lines() if line["text"].strip() and line.get("chars")]
    except Exception:
        return ""
    if not lines:
        return ""
    size = max(max(c["size"] for c in line["chars"]) for line in lines)
    return "".join(line["text"].strip() for line in lines if max(c["size"] for c in line["chars"]) >= size - 0.5)


def _without_footnote_references(page):
    """The page without superscript footnote references ("城市²"): small digits or markers set
    higher than the Chinese character before them. A subscript (PM₂.₅) sits lower, and a
    superscript after a Latin letter (m³) is a unit: both stay."""
    chars = page.chars
    if not chars:
        return page
    sizes = sorted(c["size"] for c in chars)
    body = sizes[len(sizes) // 2]
    references = set()
    for c in chars:
        if c["size"] >= 0.8 * body or not re.fullmatch(r"[0-9①-⑳*＊※]", c["text"]):
            continue
        for o in chars:
            if (
                o["size"] >= 0.8 * body
                and -2 <= c["x0"] - o["x1"] <= 3
                and o["top"] - 1 <= c["top"] <= o["bottom"]
                and c["bottom"] < o["bottom"] - 0.15 * o["size"]
                and not o["text"].isascii()
            ):
                references.add(id(c))
                break
    if not references:
        return page
    return page.filter(lambda obj: obj.get("object_type") != "char" or id(obj) not in references)


def _pdf_page(page, number, paragraphs, tables, lines):
    page = _without_footnote_references(page)
    # Tables are found from their ruling lines: a page of prose has none, and is not searched.
    found = page.find_tables() if (page.lines or page.rects or page.edges) else []
    boxes = [t.bbox for t in found]

    def outside(obj):
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= x <= b[2] and b[1] <= y <= b[3] for b in boxes)

    text_lines = [(line["top"], line["text"].strip()) for line in page.filter(outside).extract_text_lines()]
    blocks = [(top, "text", text) for top, text in text_lines if text]
    blocks += [(t.bbox[1], "table", t) for t in found]
    lines.append(f"【第{number}页】")
    last_text, notes_open = "", False
    for _top, kind, item in sorted(blocks, key=lambda b: b[0]):
        if kind == "text":
            notes_open = _text_line(item, notes_open, paragraphs, tables, lines)
            last_text = item
            continue
        table = _pdf_table(item, len(tables) + 1, number, lines)
        table.caption = last_text
        tables.append(table)
        last_text, notes_open = "", True


def _pdf_table(found, number, page_number, lines) -> Table:
    texts = found.extract()
    row_boxes = [row.bbox for row in found.rows]
    column_boxes = [column.bbox for column in found.columns]
    cell_boxes = [row.cells for row in found.rows]
    rows, places, row_lines = [], [], []
    lines.append(f"【第{page_number}页 表{number}】")
    for r, texts_row in enumerate(texts):
        row = []
        for c, text in enumerate(texts_row):
            if text is not None:
                row.append(Cell(_join_lines(text.split("\n"))))
                continue
            row.append(_covering(r, c, rows, row, cell_boxes, row_boxes, column_boxes))
        rows.append(row)
        places.append(Message(gettext_noop("第{page}页 表{table} 第{row}行"), page=page_number, table=number, row=r + 1))
        lines.append("| " + " | ".join("" if cell.merged else cell.text for cell in row))
        row_lines.append(len(lines))
    return Table(number, rows, places, row_lines, page=page_number)


def _covering(r, c, rows, row, cell_boxes, row_boxes, column_boxes) -> Cell:
    """A grid position pdfplumber left empty because a merged cell covers it: which one."""
    middle_y = (row_boxes[r][1] + row_boxes[r][3]) / 2
    for above in range(r - 1, -1, -1):
        box = cell_boxes[above][c] if c < len(cell_boxes[above]) else None
        if box is not None:
            if box[3] > middle_y + 0.5:
                return Cell(rows[above][c].text, "up")
            break
    middle_x = (column_boxes[c][0] + column_boxes[c][2]) / 2 if c < len(column_boxes) else None
    for left in range(c - 1, -1, -1):
        box = cell_boxes[r][left] if left < len(cell_boxes[r]) else None
        if box is not None:
            if middle_x is not None and box[2] > middle_x:
                return Cell(row[left].text, "left")
            break
    return Cell("")


def _text_line(text, notes_open, paragraphs, tables, lines) -> bool:
    """A paragraph outside the tables; the notes right under a table (注：…) are also the table's.
    Returns whether the notes under the last table go on."""
    notes_open = notes_open and _is_note(text, continuing=bool(tables[-1].notes))
    if notes_open:
        tables[-1].notes.append(text)
    paragraphs.append(text)
    lines.append(text)
    return notes_open


# --- text ------------------------------------------------------------------------------------------

_NOTE = re.compile(r"^(注|备注|说明|资料来源|数据来源)\s*[0-9０-９*＊①-⑳]*\s*[:：]|^[①-⑳*＊※]")


def _is_note(text: str, continuing: bool = False) -> bool:
    return bool(_NOTE.match(text)) or (continuing and bool(re.match(r"^[0-9０-９]+[.、．]|^[①-⑳]", text)))


def _join_lines(parts) -> str:
    """A cell's lines as one text: a line break inside a cell is layout, not content, so Chinese
    lines join directly and Latin words or numbers keep one space between them."""
    text = ""
    for part in parts:
        part = part.strip()
        if not part:
            continue
        if text and text[-1].isascii() and text[-1].isalnum() and part[0].isascii() and part[0].isalnum():
            text += " "
        text += part
    return text
