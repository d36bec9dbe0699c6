"""The source documents the plans were copied from, named by their printed titles.

The seeds are files in fixtures/sources/ (titles in documents.yaml); documents imported later are
`SourceDocument` rows. A file's title never changes once known, so it is remembered per process.
"""

from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

SOURCES_DIR: Path = settings.BASE_DIR / "fixtures" / "sources"
_imported_titles: dict[str, str] = {}


@cache
def titles() -> dict[str, str]:
    """File name -> the document's printed title (fixtures/sources/documents.yaml)."""
    entries = yaml.safe_load((SOURCES_DIR / "documents.yaml").read_text(encoding="utf-8")) or []
    return {entry["file"]: entry["title"] for entry in entries}


def title(filename: str) -> str:
    """The document's title, or the file's name for a file nobody knows."""
    if filename in titles():
        return titles()[filename]
    if filename not in _imported_titles:
        from plandata.models import SourceDocument

        found = SourceDocument.objects.filter(file=filename).values_list("title", flat=True).first()
        if found is None:
            return filename
        _imported_titles[filename] = found
    return _imported_titles[filename]


def lines(filename: str) -> list[str] | None:
    """The numbered lines of a source document, or None when there is no such document."""
    seeds = {p.name: p for p in SOURCES_DIR.glob("*.txt")}
    if filename in seeds:
        return seeds[filename].read_text(encoding="utf-8").splitlines()
    from plandata.models import SourceDocument

    text = SourceDocument.objects.filter(file=filename).values_list("text", flat=True).first()
    return None if text is None else text.splitlines()
