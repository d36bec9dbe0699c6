import os

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_service(available, what):
    """Skip a test that needs a real service, except under CI=true where a missing one is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not configured or not reachable")
    pytest.skip(f"{what} not available")


@pytest.fixture
def postgres_required():
    require_service(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), "PostgreSQL (DATABASE_URL)")


@pytest.fixture
def redis_url():
    url = settings.CELERY_BROKER_URL
    reachable = False
    if url and url.startswith("redis://"):
        import redis

        try:
            reachable = redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.RedisError:
            reachable = False
    require_service(reachable, f"Redis broker (CELERY_BROKER_URL={url})")
    return url


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the eight plans loaded from fixtures/, as production does."""
    from django.core.management import call_command

    with django_db_blocker.unblock():
        call_command("load_plans", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def committed_db(transactional_db):
    """Committed transactions (on_commit hooks, other threads and processes see the data).

    Django flushes every table after such a test (pytest-django runs these after all the others),
    so each one loads the plans again if the test before it left the database empty.
    """
    from django.core.management import call_command

    from indicators.models import Plan

    if not Plan.objects.exists():
        call_command("load_plans", verbosity=0, stdout=open(os.devnull, "w"))


@pytest.fixture
def celery_worker(redis_url):
    """A real Celery worker (in a thread) consuming from the real Redis broker."""
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    app.control.purge()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.task_always_eager = previous
