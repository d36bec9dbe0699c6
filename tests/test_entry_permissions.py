"""Entry permissions beyond the matrix of test_security.py: regional officials, completion reviews, log-in throttling."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

CHANGJI, KASHGAR = "changji-2021-2025", "kashgar-2021-2025"


# The persona × endpoint matrix is one table, in test_security.py.


def test_a_regional_official_sees_and_enters_only_their_citys_rows(client, db):
    from indicators.models import Indicator
    from tests.conftest import _member

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
