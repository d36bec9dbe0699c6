"""Malformed input is a 400 naming the field, never a 500, and nothing is written (run on PostgreSQL
in CI, which cannot store a NUL character at all)."""

import pytest
from django.urls import reverse

from indicators.models import Indicator, IndicatorValue
from projects.models import KeyProject, ProjectProgress

pytestmark = pytest.mark.django_db
CODE, YEAR = "div3-2021-2025", 2022


@pytest.mark.parametrize(
    "url",
    ["/sources/%00", "/projects/?plan=%00", "/projects/?location=a%00b", f"/plans/{CODE}/?category=%00", "/compare/?key=%00"],
)
def test_a_nul_in_the_address_is_a_400(client, viewer, url):
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 400
    assert "无效字符（NUL）" in response.content.decode()


def test_a_nul_in_a_remark_is_refused_naming_the_field_and_nothing_is_saved(client, div3_official):
    client.force_login(div3_official)
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    response = client.post(
        reverse("values_entry", args=[CODE, YEAR]),
        {f"value-{forest.pk}": "13.9", f"version-{forest.pk}": "0", f"remark-{forest.pk}": "a\x00b", "action": "save"},
    )
    assert response.status_code == 400
    assert f"字段“remark-{forest.pk}”中含有无效字符（NUL）" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=forest, year=YEAR).exists()
    project = KeyProject.objects.filter(plan__code=CODE).first()
    response = client.post(
        reverse("progress_entry", args=[CODE, YEAR]),
        {f"version-{project.pk}": "0", f"status-{project.pk}": "ongoing", f"remark-{project.pk}": "\x00", "action": "save"},
    )
    assert response.status_code == 400
    assert not ProjectProgress.objects.filter(project=project).exists()


@pytest.mark.parametrize(
    "investment, percent", [("NaN", "10"), ("Infinity", "10"), ("1e15", "10"), ("1" * 13, "10"), ("10", "NaN")]
)
def test_impossible_numbers_in_project_progress_are_refused(client, div3_official, investment, percent):
    client.force_login(div3_official)
    project = KeyProject.objects.filter(plan__code=CODE).first()
    response = client.post(
        reverse("progress_entry", args=[CODE, YEAR]),
        {
            f"version-{project.pk}": "0",
            f"status-{project.pk}": "ongoing",
            f"investment-{project.pk}": investment,
            f"percent-{project.pk}": percent,
            "action": "save",
        },
    )
    assert response.status_code == 400
    assert not ProjectProgress.objects.filter(project=project).exists()


def test_a_remark_has_the_same_limit_in_the_form_as_in_the_api(client, div3_official):
    from indicators.core.validation import TEXT_LIMIT

    client.force_login(div3_official)
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    fields = {f"value-{forest.pk}": "13.9", f"version-{forest.pk}": "0", "action": "save"}
    response = client.post(reverse("values_entry", args=[CODE, YEAR]), {**fields, f"remark-{forest.pk}": "备" * (TEXT_LIMIT + 1)})
    assert response.status_code == 400
    assert f"备注超过{TEXT_LIMIT}字（现为{TEXT_LIMIT + 1}字）" in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=forest, year=YEAR).exists()
    response = client.post(reverse("values_entry", args=[CODE, YEAR]), {**fields, f"remark-{forest.pk}": "备" * TEXT_LIMIT})
    assert response.status_code == 302


@pytest.mark.parametrize(
    "query, field",
    [("category=不存在的类别", "方面/领域"), ("attribute=任意", "属性"), ("status=bogus", "状态"), ("year=1999", "年份")],
)
def test_a_dashboard_filter_the_plan_does_not_have_is_a_400_not_a_cache_entry(client, viewer, query, field):
    from django.core.cache import cache

    client.force_login(viewer)
    cache.clear()
    response = client.get(f"/plans/{CODE}/?{query}")
    assert response.status_code == 400
    assert f"筛选条件“{field}”" in response.content.decode()
    assert not [k for k in getattr(cache, "_cache", {}) if "dashboard" in str(k)]  # nothing was rendered or stored
    category = Indicator.objects.filter(plan__code=CODE).exclude(category="").values_list("category", flat=True).first()
    assert client.get(f"/plans/{CODE}/", {"category": category, "attribute": "约束性", "year": 2022}).status_code == 200


def test_an_oversized_body_is_refused_before_it_is_read(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
    # Anonymous, to the log-in page: only the declared length is looked at, nothing is parsed or stored.
    response = client.generic(
        "POST", reverse("login"), b"x" * 10, CONTENT_TYPE="multipart/form-data; boundary=x", CONTENT_LENGTH=str(60 * 1024 * 1024)
    )
    assert response.status_code == 413
    assert "超过上限 1024 KB" in response.content.decode()


def test_the_import_takes_a_file_up_to_its_own_limit(client, div3_official, settings):
    settings.IMPORT_MAX_BYTES = 5 * 1024 * 1024
    client.force_login(div3_official)
    url = reverse("entry_import", args=[CODE, YEAR])
    over = client.generic("POST", url, b"x", CONTENT_TYPE="multipart/form-data; boundary=x", CONTENT_LENGTH=str(6 * 1024 * 1024))
    assert over.status_code == 413


def test_a_body_without_a_declared_length_is_refused(client):
    response = client.generic(
        "POST", reverse("login"), b"", CONTENT_TYPE="multipart/form-data; boundary=x", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411
