"""Benchmark: a full attainment recomputation of the synthetic data set on PostgreSQL.

Run by hand (not a test):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/attainment.py

It migrates that database, builds the synthetic set if missing (200 plans, 10,000 indicators,
150,000 values), then prints, in the same run:
  - the full recomputation: seconds and indicator-years per second;
  - a lower bound: reading the same targets and values with one query each and bulk-writing the
    same number of result rows, and the ratio of the two (goal: under 3);
  - recomputation after one value changes (goal: under 50 ms).
"""

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["CELERY_BROKER_URL"] = ""  # the benchmark calls the service directly

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from indicators import recompute  # noqa: E402
from indicators.models import AttainmentResult, Indicator, IndicatorValue, Target  # noqa: E402
from plandata.synthetic import PREFIX, synthetic_generate  # noqa: E402

AS_OF = 2025


def main():
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database (the benchmark measures PostgreSQL)")
    call_command("migrate", verbosity=0)
    synthetic = Indicator.objects.filter(plan__code__startswith=PREFIX)
    if not synthetic.exists():
        started = time.perf_counter()
        counts = synthetic_generate()
        print(f"generated {counts} in {time.perf_counter() - started:.1f} s")
    indicators = synthetic.count()
    values = IndicatorValue.objects.filter(indicator__plan__code__startswith=PREFIX).count()
    print(f"data set: {indicators} indicators, {values} values")

    recompute.recompute(synthetic, as_of_year=AS_OF, record=False)  # warm caches
    started = time.perf_counter()
    run = recompute.recompute(synthetic, as_of_year=AS_OF, scope="bench", record=False)
    full = time.perf_counter() - started
    print(f"full recomputation: {run.results} indicator-years in {full:.2f} s = {run.results / full:,.0f} per second")

    started = time.perf_counter()
    lower_bound(run.results)
    floor = time.perf_counter() - started
    print(f"lower bound (one read per table + bulk write of {run.results} rows): {floor:.2f} s")
    print(f"ratio full / lower bound: {full / floor:.2f} (goal < 3)")

    one = synthetic.first()
    value = IndicatorValue.objects.filter(indicator=one).order_by("-year").first()
    timings = []
    for _attempt in range(20):
        value.set_text(str(value.number + 1 if value.number is not None else value.raw_text))
        value.save()
        started = time.perf_counter()
        recompute.recompute(Indicator.objects.filter(pk=one.pk), as_of_year=AS_OF, record=False)
        timings.append((time.perf_counter() - started) * 1000)
    print(
        f"recompute after one value changes: median {statistics.median(timings):.1f} ms, max {max(timings):.1f} ms (goal < 50 ms)"
    )


def lower_bound(rows):
    """Read the same inputs in one query each and upsert the same number of trivial result rows."""
    scope = {"indicator__plan__code__startswith": PREFIX}
    targets = list(Target.objects.filter(**scope).values_list("indicator_id", "year", "parsed"))
    values = list(IndicatorValue.objects.filter(**scope).values_list("indicator_id", "year", "raw_text"))
    ids = sorted({t[0] for t in targets} | {v[0] for v in values})
    now = timezone.now()
    per = max(1, rows // max(1, len(ids)))
    new = [
        AttainmentResult(indicator_id=i, year=2011 + k, status="met", method="bench", explanation="", details={}, computed_at=now)
        for i in ids
        for k in range(per)
    ][:rows]
    with transaction.atomic():
        AttainmentResult.objects.bulk_create(
            new,
            batch_size=recompute.BATCH,
            update_conflicts=True,
            unique_fields=["indicator", "year"],
            update_fields=["status", "method", "explanation", "details", "engine_version", "fingerprint", "computed_at"],
        )


if __name__ == "__main__":
    main()
