"""A draft's plan data as the review page shows it, and the page's edits applied back. Plain Python:
the view hands over the posted fields and gets the new data or the problems, naming row and field."""

from __future__ import annotations

import copy
import re

from indicators.core import targets as grammar
from indicators.core import vocabulary
from indicators.core.messages import Message, gettext_noop

ROW_FIELDS = ("seq", "name", "category", "subcategory", "unit", "attribute")
META_FIELDS = ("title", "region", "issuer", "period_start", "period_end", "baseline_year")
ATTRIBUTES = tuple(term.code for term in vocabulary.ATTRIBUTES)  # in the order the select offers them


def columns_of(data: dict) -> list[tuple[str, int]]:
    """The review table's cell columns: ("value", year) for every year a baseline or value is
    printed (and the baseline year), ("target", year) for every target year (and the period's end)."""
    plan = data.get("plan", {})
    columns = set()
    for row in data.get("indicators", []):
        for kind in ("value", "target"):
            columns |= {(kind, int(y)) for y in row.get(kind + "s") or {}}
    if isinstance(plan.get("baseline_year"), int):
        columns.add(("value", plan["baseline_year"]))
    if isinstance(plan.get("period_end"), int):
        columns.add(("target", plan["period_end"]))
    return sorted(columns, key=lambda c: (c[1], c[0] == "target"))


def table_rows(data: dict) -> list[dict]:
    """Each indicator row with its cells beside their readings, for the review page."""
    rows, columns = [], columns_of(data)
    for index, row in enumerate(data.get("indicators", [])):
        cells = []
        for kind, year in columns:
            text = (row.get(kind + "s") or {}).get(str(year), "")
            text = text.get("text", "") if isinstance(text, dict) else text
            parsed = grammar.parse(text) if text else None
            cells.append(
                {
                    "name": f"row-{index}-{kind}-{year}",
                    "year": year,
                    "kind": kind,
                    "text": text,
                    "reading": parsed.kind if parsed else "",
                    "unread": bool(parsed) and parsed.kind == grammar.UNPARSED and kind == "target",
                }
            )
        rows.append({"index": index, "row": row, "cells": cells})
    return rows


def apply(data: dict, post) -> tuple[dict, list[Message]]:
    """`data` with the review page's fields applied; problems name the row and field."""
    new = copy.deepcopy(data)
    problems: list[Message] = []
    plan = new.setdefault("plan", {})
    for key in META_FIELDS:
        field = f"meta-{key}"
        if field not in post:
            continue
        text = post.get(field, "").strip()
        if key in ("period_start", "period_end", "baseline_year"):
            if not re.fullmatch(r"(19|20)\d\d", text):
                problems.append(Message(gettext_noop("规划信息：{field}“{text}”不是四位年份"), field=key, text=text))
                continue
            plan[key] = int(text)
        else:
            plan[key] = text or None
    columns = columns_of(data)
    kept, renamed = [], {}
    for index, row in enumerate(new.get("indicators", [])):
        prefix = f"row-{index}-"
        if post.get(prefix + "delete") == "1":
            renamed[row.get("name")] = None
            continue
        old_name = row.get("name")
        for key in ROW_FIELDS:
            if prefix + key in post:
                row[key] = post.get(prefix + key, "").strip() or None
        if not row.get("name"):
            problems.append(Message(gettext_noop("第{row}行：指标名称不能为空（要删除该行请勾选“删除”）"), row=index + 1))
        if row.get("attribute") not in (None, *ATTRIBUTES):
            problems.append(Message(gettext_noop("第{row}行：属性应为约束性、预期性或参考性"), row=index + 1))
        for kind, year in columns:
            field = f"{prefix}{kind}-{year}"
            if field not in post:
                continue
            text = post.get(field, "").strip()
            cells = row.setdefault(kind + "s", {})
            if grammar.is_empty(text):
                cells.pop(str(year), None)
            elif isinstance(cells.get(str(year)), dict):
                cells[str(year)]["text"] = text
            else:
                cells[str(year)] = text
        unread = [
            y
            for y, t in (row.get("targets") or {}).items()
            if grammar.parse(t if isinstance(t, str) else t["text"]).kind == grammar.UNPARSED
        ]
        if unread and not row.get("note"):
            row["note"] = "导入时目标未能解析：" + "、".join(f"{y}年" for y in unread) + "，已人工核对原文"
        if row.get("name") != old_name:
            renamed[old_name] = row.get("name")
        kept.append(row)
    # Sub-items name their parent row: a renamed or deleted parent is followed.
    for row in kept:
        if row.get("parent") in renamed:
            row["parent"] = renamed[row["parent"]]
    new["indicators"] = kept
    return new, problems
