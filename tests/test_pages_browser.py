"""The pages people use, as they use them: headless Chromium at phone (390 px) and desktop (1366 px)
width, in Chinese and in English. No page scrolls sideways, the plan dashboard stays short on a phone,
the interface speaks the chosen language, no internal text reaches the page, every input has a label,
headings follow in order, badges are legible, and a figure can be entered with the keyboard alone.
Screenshots go to test-artifacts/ (ignored by git)."""

import os
import re

import pytest

from indicators import recompute, services
from indicators.models import Indicator, Plan

pytestmark = pytest.mark.browser
CODE = "div3-2021-2025"
YEAR = 2022

# Text that belongs to the portal's own workings, never to a page: plan codes, stored file names,
# formula markup, kind and status codes, the notes written while the plans were typed in.
INTERNAL = [
    r"\b[a-z0-9]+-20\d\d-20\d\d\b",
    r"[0-9a-f]{16}\.txt",
    r"_\{",
    r"\b[a-z]+_[a-z_]+\b",  # relative_change, not_assessable, no_data …
    r"留空",
    r"repeated into",
]
# The interface's own words (not the plan's data): own text of these elements is checked for language.
CHROME = (
    "header a, header button, nav a, thead th, button, .badge, h2, .legend li, .empty-state, .error-page p, .error-page h1, .note"
)
OWN_TEXT = """sel => Array.from(document.querySelectorAll(sel)).map(el =>
    Array.from(el.childNodes).filter(n => n.nodeType === 3).map(n => n.textContent).join('').trim()).filter(t => t)"""


@pytest.fixture
def people(committed_db):
    from tests.conftest import _member

    official = _member("page-official", "official", CODE)
    reviewer = _member("page-reviewer", "reviewer", CODE)
    plan = Plan.objects.get(code=CODE)
    forest, green = Indicator.objects.get(plan=plan, seq="9"), Indicator.objects.get(plan=plan, seq="5")
    services.values_save(
        plan=plan,
        year=YEAR,
        user=official,
        rows=[services.RowInput(key=forest.pk, text="13.90"), services.RowInput(key=green.pk, text="38.5")],
        submit=True,
    )
    recompute.recompute_all(as_of_year=2023)
    return official, reviewer, forest


def _login(page, url, username):
    page.goto(f"{url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-" + username)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def _check(page, path, lang, width):
    where = f"{path} {lang} {width}px"
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1], f"{where}: scrolls sideways ({scroll[0]} > {scroll[1]})"
    text = page.inner_text("body")
    # On a Chinese page an English code word is internal too ("threshold", "submitted → approved").
    for pattern in INTERNAL + ([r"\b(?:threshold|compound|submitted|approved|draft|returned|form)\b"] if lang != "en" else []):
        found = re.search(pattern, text)
        assert not found, f"{where}: internal text {found.group(0)!r}"
    for own in page.evaluate(OWN_TEXT, CHROME):
        if lang == "en":
            assert not re.search(r"[\u4e00-\u9fff]", own) or re.fullmatch(r"[\d\s—–:：年]*", own), (
                f"{where}: Chinese UI text {own!r}"
            )
        else:
            assert not re.search(r"\b(?!PM|Excel|ID\b)[A-Za-z]{4,}\b", own), f"{where}: English UI text {own!r}"
    # Accessibility basics: a label for every input, one h1 and no skipped heading level.
    unlabelled = page.evaluate(
        """() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea')).filter(el =>
            !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby')
        ).map(el => el.name || el.id)"""
    )
    assert unlabelled == [], f"{where}: inputs without a label {unlabelled}"
    levels = page.evaluate("Array.from(document.querySelectorAll('main h1, main h2, main h3, main h4')).map(h => +h.tagName[1])")
    assert levels.count(1) == 1, f"{where}: {levels.count(1)} h1"
    assert all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), f"{where}: heading levels {levels}"


def _contrast(page):
    """The lowest contrast ratio of a badge's text against its background (WCAG formula)."""
    return page.evaluate(
        """() => {
        const rgb = s => s.match(/[\\d.]+/g).slice(0, 4).map(Number);
        const lum = ([r, g, b]) => { const c = [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
            return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]; };
        const back = el => { while (el) { const c = rgb(getComputedStyle(el).backgroundColor); if (c.length < 4 || c[3] > 0) return c; el = el.parentElement; } return [255, 255, 255]; };
        return Math.min(...Array.from(document.querySelectorAll('.badge')).map(el => {
            const a = lum(rgb(getComputedStyle(el).color)), b = lum(back(el));
            return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05); }));
    }"""
    )


def test_pages_at_phone_and_desktop_width_in_both_languages(people, live_server, browser):
    from tests.conftest import ARTIFACTS

    official, reviewer, forest = people
    pages = {
        reviewer.username: [
            "/",
            f"/plans/{CODE}/",
            f"/plans/{CODE}/indicators/{forest.pk}/",
            f"/plans/{CODE}/review/{YEAR}/",
            f"/plans/{CODE}/entry/{YEAR}/",  # a reviewer does not enter figures: the refusal page
            "/plans/no-such-plan/",  # not found
        ],
        official.username: [f"/plans/{CODE}/entry/{YEAR}/", f"/plans/{CODE}/progress/{YEAR}/"],
    }
    for lang, width in [(lang, width) for lang in ("zh-hans", "en") for width in (390, 1366)]:
        for username, paths in pages.items():
            context = browser.new_context(viewport={"width": width, "height": 900})
            context.add_cookies([{"name": "django_language", "value": lang, "url": live_server.url}])
            page = context.new_page()
            _login(page, live_server.url, username)
            for path in paths:
                response = page.goto(live_server.url + path)
                page.wait_for_load_state("load")
                expected = 403 if username == reviewer.username and "/entry/" in path else 404 if "no-such" in path else 200
                assert response.status == expected, path
                _check(page, path, lang, width)
                if path == f"/plans/{CODE}/":
                    height = page.evaluate("document.documentElement.scrollHeight")
                    assert width > 390 or height < 9000, f"plan dashboard {height}px tall on a phone"
                    assert _contrast(page) >= 4.5
                if path in (f"/plans/{CODE}/", f"/plans/{CODE}/review/{YEAR}/"):  # screenshots cost seconds each
                    name = re.sub(r"[^a-z0-9]+", "-", path.strip("/"))
                    page.screenshot(path=os.path.join(ARTIFACTS, f"page-{name}-{lang}-{width}.png"), full_page=True)
            context.close()


def _logged_in_page(browser, live_server, user, width):
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    _login(page, live_server.url, user.username)
    return page


def test_the_menu_the_refusal_page_and_entry_by_keyboard(people, live_server, browser):
    official, reviewer, forest = people
    # On a phone the header folds into a menu, and a refused page says why, in the site's layout.
    page = _logged_in_page(browser, live_server, reviewer, 390)
    assert not page.locator("#site-nav").is_visible()
    page.click(".menu-toggle")
    assert page.locator("#site-nav").is_visible()
    assert page.get_attribute(".menu-toggle", "aria-expanded") == "true"
    # The Content-Security-Policy allows no inline script: the language menu and the API's own
    # documentation work without one, and nothing on these pages is refused by the policy.
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    assert page.locator("#lang").is_visible()  # in the menu, still open
    with page.expect_navigation():
        page.select_option("#lang", "en")
    assert page.get_attribute("html", "lang") == "en"
    page.goto(f"{live_server.url}/api/docs/")
    page.wait_for_selector(".swagger-ui .info", timeout=20000)
    page.goto(f"{live_server.url}/plans/{CODE}/")
    assert refused == []
    page.context.add_cookies([{"name": "django_language", "value": "zh-hans", "url": live_server.url}])
    page.goto(f"{live_server.url}/plans/{CODE}/entry/{YEAR}/")
    assert page.locator("header.site-header").count() == 1
    assert "您不是该规划的填报员" in page.inner_text(".error-reason")
    assert page.locator(".error-page a[href='/']").count() == 1
    page.context.close()
    # A figure can be entered with the keyboard alone.
    page = _logged_in_page(browser, live_server, official, 1366)
    page.goto(f"{live_server.url}/plans/{CODE}/entry/2023/")
    target = f"value-{forest.pk}"
    for _ in range(400):  # Tab from the top of the page to the forest cover field
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.name") == target:
            break
    assert page.evaluate("document.activeElement.name") == target
    page.keyboard.type("13.95")
    with page.expect_navigation():
        page.keyboard.press("Enter")  # the form's first button: save as a draft
    assert "已保存 1 项" in page.inner_text(".messages")
    # Read back as the official sees it (the form again, the figure saved as a draft).
    assert page.input_value(f"input[name={target}]") == "13.95"
    assert "草稿" in page.inner_text(f"#row-{forest.pk}")
    page.context.close()
