"""A key project's schedule status for a year, and its investment execution. Plain Python.

Progress reports carry the investment completed *to date* (cumulative), so the execution rate of a
year is that year's figure over the planned investment.
"""

from dataclasses import dataclass
from decimal import Decimal

NOT_STARTED = "not_started"
ONGOING = "ongoing"
COMPLETED = "completed"
OVERDUE = "overdue"
UNREPORTED = "unreported"

LABELS = {NOT_STARTED: "未开工", ONGOING: "在建", COMPLETED: "已完工", OVERDUE: "滞后", UNREPORTED: "未报告"}


@dataclass(frozen=True)
class Report:
    year: int
    status: str  # not_started / ongoing / completed, as entered
    investment_completed: Decimal | None = None
    percent_complete: Decimal | None = None
    remark: str = ""


@dataclass(frozen=True)
class Schedule:
    status: str
    explanation: str
    execution_rate: Decimal | None  # completed / planned, a share
    executed: Decimal | None = None  # latest cumulative investment reported (万元)

    @property
    def label(self):
        return LABELS[self.status]


def schedule_for(*, year, start_year, end_year, planned, reports, as_of_year):
    """The schedule status of a project in `year`, from its yearly `reports` (year -> Report)."""
    report = reports.get(year)
    earlier_done = [r for y, r in reports.items() if y < year and r.status == COMPLETED]
    latest = max((r for y, r in reports.items() if y <= year), key=lambda r: r.year, default=None)
    rate = None
    executed = latest.investment_completed if latest is not None else None
    if executed is not None and planned:
        rate = Decimal(executed) / Decimal(planned)
    end = end_year or start_year
    if report is None:
        if earlier_done:
            return Schedule(COMPLETED, f"已于{earlier_done[0].year}年完工。", rate, executed)
        if start_year and year < start_year:
            return Schedule(NOT_STARTED, f"计划{start_year}年开工。", rate, executed)
        if year < as_of_year:
            return Schedule(UNREPORTED, f"{year}年未报告项目进展。", rate, executed)
        return Schedule(NOT_STARTED if not reports else ONGOING, f"{year}年进展尚未到报告期。", rate, executed)
    if report.status == COMPLETED:
        return Schedule(COMPLETED, f"{year}年报告已完工。", rate, executed)
    if end and year > end:
        return Schedule(OVERDUE, f"计划{end}年完工，{year}年报告仍为“{LABELS[report.status]}”。", rate, executed)
    if report.status == NOT_STARTED:
        return Schedule(NOT_STARTED, f"{year}年报告未开工（计划{start_year}—{end}年）。", rate, executed)
    percent = f"，完成 {report.percent_complete}%" if report.percent_complete is not None else ""
    return Schedule(ONGOING, f"{year}年报告在建{percent}。", rate, executed)
