"""Celery tasks: recomputation after a save, per plan, and nightly for everything.

All are idempotent (recomputing writes the same rows), so they ack late and a task lost with its
worker is redelivered; database hiccups are retried with backoff.
"""

import contextlib
import contextvars
import logging

from celery import shared_task
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
    return service.recompute_all().pk


_deferred = contextvars.ContextVar("deferred_recompute", default=None)


@contextlib.contextmanager
def recompute_deferred():
    """Collect the indicators that bulk work (load_plans, an import) touches; queue them once.

    Yields a dict whose "queued" says, once the transaction has committed, whether the queueing
    reached the broker.
    """
    collected = set()
    outcome = {"queued": True}
    token = _deferred.set(collected)
    try:
        yield outcome
    finally:
        _deferred.reset(token)
    schedule_recompute(collected, state=outcome)


def schedule_recompute(indicator_ids, state=None):
    """Queue recomputation once the current transaction commits.

    The value is already saved when this runs; if the broker is unreachable the save still stands,
    the failure is logged, and the nightly run catches up. Returns a dict whose "queued" is set to
    False, once the transaction has committed, if the broker could not be reached.
    """
    state = {"queued": True} if state is None else state
    collecting = _deferred.get()
    if collecting is not None:
        collecting.update(indicator_ids)
        return state
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

