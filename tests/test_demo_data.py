"""Demo values are loaded only on request, always marked, and removed without touching anything else."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from projects.models import ProjectProgress

pytestmark = pytest.mark.django_db


def test_the_suite_starts_without_demo_values():
    assert not IndicatorValue.objects.filter(origin="demo").exists()


def test_demo_values_are_marked_and_removed_alone():
    indicator = Indicator.objects.get(plan__code="kashgar-2021-2025", seq="1")
    entered = IndicatorValue(indicator=indicator, year=2022, origin="entry")
    entered.set_text("44.0")
    entered.save()
    documents = IndicatorValue.objects.filter(origin="document").count()

    call_command("load_demo", stdout=StringIO())

    demo = IndicatorValue.objects.filter(origin="demo")
    assert demo.count() > 100
    assert set(demo.values_list("remark", flat=True)) == {"演示数据"}
    assert set(demo.values_list("year", flat=True)) <= {2021, 2022, 2023, 2024}
    assert ProjectProgress.objects.filter(origin="demo", project__plan__code="div3-2021-2025").exists()
    assert IndicatorValue.objects.get(pk=entered.pk).raw_text == "44.0"  # not overwritten

    call_command("load_demo", "--remove", stdout=StringIO())

    assert not IndicatorValue.objects.filter(origin="demo").exists()
    assert not ProjectProgress.objects.filter(origin="demo").exists()
    assert IndicatorValue.objects.filter(origin="document").count() == documents
    assert IndicatorValue.objects.filter(pk=entered.pk).exists()


def test_pages_mark_demo_values(client, viewer):
    client.force_login(viewer)
    call_command("load_demo", stdout=StringIO())
    html = client.get(reverse("plan_detail", args=["div3-2021-2025"])).content.decode()
    assert 'class="badge demo"' in html
