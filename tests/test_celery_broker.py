"""Tasks round-trip through a real Celery worker and the real Redis broker."""

import os
import subprocess
import sys
import time

import pytest

from indicators import services
from indicators.models import AttainmentResult, Indicator, Plan, RecomputeRun
from indicators.tasks import recompute_plan
from portal.celery import ping


@pytest.mark.redis
def test_a_task_round_trips_through_a_real_worker(celery_worker):
    result = ping.delay({"plan": "div3-2021-2025"})
    assert result.get(timeout=20) == {"pong": {"plan": "div3-2021-2025"}}
    assert result.successful()


@pytest.mark.redis
def test_a_saved_value_is_recomputed_by_the_worker_after_commit(committed_db, celery_worker, div3_official):
    forest = Indicator.objects.get(plan__code="div3-2021-2025", seq="9")
    AttainmentResult.objects.filter(indicator=forest).delete()
    row = services.RowInput(key=forest.pk, text="13.95")
    services.values_save(plan=forest.plan, year=2021, user=div3_official, rows=[row], submit=True)  # submitted: it counts
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        result = AttainmentResult.objects.filter(indicator=forest, year=2021).first()
        if result is not None:
            break
        time.sleep(0.2)
    assert result is not None, "the worker did not recompute the indicator"
    assert (result.status, result.explanation) == ("met", "2021年实际值 13.95%，达到目标“13.89”。")


@pytest.mark.redis
def test_a_plan_recomputation_runs_on_the_worker_and_is_recorded(committed_db, celery_worker):
    AttainmentResult.objects.all().delete()
    run_id = recompute_plan.delay("xinjiang-2011-2015").get(timeout=60)
    run = RecomputeRun.objects.get(pk=run_id)
    assert (run.scope, run.indicators, run.results, run.errors) == ("plan:xinjiang-2011-2015", 16, 16, [])
    assert run.counts == {"met": 14, "not_met": 2}
    assert AttainmentResult.objects.filter(indicator__plan=Plan.objects.get(code="xinjiang-2011-2015")).count() == 16


def test_without_a_broker_tasks_run_in_process():
    """The embedded default: no CELERY_BROKER_URL, and the same task code runs eagerly in-process."""
    code = "import django; django.setup(); from portal.celery import ping; print(ping.delay('x').get(timeout=5))"
    env = {**os.environ, "CELERY_BROKER_URL": "", "DJANGO_SETTINGS_MODULE": "portal.settings"}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60)
    assert result.stdout.strip() == "{'pong': 'x'}", result.stderr


@pytest.mark.redis
def test_a_large_report_is_built_by_the_worker(committed_db, celery_worker, settings, tmp_path, client):
    from django.contrib.auth.models import Group, User
    from django.urls import reverse

    from reports.models import ReportJob

    settings.REPORT_ASYNC_CELLS = 10
    settings.MEDIA_ROOT = tmp_path
    staff = User.objects.create_user("report-staff", password="pw")
    staff.groups.add(Group.objects.get_or_create(name="管理员")[0])
    client.force_login(staff)
    response = client.get(reverse("summary_download"))
    job = ReportJob.objects.get()
    assert response["Location"] == reverse("report_job", args=[job.pk])
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and client.get(reverse("report_job_status", args=[job.pk])).json()["state"] != "done":
        time.sleep(0.3)
    status = client.get(reverse("report_job_status", args=[job.pk])).json()
    assert status["ready"] and status["progress"] == 100
    content = b"".join(client.get(reverse("report_job_file", args=[job.pk])).streaming_content)
    assert content[:2] == b"PK"


def test_the_nightly_run_is_one_task_per_plan_on_the_workers_and_matches_a_run_in_one_process(committed_db, celery_worker):
    from indicators import recompute
    from indicators.tasks import recompute_all

    def rows():
        return sorted(
            AttainmentResult.objects.values_list("indicator_id", "year", "status", "method", "explanation", "fingerprint")
        )

    recompute.recompute_all()
    expected = rows()
    AttainmentResult.objects.all().delete()
    before = RecomputeRun.objects.count()
    assert recompute_all.delay().get(timeout=60) == Plan.objects.count()
    for _ in range(600):  # the plan tasks the nightly task queued run on the worker
        if RecomputeRun.objects.count() - before == Plan.objects.count():
            break
        time.sleep(0.1)
    scopes = set(RecomputeRun.objects.order_by("-pk")[: Plan.objects.count()].values_list("scope", flat=True))
    assert scopes == {f"plan:{code}" for code in Plan.objects.values_list("code", flat=True)}
    assert rows() == expected
