"""Office Open XML packages (.xlsx, .docx) checked before any parser opens them. No Django.

openpyxl and python-docx never check how large a file unzips to, and a zip of a few hundred KB can
unzip to gigabytes; nor do they refuse macros or entity declarations in words a user can act on.
Each check here names what it found (`PackageRefused.reason`); the Excel import and the document
intake say it in their own words.
"""

from __future__ import annotations

import io
import zipfile

BROKEN = "broken"  # not a zip, or a member that does not read back
MISSING = "missing"  # `params["part"]`: a part the kind of file must have
TOO_LARGE = "too_large"  # `params["bytes"]` unzipped in all
RATIO = "ratio"  # `params["member"]` compressed `params["ratio"]` times
MACROS = "macros"
ENTITIES = "entities"  # a DTD or entity declaration in an XML part
CORRUPT_MEMBER = "corrupt_member"  # `params["member"]` fails its checksum


class PackageRefused(ValueError):
    def __init__(self, reason: str, **params):
        self.reason, self.params = reason, params
        super().__init__(reason)


def package_check(data: bytes, *, required: tuple[str, ...], max_unzipped: int, max_ratio: int) -> zipfile.ZipFile:
    """The package, opened, once its sizes, parts, macros, XML declarations and checksums pass;
    PackageRefused otherwise. The caller closes the archive."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PackageRefused(BROKEN) from exc
    try:
        _check(archive, required, max_unzipped, max_ratio)
    except BaseException:
        archive.close()
        raise
    return archive


def _check(archive, required, max_unzipped, max_ratio):
    members = archive.infolist()
    names = {m.filename for m in members}
    for part in required:
        if part not in names:
            raise PackageRefused(MISSING, part=part)
    total = sum(m.file_size for m in members)
    if total > max_unzipped:
        raise PackageRefused(TOO_LARGE, bytes=total)
    for m in members:
        if m.compress_size and m.file_size / m.compress_size > max_ratio:
            raise PackageRefused(RATIO, member=m.filename, ratio=m.file_size // m.compress_size)
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in part_head(archive, "[Content_Types].xml"):
        raise PackageRefused(MACROS)
    for name in names:
        if name.endswith((".xml", ".rels")):
            head = part_head(archive, name, 4096)
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise PackageRefused(ENTITIES)
    try:
        bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise PackageRefused(BROKEN) from exc
    if bad is not None:
        raise PackageRefused(CORRUPT_MEMBER, member=bad)


def part_head(archive, name: str, size: int = 256 * 1024) -> bytes:
    """The first `size` bytes of a part, or nothing when it is absent or unreadable."""
    try:
        with archive.open(name) as part:
            return part.read(size)
    except (KeyError, zipfile.BadZipFile, OSError, EOFError):
        return b""
