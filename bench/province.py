"""Benchmark: province scale (issue 17) — how time grows with the number of plans.

Run by hand (not a test), on a PostgreSQL database of its own and the local Redis:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_province \\
        .venv/bin/python bench/province.py --sizes 200,800,2000 [--workers 2]

For each size it grows the synthetic set (plandata/synthetic.py: 50 indicators × 15 years of values
and 25 projects a plan; 2,000 plans are 100,000 indicators and 1.5 million values) and measures:
  - full recomputation by the nightly task, one task per plan, on a Celery worker with
    --concurrency workers (prefork processes) against the Redis broker;
  - the overview (page 1, 24 cards) and the comparison page as staff: server time (median of 5,
    through Django's test client, session already open) and queries;
  - the all-plans summary workbook in a fresh process: seconds and peak memory.
and prints a table with each figure's growth against the first size.
"""

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
BROKER = os.environ.setdefault("BENCH_BROKER_URL", "redis://127.0.0.1:6379/5")


def export_child():
    os.environ["CELERY_BROKER_URL"] = ""
    import django

    django.setup()
    from indicators.models import Plan
    from reports import data, workbooks

    started = time.perf_counter()
    content = workbooks.summary_workbook(data.summary_data(list(Plan.objects.all()), 2024))
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - started,
                "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "bytes": len(content),
            }
        )
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="200,800,2000")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    os.environ["CELERY_BROKER_URL"] = BROKER
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from indicators.models import AttainmentResult, Indicator, IndicatorValue, Plan, RecomputeRun
    from indicators.tasks import recompute_all
    from plandata.synthetic import PREFIX, synthetic_generate

    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database of its own")
    call_command("migrate", verbosity=0)
    staff, _ = User.objects.get_or_create(username="province-staff", defaults={"is_staff": True})
    staff.groups.add(Group.objects.get_or_create(name="管理员")[0])
    figures = []
    for size in [int(s) for s in args.sizes.split(",")]:
        have = Plan.objects.filter(code__startswith=PREFIX).count()
        if have < size:
            started = time.perf_counter()
            synthetic_generate(plans=size - have, first=have + 1, seed=have + 7)
            print(f"{size} plans: generated {size - have} more in {time.perf_counter() - started:.0f} s", flush=True)
        counts = {
            "plans": Plan.objects.count(),
            "indicators": Indicator.objects.count(),
            "values": IndicatorValue.objects.count(),
        }
        # Full recomputation on the workers: the nightly task queues one task per plan.
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "portal",
                "worker",
                "--concurrency",
                str(args.workers),
                "--loglevel",
                "warning",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env={**os.environ, "CELERY_BROKER_URL": BROKER},
        )
        try:
            time.sleep(4)
            before = RecomputeRun.objects.count()
            started = time.perf_counter()
            recompute_all.delay()
            plans = Plan.objects.count()
            while RecomputeRun.objects.count() - before < plans:
                time.sleep(0.5)
            recompute_seconds = time.perf_counter() - started
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        results = AttainmentResult.objects.count()
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(staff)
        client.get("/")
        pages = {}
        for name, url in (("overview", "/"), ("comparison", "/compare/")):
            times = []
            for _ in range(5):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    assert client.get(url).status_code == 200
                    times.append(time.perf_counter() - started)
            pages[name] = (statistics.median(times) * 1000, len(captured))
        output = subprocess.run(
            [sys.executable, __file__, "--export"], capture_output=True, text=True, check=True, env=os.environ
        ).stdout
        export = json.loads(output.strip().splitlines()[-1])
        row = {"size": size, **counts, "results": results, "recompute_s": recompute_seconds, "pages": pages, "export": export}
        figures.append(row)
        print(json.dumps(row), flush=True)
    first = figures[0]
    print(
        f"\n{'plans':>6} {'results':>9} {'recompute s':>12} {'overview ms (q)':>16} {'compare ms (q)':>15} {'export s':>9} {'export MB':>10}"
    )
    for row in figures:
        ov, cmp_ = row["pages"]["overview"], row["pages"]["comparison"]
        print(
            f"{row['plans']:>6} {row['results']:>9,} {row['recompute_s']:>12.1f} {ov[0]:>11.0f} ({ov[1]:>2}) {cmp_[0]:>10.0f} ({cmp_[1]:>2})"
            f" {row['export']['seconds']:>9.1f} {row['export']['peak_mb']:>10.0f}"
        )
    last = figures[-1]
    print(
        f"growth x{last['plans'] / first['plans']:.1f} plans: recompute x{last['recompute_s'] / first['recompute_s']:.1f}, "
        f"overview x{last['pages']['overview'][0] / first['pages']['overview'][0]:.1f}, "
        f"comparison x{last['pages']['comparison'][0] / first['pages']['comparison'][0]:.1f}, "
        f"export x{last['export']['seconds'] / first['export']['seconds']:.1f}"
    )


if __name__ == "__main__":
    if "--export" in sys.argv:
        export_child()
    else:
        main()
