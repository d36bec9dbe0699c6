"""The REST API: reads with filters and pagination, writes through the same rules as the forms,
token authentication, throttling, JSON errors, the OpenAPI schema and local Swagger UI."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from indicators import recompute
from indicators.models import Indicator, IndicatorValue, Target

pytestmark = pytest.mark.django_db
KASHGAR = "kashgar-2021-2025"


def api(user=None, token=False):
    client = APIClient()
    if user is not None:
        if token:
            client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        else:
            client.force_authenticate(user)
    return client


def pm25():
    return Indicator.objects.get(plan__code=KASHGAR, seq="2")  # 52.8㎍/m3 by 2025, lower is better


def test_reads_list_only_the_users_plans(kashgar_official):
    codes = [p["code"] for p in api(kashgar_official).get("/api/plans/").json()["results"]]
    assert codes == [KASHGAR]


def test_indicators_come_with_parsed_targets_and_filters(kashgar_official):
    body = api(kashgar_official).get("/api/indicators/", {"plan": KASHGAR, "attribute": "约束性"}).json()
    assert body["count"] == 15
    pm = next(i for i in body["results"] if i["seq"] == "2")
    assert pm["targets"][0]["raw_text"] == "52.8㎍/m3"
    assert pm["targets"][0]["parsed"] == {"kind": "threshold", "raw": "52.8㎍/m3", "unit": "㎍/m3", "value": "52.8"}
    assert (pm["source_file"], pm["source_line"]) == ("002_f5d5806deceafda1.txt", pm25().source_line)


def test_pagination_and_ordering(viewer):
    first = api(viewer).get("/api/indicators/", {"ordering": "-id", "page": 1}).json()
    assert first["count"] == Indicator.objects.count() and len(first["results"]) == 100 and first["next"]
    assert first["results"][0]["id"] == Indicator.objects.order_by("-id").first().pk


def test_a_value_written_with_a_token_is_validated_saved_audited_and_judged(kashgar_official, eager_tasks):
    client = api(kashgar_official, token=True)
    response = client.post(
        "/api/values/",
        {"indicator": pm25().pk, "year": 2022, "value": "49.5", "remark": "监测站年报", "submit": True},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["raw_text"], body["state"], body["origin"], body["version"], body["entered_by"]) == (
        "49.5",
        "submitted",
        "api",
        2,
        "kashgar-official",
    )
    value = IndicatorValue.objects.get(pk=body["id"])
    record = value.history.latest()
    assert (record.history_change_reason, record.raw_text) == ("api", "49.5")
    recompute.recompute_plan(pm25().plan, as_of_year=2023)
    results = (
        api(kashgar_official).get("/api/results/", {"plan": KASHGAR, "year": 2022, "indicator": pm25().pk}).json()["results"]
    )
    assert len(results) == 1 and results[0]["explanation"].startswith("2022年实际值 49.5㎍/m3")


def test_the_api_applies_the_forms_validation(kashgar_official):
    client = api(kashgar_official)
    response = client.post(
        "/api/values/",
        {"indicator": Indicator.objects.get(plan__code=KASHGAR, seq="1").pk, "year": 2022, "value": "120"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {
        str(Indicator.objects.get(plan__code=KASHGAR, seq="1").pk): ["百分比应在0到100之间，填写的是120"]
    }


def test_a_stale_version_is_a_409_with_the_other_value(kashgar_official):
    client = api(kashgar_official)
    client.post("/api/values/", {"indicator": pm25().pk, "year": 2022, "value": "49.5"}, format="json")
    response = client.post("/api/values/", {"indicator": pm25().pk, "year": 2022, "value": "48.0", "version": 0}, format="json")
    assert response.status_code == 409
    assert "改为“49.5”" in str(response.json())


def test_unknown_fields_and_wrong_types_are_refused_by_name(kashgar_official):
    client = api(kashgar_official)
    response = client.post(
        "/api/values/", {"indicator": pm25().pk, "year": "二〇二二", "value": "1", "colour": "red"}, format="json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "输入有误", "errors": {"colour": ["未知字段"]}}
    response = client.post("/api/values/", {"indicator": pm25().pk, "year": "二〇二二", "value": "1"}, format="json")
    assert response.status_code == 400 and "year" in response.json()["errors"]


def test_writes_cannot_cross_plans(kashgar_official):
    changji = Indicator.objects.filter(plan__code="changji-2021-2025").first()
    response = api(kashgar_official).post("/api/values/", {"indicator": changji.pk, "year": 2022, "value": "1"}, format="json")
    assert response.status_code == 404
    assert not IndicatorValue.objects.filter(indicator=changji).exists()


def test_viewers_cannot_write(viewer):
    response = api(viewer).post("/api/values/", {"indicator": pm25().pk, "year": 2022, "value": "49.5"}, format="json")
    assert response.status_code == 403 and response.json()["detail"]


def test_reviewer_actions_and_assigned_numbers(kashgar_official, kashgar_reviewer):
    value_id = (
        api(kashgar_official)
        .post("/api/values/", {"indicator": pm25().pk, "year": 2022, "value": "49.5", "submit": True}, format="json")
        .json()["id"]
    )
    reviewer = api(kashgar_reviewer, token=True)
    response = reviewer.post(f"/api/values/{value_id}/review/", {"action": "return"}, format="json")
    assert response.status_code == 400 and response.json()["detail"] == "退回时必须填写审核意见"
    response = reviewer.post(f"/api/values/{value_id}/review/", {"action": "approve"}, format="json")
    assert (response.status_code, response.json()["state"]) == (200, "approved")
    assert api(kashgar_official).post(f"/api/values/{value_id}/review/", {"action": "reopen"}, format="json").status_code == 403
    assigned = Target.objects.get(indicator__plan__code=KASHGAR, indicator__seq="16")  # 控制在自治区指标范围内
    response = reviewer.post(
        f"/api/targets/{assigned.pk}/assign/", {"assigned_value": "18.5", "assigned_note": "自治区下达"}, format="json"
    )
    assert (response.status_code, response.json()["assigned_value"]) == (200, "18.500000")


def test_project_progress_through_the_api(div3_official):
    from projects.models import KeyProject

    project = KeyProject.objects.get(plan__code="div3-2021-2025", seq="1")
    response = api(div3_official).post(
        "/api/progress/",
        {"project": project.pk, "year": 2022, "status": "ongoing", "investment_completed_wan": "1200", "percent_complete": "30"},
        format="json",
    )
    assert response.status_code == 201 and response.json()["state"] == "draft"
    response = api(div3_official).post(
        "/api/progress/",
        {"project": project.pk, "year": 2022, "status": "ongoing", "percent_complete": "130", "version": 1},
        format="json",
    )
    assert response.status_code == 400 and "完成比例（%）不能大于100" in str(response.json())


def test_tokens_can_be_revoked(kashgar_official):
    client = api(kashgar_official, token=True)
    assert client.get("/api/plans/").status_code == 200
    Token.objects.filter(user=kashgar_official).delete()
    response = client.get("/api/plans/")
    assert (
        response.status_code in (401, 403) and "token" in response.json()["detail"].lower() or "令牌" in response.json()["detail"]
    )


def test_anonymous_requests_are_refused_with_json():
    response = APIClient().get("/api/values/")
    assert response.status_code in (401, 403) and response.json()["detail"]


def test_unknown_api_urls_answer_json():
    response = APIClient().get("/api/nothing-here/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到"}


def test_throttling_per_user(kashgar_official, settings):
    from rest_framework.settings import api_settings
    from rest_framework.throttling import UserRateThrottle

    UserRateThrottle.THROTTLE_RATES = {**api_settings.DEFAULT_THROTTLE_RATES, "user": "3/minute"}
    try:
        client = api(kashgar_official)
        codes = [client.get("/api/regions/").status_code for _ in range(4)]
    finally:
        UserRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    assert codes == [200, 200, 200, 429]


def test_the_schema_and_local_swagger_ui(client, viewer):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"openapi: 3" in schema.content
    client.force_login(viewer)
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs


def test_a_year_outside_the_plan_period_is_refused_naming_the_field(kashgar_official, div3_official):
    from projects.models import KeyProject, ProjectProgress

    response = api(kashgar_official).post("/api/values/", {"indicator": pm25().pk, "year": 2030, "value": "40"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["year"] == ["2030年不在规划期 2021—2025 内"]
    project = KeyProject.objects.get(plan__code="div3-2021-2025", seq="1")
    response = api(div3_official).post(
        "/api/progress/", {"project": project.pk, "year": 2019, "status": "ongoing"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["year"] == ["2019年不在规划期 2021—2025 内"]
    assert not IndicatorValue.objects.filter(indicator=pm25(), year=2030).exists()
    assert not ProjectProgress.objects.filter(project=project).exists()
