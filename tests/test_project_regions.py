"""Key projects have a region (the one their printed location names, else the plan's), and an
official limited to a region sees and reports only that region's projects: on the progress page,
in the template, through the services and the API."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from indicators import services
from indicators.models import Plan, Region
from projects import services as project_services
from projects.location import region_named
from projects.models import KeyProject, ProjectProgress
from tests.conftest import _member

KASHGAR = "kashgar-2021-2025"
NAMES = ["喀什市", "阜康市", "喀什地区"]


@pytest.mark.parametrize(
    "location, region",
    [
        ("喀什市", "喀什市"),
        (" 喀什市 ", "喀什市"),
        ("准东开发区、高新区、阜康市、玛纳斯县", None),  # several places: the plan's region
        ("巴楚县恰尔巴格乡", None),  # inside a place the portal does not know
        ("41团", None),
        ("", None),
        ("喀什市及周边", None),
    ],
)
def test_a_location_names_a_region_only_as_a_whole_single_place(location, region):
    assert region_named(location, NAMES) == region


@pytest.mark.django_db
def test_loaded_projects_get_the_region_their_location_names_else_the_plans():
    by_seq = {p.seq: p for p in KeyProject.objects.filter(plan__code=KASHGAR).select_related("region")}
    assert by_seq["2-4"].location == "喀什市" and by_seq["2-4"].region.name == "喀什市"
    others = [p for seq, p in by_seq.items() if seq != "2-4"]
    assert others and all(p.region.name == "喀什地区" for p in others)
    changji = KeyProject.objects.get(plan__code="changji-2021-2025", seq="1")
    assert changji.location == "准东开发区、高新区、阜康市、玛纳斯县" and changji.region.name == "昌吉回族自治州"
    assert not KeyProject.objects.filter(region__isnull=True).exists()


@pytest.fixture
def city_official(db):
    return _member("kashgar-city", "official", KASHGAR, region="喀什市")


@pytest.mark.django_db
def test_a_regional_official_sees_only_their_projects_on_the_page_and_in_the_template(client, city_official):
    client.force_login(city_official)
    page = client.get(reverse("progress_entry", args=[KASHGAR, 2022]))
    assert [p.seq for p in page.context["projects"]] == ["2-4"]
    wb = load_workbook(io.BytesIO(client.get(reverse("entry_template", args=[KASHGAR, 2022])).content))
    ids = [r[0].value for r in wb["项目进展"].iter_rows(min_row=5) if r[0].value]
    assert ids == [KeyProject.objects.get(plan__code=KASHGAR, seq="2-4").pk]


@pytest.mark.django_db
def test_a_regional_official_cannot_report_another_regions_project(city_official, kashgar_official):
    plan = Plan.objects.get(code=KASHGAR)
    other = KeyProject.objects.filter(plan=plan).exclude(seq="2-4").first()
    with pytest.raises(services.EntryRejected) as refused:
        project_services.progress_save(
            plan=plan, year=2022, user=city_official, rows=[services.RowInput(key=other.pk, status="ongoing")]
        )
    assert refused.value.errors == {other.pk: ["您无权填报该项目（不在您的区域）"]}
    client = APIClient()
    client.force_authenticate(city_official)
    response = client.post("/api/progress/", {"project": other.pk, "year": 2022, "status": "ongoing"}, format="json")
    assert response.status_code == 400 and "不在您的区域" in str(response.json())
    assert not ProjectProgress.objects.filter(project=other).exists()
    # An official of the whole plan reports it.
    project_services.progress_save(
        plan=plan, year=2022, user=kashgar_official, rows=[services.RowInput(key=other.pk, status="ongoing")]
    )
    assert ProjectProgress.objects.filter(project=other).exists()
    assert Region.objects.get(name="喀什市").parent.name == "喀什地区"
