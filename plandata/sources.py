"""The source documents the plans were copied from, named by their printed titles."""

from functools import cache
from pathlib import Path

import yaml
from django.conf import settings

SOURCES_DIR: Path = settings.BASE_DIR / "fixtures" / "sources"


@cache
def titles() -> dict[str, str]:
    """File name -> the document's printed title (fixtures/sources/documents.yaml)."""
    entries = yaml.safe_load((SOURCES_DIR / "documents.yaml").read_text(encoding="utf-8")) or []
    return {entry["file"]: entry["title"] for entry in entries}


def title(filename: str) -> str:
    """The document's title, or the file's name for a file the list does not know."""
    return titles().get(filename, filename)
