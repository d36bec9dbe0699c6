"""Log-in throttling (django-axes) behind the TLS proxy: five failures lock a username from one
client address; another client, or the same user from elsewhere, is not locked out."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

pytestmark = pytest.mark.django_db
PROXY = "10.0.0.2"  # every request reaches gunicorn from the proxy


def _login(client, password, forwarded=None):
    headers = {"REMOTE_ADDR": PROXY}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("login"), {"username": "target", "password": password}, **headers)


@pytest.fixture
def target(db):
    return User.objects.create_user("target", password="the-right-password-1")


def test_behind_the_proxy_a_lockout_is_for_one_client_only(client, target, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", forwarded="203.0.113.7")
    assert "登录失败次数过多" in _login(client, "the-right-password-1", forwarded="203.0.113.7").content.decode()
    # The real user, from another address behind the same proxy, still logs in.
    assert _login(client, "the-right-password-1", forwarded="198.51.100.4").status_code == 302


def test_a_client_cannot_choose_its_address_by_sending_its_own_header(client, target, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The attacker claims other addresses; the proxy appends the real one, which is the one counted.
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", forwarded=f"192.0.2.{n}, 203.0.113.7")
    assert "登录失败次数过多" in _login(client, "the-right-password-1", forwarded="203.0.113.7").content.decode()
    assert _login(client, "the-right-password-1", forwarded="198.51.100.4").status_code == 302


def test_without_a_proxy_the_header_is_not_trusted(client, target, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    for n in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "wrong", forwarded=f"192.0.2.{n}")  # a different claimed address each time
    # All from the same REMOTE_ADDR: locked, whatever the header said.
    assert "登录失败次数过多" in _login(client, "the-right-password-1", forwarded="198.51.100.4").content.decode()
