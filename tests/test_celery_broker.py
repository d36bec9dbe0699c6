"""A task round-trips through a real Celery worker and the real Redis broker."""

import os
import subprocess
import sys

import pytest
from celery.contrib.testing.worker import start_worker

from portal.celery import app, ping


@pytest.mark.redis
def test_a_task_round_trips_through_a_real_worker(redis_url):
    previous = app.conf.result_backend, app.conf.task_always_eager
    app.conf.update(result_backend=redis_url, task_always_eager=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = ping.delay({"plan": "div3-2021-2025"})
            assert result.get(timeout=20) == {"pong": {"plan": "div3-2021-2025"}}
            assert result.successful()
    finally:
        app.conf.update(result_backend=previous[0], task_always_eager=previous[1])


def test_without_a_broker_tasks_run_in_process():
    """The embedded default: no CELERY_BROKER_URL, and the same task code runs eagerly in-process."""
    code = "import django; django.setup(); from portal.celery import ping; print(ping.delay('x').get(timeout=5))"
    env = {**os.environ, "CELERY_BROKER_URL": "", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "{'pong': 'x'}", result.stderr
