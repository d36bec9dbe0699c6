"""The project's own health: system checks, deploy checks with production settings, migrations."""

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "portal.production",
    "SECRET_KEY": "t3st-only-9f8Q2vLx7KpZ4mN1rB6wYc0HjD5sA8eU3gT7iO2qW9zX4nV6bM1kL0",
    "ALLOWED_HOSTS": "portal.example.gov.cn",
}


def _manage(*args, env=None):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
    )


def test_system_checks_pass():
    result = _manage("check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_checks_pass_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_the_embedded_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def test_settings_come_from_the_environment():
    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.TIME_ZONE, s.LANGUAGE_CODE, s.DEBUG)"
    )
    embedded = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "DATABASE_URL": "", "CELERY_BROKER_URL": "", "DEBUG": ""},
    )
    assert embedded.stdout.split() == ["django.db.backends.sqlite3", "True", "Asia/Shanghai", "zh-hans", "False"]
    configured = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "DATABASE_URL": "postgres://portal@db:5432/portal",
            "CELERY_BROKER_URL": "redis://redis:6379/0",
            "DEBUG": "1",
        },
    )
    assert configured.stdout.split() == ["django.db.backends.postgresql", "False", "Asia/Shanghai", "zh-hans", "True"]
