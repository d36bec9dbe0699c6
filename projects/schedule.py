"""A key project's schedule status for a year, and its investment execution. Plain Python.

Progress reports carry the investment completed *to date* (cumulative), so the execution rate of a
year is that year's figure over the planned investment.
"""

from dataclasses import dataclass
from decimal import Decimal

from indicators.core.messages import Message, gettext_noop

NOT_STARTED = "not_started"
ONGOING = "ongoing"
COMPLETED = "completed"
OVERDUE = "overdue"
UNREPORTED = "unreported"

LABELS = {
    NOT_STARTED: gettext_noop("未开工"),
    ONGOING: gettext_noop("在建"),
    COMPLETED: gettext_noop("已完工"),
    OVERDUE: gettext_noop("滞后"),
    UNREPORTED: gettext_noop("未报告"),
}


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
    explanation: Message  # rendered in the user's language at the edge (indicators.i18n.translate)
    execution_rate: Decimal | None  # completed / planned, a share
    executed: Decimal | None = None  # latest cumulative investment reported (万元)

    @property
    def label(self):
        return Message(LABELS[self.status])


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
            return Schedule(COMPLETED, Message(gettext_noop("已于{year}年完工。"), year=earlier_done[0].year), rate, executed)
        if start_year and year < start_year:
            return Schedule(NOT_STARTED, Message(gettext_noop("计划{year}年开工。"), year=start_year), rate, executed)
        if year < as_of_year:
            return Schedule(UNREPORTED, Message(gettext_noop("{year}年未报告项目进展。"), year=year), rate, executed)
        status = NOT_STARTED if not reports else ONGOING
        return Schedule(status, Message(gettext_noop("{year}年进展尚未到报告期。"), year=year), rate, executed)
    if report.status == COMPLETED:
        return Schedule(COMPLETED, Message(gettext_noop("{year}年报告已完工。"), year=year), rate, executed)
    if end and year > end:
        said = Message(
            gettext_noop("计划{end}年完工，{year}年报告仍为“{status}”。"),
            end=end,
            year=year,
            status=Message(LABELS[report.status]),
        )
        return Schedule(OVERDUE, said, rate, executed)
    if report.status == NOT_STARTED:
        said = Message(gettext_noop("{year}年报告未开工（计划{start}—{end}年）。"), year=year, start=start_year, end=end)
        return Schedule(NOT_STARTED, said, rate, executed)
    if report.percent_complete is not None:
        said = Message(gettext_noop("{year}年报告在建，完成 {percent}%。"), year=year, percent=report.percent_complete)
        return Schedule(ONGOING, said, rate, executed)
    return Schedule(ONGOING, Message(gettext_noop("{year}年报告在建。"), year=year), rate, executed)
