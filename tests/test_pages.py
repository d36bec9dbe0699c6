"""The pages of the foundation: home, plan page, source document, admin, language switch."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged_in(client, viewer):
    client.force_login(viewer)
    return viewer


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    response = client.get(reverse("plan_detail", args=["div3-2021-2025"]))
    assert response.status_code == 302


def test_a_public_plan_is_readable_without_logging_in(client):
    from indicators.models import Plan

    Plan.objects.filter(code="kashgar-2021-2025").update(is_public=True)
    assert client.get(reverse("plan_detail", args=["kashgar-2021-2025"])).status_code == 200
    assert client.get(reverse("plan_detail", args=["div3-2021-2025"])).status_code == 302


def test_home_lists_all_eight_plans(client, logged_in):
    html = client.get("/").content.decode()
    for code in (
        "div3-2021-2025",
        "div3-2016-2020",
        "div12-2023-2035",
        "kashgar-2021-2025",
        "kashgar-2016-2020",
        "xinjiang-2016-2020",
        "xinjiang-2011-2015",
        "changji-2021-2025",
    ):
        assert code in html


def test_the_plan_page_shows_the_table_as_printed_with_source_links(client, logged_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = client.get(reverse("plan_detail", args=["div3-2021-2025"]))
    html = response.content.decode()
    assert "第三师图木舒克市“十四五”生态环境保护规划" in html
    assert "14.058" in html  # 森林覆盖率 2023 target, line 293
    assert "合计 25.81 亿元" in html
    assert 'href="/sources/000_7cba76df54bbb36f.txt#L293"' in html


def test_the_source_page_numbers_every_line(client, logged_in):
    html = client.get(reverse("source_document", args=["000_7cba76df54bbb36f.txt"])).content.decode()
    assert '<li id="L293" value="293">' in html
    assert client.get("/sources/..%2Fsettings.py").status_code == 404
    assert client.get(reverse("source_document", args=["README.md"])).status_code == 404


def test_the_admin_is_reachable_for_staff(client):
    admin = User.objects.create_superuser("admin", password="pw-admin-123")
    client.force_login(admin)
    response = client.get("/admin/indicators/indicator/?plan__id__exact=1")
    assert response.status_code == 200
    assert "指标" in response.content.decode()


def test_english_is_available(client, logged_in):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert "Plan overview" in html
    assert 'lang="en"' in html


def test_in_english_every_status_badge_attribute_and_chart_word_is_english(client, logged_in):
    from django.core.management import call_command

    from indicators import recompute

    call_command("load_demo", verbosity=0)  # figures to judge, so the charts are drawn
    recompute.recompute_all()  # the results the badges and charts show (tasks are not eager on PostgreSQL)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = {"met": "Met", "not_met": "Not met", "lagging": "Lagging", "on_track": "On track", "no_data": "No data"}
    for url in ("/", reverse("plan_detail", args=["div3-2021-2025"])):
        html = client.get(url).content.decode()
        badges = re.findall(r'<span class="badge status-(\w+)"[^>]*>([^<]*)</span>', html)
        assert badges, url
        for code, text in badges:
            assert re.fullmatch(r"[A-Za-z ]+", text), (url, code, text)
            if code in english:
                assert text == english[code], (url, code, text)
    assert ">Binding</td>" in html and ">约束性</td>" not in html
    assert "Attainment by indicator and year" in html and "指标×年份" not in html


def test_chinese_is_the_default_even_for_an_english_browser(client, logged_in):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "规划执行总览" in html
    assert 'lang="zh-hans"' in html


def test_every_interface_string_has_an_english_translation():
    po = open("locale/en/LC_MESSAGES/django.po", encoding="utf-8").read()
    header, entries = po.split('msgstr ""\n', 1)[0], po.split("\n\n", 1)[1]
    untranslated = re.findall(r'^msgid "(.+)"\nmsgstr ""\n(?!")', entries, re.M)
    assert untranslated == []
    assert not re.search(r'^msgstr(\[\d\])? ""\n\n', entries + "\n", re.M)  # plurals and wrapped ids too
    assert "#, fuzzy" not in entries
    assert header  # the PO header itself stays as makemessages writes it


def test_explanations_are_shown_in_english_to_an_english_user(client, logged_in, div3_official):
    from indicators import recompute, services
    from indicators.models import Indicator, Plan

    plan = Plan.objects.get(code="div3-2021-2025")
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(
        plan=plan, year=2022, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.90")], submit=True
    )
    recompute.recompute_all(as_of_year=2023)
    url = reverse("indicator_detail", args=["div3-2021-2025", forest.pk])
    assert "2022年实际值 13.9%，未达到目标“13.97”。" in client.get(url).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(url).content.decode()
    assert "Actual 2022: 13.9%, does not meet the target “13.97”." in html
    assert "未达到目标" not in html


def test_error_pages_are_pages_of_the_site_in_the_users_language(client, logged_in):
    from django.test import Client

    missing = client.get("/plans/no-such-plan/")
    html = missing.content.decode()
    assert missing.status_code == 404 and 'class="site-header"' in html and "未找到" in html and "回到总览" in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/plans/no-such-plan/").content.decode()
    assert "Not found" in html and "To the overview" in html and "未找到" not in html
    # A form posted without its security token: the reason, what was lost, and a way back.
    strict = Client(enforce_csrf_checks=True)
    refused = strict.post(reverse("login"), {"username": "x", "password": "y"}, HTTP_REFERER="http://testserver/accounts/login/")
    html = refused.content.decode()
    assert refused.status_code == 403 and 'class="site-header"' in html and "安全校验失败" in html
    assert 'href="http://testserver/accounts/login/"' in html  # back to the form it came from
    # The API keeps answering in JSON.
    assert client.get("/api/plans/no-such-plan/").json()["detail"]


def test_public_notes_for_everyone_internal_notes_for_staff(client, logged_in):

    from indicators.models import Indicator, Plan

    plan = Plan.objects.get(code="kashgar-2021-2025")
    assert "未列2020年基准值" in client.get(reverse("plan_detail", args=[plan.code])).content.decode()
    noted = Indicator.objects.filter(plan=plan).exclude(note="").first()
    page = reverse("indicator_detail", args=[plan.code, noted.pk])
    assert noted.note not in client.get(page).content.decode()  # a viewer never sees how it was typed in
    client.force_login(User.objects.create_superuser("notes-admin", password="pw-notes-admin-1"))
    html = client.get(page).content.decode()
    assert "录入说明（仅管理员可见）" in html and noted.note in html
