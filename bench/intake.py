"""Benchmark: reading plan documents for intake (issue 16: a document of the usual size under 10 s).

Run by hand (not a test; needs LibreOffice for the PDFs):

    .venv/bin/python bench/intake.py

Builds the seven table plans in every layout as .docx (tests/intake/build.py), converts them to PDF
with one LibreOffice call, then reads each document three times the way `import_plan` does
(documents.read + reading.read_plan, region tree from the database) and prints the median seconds
per document, its pages, rows and cells, and the slowest document last.
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("DATABASE_URL", "sqlite:///" + str(Path(tempfile.gettempdir()) / "bench_intake.sqlite3"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

from intake import importing  # noqa: E402
from tests.intake import build  # noqa: E402


def full_length(folder: Path) -> Path:
    """A document of a real plan's length: the Third Division plan's whole printed text (the seed,
    fixtures/sources/000_*.txt, one paragraph per line) with its rebuilt tables at the end."""
    import copy

    import docx

    tables = docx.Document(build.build_docx("div3-2021-2025", folder, "usual"))
    document = docx.Document()
    seed = next((ROOT / "fixtures" / "sources").glob("000_*.txt"))
    for line in seed.read_text(encoding="utf-8").splitlines():
        if line.strip():
            document.add_paragraph(line)
    for element in tables.element.body:
        document.element.body.append(copy.deepcopy(element))
    path = folder / "div3-2021-2025-full-length.docx"
    document.save(path)
    return path


def main():
    call_command("migrate", verbosity=0)
    call_command("load_plans", verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="bench-intake-"))
    docx = [build.build_docx(code, folder, layout) for code in build.PLANS for layout in build.APPLICABLE[code]]
    docx.append(full_length(folder))
    started = time.perf_counter()
    pdfs = build.build_pdfs(docx)
    print(f"LibreOffice converted {len(pdfs)} documents in {time.perf_counter() - started:.1f} s (not part of an import)")
    figures = []
    for path in [*docx, *pdfs]:
        data = path.read_bytes()
        times = []
        for _ in range(3):
            started = time.perf_counter()
            document, result = importing.document_read(data, path.name, "bench")
            times.append(time.perf_counter() - started)
        pages = max((t.page or 1 for t in document.tables), default=1) if document.kind == "pdf" else "-"
        figures.append(
            (
                statistics.median(times),
                path.name,
                len(data) // 1024,
                pages,
                len(result.indicators) + len(result.projects),
                result.cells,
            )
        )
    print(f"{'document':42} {'KB':>5} {'pages':>5} {'rows':>5} {'cells':>5} {'seconds':>8}")
    for seconds, name, size, pages, rows, cells in sorted(figures, key=lambda f: f[1]):
        print(f"{name:42} {size:>5} {pages!s:>5} {rows:>5} {cells:>5} {seconds:>8.3f}")
    word = [f[0] for f in figures if f[1].endswith(".docx")]
    pdf = [f[0] for f in figures if f[1].endswith(".pdf")]
    print(f"median: Word {statistics.median(word):.3f} s, PDF {statistics.median(pdf):.3f} s")
    slowest = max(figures)
    print(f"slowest: {slowest[1]} {slowest[0]:.2f} s (goal < 10 s)")


if __name__ == "__main__":
    main()
