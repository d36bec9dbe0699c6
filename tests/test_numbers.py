"""One strict number reader for everything typed: the number stored is always the number typed.

The cases of the issue (1e308 stored as 1, 3abc as 3, 1.5万 as 1.5, 0x10 as 0, 5/3 as 5) are refused
at every surface: the plain reader, the entry form, the Excel template, the API, assigned values and
project investment and percent; nothing is stored.
"""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from indicators import recompute, services
from indicators.core import workflow
from indicators.core.numbers import NumberRefused, read_number
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan, Target
from projects.models import KeyProject, ProjectProgress

CODE, YEAR = "div3-2021-2025", 2022
REFUSED = ["1e308", "3abc", "1.5万", "0x10", "5/3", "1_000", "NaN", "inf", "-Infinity", "1,23", "12.", ".5", "1 2"]


@pytest.mark.parametrize("text", REFUSED)
def test_the_reader_refuses_anything_but_a_plain_number(text):
    with pytest.raises(NumberRefused) as refused:
        read_number(text)
    assert text in str(refused.value.message)


@pytest.mark.parametrize(
    "text, unit, number",
    [
        ("13.90", "%", Decimal("13.90")),
        ("１３．９", "%", Decimal("13.9")),  # full-width, as a Chinese input method types it
        ("13。9", "%", Decimal("13.9")),  # 。 typed for the point
        ("13.9%", "%", Decimal("13.9")),
        ("－2", "", Decimal("-2")),
        ("1,234.5", "万吨", Decimal("1234.5")),
        ("5万吨", "万吨", Decimal("5")),
        ("0", "", Decimal("0")),
    ],
)
def test_the_reader_accepts_plain_numbers_and_keeps_them_exact(text, unit, number):
    read = read_number(text, unit=unit)
    assert read == number and str(read) == str(number)


def test_the_reader_refuses_what_the_column_cannot_hold():
    with pytest.raises(NumberRefused, match="超出可存储的范围"):
        read_number("1234567890123", max_digits=18, decimal_places=6)
    with pytest.raises(NumberRefused, match="小数位数超过2位"):
        read_number("1.234", max_digits=14, decimal_places=2)
    with pytest.raises(NumberRefused, match="单位应为“万吨”"):
        read_number("5%", unit="万吨")


# --- surfaces ------------------------------------------------------------------------------------


def unitless():
    return Indicator.objects.get(plan__code=CODE, seq="7", parent__isnull=True)  # 生态质量指数(新EI), no unit


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["1e308", "3abc", "1.5万", "0x10", "5/3"])
def test_the_form_refuses_them_naming_the_row(client, div3_official, text):
    client.force_login(div3_official)
    indicator = unitless()
    data = {"action": "save", f"value-{indicator.pk}": text, f"version-{indicator.pk}": "0", f"remark-{indicator.pk}": ""}
    response = client.post(reverse("values_entry", args=[CODE, YEAR]), data)
    assert response.status_code == 400
    assert f"“{text}”不是数字" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=indicator).exclude(origin="document").exists()


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["1e308", "3abc", "1.5万", "0x10", "5/3", "NaN", "Infinity"])
def test_the_api_refuses_them(div3_official, text):
    client = APIClient()
    client.force_authenticate(div3_official)
    response = client.post("/api/values/", {"indicator": unitless().pk, "year": YEAR, "value": text}, format="json")
    assert response.status_code == 400
    assert any(f"“{text}”不是数字" in m for m in response.json()["errors"][str(unitless().pk)])
    assert not IndicatorValue.objects.filter(indicator=unitless(), year=YEAR).exists()


@pytest.mark.django_db
def test_the_template_refuses_them_naming_sheet_row_and_column(client, div3_official):
    client.force_login(div3_official)
    content = client.get(reverse("entry_template", args=[CODE, YEAR])).content
    wb = load_workbook(io.BytesIO(content))
    ws = wb["指标填报"]
    row = next(r for r in ws.iter_rows(min_row=5) if r[0].value == unitless().pk)
    row[9].value = "1e308"
    buffer = io.BytesIO()
    wb.save(buffer)
    response = client.post(
        reverse("entry_import", args=[CODE, YEAR]), {"file": SimpleUploadedFile("t.xlsx", buffer.getvalue()), "action": "save"}
    )
    assert response.status_code == 400
    assert f"工作表“指标填报”第{row[0].row}行 J列（本年值）：“1e308”不是数字" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=unitless(), year=YEAR).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("number", ["1e308", "NaN", "Infinity", "3abc", "1.5万"])
def test_an_assigned_value_is_read_the_same_way(div3_reviewer, number):
    plan = Plan.objects.get(code=CODE)
    nox = Indicator.objects.get(plan=plan, name="氮氧化物(%)")
    target = Target.objects.get(indicator=nox, year=YEAR)
    with pytest.raises(workflow.WorkflowError, match="下达指标值"):
        services.assigned_record(plan=plan, target_id=target.pk, number=number, user=div3_reviewer)
    target.refresh_from_db()
    assert target.assigned_value is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "field, text", [("investment_completed_wan", "1.5万"), ("investment_completed_wan", "1e3"), ("percent_complete", "0x10")]
)
def test_project_investment_and_percent_are_read_the_same_way(div3_official, field, text):
    project = KeyProject.objects.get(plan__code=CODE, seq="1")
    client = APIClient()
    client.force_authenticate(div3_official)
    body = {"project": project.pk, "year": YEAR, "status": "ongoing", field: text}
    response = client.post("/api/progress/", body, format="json")
    assert response.status_code == 400 and f"“{text}”" in str(response.json())
    assert not ProjectProgress.objects.filter(project=project).exists()


@pytest.mark.django_db
def test_a_full_width_number_is_stored_as_typed_and_judged_as_read(div3_official):
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")  # 2022 target 13.97
    row = services.RowInput(key=forest.pk, text="１３．９９")
    services.values_save(plan=plan, year=YEAR, user=div3_official, rows=[row], submit=True)
    value = IndicatorValue.objects.get(indicator=forest, year=YEAR)
    assert (value.raw_text, value.number) == ("１３．９９", Decimal("13.99"))
    recompute.recompute_all(as_of_year=2023)
    result = AttainmentResult.objects.get(indicator=forest, year=YEAR)
    assert result.status == "met" and result.details["value"] in ("13.99", "１３．９９")
