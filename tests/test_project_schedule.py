"""Key projects' schedule status and investment execution."""

from decimal import Decimal

from projects.schedule import Report, schedule_for


def status(year, reports, start=2021, end=2023, planned=Decimal(5000), as_of=2026):
    return schedule_for(year=year, start_year=start, end_year=end, planned=planned, reports=reports, as_of_year=as_of)


def test_a_project_before_its_start_year_is_not_started():
    assert status(2021, {}, start=2022).label == "未开工"


def test_a_past_year_without_a_report_is_unreported():
    schedule = status(2022, {2021: Report(2021, "ongoing", Decimal(1000))})
    assert (schedule.label, schedule.explanation) == ("未报告", "2022年未报告项目进展。")
    assert schedule.execution_rate == Decimal("0.2")


def test_an_ongoing_project_within_its_period():
    schedule = status(2022, {2022: Report(2022, "ongoing", Decimal(2500), Decimal(50))})
    assert (schedule.label, schedule.execution_rate) == ("在建", Decimal("0.5"))
    assert schedule.explanation == "2022年报告在建，完成 50%。"


def test_past_its_end_year_and_not_completed_is_overdue():
    schedule = status(2024, {2024: Report(2024, "ongoing", Decimal(4000))})
    assert schedule.label == "滞后"
    assert schedule.explanation == "计划2023年完工，2024年报告仍为“在建”。"


def test_a_completed_project_stays_completed_without_further_reports():
    reports = {2023: Report(2023, "completed", Decimal(5100))}
    assert status(2023, reports).label == "已完工"
    assert status(2025, reports).label == "已完工"
    assert status(2025, reports).execution_rate == Decimal("1.02")


def test_no_planned_investment_gives_no_execution_rate():
    assert status(2022, {2022: Report(2022, "ongoing", Decimal(10))}, planned=None).execution_rate is None
