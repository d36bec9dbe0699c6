"""Load validated plan files into the database, idempotently.

Loading again updates document data in place. It never touches what people entered: values and
project progress that did not come from the document, targets' assigned numbers, and directions a
reviewer corrected by hand.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from indicators.core import directions, keys
from indicators.core import targets as grammar
from indicators.models import Indicator, IndicatorValue, Milestone, Plan, Region, Target, TargetRevision
from indicators.tasks import schedule_recompute
from plandata import plan_files
from projects.location import region_named
from projects.models import KeyProject, StatedTotal

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"
PLANS_DIR = FIXTURES_DIR / "plans"
REGIONS_FILE = FIXTURES_DIR / "regions.yaml"


@dataclass
class LoadReport:
    loaded: dict = field(default_factory=dict)  # code -> counts
    refused: list = field(default_factory=list)  # PlanFileError
    kept: list = field(default_factory=list)  # messages about entered data left in place


def plan_paths(codes: Iterable[str] | None = None, plans_dir: Path = PLANS_DIR) -> list[Path]:
    paths = sorted(Path(plans_dir).glob("*.yaml"))
    if codes:
        wanted = set(codes)
        paths = [p for p in paths if p.stem in wanted]
        missing = wanted - {p.stem for p in paths}
        if missing:
            raise plan_files.PlanFileError(PLANS_DIR, [f"找不到规划文件 {code}.yaml" for code in sorted(missing)])
    return paths


def regions_load(path: Path = REGIONS_FILE) -> dict[str, Region]:
    rows = plan_files.read_regions(path)
    by_name = {}
    with transaction.atomic():
        for row in rows:
            region, _ = Region.objects.update_or_create(
                name=row["name"],
                defaults={
                    "kind": row["kind"],
                    "parent": by_name.get(row.get("parent")),
                    "code": row.get("code") or "",
                    "aliases": row.get("aliases") or [],
                },
            )
            by_name[region.name] = region
    return by_name


def plans_load(
    *, codes: Iterable[str] | None = None, plans_dir: Path = PLANS_DIR, regions_path: Path = REGIONS_FILE
) -> LoadReport:
    """Load the plan files (all, or those named by code). Each bad file is refused whole."""
    report = LoadReport()
    regions = regions_load(regions_path)
    parsed = []
    for path in plan_paths(codes, plans_dir):
        try:
            parsed.append(plan_files.read(path, region_names=set(regions)))
        except plan_files.PlanFileError as exc:
            report.refused.append(exc)
    for data in parsed:
        with transaction.atomic():
            plan, counts = _plan_load(data, regions, report)
            schedule_recompute(Indicator.objects.filter(plan=plan).values_list("pk", flat=True))
        report.loaded[plan.code] = counts
    # Predecessors may be loaded after their successors: link once all are in.
    for data in parsed:
        code, predecessor = data["plan"]["code"], data["plan"].get("predecessor")
        Plan.objects.filter(code=code).update(predecessor=Plan.objects.filter(code=predecessor).first() if predecessor else None)
    return report


def plan_data_load(data: dict) -> tuple[Plan, dict]:
    """Load one plan already checked by `plan_files.check` (an imported document), in one
    transaction; its regions must exist."""
    regions = {region.name: region for region in Region.objects.all()}
    report = LoadReport()
    with transaction.atomic():
        plan, counts = _plan_load(data, regions, report)
        predecessor = data["plan"].get("predecessor")
        if predecessor:
            Plan.objects.filter(pk=plan.pk).update(predecessor=Plan.objects.filter(code=predecessor).first())
        schedule_recompute(Indicator.objects.filter(plan=plan).values_list("pk", flat=True))
    return plan, counts


def _plan_load(data, regions, report):
    meta = data["plan"]
    issued = meta.get("issued_on")
    if issued is not None and not isinstance(issued, datetime.date):
        issued = datetime.date.fromisoformat(str(issued))
    plan, _ = Plan.objects.update_or_create(
        code=meta["code"],
        defaults={
            "title": meta["title"],
            "region": regions[meta["region"]],
            "issuer": meta.get("issuer") or "",
            "issued_on": issued,
            "doc_number": meta.get("doc_number") or "",
            "period_start": meta["period_start"],
            "period_end": meta["period_end"],
            "baseline_year": meta["baseline_year"],
            "source_file": meta["source"]["file"],
            "source_line": meta["source"].get("line"),
            "note": meta.get("note") or "",
            "public_note": meta.get("public_note") or "",
            "reporting": meta.get("reporting", True),
        },
    )
    _milestones_load(plan, meta.get("milestones") or [])
    indicators = _indicators_load(plan, data["indicators"], regions, report)
    projects = _projects_load(plan, data["projects"], regions, report)
    totals = _totals_load(plan, data["stated_totals"])
    return plan, {"indicators": indicators, "projects": projects, "stated_totals": totals}


def _milestones_load(plan, milestones):
    keep = []
    for milestone in milestones:
        obj, _ = Milestone.objects.update_or_create(
            plan=plan, kind=milestone["kind"], year=milestone["year"], defaults={"label": milestone["label"]}
        )
        keep.append(obj.pk)
    plan.milestones.exclude(pk__in=keep).delete()


def _indicators_load(plan, rows, regions, report):
    revised = {}
    for indicator_id, year in TargetRevision.objects.filter(indicator__plan=plan).values_list("indicator_id", "year"):
        revised.setdefault(indicator_id, set()).add(year)
    existing = {i.row_key: i for i in plan.indicators.all()}
    by_name, loaded = {}, []
    for position, row in enumerate(rows, start=1):
        source_file = row["source"]["file"]
        row_key = Indicator.make_row_key(row.get("seq"), row["name"], row.get("region"))
        indicator = existing.pop(row_key, None) or Indicator(plan=plan, row_key=row_key)
        parsed_targets = [grammar.parse(cell.text) for cell in row["targets"].values()]
        if row.get("direction"):
            direction, reason = row["direction"], "规划数据文件指定"
        elif indicator.direction_source == directions.MANUAL_DIRECTION:
            direction, reason = indicator.direction, directions.MANUAL_DIRECTION
        else:
            direction, reason = directions.decide(row["name"], parsed_targets)
        fields = {
            "position": position,
            "seq": row.get("seq") or "",
            "name": row["name"],
            "category": row.get("category") or "",
            "subcategory": row.get("subcategory") or "",
            "unit": row.get("unit") or "",
            "attribute": row.get("attribute") or "",
            "region": regions.get(row.get("region")) if row.get("region") else None,
            "direction": direction,
            "direction_source": reason,
            "standard_value": row.get("standard_value") or "",
            "verdict": row.get("verdict") or "",
            "assessment_object": row.get("assessment_object") or "",
            "footnotes": row.get("footnotes") or [],
            "note": row.get("note") or "",
            "public_note": row.get("public_note") or "",
            "key": row.get("key") or indicator.key or keys.key_for(row["name"]),
            "source_file": source_file,
            "source_line": row["source"]["line"],
        }
        if indicator.pk is None or any(getattr(indicator, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(indicator, name, value)
            indicator.save()
        by_name.setdefault(row["name"], indicator)
        _targets_load(indicator, row["targets"], source_file, row["source"]["line"], revised.get(indicator.pk, set()))
        _document_values_load(indicator, row["values"], source_file, row["source"]["line"], report)
        loaded.append((indicator, row.get("parent")))
    for indicator, parent_name in loaded:
        parent = by_name.get(parent_name) if parent_name else None
        if indicator.parent_id != (parent.pk if parent else None):
            indicator.parent = parent
            indicator.save(update_fields=["parent"])
    for indicator in existing.values():
        if indicator.values.exclude(origin=IndicatorValue.Origin.DOCUMENT).exists():
            report.kept.append(f"{plan.code}：指标“{indicator}”已不在文件中，但有填报数据，保留未删")
        else:
            indicator.delete()
    return len(loaded)


def _targets_load(indicator, cells, source_file, row_line, revised):
    """`revised`: the years of this indicator's targets revised by a later document (中期调整),
    which stay as revised: the plan file holds the original text, kept by the revision."""
    existing = {t.year: t for t in indicator.targets.all()}
    for year, cell in cells.items():
        if year in revised:
            existing.pop(year, None)
            continue
        target = existing.pop(year, None) or Target(indicator=indicator, year=year)
        line = cell.line or row_line
        if target.pk and target.raw_text == cell.text and target.source_line == line:
            if target.grammar_version == grammar.GRAMMAR_VERSION:
                continue
        target.set_text(cell.text)
        target.source_file, target.source_line = source_file, line
        target.save()
    for target in existing.values():
        if target.assigned_value is None and target.year not in revised:
            target.delete()


def _document_values_load(indicator, cells, source_file, row_line, report):
    existing = {v.year: v for v in indicator.values.filter(region__isnull=True)}
    for year, cell in cells.items():
        value = existing.pop(year, None)
        if value is not None and value.origin != IndicatorValue.Origin.DOCUMENT:
            report.kept.append(f"{indicator.plan.code}：“{indicator}” {year} 年已有填报值，文件中的数值未覆盖")
            continue
        value = value or IndicatorValue(
            indicator=indicator,
            year=year,
            origin=IndicatorValue.Origin.DOCUMENT,
            state=IndicatorValue.State.APPROVED,
        )
        line = cell.line or row_line
        if value.pk and value.raw_text == cell.text and value.source_line == line:
            continue
        value.set_text(cell.text)
        value.source_file, value.source_line = source_file, line
        value.save()
    for value in existing.values():
        if value.origin == IndicatorValue.Origin.DOCUMENT:
            value.delete()


def _projects_load(plan, rows, regions, report):
    existing = {p.seq: p for p in plan.projects.all()}
    for position, row in enumerate(rows, start=1):
        seq = str(row["seq"])
        project = existing.pop(seq, None) or KeyProject(plan=plan, seq=seq)
        investment = row.get("investment_wan")
        fields = {
            "position": position,
            "category": row.get("category") or "",
            "name": row["name"],
            "nature": row.get("nature") or "",
            "content": row.get("content") or "",
            "period_text": row.get("period") or "",
            "start_year": row.get("start_year"),
            "end_year": row.get("end_year"),
            "investment_wan": Decimal(str(investment)) if investment is not None else None,
            "location": row.get("location") or "",
            "region": regions.get(region_named(row.get("location") or "", regions)) or plan.region,
            "note": row.get("note") or "",
            "origin": KeyProject.Origin.DOCUMENT,
            "source_file": row["source"]["file"],
            "source_line": row["source"]["line"],
        }
        if project.pk is None or any(getattr(project, k) != v for k, v in fields.items()):
            for name, value in fields.items():
                setattr(project, name, value)
            project.save()
    for project in existing.values():
        if project.origin == KeyProject.Origin.DOCUMENT:
            if project.progress.exists():
                report.kept.append(f"{plan.code}：项目“{project}”已不在文件中，但有进展数据，保留未删")
            else:
                project.delete()
    return len(rows)


def _totals_load(plan, rows):
    keep = []
    for position, row in enumerate(rows, start=1):
        value = row.get("value_wan")
        total, _ = StatedTotal.objects.update_or_create(
            plan=plan,
            what=row["what"],
            category=row.get("category") or "",
            defaults={
                "position": position,
                "count": row.get("count"),
                "text": row["text"],
                "value_wan": Decimal(str(value)) if value is not None else None,
                "source_file": row["source"]["file"],
                "source_line": row["source"]["line"],
            },
        )
        keep.append(total.pk)
    plan.stated_totals.exclude(pk__in=keep).delete()
    return len(rows)
