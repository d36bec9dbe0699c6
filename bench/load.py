"""Load benchmark in the production shape: gunicorn with the production settings on loopback,
PostgreSQL, a Redis of its own as broker and cache, a real Celery worker recomputing after each write,
the synthetic data set; a bounded mix of 80% reads (plan dashboard and API) and 20% value writes by
several officials through the API, from a second process, at 8 and then 32 concurrent clients.

Run by hand (not a test):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/load.py [REQUESTS]

Prints for each round throughput, p50/p95/p99 latency, the error count (must be zero) and whether
every write is present in the database afterwards.
"""

import http.client
import json
import os
import random
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

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from indicators import recompute  # noqa: E402
from indicators.core import targets as grammar  # noqa: E402
from indicators.core import validation  # noqa: E402
from indicators.models import Indicator, IndicatorValue, Plan, PlanMembership  # noqa: E402
from plandata.synthetic import PREFIX, synthetic_generate  # noqa: E402

REQUESTS = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
ROUNDS = (8, 32)  # concurrent clients
OFFICIALS = 4  # per round, each on a plan of their own
WRITE_YEAR = 2025


def setup(round_number):
    call_command("migrate", verbosity=0)
    if not Plan.objects.filter(code__startswith=PREFIX).exists():
        synthetic_generate()
        recompute.recompute(Indicator.objects.filter(plan__code__startswith=PREFIX), as_of_year=2025, record=False)
    first = round_number * OFFICIALS
    plans = list(Plan.objects.filter(code__startswith=PREFIX).order_by("code")[first : first + OFFICIALS])
    IndicatorValue.objects.filter(indicator__plan__in=plans, year=WRITE_YEAR).delete()
    Plan.objects.filter(pk__in=[p.pk for p in plans]).update(is_public=True)
    officials = []
    for n, plan in enumerate(plans):
        user, _ = User.objects.get_or_create(username=f"load-official-{first + n}")
        PlanMembership.objects.get_or_create(user=user, plan=plan, role="official")
        token, _ = Token.objects.get_or_create(user=user)
        writes = []
        for indicator in plan.indicators.prefetch_related("targets", "values"):
            last = next((v for v in indicator.values.all() if v.year == WRITE_YEAR - 1), None)
            target = next((t for t in indicator.targets.all() if t.year == WRITE_YEAR), None)
            parsed = grammar.Target.from_dict(target.parsed) if target else None
            check = validation.check_value(last.raw_text, unit=indicator.unit, target=parsed, confirmed=True) if last else None
            if check and not check.errors:
                writes.append({"indicator": indicator.pk, "year": WRITE_YEAR, "value": last.raw_text, "confirmed": True})
        officials.append((token.key, plan.code, writes))
    connection.close()
    return officials


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_redis_and_worker(env):
    """A Redis of this benchmark's own (broker db 0, cache db 1) and a Celery worker reading it."""
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    env["CELERY_BROKER_URL"] = f"redis://127.0.0.1:{port}/0"
    env["CACHE_URL"] = f"redis://127.0.0.1:{port}/1"
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "portal", "worker", "--loglevel", "warning", "--concurrency", "2"],
        cwd=ROOT,
        env=env,
    )
    return [worker, redis]


def main():
    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.production",
        "SECRET_KEY": "load-bench-only-" + "q7W3e9R1t5Y2u8I4o6P0" * 3,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "DB_CONN_MAX_AGE": "60",
        "API_USER_RATE": "100000/minute",
        "STATIC_ROOT": "/tmp/portal-load-static",
    }
    services = start_redis_and_worker(env)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "3",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(200):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request(
                    "GET", "/healthz", headers={"X-Forwarded-Proto": "https"}
                )
                break
            except OSError:
                time.sleep(0.1)
        for round_number, clients in enumerate(ROUNDS):
            one_round(port, round_number, clients)
    finally:
        for process in [server, *services]:
            process.terminate()
            process.wait(timeout=30)


def one_round(port, round_number, clients):
    officials = setup(round_number)
    writes = [(token, body) for token, _, bodies in officials for body in bodies]
    reads = [f"/plans/{code}/" for _, code, _ in officials] + [
        "/api/plans/",
        "/api/results/?plan={}&year=2024",
        "/api/indicators/?plan={}",
    ]
    n_writes = min(len(writes), REQUESTS // 5)
    plan_codes = [code for _, code, _ in officials]
    jobs = [("POST", "/api/values/", token, body) for token, body in random.Random(1).sample(writes, n_writes)]
    rng = random.Random(2)
    while len(jobs) < REQUESTS:
        path = rng.choice(reads).format(rng.choice(plan_codes))
        jobs.append(("GET", path, rng.choice(officials)[0], None))
    rng.shuffle(jobs)

    latencies, errors, lock = [], [], threading.Lock()
    queue = list(jobs)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if not queue:
                    return
                method, path, token, body = queue.pop()
            headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https", "Authorization": f"Token {token}"}
            payload = None
            if body is not None:
                payload = json.dumps(body)
                headers["Content-Type"] = "application/json"
            started = time.perf_counter()
            conn.request(method, path, body=payload, headers=headers)
            response = conn.getresponse()
            content = response.read()
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if response.status >= 400:
                    errors.append((method, path, response.status, content[:200]))

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    q = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p))] * 1000  # noqa: E731
    present = sum(
        1
        for _, body in (j[2:] for j in jobs if j[0] == "POST")
        if IndicatorValue.objects.filter(indicator_id=body["indicator"], year=WRITE_YEAR, raw_text=body["value"]).exists()
    )
    connection.close()
    print(f"{len(latencies)} requests ({n_writes} writes by {OFFICIALS} officials, {clients} concurrent clients) in {wall:.1f} s")
    print(
        f"throughput {len(latencies) / wall:.1f} req/s; latency p50 {q(0.5):.1f} ms, p95 {q(0.95):.1f} ms, p99 {q(0.99):.1f} ms; median {statistics.median(latencies) * 1000:.1f} ms"
    )
    print(f"errors: {len(errors)}" + (f" e.g. {errors[:3]}" if errors else ""))
    print(f"writes present afterwards: {present} / {n_writes}")


if __name__ == "__main__":
    main()
