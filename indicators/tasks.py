"""Celery tasks: recomputation after a save, per plan, and nightly for everything.

All are idempotent (recomputing writes the same rows), so they ack late and a task lost with its
worker is redelivered; database hiccups are retried with backoff.
"""

import logging
from collections.abc import Iterable

from celery import group, shared_task
from django.db import DatabaseError, transaction
from kombu.exceptions import OperationalError as BrokerError

from indicators import recompute as service
from indicators.models import Indicator, Plan

log = logging.getLogger(__name__)

RETRY = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 8,
}


@shared_task(name="indicators.recompute_indicators", ignore_result=True, **RETRY)
def recompute_indicators(indicator_ids):
    run = service.recompute(Indicator.objects.filter(pk__in=indicator_ids), scope="indicators", record=False)
    return run.results


@shared_task(name="indicators.recompute_plan", **RETRY)
def recompute_plan(plan_code):
    plan = Plan.objects.filter(code=plan_code).first()
    if plan is None:  # deleted since the task was queued
        return None
    return service.recompute_plan(plan).pk


@shared_task(name="indicators.recompute_all", **RETRY)
def recompute_all():
    """Nightly: every plan, one task each, so that all the workers share the run. Partitioned by
    plan and idempotent: a plan's task writes the same rows again if it runs twice."""
    codes = list(Plan.objects.order_by("code").values_list("code", flat=True))
    group(recompute_plan.s(code) for code in codes).apply_async()
    return len(codes)


def schedule_recompute(indicator_ids: Iterable[int]) -> dict:
    """Queue recomputation of these indicators once the current transaction commits.

    Every service that changes what the engine reads calls this itself, so a reader sees the side
    effect where the change is made. The change is already saved when the queueing runs; if the
    broker is unreachable the save still stands, the failure is logged and the nightly run catches
    up. Returns a dict whose "queued" is set to False, once the transaction has committed, if the
    broker could not be reached.
    """
    state = {"queued": True}
    ids = sorted(set(indicator_ids))
    if not ids:
        return state

    def send():
        try:
            recompute_indicators.delay(ids)
        except (BrokerError, ConnectionError, OSError) as exc:
            state["queued"] = False
            log.warning("recompute of %s not queued (broker unreachable: %s); the nightly run will catch up", ids, exc)

    transaction.on_commit(send, robust=True)
    return state
