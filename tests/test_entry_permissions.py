"""Per-plan permissions on every entry page, upload and download."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHANGJI, KASHGAR = "changji-2021-2025", "kashgar-2021-2025"


def pages(code, year=2022):
    return {
        "plan": ("get", reverse("plan_detail", args=[code])),
        "entry form": ("get", reverse("values_entry", args=[code, year])),
        "entry save": ("post", reverse("values_entry", args=[code, year])),
        "progress form": ("get", reverse("progress_entry", args=[code, year])),
        "template download": ("get", reverse("entry_template", args=[code, year])),
        "upload": ("post", reverse("entry_import", args=[code, year])),
        "review": ("get", reverse("review", args=[code, year])),
        "review action": ("post", reverse("review", args=[code, year])),
        "status": ("get", reverse("reporting_status", args=[code, year])),
    }


# (persona, plan, page) -> expected status; anything not listed for a persona is 403.
ALLOWED = {
    "kashgar_official": {KASHGAR: {"plan": 200, "entry form": 200, "entry save": 302, "progress form": 200, "template download": 200, "upload": 302, "status": 200}},
    "kashgar_reviewer": {KASHGAR: {"plan": 200, "review": 200, "review action": 302, "status": 200}},
    "viewer": {KASHGAR: {"plan": 200, "status": 200}, CHANGJI: {"plan": 200, "status": 200}},
    "staff": {KASHGAR: {"plan": 200, "status": 200}, CHANGJI: {"plan": 200, "status": 200}},
}


@pytest.mark.parametrize("persona", list(ALLOWED))
@pytest.mark.parametrize("code", [KASHGAR, CHANGJI])
def test_permissions_matrix(client, request, persona, code):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    for page, (method, url) in pages(code).items():
        response = getattr(client, method)(url)
        expected = ALLOWED[persona].get(code, {}).get(page, 403)
        assert response.status_code == expected, f"{persona} {method} {page} on {code}: {response.status_code}"


def test_an_official_of_kashgar_gets_403_on_changjis_form_upload_and_template(client, kashgar_official):
    client.force_login(kashgar_official)
    assert client.get(reverse("values_entry", args=[CHANGJI, 2022])).status_code == 403
    assert client.post(reverse("entry_import", args=[CHANGJI, 2022])).status_code == 403
    assert client.get(reverse("entry_template", args=[CHANGJI, 2022])).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in_everywhere(client):
    for page, (method, url) in pages(KASHGAR).items():
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], page


def test_a_regional_official_sees_and_enters_only_their_citys_rows(client, db):
    from tests.conftest import _member
    from indicators.models import Indicator

    urumqi = _member("urumqi-official", "official", "xinjiang-2016-2020", region="乌鲁木齐市")
    client.force_login(urumqi)
    html = client.get(reverse("values_entry", args=["xinjiang-2016-2020", 2018])).content.decode()
    assert html.count('name="version-') == 2  # its PM2.5 row and 其中：乌鲁木齐市 row
    other = Indicator.objects.get(plan__code="xinjiang-2016-2020", region__name="昌吉市")
    response = client.post(
        reverse("values_entry", args=["xinjiang-2016-2020", 2018]),
        {"action": "save", f"value-{other.pk}": "40", f"version-{other.pk}": "0"},
    )
    assert response.status_code == 302  # the foreign row is ignored, nothing saved for it
    assert not other.values.filter(year=2018).exists()


def test_completion_reviews_take_no_entries(client, db):
    from tests.conftest import _member

    official = _member("old-official", "official", "div3-2016-2020")
    client.force_login(official)
    assert client.get(reverse("values_entry", args=["div3-2016-2020", 2020])).status_code == 403


def test_login_attempts_are_throttled(client, db, django_user_model):
    django_user_model.objects.create_user("target", password="right-password-1")
    for attempt in range(4):
        response = client.post(reverse("login"), {"username": "target", "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    assert client.post(reverse("login"), {"username": "target", "password": "wrong-5"}).status_code == 429
    response = client.post(reverse("login"), {"username": "target", "password": "right-password-1"})
    assert response.status_code == 429  # locked out even with the right password
    assert "登录失败次数过多" in response.content.decode()
