"""The fixtures copy the documents: every row's text is found at its source line, and spot checks
read independently from the seeds agree with what the database holds after load_plans."""

import glob
import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
import yaml

from indicators.models import Indicator, IndicatorValue, Plan, Target
from projects.models import KeyProject, StatedTotal

SOURCES = Path("fixtures/sources")
PLAN_FILES = sorted(glob.glob("fixtures/plans/*.yaml"))
WINDOW = 40  # lines either side: spanned cells are printed on the first row they span
ARTEFACT = re.compile(r"\[bookmark: [^\]]*\]")


@cache
def seed_lines(filename):
    return (SOURCES / filename).read_text(encoding="utf-8").splitlines()


def _squash(text):
    # 004 is hard-wrapped and 001/002 put cells on lines of their own: compare without line breaks
    # and blanks; conversion artefacts ("[bookmark: …]") are not text.
    return re.sub(r"\s+", "", ARTEFACT.sub("", text))


def occurs_near(filename, line, text):
    lines = seed_lines(filename)
    lo, hi = max(0, line - 1 - WINDOW), min(len(lines), line + WINDOW)
    return _squash(text) in _squash("".join(lines[lo:hi]))


def occurs_on(filename, line, text):
    lines = seed_lines(filename)
    # A wrapped phrase may continue on the next printed line (004 has blank lines between).
    return _squash(str(text)) in _squash("".join(lines[line - 1 : line + 3]))


def _plan_data():
    for path in PLAN_FILES:
        yield Path(path).stem, yaml.safe_load(open(path, encoding="utf-8"))


def test_there_is_one_file_per_plan_and_all_eight_plans():
    assert [Path(p).stem for p in PLAN_FILES] == sorted(
        [
            "div3-2021-2025",
            "div3-2016-2020",
            "div12-2023-2035",
            "kashgar-2021-2025",
            "kashgar-2016-2020",
            "xinjiang-2016-2020",
            "xinjiang-2011-2015",
            "changji-2021-2025",
        ]
    )


def test_fixture_files_write_chinese_as_is():
    for path in PLAN_FILES:
        text = Path(path).read_text(encoding="utf-8")
        assert "\\u" not in text and "\\x" not in text, path


@pytest.mark.parametrize("code,data", list(_plan_data()), ids=[Path(p).stem for p in PLAN_FILES])
def test_every_row_is_found_at_its_source_line(code, data):
    problems = []
    for row in data["indicators"]:
        source = row["source"]
        if not occurs_near(source["file"], source["line"], row["name"]):
            problems.append(f"name {row['name']!r} not near line {source['line']}")
        for key in ("targets", "values"):
            for year, cell in (row[key] or {}).items():
                text = cell["text"] if isinstance(cell, dict) else cell
                line = cell.get("line", source["line"]) if isinstance(cell, dict) else source["line"]
                if not occurs_near(source["file"], line, text):
                    problems.append(f"{row['name']} {key}[{year}] {text!r} not near line {line}")
        if row.get("standard_value") and not occurs_near(source["file"], source["line"], row["standard_value"]):
            problems.append(f"{row['name']} standard_value {row['standard_value']!r} not near line {source['line']}")
    for project in data.get("projects") or []:
        source = project["source"]
        if not occurs_near(source["file"], source["line"], project["name"]):
            problems.append(f"project {project['seq']} name not near line {source['line']}")
        if project.get("investment_wan") and not occurs_near(source["file"], source["line"], project["investment_wan"]):
            problems.append(f"project {project['seq']} investment not near line {source['line']}")
    for total in data.get("stated_totals") or []:
        if not occurs_on(total["source"]["file"], total["source"]["line"], total["text"]):
            problems.append(f"stated total {total['text']!r} not on line {total['source']['line']}")
    assert problems == []


def _spot_checks():
    for path in sorted(glob.glob("tests/spot_checks/*.yaml")):
        code = Path(path).stem
        for check in yaml.safe_load(open(path, encoding="utf-8"))["checks"]:
            yield code, check


SPOT_CHECKS = list(_spot_checks())


def test_each_plan_has_at_least_ten_spot_checks():
    counts = {}
    for code, _ in SPOT_CHECKS:
        counts[code] = counts.get(code, 0) + 1
    assert set(counts) == {Path(p).stem for p in PLAN_FILES}
    assert min(counts.values()) >= 10, counts


def _db_value(plan, check):
    field, year = check["field"], check.get("year")
    if "indicator" in check:
        selector = check["indicator"]
        indicator = (
            Indicator.objects.get(
                plan=plan,
                seq=selector.get("seq") or "",
                name=selector["name"],
                region__name=selector.get("region"),
            )
            if selector.get("region")
            else Indicator.objects.get(plan=plan, seq=selector.get("seq") or "", name=selector["name"], region__isnull=True)
        )
        if field == "targets":
            return Target.objects.get(indicator=indicator, year=int(year)).raw_text
        if field == "values":
            return IndicatorValue.objects.get(indicator=indicator, year=int(year)).raw_text
        if field == "region":
            return indicator.region.name
        return getattr(indicator, field)
    if "project" in check:
        project = KeyProject.objects.get(plan=plan, seq=str(check["project"]))
        if field == "period":
            return project.period_text
        return getattr(project, field)
    total = StatedTotal.objects.get(plan=plan, what=check["stated_total"], category=check.get("category") or "")
    return getattr(total, field)


@pytest.mark.django_db
@pytest.mark.parametrize("code,check", SPOT_CHECKS, ids=[f"{c}:{k['line']}:{k['field']}" for c, k in SPOT_CHECKS])
def test_spot_check_against_the_document(code, check):
    plan = Plan.objects.get(code=code)
    source_file = plan.source_file
    expected = check["expected"]
    if check["field"] not in ("value_wan", "count"):
        assert occurs_on(source_file, check["line"], expected), f"{expected!r} is not printed on line {check['line']}"
    actual = _db_value(plan, check)
    if isinstance(actual, Decimal):
        assert actual == Decimal(str(expected))
    else:
        assert str(actual) == str(expected)
