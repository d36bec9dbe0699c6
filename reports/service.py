"""Building reports: the right data (current, or a frozen snapshot and the corrections since),
the right builder, and whether a report is small enough to build within the request."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from indicators.models import Indicator, Plan
from reports import data as report_data
from reports import workbooks
from reports.models import EvaluationSnapshot

KINDS = ("progress", "midterm", "final", "summary")
SNAPSHOT_KIND = {"progress": "annual", "midterm": "midterm", "final": "final"}
CSV_MIME = "text/csv; charset=utf-8"


class ReportError(Exception):
    pass


def resolve_year(plan: Plan, kind: str, year: int | None = None) -> int:
    if kind in ("midterm", "final") and year is None:
        return report_data.evaluation_year(plan, kind)
    if year is None:
        raise ReportError(_("请指定年份"))
    if not plan.period_start <= year <= plan.period_end:
        raise ReportError(
            _("%(year)s年不在规划期 %(start)s—%(end)s 内") % {"year": year, "start": plan.period_start, "end": plan.period_end}
        )
    return year


def current_data(plan: Plan, kind: str, year: int) -> dict:
    return report_data.report_data(plan, year, "progress" if kind == "progress" else kind)


def snapshot_for(plan: Plan, kind: str, year: int) -> EvaluationSnapshot | None:
    return EvaluationSnapshot.objects.filter(plan=plan, kind=SNAPSHOT_KIND[kind], year=year).first()


def differences(frozen: dict, current: dict) -> list[dict]:
    """Corrections since the freeze: per indicator, the value, target and status then and now."""
    now = {row["id"]: row for row in current["indicators"]}
    year = str(frozen["year"])
    diffs = []
    for row in frozen["indicators"]:
        other = now.get(row["id"])
        name = f"{row['seq']} {row['name']}".strip()
        if other is None:
            diffs.append({"indicator": name, "field": "指标", "frozen": "存在", "current": "已删除"})
            continue
        for _field, label, a, b in (
            ("value", "实际值", row["value"], other["value"]),
            ("target", "目标", row["targets"].get(year, ""), other["targets"].get(year, "")),
            ("status", "状态", row["status_label"], other["status_label"]),
        ):
            if (a or "") != (b or ""):
                diffs.append({"indicator": name, "field": label, "frozen": a or "", "current": b or ""})
    return diffs


def build(
    kind: str,
    *,
    plan: Plan | None = None,
    plans: list[Plan] | None = None,
    year: int | None = None,
    fmt: str = "xlsx",
    frozen: bool = True,
    progress=None,
) -> tuple[bytes, str, str]:
    """Return (content bytes, file name, content type) for one report."""
    if kind not in KINDS:
        raise ReportError(_("未知的报表类型“%(kind)s”") % {"kind": kind})
    if kind == "summary":
        data = report_data.summary_data(plans, year)
        name = f"summary-{year or 'latest'}.xlsx"
        return workbooks.summary_workbook(data, progress=progress), name, workbooks.MIME
    year = resolve_year(plan, kind, year)
    snapshot = snapshot_for(plan, kind, year) if frozen else None
    if snapshot is not None:
        data = dict(snapshot.data, frozen_at=snapshot.frozen_at.isoformat(timespec="seconds"))
        diffs = differences(snapshot.data, current_data(plan, kind, year))
    else:
        data, diffs = current_data(plan, kind, year), None
    base = f"{plan.code}-{kind}-{year}"
    if fmt == "csv":
        return workbooks.progress_csv(data), base + ".csv", CSV_MIME
    if kind == "progress":
        return workbooks.progress_workbook(data, diffs), base + ".xlsx", workbooks.MIME
    conclusion = report_data.evaluation_text(data)
    return workbooks.evaluation_workbook(data, report_data.verdict, conclusion, diffs), base + ".xlsx", workbooks.MIME


def estimated_cells(kind: str, *, plan: Plan | None = None, plans: list[Plan] | None = None) -> int:
    """A rough size: what decides between building in the request and in a background job."""
    if kind == "summary":
        return Indicator.objects.filter(plan__in=plans).count() * 25 + len(plans) * 20
    return plan.indicators.count() * 25 + plan.projects.count() * 12


def is_large(kind: str, **scope) -> bool:
    return estimated_cells(kind, **scope) > settings.REPORT_ASYNC_CELLS


@transaction.atomic
def snapshot_freeze(*, plan: Plan, kind: str, year: int, user) -> EvaluationSnapshot:
    """Freeze an evaluation at its cut-off. One per plan, kind and year."""
    if kind not in SNAPSHOT_KIND:
        raise ReportError(_("“%(kind)s”不能冻结") % {"kind": kind})
    year = resolve_year(plan, kind, year)
    snapshot_kind = SNAPSHOT_KIND[kind]
    if EvaluationSnapshot.objects.filter(plan=plan, kind=snapshot_kind, year=year).exists():
        raise ReportError(_("%(plan)s %(year)s年的该评估已冻结") % {"plan": plan.title, "year": year})
    data = current_data(plan, kind, year)
    return EvaluationSnapshot.objects.create(
        plan=plan, kind=snapshot_kind, year=year, data=data, engine_version=data["engine_version"], frozen_by=user
    )
