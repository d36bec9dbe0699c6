"""The staff pages that bring a plan in: upload, check and correct row by row, publish; drafts are
for staff only, every step is audited, and bad input saves nothing (issue 16, item 2)."""

import io

import pytest

from indicators.models import Plan, Region
from intake.models import PlanDraft
from tests.test_intake_documents import PLAN_TABLE, _docx


def _upload(client, code="hami-2026-2030", paragraphs=("哈密市生态环境保护“十五五”规划", "哈密市人民政府"), region=""):
    document = io.BytesIO(_docx(paragraphs=paragraphs, table=PLAN_TABLE))
    document.name = "哈密市规划.docx"
    return client.post("/intake/upload/", {"document": document, "code": code, "region": region})


@pytest.fixture
def draft(client, staff):
    client.force_login(staff)
    response = _upload(client)
    assert response.status_code == 302
    return PlanDraft.objects.get()


def test_upload_reads_the_document_into_a_draft(client, draft, staff):
    assert (draft.created_by, draft.state, draft.original_name) == (staff, "draft", "哈密市规划.docx")
    plan = draft.data["plan"]
    assert (plan["title"], plan["region"], plan["issuer"], plan["period_start"]) == (
        "哈密市生态环境保护“十五五”规划", "哈密市", "哈密市人民政府", 2026,
    )  # fmt: skip
    page = client.get(f"/intake/{draft.pk}/").content.decode()
    assert "细颗粒物（PM2.5）平均浓度" in page and 'value="≤40"' in page and "数值目标" in page
    assert not Plan.objects.filter(code="hami-2026-2030").exists()  # a draft is not a plan


def test_drafts_are_for_staff_only(client, draft, div3_reviewer):
    client.force_login(div3_reviewer)
    for url in ("/intake/", f"/intake/{draft.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/intake/{draft.pk}/publish/").status_code == 403
    assert client.post(f"/intake/{draft.pk}/", {"row-0-name": "x"}).status_code == 403
    client.logout()
    assert client.get("/intake/").status_code == 302


def test_corrections_are_saved_and_audited(client, draft, staff):
    response = client.post(
        f"/intake/{draft.pk}/",
        {
            "meta-title": "哈密市“十五五”生态环境保护规划",
            "row-0-name": "PM2.5平均浓度",
            "row-1-target-2030": "≥2.4",
            "row-1-delete": "",
        },
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.data["plan"]["title"] == "哈密市“十五五”生态环境保护规划"
    assert draft.data["indicators"][0]["name"] == "PM2.5平均浓度"
    assert draft.data["indicators"][1]["targets"] == {"2030": "≥2.4"}
    history = draft.history.order_by("history_date")
    assert [h.history_change_reason for h in history] == [None, "edit"]
    assert history.last().history_user == staff


@pytest.mark.parametrize(
    "post, message",
    [
        ({"meta-period_start": "20x6"}, "不是四位年份"),
        ({"row-0-name": ""}, "指标名称不能为空"),
        ({"row-0-attribute": "重要性"}, "属性应为约束性"),
    ],
)
def test_a_bad_correction_saves_nothing(client, draft, post, message):
    before = draft.data
    response = client.post(f"/intake/{draft.pk}/", {**post, "row-1-target-2030": "≥9"})
    assert response.status_code == 400 and message in response.content.decode()
    draft.refresh_from_db()
    assert draft.data == before


def test_publish_makes_a_plan_like_the_others(client, draft, staff):
    client.post(f"/intake/{draft.pk}/", {"row-1-delete": "1"})
    response = client.post(f"/intake/{draft.pk}/publish/")
    plan = Plan.objects.get(code="hami-2026-2030")
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.code}/"
    assert [i.name for i in plan.indicators.all()] == ["细颗粒物（PM2.5）平均浓度"]
    draft.refresh_from_db()
    assert (draft.state, draft.plan) == ("published", plan)
    assert draft.history.first().history_change_reason == "publish"
    assert client.post(f"/intake/{draft.pk}/publish/").status_code == 302
    assert Plan.objects.filter(code="hami-2026-2030").count() == 1  # a second publish changes nothing
    assert client.get(f"/plans/{plan.code}/").status_code == 200


def test_a_draft_that_cannot_be_published_says_why(client, staff):
    client.force_login(staff)
    _upload(client, code="nowhere-2026-2030", paragraphs=("某某县生态环境保护“十五五”规划",))
    draft = PlanDraft.objects.get()
    assert draft.data["plan"].get("region") is None and "region" in draft.report["missing"]
    page = client.get(f"/intake/{draft.pk}/").content.decode()
    assert "（未能从文件识别，请选择）" in page
    client.post(f"/intake/{draft.pk}/publish/")
    assert not Plan.objects.filter(code="nowhere-2026-2030").exists()
    client.post(f"/intake/{draft.pk}/", {"meta-region": "哈密市"})
    client.post(f"/intake/{draft.pk}/publish/")
    assert Plan.objects.get(code="nowhere-2026-2030").region.name == "哈密市"


def test_a_code_in_use_is_refused_at_publishing(client, staff):
    client.force_login(staff)
    _upload(client, code="div3-2021-2025")
    draft = PlanDraft.objects.get()
    response = client.post(f"/intake/{draft.pk}/publish/", follow=True)
    assert "已被已发布的规划使用" in response.content.decode()
    assert Plan.objects.get(code="div3-2021-2025").indicators.count() == 21  # untouched


def test_staff_add_a_county_and_bad_regions_are_refused(client, staff):
    client.force_login(staff)
    hami = Region.objects.get(name="哈密市")
    response = client.post(
        "/intake/regions/", {"name": "巴里坤哈萨克自治县", "kind": "county", "parent": hami.pk, "code": "650521"}
    )
    assert response.status_code == 302
    county = Region.objects.get(name="巴里坤哈萨克自治县")
    assert (county.parent, county.code) == (hami, "650521")
    assert county.history.first().history_user == staff
    for post, message in [
        ({"name": "巴里坤哈萨克自治县", "kind": "county", "parent": hami.pk}, "已存在"),
        ({"name": "某县", "kind": "prefecture", "parent": hami.pk}, "只能添加城市或县市"),
        ({"name": "某县", "kind": "county", "parent": hami.pk, "code": "12345"}, "6 位"),
        ({"name": "某县", "kind": "county"}, "上级区域"),
    ]:
        response = client.post("/intake/regions/", post)
        assert response.status_code == 400 and message in response.content.decode()
    assert not Region.objects.filter(name="某县").exists()


def test_pages_in_english(client, draft):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get(f"/intake/{draft.pk}/").content.decode()
    assert "Check an imported plan" in page and "Publish as a plan" in page and "Numeric target" in page
    assert "核对导入的规划" not in page


def test_upload_over_the_size_limit_is_refused(client, staff, settings):
    client.force_login(staff)
    settings.INTAKE_MAX_BYTES = 1024
    response = _upload(client)  # a little over the limit: read, measured and refused
    assert response.status_code == 400 and "超过上限" in response.content.decode()
    big = io.BytesIO(b"PK" + b"\0" * 200 * 1024)
    big.name = "big.docx"
    response = client.post("/intake/upload/", {"document": big, "code": "big-2026-2030"})
    assert response.status_code == 413  # far over: refused from its length, before it is read
    assert not PlanDraft.objects.exists()
