"""The intake pages as staff use them: headless Chromium at phone and desktop width, in Chinese and
in English. A Word document is uploaded through the page, its rows checked and one corrected with
the keyboard, the draft published; no page scrolls sideways, every input has a label, and the
interface speaks the chosen language (tests/test_pages_browser.py's checks)."""

import os

import pytest

from indicators.models import Plan
from intake.models import PlanDraft
from tests import test_pages_browser as pages
from tests.test_intake_documents import PLAN_TABLE, _docx

pytestmark = pytest.mark.browser


@pytest.fixture
def staff_user(committed_db):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("intake-staff", password="pw-intake-staff", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="管理员")[0])
    return user


def test_upload_check_correct_and_publish_in_chromium(staff_user, live_server, browser, tmp_path, monkeypatch):
    from tests.conftest import ARTIFACTS

    # The plan code staff typed is shown on these pages on purpose.
    monkeypatch.setattr(pages, "INTERNAL", [p for p in pages.INTERNAL if "20" not in p])
    document = tmp_path / "哈密市规划.docx"
    document.write_bytes(_docx(paragraphs=("哈密市生态环境保护“十五五”规划", "哈密市人民政府"), table=PLAN_TABLE))
    draft_url = None
    for lang, width in [(lang, width) for lang in ("zh-hans", "en") for width in (390, 1366)]:
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
        page = context.new_page()
        pages._login(page, live_server.url, staff_user.username)
        page.goto(live_server.url + "/intake/")
        pages._check(page, "/intake/", lang, width)
        if draft_url is None:
            page.set_input_files("#document", str(document))
            page.fill("#code", "hami-2026-2030")
            page.click("form[action='/intake/upload/'] button[type=submit]")
            page.wait_for_url(f"{live_server.url}/intake/*/")
            draft_url = page.url
        page.goto(draft_url)
        pages._check(page, draft_url, lang, width)
        page.screenshot(path=os.path.join(ARTIFACTS, f"intake-draft-{lang}-{width}.png"), full_page=True)
        context.close()

    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    pages._login(page, live_server.url, staff_user.username)
    page.goto(draft_url)
    # Correct the 2030 target of the second row with the keyboard alone, save, publish.
    page.focus("#row-1-target-2030")
    page.keyboard.press("Control+A")
    page.keyboard.type("≥2.4")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # submits the form: 保存修改
    assert PlanDraft.objects.get().data["indicators"][1]["targets"] == {"2030": "≥2.4"}
    assert "已保存修改" in page.inner_text("body")
    page.click("text=发布为正式规划")
    page.wait_for_url(f"{live_server.url}/plans/hami-2026-2030/")
    plan = Plan.objects.get(code="hami-2026-2030")
    assert plan.indicators.get(name="森林覆盖率").targets.get(year=2030).raw_text == "≥2.4"
    context.close()
