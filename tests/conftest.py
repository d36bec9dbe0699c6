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
