"""Bringing a plan in from its document: read, check, keep as a draft, publish. The Django side of
`documents.py` and `reading.py`; the command and the staff pages both go through here."""

from __future__ import annotations

import copy
import hashlib

from django.conf import settings
from django.db import transaction

from indicators.core.messages import to_data
from indicators.models import Plan, Region
from intake import documents, reading
from intake.models import PlanDraft
from plandata import plan_files
from plandata.loading import plan_data_load
from plandata.models import SourceDocument


class PublishRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("；".join(problems))


def limits() -> documents.Limits:
    return documents.Limits(
        max_bytes=settings.INTAKE_MAX_BYTES,
        max_unzipped_bytes=settings.IMPORT_MAX_UNZIPPED_BYTES * 4,
        max_ratio=settings.IMPORT_MAX_RATIO,
        max_pages=settings.INTAKE_MAX_PAGES,
        max_seconds=settings.INTAKE_MAX_SECONDS,
    )


def known_regions() -> list[reading.RegionName]:
    rows = Region.objects.select_related("parent").order_by("id")
    return [reading.RegionName(r.name, tuple(r.aliases or ()), r.parent.name if r.parent_id else None) for r in rows]


def source_name(code: str) -> str:
    """The name every imported row cites: the document's text rendering, one per plan."""
    return f"{code}.txt"


def document_read(data: bytes, filename: str, code: str, given: dict | None = None) -> tuple[documents.Document, reading.Reading]:
    """Read an uploaded document as plan `code` (DocumentRefused for a file that cannot be read)."""
    document = documents.read(data, filename, limits())
    result = reading.read_plan(document, code=code, source_file=source_name(code), regions=known_regions(), given=given)
    return document, result


def plan_data(result: reading.Reading) -> dict:
    """The reading as a plan file's data (what `--out` writes and a draft keeps)."""
    return {
        "plan": result.plan,
        "indicators": result.indicators,
        "projects": result.projects,
        "stated_totals": result.stated_totals,
    }


def problems_of(data: dict) -> list[str]:
    """What stops `data` from being published: the plan-file checks, and a code already in use."""
    return _checked(data)[1]


def _checked(data: dict) -> tuple[dict | None, list[str]]:
    """`data` as plan_files.check makes it (None if refused), and what stops it being published."""
    problems, checked = [], None
    try:
        checked = plan_files.check(
            copy.deepcopy(data), data.get("plan", {}).get("code") or "draft", set(Region.objects.values_list("name", flat=True))
        )
    except plan_files.PlanFileError as exc:
        problems.extend(exc.problems)
    code = (data.get("plan") or {}).get("code")
    if code and Plan.objects.filter(code=code).exists():
        problems.append(f"plan：代码“{code}”已被已发布的规划使用，请换一个代码")
    if not data.get("indicators"):
        problems.append("没有任何指标：未找到指标表")
    return checked, problems


def draft_create(*, data: bytes, filename: str, code: str, user, given: dict | None = None) -> PlanDraft:
    document, result = document_read(data, filename, code, given)
    return PlanDraft.objects.create(
        code=code,
        original_name=filename[:255],
        sha256=hashlib.sha256(data).hexdigest(),
        source_file=source_name(code),
        source_text="\n".join(document.lines),
        data=plan_data(result),
        report=reading_report(result),
        created_by=user,
    )


def reading_report(result: reading.Reading) -> dict:
    return {
        "tables": [
            {
                "number": t.number,
                "kind": t.kind,
                "place": to_data(t.place),
                "caption": t.caption,
                "columns": t.columns,
                "reason": to_data(t.reason or ""),
            }
            for t in result.tables
        ],
        # Kept as message data, so the review page shows them in the reader's language.
        "warnings": [{"place": to_data(n.place), "message": to_data(n.message)} for n in result.warnings],
        "missing": result.missing,
    }


def publish(*, data: dict, source_text: str, original_name: str, sha256: str, user=None) -> Plan:
    """Make `data` a plan like the others, with its source document; all or nothing."""
    checked, problems = _checked(data)
    if problems:
        raise PublishRefused(problems)
    with transaction.atomic():
        SourceDocument.objects.update_or_create(
            file=source_name(data["plan"]["code"]),
            defaults={
                "title": data["plan"]["title"][:200],
                "original_name": original_name[:255],
                "sha256": sha256,
                "text": source_text,
                "uploaded_by": user,
            },
        )
        plan, _counts = plan_data_load(checked)
    return plan


def draft_publish(draft: PlanDraft, user) -> Plan:
    with transaction.atomic():
        draft = PlanDraft.objects.select_for_update().get(pk=draft.pk)
        if draft.state != PlanDraft.State.DRAFT:
            raise PublishRefused(["该草稿已发布或已放弃"])
        plan = publish(
            data=draft.data, source_text=draft.source_text, original_name=draft.original_name, sha256=draft.sha256, user=user
        )
        draft.state, draft.plan = PlanDraft.State.PUBLISHED, plan
        draft._change_reason = "publish"
        draft.save()
    return plan
