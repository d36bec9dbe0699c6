"""The admin: a 管理员 who is not a superuser cannot raise their own privileges or take over a
superuser's account; entered figures, targets and progress are read only there (changes go through
the services, with validation, the approval lock, the version check and the audit)."""

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.urls import reverse

from indicators import services
from indicators.models import Indicator, IndicatorValue, Plan, Target
from projects import services as project_services
from projects.models import KeyProject, ProjectProgress

pytestmark = pytest.mark.django_db
CODE, YEAR = "div3-2021-2025", 2022


@pytest.fixture
def manager(client):
    """A 管理员 with the admin permissions setup_roles gives, not a superuser."""
    call_command("setup_roles", stdout=open("/dev/null", "w"))
    user = User.objects.create_user("manager", password="pw-manager-2026", is_staff=True)
    user.groups.add(Group.objects.get(name="管理员"))
    client.force_login(user)
    return user


def user_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
        "initial-date_joined_0": "2026-01-01",
        "initial-date_joined_1": "00:00:00",
    }
    data.update(changes)
    return data


def test_a_manager_cannot_make_themselves_superuser_or_change_their_groups(client, manager):
    url = reverse("admin:auth_user_change", args=[manager.pk])
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page and 'name="groups"' not in page
    client.post(url, user_form(manager, is_superuser="on", groups=[Group.objects.get(name="管理员").pk]))
    manager.refresh_from_db()
    assert not manager.is_superuser
    assert list(manager.groups.values_list("name", flat=True)) == ["管理员"]
    assert not manager.user_permissions.exists()


def test_a_manager_cannot_change_or_delete_a_superuser(client, manager):
    root = User.objects.create_superuser("root", password="pw-root-2026")
    assert client.post(reverse("admin:auth_user_change", args=[root.pk]), user_form(root, username="taken")).status_code == 403
    assert client.post(reverse("admin:auth_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 403
    assert User.objects.filter(username="root", is_superuser=True).exists()


def test_a_superuser_can_grant_privileges(client):
    root = User.objects.create_superuser("root", password="pw-root-2026")
    client.force_login(root)
    other = User.objects.create_user("someone", password="pw-someone-2026")
    page = client.get(reverse("admin:auth_user_change", args=[other.pk])).content.decode()
    assert 'name="is_superuser"' in page and 'name="groups"' in page


def test_values_targets_and_progress_are_read_only_in_the_admin(client, manager, div3_official):
    plan = Plan.objects.get(code=CODE)
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=forest.pk, text="13.90")])
    project = KeyProject.objects.get(plan=plan, seq="1")
    project_services.progress_save(
        plan=plan, year=YEAR, user=div3_official, rows=[services.RowInput(key=project.pk, status="ongoing")]
    )
    value = IndicatorValue.objects.get(indicator=forest, year=YEAR)
    target = Target.objects.get(indicator=forest, year=YEAR)
    progress = ProjectProgress.objects.get(project=project, year=YEAR)
    root = User.objects.create_superuser("root", password="pw-root-2026")
    for who in (manager, root):
        client.force_login(who)
        for model, obj, data in (
            ("indicatorvalue", value, {"raw_text": "99", "state": "approved"}),
            ("target", target, {"raw_text": "1"}),
        ):
            url = reverse(f"admin:indicators_{model}_change", args=[obj.pk])
            page = client.get(url)
            assert page.status_code == 200 and 'type="submit"' not in page.content.decode().split("<form")[-1]
            assert client.post(url, data).status_code == 403
        url = reverse("admin:projects_projectprogress_change", args=[progress.pk])
        assert client.post(url, {"status": "completed"}).status_code == 403
        assert client.post(reverse("admin:indicators_indicatorvalue_delete", args=[value.pk]), {"post": "yes"}).status_code == 403
        assert client.get(reverse("admin:indicators_indicatorvalue_add")).status_code == 403
    value.refresh_from_db()
    target.refresh_from_db()
    progress.refresh_from_db()
    assert (value.raw_text, value.state, value.version) == ("13.90", "draft", 1)
    assert target.raw_text == "13.97" and progress.status == "ongoing"
