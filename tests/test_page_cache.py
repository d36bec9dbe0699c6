"""The plan dashboard reused whole for a logged-in person (issue 17): served with one query while
the plan's data, the language and the person's roles are unchanged, revalidated with an ETag (304),
and never served to someone else or after a change that should show."""

import pytest
from django.contrib.auth.models import Group

from indicators import services
from indicators.models import Indicator, Plan, PlanMembership
from tests.conftest import _member

CODE = "div3-2021-2025"
URL = f"/plans/{CODE}/"


@pytest.fixture
def reviewer(client, db):
    user = _member("cache-reviewer", "reviewer", CODE)
    client.force_login(user)
    client.get("/")  # the CSRF cookie and session exist, as for anyone who has opened a page
    return user


def test_a_repeat_visit_is_one_query_and_a_revalidation_a_304(client, reviewer, django_assert_num_queries):
    first = client.get(URL)
    assert first.status_code == 200 and first["ETag"] and first["Cache-Control"] == "private, no-cache"
    assert "Cookie" in first["Vary"]
    with django_assert_num_queries(1, exact=True):  # the plan, for its data version
        again = client.get(URL)
    assert again.status_code == 200 and again.content == first.content and again["ETag"] == first["ETag"]
    with django_assert_num_queries(1, exact=True):
        revalidated = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert revalidated.status_code == 304 and revalidated.content == b""


def test_a_filtered_repeat_visit_is_one_query_too(client, reviewer, django_assert_num_queries):
    category = Indicator.objects.filter(plan__code=CODE).exclude(category="").values_list("category", flat=True).first()
    first = client.get(URL, {"category": category, "year": 2022})
    assert first.status_code == 200
    with django_assert_num_queries(1, exact=True):  # the plan: the filters were checked when the page was made
        assert client.get(URL, {"category": category, "year": 2022}).content == first.content
    assert client.get(URL, {"category": "不存在的类别"}).status_code == 400


def test_a_change_to_the_plans_data_shows_at_once(client, reviewer, div3_official):
    first = client.get(URL)
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(
        plan=plan, year=2022, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.95")], submit=True
    )
    after = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and after["ETag"] != first["ETag"]


def test_losing_a_role_is_not_hidden_by_a_cached_page(client, reviewer):
    assert client.get(URL).status_code == 200
    PlanMembership.objects.filter(user=reviewer).delete()
    assert client.get(URL).status_code == 403


def test_a_deactivated_account_is_logged_out_at_once(client, reviewer):
    assert client.get(URL).status_code == 200
    reviewer.is_active = False
    reviewer.save()
    assert client.get(URL).status_code == 302  # to log in


def test_leaving_the_staff_group_takes_staff_pages_away(client, staff):
    client.force_login(staff)
    assert client.get("/intake/").status_code == 200
    staff.groups.remove(Group.objects.get(name="管理员"))
    assert client.get("/intake/").status_code == 403
    staff.groups.add(Group.objects.get(name="管理员"))
    assert client.get("/intake/").status_code == 200
    Group.objects.get(name="管理员").user_set.clear()
    assert client.get("/intake/").status_code == 403


def test_deleting_or_renaming_the_staff_group_takes_staff_pages_away(client, staff):
    client.force_login(staff)
    assert client.get("/intake/").status_code == 200
    group = Group.objects.get(name="管理员")
    group.name = "前管理员"
    group.save()
    assert client.get("/intake/").status_code == 403
    group.name = "管理员"
    group.save()
    assert client.get("/intake/").status_code == 200
    group.delete()  # removes the memberships without an m2m signal
    assert client.get("/intake/").status_code == 403


def test_a_role_handed_to_someone_else_leaves_the_one_who_had_it(client, reviewer, div3_official):
    assert client.get(URL).status_code == 200
    membership = PlanMembership.objects.get(user=reviewer)
    membership.user = _member("cache-successor", "official")
    membership.save()
    assert client.get(URL).status_code == 403


def test_a_scope_read_again_before_the_change_commits_is_dropped_after_it(reviewer, django_capture_on_commit_callbacks):
    from django.core.cache import cache

    from indicators import access

    with django_capture_on_commit_callbacks(execute=True):
        PlanMembership.objects.filter(user=reviewer).delete()
        # What another request, still seeing the old rows, would cache before the commit.
        cache.set(access.scope_key(reviewer.pk), {"staff": False, "roles": {1: {"reviewer"}}})
    assert cache.get(access.scope_key(reviewer.pk)) is None


def test_a_change_to_the_plan_itself_shows_at_once(client, reviewer):
    first = client.get(URL)
    plan = Plan.objects.get(code=CODE)
    plan.title = "改过的规划名称"
    plan.save()
    after = client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"])
    assert after.status_code == 200 and "改过的规划名称" in after.content.decode()


def test_a_page_is_never_served_to_someone_else(client, reviewer, div3_official):
    assert "cache-reviewer" in client.get(URL).content.decode()
    client.force_login(div3_official)
    client.get("/")
    page = client.get(URL).content.decode()
    assert "div3-official" in page and "cache-reviewer" not in page


def test_each_language_has_its_own_page(client, reviewer):
    chinese = client.get(URL)
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    english = client.get(URL)
    assert english["ETag"] != chinese["ETag"] and "Key projects" in english.content.decode()


def test_a_page_with_a_message_to_show_is_rendered_afresh(rf, reviewer):
    """Messages left by the previous request (a save, a publish) wait in a cookie or the session."""
    from django.contrib.sessions.backends.cache import SessionStore

    from reports.dashboards.views import _page_key

    request = rf.get(URL)
    request.user, request.session = reviewer, SessionStore()
    request.META["CSRF_COOKIE"] = "x" * 32
    plan = Plan.objects.get(code=CODE)
    assert _page_key(request, plan, "body") is not None
    request.COOKIES["messages"] = "signed-messages"
    assert _page_key(request, plan, "body") is None
    del request.COOKIES["messages"]
    request.session["_messages"] = "[]"
    assert _page_key(request, plan, "body") is None
