"""Benchmark: the plan dashboard as reviewers get it, against a minimal Django view, measured with wrk.

Run by hand (not a test):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/dashboards.py

It builds the synthetic data set if missing (bench/attainment.py's), marks one synthetic plan of 50
indicators public, gives a reviewer a role on it and a session, and starts gunicorn (2 workers, the
production settings' cache on the local Redis, db 2) on a free loopback port. Then wrk (installed
with apt if missing; -t2 -c8, 10 s rounds, in its own process) measures, in three alternating
rounds:
  - /healthz, the minimal view;
  - the dashboard, full GET, by the logged-in reviewer (session and CSRF cookies);
  - the dashboard, revalidating GET by the reviewer (If-None-Match: the page's ETag): a 304;
  - the dashboard, full GET, by an anonymous visitor of the public plan.
Every response is checked (wrk_check.lua): the status, and the plan's code in a page's body; a round
with a bad response is reported. Median requests/s, p50 and p99 of each, then the ratio of the
minimal view to the reviewer's full GET (goal ≤ 3) as the last line.
"""

import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ["CELERY_BROKER_URL"] = ""
CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/2")
os.environ["CACHE_URL"] = CACHE_URL  # this process writes the session where gunicorn reads it
SECRET_KEY = "bench-only-" + "x9Y2" * 12
os.environ["SECRET_KEY"] = SECRET_KEY  # the session's auth hash is keyed by it: the same as gunicorn's

import django  # noqa: E402

django.setup()

from importlib import import_module  # noqa: E402

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402

from indicators import recompute  # noqa: E402
from indicators.models import Indicator, Plan, PlanMembership  # noqa: E402
from plandata.synthetic import PREFIX, synthetic_generate  # noqa: E402

PLAN = f"{PREFIX}0001"
SECONDS, THREADS, CONNECTIONS = 10, 2, 8


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk_binary():
    found = shutil.which("wrk")
    if not found:
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], check=True, env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        )
        found = shutil.which("wrk")
    return found


def reviewer_cookies():
    """A reviewer of PLAN with a session as a log-in leaves it, and a CSRF cookie."""
    user, _ = User.objects.get_or_create(username="bench-reviewer")
    user.set_password("bench-reviewer-pw")
    user.save()
    PlanMembership.objects.get_or_create(user=user, plan=Plan.objects.get(code=PLAN), role=PlanMembership.Role.REVIEWER)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "indicators.auth.CachedModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}; {settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"


def fetch(port, path, headers):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers={"Host": "127.0.0.1", **headers})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read()


def wrk(port, path, headers, status, text):
    command = [
        wrk_binary(),
        f"-t{THREADS}",
        f"-c{CONNECTIONS}",
        f"-d{SECONDS}s",
        "--latency",
        "-s",
        str(ROOT / "bench" / "wrk_check.lua"),
    ]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{path}")
    out = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, "EXPECT_STATUS": str(status), "EXPECT_TEXT": text}, check=True
    ).stdout

    def ms(label):
        found = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)", out, re.M)
        value, unit = float(found[1]), found[2]
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": ms("50"),
        "p99": ms("99"),
        "bad": int(re.search(r"bad: (\d+)", out)[1]),
        "errors": int(m[1]) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out)) else 0,
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
    cache.clear()
    cookies = reviewer_cookies()
    connection.close()

    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DB_CONN_MAX_AGE": "60",
        "CACHE_URL": CACHE_URL,
        "SECRET_KEY": SECRET_KEY,
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
    page = f"/plans/{PLAN}/"
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.1)
        status, headers, body = fetch(port, page, {"Cookie": cookies})
        assert status == 200 and PLAN.encode() in body and b"bench-reviewer" in body, (status, body[:300])
        etag = headers["ETag"]
        assert fetch(port, page, {"Cookie": cookies, "If-None-Match": etag})[0] == 304
        assert fetch(port, page, {})[0] == 200
        cases = {
            "minimal view /healthz": ("/healthz", {}, 200, "ok"),
            "dashboard, reviewer, full GET": (page, {"Cookie": cookies}, 200, PLAN),
            "dashboard, reviewer, revalidating GET (304)": (page, {"Cookie": cookies, "If-None-Match": etag}, 304, ""),
            "dashboard, anonymous visitor, full GET": (page, {}, 200, PLAN),
        }
        for path, headers, _status, _text in cases.values():  # warm both workers
            fetch(port, path, headers)
        rounds = {name: [] for name in cases}
        for _ in range(3):
            for name, case in cases.items():
                rounds[name].append(wrk(port, *case))
    finally:
        server.terminate()
        server.wait(timeout=10)
    medians = {}
    print(f"{'':46} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'bad':>5}  rounds (req/s)")
    for name, figures in rounds.items():
        median = sorted(figures, key=lambda f: f["rps"])[1]
        medians[name] = median
        bad = sum(f["bad"] + f["errors"] for f in figures)
        print(
            f"{name:46} {median['rps']:>8.0f} {median['p50']:>8.2f} {median['p99']:>8.2f} {bad:>5}  "
            + ", ".join(f"{f['rps']:.0f}" for f in figures)
        )
    ratios = [
        m["rps"] / d["rps"] for m, d in zip(rounds["minimal view /healthz"], rounds["dashboard, reviewer, full GET"], strict=True)
    ]
    print(
        f"revalidating / full GET: {medians['dashboard, reviewer, revalidating GET (304)']['rps'] / medians['dashboard, reviewer, full GET']['rps']:.2f}x the rate"
    )
    print(f"rounds: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"ratio: {statistics.median(ratios):.2f} (goal ≤ 3)")


if __name__ == "__main__":
    main()
