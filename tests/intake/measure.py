"""Cell-by-cell comparison of an imported plan with what a careful reader expects.

Used by tests/test_intake.py and runnable by hand:
`python -m tests.intake.measure` prints the figures for every rebuilt and unseen document."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELDS = ("seq", "name", "category", "subcategory", "unit", "attribute", "verdict", "assessment_object")


@dataclass
class Score:
    right: int = 0
    total: int = 0
    wrong: list = field(default_factory=list)  # (row, field, expected, read)

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0

    def add(self, other: Score) -> None:
        self.right += other.right
        self.total += other.total
        self.wrong.extend(other.wrong)

    def __str__(self):
        return f"{self.right}/{self.total} ({self.share:.1%})"


def _key(name):
    return re.sub(r"\s+", "", name or "")


def expected_cells(rows: list[dict]) -> list[tuple[str, str, str]]:
    """The cells of rows written as a reader expects them (tests/intake/unseen/*.yaml `expected`)."""
    cells = []
    for row in rows:
        identity = f"{row.get('seq')}|{row['name']}|{row.get('region')}"
        for name in FIELDS:
            if name in row:
                cells.append((identity, name, row[name]))
        for kind in ("values", "targets"):
            for year, text in (row.get(kind) or {}).items():
                cells.append((identity, f"{kind[:-1]}:{year}", str(text)))
    return cells


def compare(
    expected_cells: list[tuple[str, str, str]],
    read_rows: list[dict],
    read_projects: list[dict] | None = None,
    loose_spaces: bool = False,
) -> Score:
    """`expected_cells`: (row identity "seq|name|region", field, text) as tests.intake.build gives
    them; a row is found by its identity, else by its name alone (the seq is one of the fields)."""
    by_identity, by_name = {}, {}
    for row in read_rows:
        by_identity[f"{row['seq']}|{row['name']}|{row['region']}"] = row
        by_name.setdefault((_key(row["name"]), row["region"]), row)
    projects = {str(p["seq"]): p for p in read_projects or []}
    projects_by_name = {_key(p["name"]): p for p in read_projects or []}
    projects_by_seq_name = {(str(p["seq"]), _key(p["name"])): p for p in read_projects or []}
    score = Score()
    for identity, field_name, text in expected_cells:
        score.total += 1
        if field_name.startswith("project:"):
            _seq, _, key = field_name.partition(":")[2].partition(":")
            seq, name = identity.split("|", 1) if "|" in identity else (identity, "")
            row = projects_by_seq_name.get((seq, _key(name))) or projects_by_name.get(_key(name)) or projects.get(seq)
            if row is None:
                score.wrong.append((identity, field_name, text, "（项目未读出）"))
                continue
            got = row.get(key)
            if key == "investment_wan":
                same = _decimal_equal(got, text)
            else:
                same = _same(got, text, loose_spaces)
        else:
            seq, name, region = identity.split("|")
            region = None if region in ("", "None") else region
            row = by_identity.get(identity) or by_name.get((_key(name), region))
            if row is None:
                score.wrong.append((identity, field_name, text, "（行未读出）"))
                continue
            if field_name.startswith(("value:", "target:")):
                kind, year = field_name.split(":")
                cells = row["values" if kind == "value" else "targets"]
                cell = cells.get(str(year), cells.get(int(year)) if isinstance(next(iter(cells), ""), int) else None)
                got = cell.get("text") if isinstance(cell, dict) else cell
            else:
                got = row.get(field_name)
            same = _same(got, text, loose_spaces)
        if same:
            score.right += 1
        else:
            score.wrong.append((identity, field_name, text, got))
    return score


def _same(got, expected, loose_spaces=False):
    """Texts compare exactly; `loose_spaces` (PDF) ignores spaces, which a PDF does not keep
    reliably: a line break inside a cell and a printed space look the same on the page."""
    if expected == "" and got in (None, ""):
        return True  # printed empty: nothing read
    if got is None or expected is None:
        return got is None and expected is None
    if loose_spaces:
        return re.sub(r"\s+", "", str(got)) == re.sub(r"\s+", "", str(expected))
    return str(got).strip() == str(expected).strip()


def _decimal_equal(got, expected):
    from decimal import Decimal, InvalidOperation

    if got is None or expected is None:
        return got is None and expected is None
    try:
        return Decimal(str(got)) == Decimal(str(expected))
    except InvalidOperation:
        return False
