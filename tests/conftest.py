import os

import pytest
from django.conf import settings

IN_CI = os.environ.get("CI", "").lower() == "true"


def pytest_configure(config):
    # Production-strength hashing costs a quarter of a second per log-in and user; tests check
    # permissions, not the hash. (Subprocess tests use the real settings.)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def require_service(available, what):
    """Skip a test that needs a real service, except under CI=true where a missing one is a failure."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI=true but is not configured or not reachable")
    pytest.skip(f"{what} not available")


def soffice_convert(source, to, tmp_path):
    """Convert `source` with LibreOffice (`to`: "pdf", "csv:…") into `tmp_path`, as an official's
    machine would open it; skipped without LibreOffice, failed under CI=true."""
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    require_service(soffice is not None, "LibreOffice (soffice)")
    subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo-profile",  # a private profile: parallel runs block on a shared one
            "--convert-to",
            to,
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )


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
    yield
    # A connection opened on one of the live server's request threads can outlive the thread (it
    # stays in asgiref's context storage, found with gc), and PostgreSQL then refuses to drop the
    # test database. End such sessions from the server side.
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


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


# --- personas: named people built by hand, as the style guide asks ---------------------------------


def _member(username, role, *codes, region=None):
    from django.contrib.auth.models import User

    from indicators.models import Plan, PlanMembership, Region

    user = User.objects.create_user(username, email=f"{username}@example.invalid", password="pw-" + username)
    for code in codes:
        PlanMembership.objects.create(
            user=user,
            plan=Plan.objects.get(code=code),
            role=role,
            region=Region.objects.get(name=region) if region else None,
        )
    return user


@pytest.fixture
def kashgar_official(db):
    """An official (填报员) of Kashgar's 十四五 plan."""
    return _member("kashgar-official", "official", "kashgar-2021-2025")


@pytest.fixture
def kashgar_reviewer(db):
    """A reviewer (审核员) of Kashgar's 十四五 plan."""
    return _member("kashgar-reviewer", "reviewer", "kashgar-2021-2025")


@pytest.fixture
def changji_official(db):
    """An official of Changji, with no access to Kashgar."""
    return _member("changji-official", "official", "changji-2021-2025")


@pytest.fixture
def div3_official(db):
    """An official of the Third Division's 十四五 plan (yearly targets, 39 projects)."""
    return _member("div3-official", "official", "div3-2021-2025")


@pytest.fixture
def div3_reviewer(db):
    return _member("div3-reviewer", "reviewer", "div3-2021-2025")


@pytest.fixture
def viewer(db):
    """A read-only viewer (查看者) of every plan."""
    from indicators.models import Plan

    return _member("viewer", "viewer", *Plan.objects.values_list("code", flat=True))


@pytest.fixture
def staff(db):
    """管理员: reads and exports everything, manages users in the admin."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("staff", password="pw-staff", is_staff=True)
    group, _ = Group.objects.get_or_create(name="管理员")
    user.groups.add(group)
    return user


CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "test-artifacts")


@pytest.fixture
def browser(monkeypatch):
    """Debian's headless Chromium driven by Playwright (its own browser download does not work here)."""
    require_service(os.path.exists(CHROMIUM), f"Chromium at {CHROMIUM}")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        require_service(False, "the playwright package")
    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between page actions are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    os.makedirs(ARTIFACTS, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def eager_tasks():
    """Queued tasks run in-process, as in the embedded default (the real-worker path has its own tests)."""
    from portal.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Cached dashboards are keyed by data version; tests roll the database back, so start clean."""
    from django.core.cache import caches

    for alias in ("default", "pages"):
        caches[alias].clear()
