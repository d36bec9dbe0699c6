"""The dashboards in headless Chromium: Plotly draws SVG charts from this server only, with no
console errors; screenshots go to test-artifacts/ (ignored by git)."""

import os

import pytest

from indicators import recompute, services
from indicators.models import Indicator, Plan

pytestmark = pytest.mark.browser
CODE = "div3-2021-2025"


def test_overview_plan_dashboard_and_indicator_page_render_their_charts(committed_db, live_server, browser):
    from tests.conftest import ARTIFACTS, _member

    official = _member("chart-official", "official", CODE)
    _member("chart-viewer", "viewer", *Plan.objects.values_list("code", flat=True))
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(plan=plan, year=2021, user=official, rows=[services.RowInput(key=forest.pk, text="13.85")], submit=True)
    services.values_save(plan=plan, year=2022, user=official, rows=[services.RowInput(key=forest.pk, text="13.95")], submit=True)
    recompute.recompute_all(as_of_year=2023)

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    outside, errors = [], []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((live_server.url, "data:")) else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "chart-viewer")
    page.fill("#id_password", "pw-chart-viewer")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator(".card").count() == 8
    page.screenshot(path=os.path.join(ARTIFACTS, "overview.png"), full_page=True)

    page.goto(f"{live_server.url}/plans/{CODE}/?year=2022")
    for name in ("categories", "heatmap", "timeline", "investment"):
        page.wait_for_selector(f"#chart-{name} svg.main-svg", timeout=20000)
    page.wait_for_function("document.querySelectorAll('img.chart-print[src^=\"data:image/svg\"]').length === 4", timeout=20000)
    assert "未达标" in page.inner_text("#chart-heatmap")  # status words inside the heat map
    page.screenshot(path=os.path.join(ARTIFACTS, "plan-dashboard.png"), full_page=True)
    # In print the interactive charts give way to their static SVG copies.
    page.emulate_media(media="print")
    assert page.locator("img.chart-print").first.is_visible()
    assert not page.locator("#chart-heatmap").is_visible()
    page.pdf(path=os.path.join(ARTIFACTS, "plan-dashboard.pdf"))
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/plans/{CODE}/indicators/{forest.pk}/")
    page.wait_for_selector("#chart-lines svg.main-svg", timeout=20000)
    legend = page.inner_text("#chart-lines")
    assert "实际值" in legend and "目标路径" in legend and "趋势外推" in legend
    page.screenshot(path=os.path.join(ARTIFACTS, "indicator.png"), full_page=True)

    page.set_viewport_size({"width": 390, "height": 844})  # a phone
    page.goto(f"{live_server.url}/plans/{CODE}/")
    page.wait_for_selector("#chart-categories svg.main-svg", timeout=20000)
    width = page.evaluate("document.querySelector('#chart-categories').getBoundingClientRect().width")
    assert width <= 390
    page.screenshot(path=os.path.join(ARTIFACTS, "plan-dashboard-phone.png"), full_page=True)

    assert outside == []
    assert errors == []
    context.close()
