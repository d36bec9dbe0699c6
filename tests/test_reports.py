"""Excel reports read back with openpyxl and checked against the database, cell by cell."""

import csv
import io
import os
import re
import shutil
import subprocess
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from indicators import recompute, selectors, services
from indicators.models import Indicator, IndicatorValue, Plan
from projects.models import KeyProject, ProjectProgress
from reports import service
from reports.models import ReportJob
from tests.conftest import require_service, soffice_convert

pytestmark = pytest.mark.django_db
CODE = "div3-2021-2025"


@pytest.fixture
def div3(div3_official, div3_reviewer):
    plan = Plan.objects.get(code=CODE)
    rows = {"9": "13.90", "5": "38.5", "2": "100", "16": "未发生"}
    services.values_save(
        plan=plan,
        year=2022,
        user=div3_official,
        rows=[
            services.RowInput(key=Indicator.objects.get(plan=plan, seq=s, parent__isnull=True).pk, text=t)
            for s, t in rows.items()
        ],
        submit=True,
    )
    approved = IndicatorValue.objects.get(indicator__plan=plan, indicator__seq="5", year=2022)
    services.values_review(plan=plan, year=2022, user=div3_reviewer, value_ids=[approved.pk], action="approve")
    ProjectProgress.objects.create(
        project=KeyProject.objects.get(plan=plan, seq="12"),
        year=2022,
        status="completed",
        investment_completed_wan=5100,
        state="approved",
    )
    ProjectProgress.objects.create(
        project=KeyProject.objects.get(plan=plan, seq="1"),
        year=2022,
        status="ongoing",
        investment_completed_wan=1200,
        state="submitted",
    )
    recompute.recompute_all(as_of_year=2023)
    return plan


def workbook(content):
    return load_workbook(io.BytesIO(content))


def rows_of(ws, first=4):
    return [[c.value for c in row] for row in ws.iter_rows(min_row=first)]


def test_the_progress_report_is_laid_out_like_the_plans_table(div3):
    content, name, _ = service.build("progress", plan=div3, year=2022)
    assert name == "div3-2021-2025-progress-2022.xlsx"
    wb = workbook(content)
    assert wb.sheetnames == ["指标完成情况", "重点项目", "汇总"]
    ws = wb["指标完成情况"]
    header = [c.value for c in ws[3]]
    assert header[:6] == ["方面/领域", "序号", "指标名称", "单位", "属性", "基准值"]
    assert header[6:11] == ["2021年目标", "2022年目标", "2023年目标", "2024年目标", "2025年目标"]
    assert header[11:13] == ["2021年实际", "2022年实际"]
    assert header[13] == "2022年状态"
    assert ws["A1"].value == "《第三师图木舒克市“十四五”生态环境保护规划》2022年指标完成情况"
    # Category cells merged like the printed table: 环境质量改善 spans seq 1–5.
    assert "A4:A8" in {str(r) for r in ws.merged_cells.ranges}
    assert "A9:A12" in {str(r) for r in ws.merged_cells.ranges}  # 污染物排放总量: four sub-items of seq 6
    forest = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "9")
    assert forest[2].value == "森林覆盖率(%)"
    assert forest[5].value == 13.81 and forest[5].number_format == "0.00"  # the printed precision
    assert forest[8].value == "14.058"  # targets as printed
    assert forest[12].value == 13.9 and forest[12].number_format == "0.00"
    assert forest[13].value == "未达标" and forest[13].fill.fgColor.rgb.endswith("C62828")
    assert forest[14].value == "2022年实际值 13.9%，未达到目标“13.97”。"
    assert forest[15].value == "暂定" and forest[16].value == "第293行"
    green = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "5")
    assert (green[13].value, green[15].value) == ("达标", "已审核")
    assert green[13].fill.fgColor.rgb.endswith("1A7F37")
    assert ws.freeze_panes == "D4"
    assert ws.print_title_rows == "$1:$3"
    # The wide indicator table prints on A3 (8) so that it stays legible; the summary fits A4 (9).
    assert (ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth) == ("landscape", 8, 1)
    assert wb["汇总"].page_setup.paperSize == 9
    # Wrapped cells get a row height, so that LibreOffice and print previews do not cut them off.
    first = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "1")
    assert first[6].value == "控制在兵团下达指标范围内 平均达到73%"
    assert ws.row_dimensions[first[0].row].height >= 45  # three lines in a column 12 wide
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.max_row == 3 + Indicator.objects.filter(plan=div3).count()


def test_the_project_sheet_has_formulas_and_the_stated_total_beside_the_sum(div3):
    ws = workbook(service.build("progress", plan=div3, year=2022)[0])["重点项目"]
    projects = [r for r in ws.iter_rows(min_row=4, max_row=42)]
    assert len(projects) == 39 and projects[0][0].value == "1" and projects[-1][0].value == "39"
    planned = sum(Decimal(str(r[5].value)) for r in projects)
    assert planned == sum(p.investment_wan for p in KeyProject.objects.filter(plan=div3)) == Decimal("258092.40")
    assert projects[11][6].value == 5100 and projects[11][8].value == "已完工"
    assert projects[0][7].value == '=IF(N(F4)>0,N(G4)/F4,"")'
    total = ws[43]
    assert [total[0].value, total[5].value, total[6].value, total[7].value] == [
        "合计",
        "=SUM(F4:F42)",
        "=SUM(G4:G42)",
        '=IF(F43>0,G43/F43,"")',
    ]
    stated = ws[44]
    assert (stated[11].value, stated[12].value, stated[13].value) == ("合计 25.81 亿元", 258100, "=F43-M44")


def test_the_summary_sheet_counts_and_charts(div3):
    ws = workbook(service.build("progress", plan=div3, year=2022)[0])["汇总"]
    rollup = selectors.plan_rollup(div3, 2022)
    table = {r[0].value: [c.value for c in r[1:8]] for r in ws.iter_rows(min_row=4, max_row=3 + len(rollup["by_category"]))}
    order = ["met", "on_track", "lagging", "not_met", "pending_assignment", "no_data", "not_assessable"]
    assert table == {c: [counts[s] for s in order] for c, counts in rollup["by_category"].items()}
    assert len(ws._charts) == 1
    texts = [r[0].value for r in ws.iter_rows(min_row=1)]
    assert "森林覆盖率(%)" in texts  # a binding alert


def test_xinjiangs_report_keeps_per_city_rows(div3):
    plan = Plan.objects.get(code="xinjiang-2016-2020")
    recompute.recompute_plan(plan, as_of_year=2021)
    ws = workbook(service.build("progress", plan=plan, year=2020)[0])["指标完成情况"]
    names = [r[2] for r in rows_of(ws)]
    assert len(names) == 35
    assert "PM_{2.5}浓度（乌鲁木齐市）" in names and "城镇集中式饮用水水源地水质达到或优于Ⅲ类比例（%）" in names
    urumqi = next(r for r in rows_of(ws) if r[2] == "PM_{2.5}浓度（乌鲁木齐市）")
    assert urumqi[5] == "64微克/立方米" and "下降20%" in urumqi


def test_the_final_assessment_of_div3_2016_2020_prints_the_documents_verdicts():
    plan = Plan.objects.get(code="div3-2016-2020")
    recompute.recompute_plan(plan, as_of_year=2026)
    wb = workbook(service.build("final", plan=plan)[0])
    assert wb.sheetnames == ["评估结论", "终期考核"]
    ws = wb["终期考核"]
    verdicts = {r[2]: r[12] for r in rows_of(ws)}
    printed = dict(Indicator.objects.filter(plan=plan).values_list("name", "verdict"))
    not_derivable = {name for name, v in verdicts.items() if v == "无法判断"}
    assert not_derivable == {
        "单位工业增加值综合能耗",
        "单位工业增加值用水量(m ³ /万元)",
        "单位生产总值二氧化碳排放降低(%)",
        "主要污染物排放降低(%)",
        "建成标准化、规范化的环境执法系统",
        "建设图木舒克市空气质量自动监测网络",
        "建成师团级环境应急响应系统，全面提高应急响应能力",
    }
    assert {n: v for n, v in verdicts.items() if n not in not_derivable} == {
        n: printed[n] for n in verdicts if n not in not_derivable
    }
    assert sum(1 for v in verdicts.values() if v == "未完成") == 3
    conclusion = [r[0].value for r in wb["评估结论"].iter_rows(min_row=3)]
    assert conclusion[0] == (
        "《第三师图木舒克市“十三五”生态环境保护规划》终期考核（2020年）：42 项指标中，已判定 35 项"
        "（完成 32 项，未完成 3 项），未能判定 7 项（无法判断 7 项）。"
    )
    assert any(
        c.startswith("约束性指标") and "中有 2 项存在风险：森林覆盖率(%)（未完成）、森林蓄积量(万立方米)（未完成）。" in c
        for c in conclusion
    )


def test_a_conclusion_never_says_no_binding_indicator_failed_when_none_was_judged():
    from reports.data import evaluation_text

    rows = [{"name": f"指标{i}", "attribute": "约束性", "status": "no_data"} for i in range(3)]
    rows.append({"name": "指标9", "attribute": "预期性", "status": "met"})
    text = evaluation_text({"kind": "final", "year": 2025, "plan": {"title": "某规划"}, "indicators": rows})
    assert "均未出现" not in "".join(text)
    assert "约束性指标 3 项均未能判定（缺少数据 3 项），本报告不能对其作出结论。" in text
    rows[0]["status"] = "met"
    text = evaluation_text({"kind": "final", "year": 2025, "plan": {"title": "某规划"}, "indicators": rows})
    assert "已判定的 1 项约束性指标均未出现未达标或进度滞后。" in text
    assert "另有 2 项约束性指标未能判定（缺少数据 2 项）。" in text


def test_printed_times_read_as_a_chinese_document_prints_them():
    from reports.workbooks import printed_time

    assert printed_time("2026-11-28T17:01:13+08:00") == "2026年11月28日 17:01"


def test_the_mid_term_evaluation_compares_completion_with_elapsed_time(div3):
    wb = workbook(service.build("midterm", plan=div3, year=2022)[0])
    ws = wb["中期评估"]
    assert [c.value for c in ws[3]][9:13] == ["2022年实际值", "完成进度", "时序进度", "评价"]
    forest = next(r for r in ws.iter_rows(min_row=4) if r[1].value == "9")
    # (13.90 − 13.81) / (14.23 − 13.81) = 21.4%, against (2022 − 2020) / (2025 − 2020) = 40%.
    assert forest[10].value == pytest.approx(0.2143, abs=0.0001) and forest[10].number_format == "0.0%"
    assert forest[11].value == 0.4
    assert forest[12].value == "滞后"
    assert next(r for r in ws.iter_rows(min_row=4) if r[1].value == "5")[12].value == "进度符合预期"


def test_the_mid_term_year_comes_from_the_plans_milestone():
    plan = Plan.objects.get(code="xinjiang-2016-2020")
    assert service.resolve_year(plan, "midterm") == 2018
    assert service.resolve_year(plan, "final") == 2020


def test_the_all_plans_summary_has_a_row_and_a_sheet_per_plan(div3):
    wb = workbook(service.build("summary", plans=list(Plan.objects.all()))[0])
    assert wb.sheetnames[0] == "各规划汇总"
    assert sorted(wb.sheetnames[1:]) == sorted(Plan.objects.values_list("code", flat=True))
    ws = wb["各规划汇总"]
    rows = {r[0].value: r for r in ws.iter_rows(min_row=4)}
    assert len(rows) == 8
    div3_row = rows[CODE]
    assert div3_row[12].value == "=SUM(F{0}:L{0})".format(div3_row[0].row)
    assert div3_row[14].value == pytest.approx(258092.40)
    assert div3_row[15].value == pytest.approx(5100 + 1200)


def test_the_csv_has_a_bom_and_the_same_rows(div3):
    content, name, content_type = service.build("progress", plan=div3, year=2022, fmt="csv")
    assert content.startswith(b"\xef\xbb\xbf") and name.endswith(".csv") and "utf-8" in content_type
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["规划代码", "方面/领域", "序号", "指标名称"]
    forest = next(r for r in rows if r[2] == "9")
    assert forest[3] == "森林覆盖率(%)" and "not_met" in forest and "provisional" in forest


def test_text_that_looks_like_a_formula_stays_text(div3, div3_official):
    forest = Indicator.objects.get(plan=div3, seq="9")
    value = IndicatorValue.objects.get(indicator=forest, year=2022)
    IndicatorValue.objects.filter(pk=value.pk).update(state="draft")
    services.values_save(
        plan=div3,
        year=2022,
        user=div3_official,
        rows=[services.RowInput(key=forest.pk, text="13.90", remark='=HYPERLINK("http://x")', version=value.version)],
    )
    recompute.recompute_all(as_of_year=2023)
    data = service.current_data(div3, "progress", 2022)
    data["indicators"][0]["explanation"] = "=1+1"
    from reports import workbooks

    ws = workbook(workbooks.progress_workbook(data))["指标完成情况"]
    cell = ws.cell(row=4, column=15)
    assert (cell.value, cell.data_type) == ("=1+1", "s")
    progress = ProjectProgress.objects.get(project__plan=div3, project__seq="1", year=2022)
    progress.remark = '=HYPERLINK("http://example.invalid","点击")'
    progress.save()
    projects = workbook(service.build("progress", plan=div3, year=2022)[0])["重点项目"]
    remark = projects.cell(row=4, column=10)
    assert (remark.value, remark.data_type) == ('=HYPERLINK("http://example.invalid","点击")', "s")
    assert workbooks.csv_safe("=1+1") == "'=1+1" and workbooks.csv_safe("-17.70") == "-17.70"


def test_a_frozen_evaluation_is_reproduced_and_later_corrections_show_as_differences(div3, staff, div3_official, div3_reviewer):
    snapshot = service.snapshot_freeze(plan=div3, kind="progress", year=2022, user=staff)
    assert snapshot.kind == "annual" and snapshot.engine_version == 1
    frozen_before = service.build("progress", plan=div3, year=2022)[0]

    forest = Indicator.objects.get(plan=div3, seq="9")
    value = IndicatorValue.objects.get(indicator=forest, year=2022)
    services.values_review(plan=div3, year=2022, user=div3_reviewer, value_ids=[value.pk], action="return", comment="核对")
    value.refresh_from_db()
    services.values_save(
        plan=div3,
        year=2022,
        user=div3_official,
        rows=[services.RowInput(key=forest.pk, text="13.99", version=value.version)],
        submit=True,
    )
    recompute.recompute_all(as_of_year=2023)

    wb = workbook(service.build("progress", plan=div3, year=2022)[0])
    forest_row = next(r for r in wb["指标完成情况"].iter_rows(min_row=4) if r[1].value == "9")
    assert forest_row[12].value == 13.9  # the report as frozen
    diffs = [[c.value for c in r] for r in wb["与冻结快照的差异"].iter_rows(min_row=4)]
    assert ["9 森林覆盖率(%)", "实际值", "13.90", "13.99"] in diffs
    assert ["9 森林覆盖率(%)", "状态", "未达标", "达标"] in diffs
    current = workbook(service.build("progress", plan=div3, year=2022, frozen=False)[0])
    assert next(r for r in current["指标完成情况"].iter_rows(min_row=4) if r[1].value == "9")[12].value == 13.99
    with pytest.raises(service.ReportError, match="已冻结"):
        service.snapshot_freeze(plan=div3, kind="progress", year=2022, user=staff)
    # Same frozen data, same indicator sheet, byte for byte apart from the differences sheet.
    assert [[c.value for c in r] for r in workbook(frozen_before)["指标完成情况"].iter_rows()] == [
        [c.value for c in r] for r in wb["指标完成情况"].iter_rows()
    ]


def test_downloads_follow_plan_permissions(client, kashgar_official, staff):
    client.force_login(kashgar_official)
    ok = client.get(reverse("report_download", args=["kashgar-2021-2025", "progress", 2022, "xlsx"]))
    assert ok.status_code == 200 and ok["Content-Disposition"] == 'attachment; filename="kashgar-2021-2025-progress-2022.xlsx"'
    assert client.get(reverse("report_download", args=["changji-2021-2025", "progress", 2022, "xlsx"])).status_code == 403
    assert client.get(reverse("evaluation_download", args=["changji-2021-2025", "final"])).status_code == 403
    assert client.get(reverse("summary_download")).status_code == 403
    assert (
        client.post(reverse("snapshot_freeze", args=["kashgar-2021-2025"]), {"kind": "progress", "year": "2022"}).status_code
        == 403
    )
    client.force_login(staff)
    assert client.get(reverse("report_download", args=["changji-2021-2025", "progress", 2022, "csv"])).status_code == 200


def test_a_large_report_is_built_by_a_job_with_progress_and_a_download(
    client, staff, settings, eager_tasks, tmp_path, django_capture_on_commit_callbacks
):
    settings.REPORT_ASYNC_CELLS = 10
    settings.MEDIA_ROOT = tmp_path
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.get(reverse("summary_download"))
    assert len(queued) == 1  # the job is queued once its row is committed
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("report_job", args=[job.pk])
    status = client.get(reverse("report_job_status", args=[job.pk])).json()
    assert status == {"state": "done", "progress": 100, "error": "", "ready": True}
    page = client.get(reverse("report_job", args=[job.pk])).content.decode()
    assert '<progress id="job-progress" max="100" value="100">' in page
    download = client.get(reverse("report_job_file", args=[job.pk]))
    assert workbook(b"".join(download.streaming_content)).sheetnames[0] == "各规划汇总"
    job.refresh_from_db()
    assert job.expires_at is not None


def test_expired_report_files_are_removed(staff, settings, tmp_path):
    import datetime

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from reports.tasks import remove_expired

    settings.MEDIA_ROOT = tmp_path
    job = ReportJob.objects.create(
        kind="summary", requested_by=staff, state="done", expires_at=timezone.now() - datetime.timedelta(hours=1)
    )
    job.file.save("old.xlsx", ContentFile(b"x"))
    path = job.file.path
    assert remove_expired() == 1
    assert not os.path.exists(path) and not ReportJob.objects.exists()


def test_export_report_command_writes_each_kind(tmp_path, div3):
    for kind, extra in (("progress", ["--year", "2022"]), ("midterm", []), ("final", []), ("summary", [])):
        out = tmp_path / f"{kind}.xlsx"
        call_command(
            "export_report",
            "--kind",
            kind,
            "--out",
            str(out),
            *(["--plan", CODE] if kind != "summary" else []),
            *extra,
            stdout=StringIO(),
        )
        assert load_workbook(out).sheetnames
    out = tmp_path / "progress.csv"
    call_command("export_report", "--plan", CODE, "--kind", "progress", "--year", "2022", "--out", str(out), stdout=StringIO())
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")


def test_the_summary_chart_prints_whole_on_a_page_of_its_own(div3):
    ws = workbook(service.build("progress", plan=div3, year=2022)[0])["汇总"]
    (chart,) = ws._charts
    (page_break,) = ws.row_breaks.brk
    # The break follows the last table row, and the chart starts below it, no taller than a page holds.
    assert page_break.id >= ws.max_row and chart.anchor._from.row >= page_break.id
    assert chart.anchor.ext.cy / 360_000 <= 12  # EMU to cm


def test_a_report_opens_in_libreoffice_and_converts_to_pdf(tmp_path, div3):
    source = tmp_path / "progress.xlsx"
    source.write_bytes(service.build("progress", plan=div3, year=2022)[0])
    soffice_convert(source, "pdf", tmp_path)
    pdf = (tmp_path / "progress.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) >= 3
    # No cut text: every indicator's name and explanation is printed whole on the PDF's pages.
    pdftotext = shutil.which("pdftotext")
    require_service(pdftotext is not None, "pdftotext (poppler-utils)")
    printed = "".join(
        subprocess.run(
            [pdftotext, "-raw", str(tmp_path / "progress.pdf"), "-"], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    sheet = load_workbook(source).worksheets[0]
    headings = [c.value for c in sheet[3]]
    checked = 0
    for row in sheet.iter_rows(min_row=4, values_only=True):
        for column in ("指标名称", "说明"):
            text = "".join(str(row[headings.index(column)] or "").split())
            if text:
                assert text in printed, f"cut or missing in the PDF: {text}"
                checked += 1
    assert checked > 40


def test_an_english_user_gets_english_headings_and_the_plan_data_as_printed(div3, django_user_model):
    from django.utils import translation

    from reports.tasks import build_report

    with translation.override("en"):
        wb = workbook(service.build("progress", plan=div3, year=2022)[0])
    assert wb.sheetnames[0] == "Indicators"
    sheet = wb["Indicators"]
    headings = [c.value for c in next(sheet.iter_rows(min_row=3, max_row=3))]
    assert "2022 target" in headings and "Data status" in headings and "Source" in headings
    assert "第三师图木舒克市" in sheet["A1"].value  # the plan's title stays as printed
    assert "generated" in sheet["A2"].value and "生成于" not in sheet["A2"].value
    # A queued report is written in the language of the person who asked for it.
    user = django_user_model.objects.create_user("en-staff", password="x", is_staff=True)
    job = ReportJob.objects.create(kind="progress", plan=div3, year=2022, requested_by=user, language="en")
    build_report(job.pk)
    job.refresh_from_db()
    assert load_workbook(job.file.path).sheetnames[0] == "Indicators"
