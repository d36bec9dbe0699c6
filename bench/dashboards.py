"""Benchmark: the plan dashboard served by gunicorn on loopback, against a minimal Django view.

Run by hand (not a test):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/dashboards.py

It builds the synthetic data set if missing (bench/attainment.py's), recomputes it, marks one
synthetic plan public (so no log-in is needed), starts gunicorn (2 workers) on a free loopback
port, then from this second process sends a fixed number of requests with a few concurrent
clients to /healthz (the minimal view) and to the plan dashboard, and prints requests per second
and p50/p95 latency for each, and their ratio (goal: the dashboard within 3x of the minimal view).
"""

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["CELERY_BROKER_URL"] = ""

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from indicators import recompute  # noqa: E402
from indicators.models import Indicator, Plan  # noqa: E402
from plandata.synthetic import PREFIX, synthetic_generate  # noqa: E402

REQUESTS = 400
CLIENTS = 4
PLAN = f"{PREFIX}0001"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port, path, requests=REQUESTS, clients=CLIENTS):
    latencies, errors, lock = [], [], threading.Lock()
    per_client = requests // clients

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for _ in range(per_client):
            started = time.perf_counter()
            conn.request("GET", path, headers={"Host": "127.0.0.1"})
            response = conn.getresponse()
            response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status != 200:
                    errors.append(response.status)

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
        "errors": len(errors),
    }


def main():
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    call_command("migrate", verbosity=0)
    if not Plan.objects.filter(code=PLAN).exists():
        synthetic_generate()
        recompute.recompute(Indicator.objects.filter(plan__code__startswith=PREFIX), as_of_year=2025, record=False)
    Plan.objects.filter(code=PLAN).update(is_public=True)
    plan = Plan.objects.get(code=PLAN)
    print(f"plan {PLAN}: {plan.indicators.count()} indicators, {plan.projects.count()} projects, 15 years")
    connection.close()

    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DB_CONN_MAX_AGE": "60",
        "SECRET_KEY": "bench-only-" + "x9Y2" * 12,
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        load(port, "/healthz", 40)  # warm both workers
        load(port, f"/plans/{PLAN}/", 20)
        # Three alternating rounds; the median round of each is reported (a 2-core machine is noisy).
        rounds = [(load(port, "/healthz"), load(port, f"/plans/{PLAN}/")) for _ in range(3)]
        minimal = sorted((r[0] for r in rounds), key=lambda f: f["rps"])[1]
        dashboard = sorted((r[1] for r in rounds), key=lambda f: f["rps"])[1]
    finally:
        server.terminate()
        server.wait(timeout=10)
    for name, figures in (("minimal view /healthz", minimal), (f"plan dashboard /plans/{PLAN}/", dashboard)):
        print(
            f"{name}: {figures['rps']:.1f} req/s, p50 {figures['p50']:.1f} ms, p95 {figures['p95']:.1f} ms, errors {figures['errors']}"
        )
    ratios = sorted(m["rps"] / d["rps"] for m, d in rounds)
    print(
        f"ratio (minimal rps / dashboard rps): median {ratios[1]:.2f}, rounds {', '.join(f'{r:.2f}' for r in ratios)} (goal <= 3)"
    )


if __name__ == "__main__":
    main()
