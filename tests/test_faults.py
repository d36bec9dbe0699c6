"""Faults: the broker gone while an official saves, database connections dropped between requests,
a worker killed in the middle of a full recomputation."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from django.db import connection

from indicators import recompute
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan, RecomputeRun

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def own_redis():
    """A Redis server this test starts on a free port (and stops); the shared one is left alone."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield {"url": f"redis://127.0.0.1:{port}/0", "process": process}
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=10)


SAVE_WITH_BROKER_DOWN = """
import django; django.setup()
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.test import Client
from indicators.models import Indicator
user = User.objects.get(username="kashgar-official")
client = Client()
client.force_login(user)
pm = Indicator.objects.get(plan__code="kashgar-2021-2025", seq="2")
response = client.post("/plans/kashgar-2021-2025/entry/2022/", {"action": "submit", f"value-{pm.pk}": "49.5", f"version-{pm.pk}": "0"}, follow=True)
print(response.status_code)
print([str(m) for m in get_messages(response.wsgi_request)] or response.content.decode().split('class="messages"')[1][:300])
"""


REPORT_WITH_BROKER_DOWN = """
import django; django.setup()
from django.contrib.auth.models import User
from django.test import Client
from django.test.utils import override_settings
from reports.models import ReportJob
client = Client()
client.force_login(User.objects.get(username="staff"))
with override_settings(REPORT_ASYNC_CELLS=10):
    response = client.get("/reports/summary.xlsx", follow=True)
print(response.status_code)
print(ReportJob.objects.get().state)
print("后台报表服务暂时不可用" in response.content.decode())
"""


def test_a_report_job_says_so_when_the_broker_is_down(committed_db, postgres_required, own_redis, staff):
    own_redis["process"].terminate()
    own_redis["process"].wait(timeout=10)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": own_redis["url"],
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run(
        [sys.executable, "-c", REPORT_WITH_BROKER_DOWN], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[:3] == ["200", "failed", "True"]


def test_the_broker_unreachable_while_an_official_saves(committed_db, postgres_required, own_redis, kashgar_official):
    own_redis["process"].terminate()  # the broker goes away
    own_redis["process"].wait(timeout=10)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": own_redis["url"],
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", SAVE_WITH_BROKER_DOWN], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    status, message = result.stdout.splitlines()[:2]
    assert status == "200"
    assert "后台计算服务暂时不可用：数据已保存" in message
    assert time.monotonic() - started < 60  # the save does not hang on the dead broker
    pm = Indicator.objects.get(plan__code="kashgar-2021-2025", seq="2")
    assert IndicatorValue.objects.get(indicator=pm, year=2022).raw_text == "49.5"
    assert not AttainmentResult.objects.filter(indicator=pm, year=2022, details__value="49.5").exists()
    recompute.recompute_all(as_of_year=2023)  # the nightly run catches up
    assert AttainmentResult.objects.get(indicator=pm, year=2022).details["value"] == "49.5"


REDIS_DOWN = """
import django; django.setup()
from django.contrib.auth.models import User
from rest_framework.test import APIClient
from indicators.models import Indicator, IndicatorValue
client = APIClient()
client.force_login(User.objects.get(username="kashgar-official"))
print(client.get("/plans/kashgar-2021-2025/").status_code)   # the dashboard: its cache is gone
print(client.get("/api/plans/").status_code)                  # the API: its throttling is gone
pm = Indicator.objects.get(plan__code="kashgar-2021-2025", seq="2")
response = client.post("/api/values/", {"indicator": pm.pk, "year": 2022, "value": "49.5"}, format="json")
print(response.status_code, response.json().get("recompute_queued"))
print(IndicatorValue.objects.get(indicator=pm, year=2022).raw_text)
"""


REDIS_BACK = """
import django; django.setup()
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.test import APIClient
from indicators.models import Indicator
client = APIClient()
client.force_login(User.objects.get(username="kashgar-official"))
print(client.get("/plans/kashgar-2021-2025/").status_code)
pm = Indicator.objects.get(plan__code="kashgar-2021-2025", seq="2")
response = client.post("/api/values/", {"indicator": pm.pk, "year": 2023, "value": "48.5"}, format="json")
print(response.status_code, response.json().get("recompute_queued"))
cache.set("redis-is-back", 1)
print(cache.get("redis-is-back") == 1)
"""


def test_with_the_one_redis_down_reads_answer_and_writes_are_saved(committed_db, postgres_required, own_redis, kashgar_official):
    # The compose layout: the broker (db 0) and the cache (db 1) on one Redis, which goes away.
    own_redis["process"].terminate()
    own_redis["process"].wait(timeout=10)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": own_redis["url"],
        "CACHE_URL": own_redis["url"].rsplit("/", 1)[0] + "/1",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "ALLOWED_HOSTS": "testserver",
    }
    result = subprocess.run([sys.executable, "-c", REDIS_DOWN], capture_output=True, text=True, env=env, cwd=ROOT, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[:4] == ["200", "200", "201 False", "49.5"]
    # Redis comes back on the same address: nothing to do, the next write is queued and the cache fills.
    port = own_redis["url"].split(":")[-1].split("/")[0]
    back = subprocess.Popen(
        ["redis-server", "--port", port, "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", int(port)), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        result = subprocess.run(
            [sys.executable, "-c", REDIS_BACK], capture_output=True, text=True, env=env, cwd=ROOT, timeout=180
        )
    finally:
        back.terminate()
        back.wait(timeout=10)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.splitlines()[:3] == ["200", "201 True", "True"]


def test_dropped_database_connections_are_replaced_on_the_next_request(committed_db, postgres_required):
    """gunicorn with persistent connections (as in production); the connections are killed
    between two requests with pg_terminate_backend and the second request still succeeds."""
    Plan.objects.filter(code="kashgar-2021-2025").update(is_public=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT now()")
        (started,) = cursor.fetchone()  # only gunicorn's connections are killed, not the live server's
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DB_CONN_MAX_AGE": "600",
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/plans/kashgar-2021-2025/"
        for _ in range(100):
            try:
                first = urllib.request.urlopen(url, timeout=30)
                break
            except OSError:
                time.sleep(0.1)
        assert first.status == 200
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend' AND backend_start >= %s",
                [started],
            )
            killed = sum(1 for (ok,) in cursor.fetchall() if ok)
        assert killed >= 1  # gunicorn's persistent connection
        assert urllib.request.urlopen(url, timeout=30).status == 200
        assert urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30).status == 200
    finally:
        server.terminate()
        server.wait(timeout=10)


def _rows():
    return sorted(AttainmentResult.objects.values_list("indicator_id", "year", "status", "method", "explanation", "fingerprint"))


def _start_worker(env, log):
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool",
            "solo",
            "--loglevel",
            "info",
            "--without-mingle",
            "--without-gossip",
            "-Q",
            "celery",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


@pytest.mark.redis
def test_a_worker_killed_mid_recomputation_is_redelivered_and_the_results_match_a_clean_run(
    committed_db, postgres_required, own_redis, tmp_path
):
    from plandata.synthetic import synthetic_generate

    synthetic_generate(plans=40, indicators_per_plan=50, projects_per_plan=0, first=7001)
    recompute.recompute_all()
    clean = _rows()
    per_plan = Counter(AttainmentResult.objects.values_list("indicator__plan_id", flat=True))
    AttainmentResult.objects.all().delete()
    RecomputeRun.objects.all().delete()

    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": own_redis["url"],
        "CELERY_VISIBILITY_TIMEOUT": "4",  # redelivery after 4 s instead of an hour
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    log_path = tmp_path / "worker.log"
    with log_path.open("w") as log:
        worker = _start_worker(env, log)
        try:
            sender = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import django; django.setup(); from indicators.tasks import recompute_all; print(recompute_all.delay().id)",
                ],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=True,
            )
            # The nightly task queues one task per plan (acks late); the worker is killed while
            # it works through them.
            deadline = time.monotonic() + 60
            while "Task indicators.recompute_plan" not in log_path.read_text():
                assert time.monotonic() < deadline, log_path.read_text()[-2000:]
                time.sleep(0.05)
            time.sleep(0.5)  # mid-run: some plans are judged, one is being judged
            os.kill(worker.pid, signal.SIGKILL)
            worker.wait(timeout=10)
            # Nothing half-way: every plan has all its results or none (each plan's run is one transaction).
            plans = Plan.objects.count()
            for plan_id, n in Counter(AttainmentResult.objects.values_list("indicator__plan_id", flat=True)).items():
                assert n == per_plan[plan_id], (plan_id, n, per_plan[plan_id])
            assert RecomputeRun.objects.count() < plans  # it was killed mid-run
            worker = _start_worker(env, log)
            deadline = time.monotonic() + 180
            while RecomputeRun.objects.filter(scope__startswith="plan:").values("scope").distinct().count() < plans:
                assert time.monotonic() < deadline, log_path.read_text()[-3000:]
                time.sleep(0.5)
        finally:
            worker.kill()
            worker.wait(timeout=10)
    assert sender.stdout.strip()
    assert _rows() == clean
