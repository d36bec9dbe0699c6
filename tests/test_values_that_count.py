"""The figures that count (indicators/counting.py), at every surface that shows a status or a figure.

Approved figures count; submitted ones count as provisional (暂定); drafts and returned figures never
count; a reopened figure under correction keeps its approved version until the correction is submitted.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from indicators import recompute, services
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan
from projects.models import KeyProject, ProjectProgress
from reports import service as reports
from reports.dashboards.selectors import project_rows

pytestmark = pytest.mark.django_db
CODE, YEAR = "div3-2021-2025", 2022


@pytest.fixture
def plan():
    return Plan.objects.get(code=CODE)


def forest():
    return Indicator.objects.get(plan__code=CODE, seq="9")  # 森林覆盖率(%), 2022 target 13.97


def value():
    return IndicatorValue.objects.get(indicator=forest(), year=YEAR)


def save(plan, user, text, *, submit=False, remark=""):
    current = IndicatorValue.objects.filter(indicator=forest(), year=YEAR).first()
    row = services.RowInput(key=forest().pk, text=text, remark=remark, confirmed=True, version=current.version if current else 0)
    services.values_save(plan=plan, year=YEAR, user=user, rows=[row], submit=submit)


def review(plan, user, action, comment=""):
    services.values_review(plan=plan, year=YEAR, user=user, value_ids=[value().pk], action=action, comment=comment)


def status():
    recompute.recompute_all(as_of_year=2023)
    return AttainmentResult.objects.get(indicator=forest(), year=YEAR).status


def dashboard_row(client, user):
    client.force_login(user)
    response = client.get(reverse("plan_detail", args=[CODE]) + f"?year={YEAR}")
    row = next(r for r in response.context["rows"] if r["seq"] == "9")
    return row, response.content.decode()


def report_row(plan):
    wb = load_workbook(io.BytesIO(reports.build("progress", plan=plan, year=YEAR, frozen=False)[0]))
    row = next(r for r in wb["指标完成情况"].iter_rows(min_row=4) if r[1].value == "9")
    return [c.value for c in row]


def csv_row(plan):
    content = reports.build("progress", plan=plan, year=YEAR, fmt="csv", frozen=False)[0]
    return next(r for r in csv.reader(io.StringIO(content.decode("utf-8-sig"))) if r[2] == "9")


def api_status(user):
    client = APIClient()
    client.force_authenticate(user)
    body = client.get("/api/results/", {"plan": CODE, "year": YEAR, "indicator": forest().pk}).json()
    return body["results"][0]["status"]


def test_a_draft_reaches_no_status_page_report_or_api(plan, client, div3_official, div3_reviewer):
    save(plan, div3_official, "13.90")
    assert value().state == "draft"
    assert status() == "no_data"
    row, html = dashboard_row(client, div3_reviewer)
    assert row["value"].raw is None and row["result"]["effective_status"] == "no_data"
    assert report_row(plan)[12] is None  # the 2022 actual column
    assert "13.90" not in csv_row(plan)
    assert api_status(div3_reviewer) == "no_data"

    save(plan, div3_official, "13.90", submit=True)
    assert status() == "not_met"  # submitted: counts, as provisional
    row, html = dashboard_row(client, div3_reviewer)
    assert row["value"].raw == "13.90" and row["value"].provisional
    assert '<span class="badge provisional"' in html
    assert report_row(plan)[12] == 13.9 and report_row(plan)[15] == "暂定"
    assert "provisional" in csv_row(plan)
    assert api_status(div3_reviewer) == "not_met"


def test_a_returned_value_falls_back_to_no_value_and_says_so(plan, client, div3_official, div3_reviewer):
    # The reviewer's case: 31.5 against 14.39 the year before, returned with 请核实.
    save(plan, div3_official, "31.5", submit=True, remark="林业局数据")
    assert status() == "met"
    review(plan, div3_reviewer, "return", "请核实")
    assert value().state == "returned"
    assert status() == "no_data"
    row, html = dashboard_row(client, div3_reviewer)
    assert row["value"].raw is None and row["value"].pending == "returned"
    assert "已退回、待重新报送" in html and "31.5" not in html
    cells = report_row(plan)
    assert cells[12] is None and cells[13] == "无数据" and cells[15] == "已退回、待重新报送"
    assert "31.5" not in csv_row(plan) and "returned" in csv_row(plan)
    assert api_status(div3_reviewer) == "no_data"
    page = client.get(reverse("indicator_detail", args=[CODE, forest().pk])).content.decode()
    assert "已退回、待重新报送" in page


def test_a_reopened_value_keeps_its_approved_figure_until_the_correction_is_submitted(plan, client, div3_official, div3_reviewer):
    save(plan, div3_official, "13.90", submit=True)
    review(plan, div3_reviewer, "approve")
    assert status() == "not_met"
    review(plan, div3_reviewer, "reopen")
    save(plan, div3_official, "13.99")  # the correction, still a draft
    assert value().raw_text == "13.99" and value().state == "draft"
    assert status() == "not_met"  # still judged on the approved 13.90
    row, html = dashboard_row(client, div3_reviewer)
    assert row["value"].raw == "13.90" and row["value"].approved and row["value"].pending == "draft"
    assert "更正中" in html and "13.99" not in html
    assert report_row(plan)[12] == 13.9

    save(plan, div3_official, "13.99", submit=True)
    assert status() == "met"
    assert report_row(plan)[12] == 13.99 and report_row(plan)[15] == "暂定"


def test_overview_shares_and_alerts_leave_out_drafts(plan, client, div3_official, viewer):
    save(plan, div3_official, "13.50")  # a draft below the binding target
    recompute.recompute_all(as_of_year=2023)
    client.force_login(viewer)

    def card():
        return next(c for c in client.get("/").context["cards"] if c["plan"].code == CODE)

    assert card()["year"] != YEAR and not any(name == "森林覆盖率(%)" for _, name, _ in card()["alerts"])
    save(plan, div3_official, "13.50", submit=True)
    recompute.recompute_all(as_of_year=2023)
    assert card()["year"] == YEAR and any(name == "森林覆盖率(%)" for _, name, _ in card()["alerts"])


def test_draft_or_returned_project_progress_does_not_count(plan):
    project = KeyProject.objects.get(plan=plan, seq="12")  # 封闭煤场改造, 2021, 5100 万元
    progress = ProjectProgress.objects.create(
        project=project, year=2021, status="completed", investment_completed_wan=5100, state="draft"
    )
    schedule = dict(project_rows(plan, 2021))[project]
    assert schedule.executed is None and schedule.status != "completed"
    ProjectProgress.objects.filter(pk=progress.pk).update(state="returned")
    assert dict(project_rows(plan, 2021))[project].executed is None
    ProjectProgress.objects.filter(pk=progress.pk).update(state="submitted")
    schedule = dict(project_rows(plan, 2021))[project]
    assert schedule.executed == 5100 and schedule.status == "completed"
