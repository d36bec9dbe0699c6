"""End to end in headless Chromium: an official enters and submits, a reviewer returns, the
official fixes and resubmits, the reviewer approves, and the plan page shows the new status."""

import os

import pytest

from indicators.models import Indicator, IndicatorValue

pytestmark = pytest.mark.browser
CODE, YEAR = "div3-2021-2025", 2022


def log_in(browser, live_server, username, password):
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.outside, page.errors = outside, errors
    return page


def test_enter_submit_return_fix_approve_and_see_the_status(committed_db, live_server, browser, eager_tasks):
    from tests.conftest import ARTIFACTS, _member

    _member("e2e-official", "official", CODE)
    _member("e2e-reviewer", "reviewer", CODE)
    forest = Indicator.objects.get(plan__code=CODE, seq="9")
    green = Indicator.objects.get(plan__code=CODE, seq="5")

    official = log_in(browser, live_server, "e2e-official", "pw-e2e-official")
    official.goto(f"{live_server.url}/plans/{CODE}/entry/{YEAR}/")
    official.fill(f"#value-{forest.pk}", "13.5")
    official.fill(f"#value-{green.pk}", "38.5")
    official.click("form.entry button[value=save]")
    official.wait_for_selector(".messages li.success")
    assert IndicatorValue.objects.get(indicator=forest, year=YEAR).state == "draft"
    official.click("form.entry button[value=submit]")
    official.wait_for_selector(".messages li.success")
    assert "提交 2 项" in official.inner_text(".messages")

    reviewer = log_in(browser, live_server, "e2e-reviewer", "pw-e2e-reviewer")
    reviewer.goto(f"{live_server.url}/plans/{CODE}/review/{YEAR}/")
    value = IndicatorValue.objects.get(indicator=forest, year=YEAR)
    reviewer.check(f"#check-{value.pk}")
    reviewer.fill("#comment", "森林覆盖率与林草局年报不符，请核对")
    reviewer.click("button[value=return]")
    reviewer.wait_for_selector(".messages li.success")
    assert IndicatorValue.objects.get(pk=value.pk).state == "returned"

    official.goto(f"{live_server.url}/plans/{CODE}/entry/{YEAR}/")
    assert "森林覆盖率与林草局年报不符，请核对" in official.inner_text(f"#row-{forest.pk}")
    official.fill(f"#value-{forest.pk}", "13.98")
    official.click("form.entry button[value=submit]")
    official.wait_for_selector(".messages li.success")
    official.screenshot(path=os.path.join(ARTIFACTS, "entry-resubmitted.png"), full_page=True)

    reviewer.goto(f"{live_server.url}/plans/{CODE}/review/{YEAR}/")
    for pk in IndicatorValue.objects.filter(indicator__plan__code=CODE, year=YEAR).values_list("pk", flat=True):
        reviewer.check(f"#check-{pk}")
    reviewer.click("button[value=approve]")
    reviewer.wait_for_selector(".messages li.success")
    assert set(IndicatorValue.objects.filter(indicator__plan__code=CODE, year=YEAR).values_list("state", flat=True)) == {
        "approved"
    }

    reviewer.goto(f"{live_server.url}/plans/{CODE}/?year=2022")
    row = reviewer.locator("tr", has_text="森林覆盖率(%)").first
    assert "13.98 已审核\t达标" in row.inner_text()  # 13.98 meets the 2022 target 13.97, approved
    assert "暂定" not in row.inner_text()
    reviewer.screenshot(path=os.path.join(ARTIFACTS, "plan-after-approval.png"), full_page=True)
    assert official.outside == [] and reviewer.outside == []
    assert official.errors == [] and reviewer.errors == []
