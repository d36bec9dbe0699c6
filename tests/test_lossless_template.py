"""A lossless template: text stays text in every sheet, an unchanged re-upload changes nothing,
formulas are refused naming the cell, an empty cell keeps what is stored; and two people creating
the same figure at the same moment get one 201 and one 409, never a 500."""

import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from indicators import services
from indicators.models import Indicator, IndicatorValue, Plan
from projects import services as project_services
from projects.models import KeyProject, ProjectProgress

CODE, YEAR = "div3-2021-2025", 2022


def template(client):
    response = client.get(reverse("entry_template", args=[CODE, YEAR]))
    assert response.status_code == 200
    return response.content


def upload(client, content):
    return client.post(
        reverse("entry_import", args=[CODE, YEAR]), {"file": SimpleUploadedFile("t.xlsx", content), "action": "save"}
    )


def edited(content, edit):
    wb = load_workbook(io.BytesIO(content))
    edit(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def counts():
    return (
        sorted(IndicatorValue.objects.values_list("pk", "version", "raw_text", "remark")),
        sorted(ProjectProgress.objects.values_list("pk", "version", "status", "remark")),
        IndicatorValue.history.count(),
        ProjectProgress.history.count(),
    )


@pytest.fixture
def entered(db, div3_official):
    """Figures whose text looks like formulas, saved through the services as an official would."""
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(
        plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.90", remark="=1+1 监测站")]
    )
    project = KeyProject.objects.get(plan=plan, seq="1")
    project_services.progress_save(
        plan=plan,
        year=YEAR,
        user=div3_official,
        rows=[services.RowInput(key=project.pk, status="ongoing", investment="1200", percent="30", remark="=HYPERLINK(1)")],
    )
    return forest, project


@pytest.mark.django_db
def test_text_is_written_as_text_in_every_sheet(client, div3_official, entered):
    client.force_login(div3_official)
    wb = load_workbook(io.BytesIO(template(client)))
    remarks = [
        c for ws in wb.worksheets for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")
    ]
    assert {c.value for c in remarks} == {"=1+1 监测站", "=HYPERLINK(1)"}
    assert all(c.data_type == "s" for c in remarks)


@pytest.mark.django_db
def test_an_unchanged_re_upload_changes_nothing(client, div3_official, entered):
    client.force_login(div3_official)
    before = counts()
    response = upload(client, template(client))
    assert response.status_code == 302
    assert counts() == before  # no version bump, no history row, no remark changed


@pytest.mark.django_db
def test_a_formula_is_refused_naming_sheet_row_and_column(client, div3_official, entered):
    forest, project = entered
    client.force_login(div3_official)
    content = template(client)
    wb = load_workbook(io.BytesIO(content))
    value_row = next(r for r in wb["指标填报"].iter_rows(min_row=5) if r[0].value == forest.pk)[0].row
    progress_row = next(r for r in wb["项目进展"].iter_rows(min_row=5) if r[0].value == project.pk)[0].row

    def formulas(wb):
        wb["指标填报"][f"J{value_row}"] = "=13.9+0.1"  # a formula, no cached value
        wb["项目进展"][f"H{progress_row}"] = "=SUM(1,2)"

    before = counts()
    response = upload(client, edited(content, formulas))
    assert response.status_code == 400
    html = response.content.decode()
    assert f"工作表“指标填报”第{value_row}行 J列：单元格含公式“=13.9+0.1”" in html
    assert f"工作表“项目进展”第{progress_row}行 H列：单元格含公式“=SUM(1,2)”" in html
    assert counts() == before


@pytest.mark.django_db
def test_an_emptied_cell_keeps_the_stored_figure(client, div3_official, entered):
    forest, project = entered
    client.force_login(div3_official)
    content = template(client)
    wb = load_workbook(io.BytesIO(content))
    value_row = next(r for r in wb["指标填报"].iter_rows(min_row=5) if r[0].value == forest.pk)[0].row
    progress_row = next(r for r in wb["项目进展"].iter_rows(min_row=5) if r[0].value == project.pk)[0].row

    def empty(wb):
        wb["指标填报"][f"J{value_row}"] = None
        for column in "GHI":
            wb["项目进展"][f"{column}{progress_row}"] = None

    before = counts()
    assert upload(client, edited(content, empty)).status_code == 302
    assert counts() == before
    assert IndicatorValue.objects.get(indicator=forest, year=YEAR).raw_text == "13.90"


# --- concurrent creation ---------------------------------------------------------------------------


def _hold_a_new_value(user, indicator, saved, release):
    """Another official's request: creates the figure, then keeps its transaction open a moment."""
    try:
        with transaction.atomic():
            services.values_save(
                plan=indicator.plan, year=YEAR, user=user, rows=[services.RowInput(key=indicator.pk, text="13.95")]
            )
            saved.set()
            release.wait(10)
    finally:
        connection.close()


def _hold_new_progress(user, project, saved, release):
    try:
        with transaction.atomic():
            project_services.progress_save(
                plan=project.plan, year=YEAR, user=user, rows=[services.RowInput(key=project.pk, status="ongoing")]
            )
            saved.set()
            release.wait(10)
    finally:
        connection.close()


def _release_soon(release):
    threading.Timer(0.5, release.set).start()


@pytest.mark.django_db(transaction=True)
def test_two_officials_creating_the_same_value_get_201_and_409(committed_db, postgres_required, div3_official):
    from tests.conftest import _member

    colleague = _member("div3-colleague", "official", CODE)
    forest = Indicator.objects.select_related("plan").get(plan__code=CODE, seq="9")
    saved, release = threading.Event(), threading.Event()
    other = threading.Thread(target=_hold_a_new_value, args=(colleague, forest, saved, release))
    other.start()
    assert saved.wait(10)
    _release_soon(release)  # the colleague commits while our insert waits on the unique index
    client = APIClient()
    client.force_authenticate(div3_official)
    response = client.post("/api/values/", {"indicator": forest.pk, "year": YEAR, "value": "13.80"}, format="json")
    other.join(10)
    assert response.status_code == 409, response.content
    assert "13.95" in response.json()["errors"][str(forest.pk)][0]
    value = IndicatorValue.objects.get(indicator=forest, year=YEAR)
    assert (value.raw_text, value.entered_by, value.version) == ("13.95", colleague, 1)


@pytest.mark.django_db(transaction=True)
def test_two_officials_creating_the_same_progress_get_201_and_409(committed_db, postgres_required, div3_official):
    from tests.conftest import _member

    colleague = _member("div3-colleague", "official", CODE)
    project = KeyProject.objects.select_related("plan").get(plan__code=CODE, seq="1")
    saved, release = threading.Event(), threading.Event()
    other = threading.Thread(target=_hold_new_progress, args=(colleague, project, saved, release))
    other.start()
    assert saved.wait(10)
    _release_soon(release)
    client = APIClient()
    client.force_authenticate(div3_official)
    response = client.post("/api/progress/", {"project": project.pk, "year": YEAR, "status": "completed"}, format="json")
    other.join(10)
    assert response.status_code == 409, response.content
    assert "div3-colleague" in response.json()["errors"][str(project.pk)][0]
    assert ProjectProgress.objects.get(project=project, year=YEAR).status == "ongoing"
