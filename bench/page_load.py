"""Benchmark: time to a usable plan dashboard in Chromium, first visit and repeat visit.

Run by hand (not a test):

    .venv/bin/python bench/page_load.py [plan-code]

It collects the static files as production does (hashed names, WhiteNoise), starts gunicorn on a
free loopback port against the embedded database (`make run` loads it; the demo figures give the
charts something to draw), logs in as the demo reviewer in headless Chromium (Debian's package) and
opens the plan dashboard three times in a fresh browser profile (first visit: nothing cached) and
three times again in the same profile (repeat visit: Plotly's JS from the browser's cache). For each
it prints the median of: first contentful paint, DOMContentLoaded, and "usable" — every chart on the
page drawn — and how many bytes came over the network.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PLAN = sys.argv[1] if len(sys.argv) > 1 else "kashgar-2021-2025"
ROUNDS = 3
USER, PASSWORD = "reviewer", "demo-reviewer-2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"the server did not answer at {url}")


def visit(page, url):
    """Milliseconds from navigation start to first paint, DOMContentLoaded and all charts drawn."""
    page.goto(url, wait_until="domcontentloaded")
    page.wait_for_function(
        "document.querySelectorAll('[data-figure]').length === document.querySelectorAll('.chart-ready').length",
        timeout=60000,
    )
    usable = page.evaluate("performance.now()")
    timing = page.evaluate(
        """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const paint = performance.getEntriesByName('first-contentful-paint')[0];
        const bytes = performance.getEntriesByType('resource').reduce((n, r) => n + (r.transferSize || 0), nav.transferSize || 0);
        return {fcp: paint ? paint.startTime : null, dcl: nav.domContentLoadedEventEnd, bytes: bytes};
    }"""
    )
    return {**timing, "usable": usable}


def report(label, runs):
    def median(key):
        values = [r[key] for r in runs if r[key] is not None]
        return statistics.median(values) if values else float("nan")

    print(
        f"{label:14} first paint {median('fcp'):7.0f} ms   DOMContentLoaded {median('dcl'):7.0f} ms   "
        f"charts drawn (usable) {median('usable'):7.0f} ms   transferred {median('bytes') / 1024:8.0f} KiB"
    )


def main():
    static_root = tempfile.mkdtemp(prefix="portal-static-")
    env = {
        **os.environ,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECRET_KEY": "bench-only-" + "x9Y2" * 12,
        "STATIC_ROOT": static_root,
        "STATICFILES_BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "CELERY_BROKER_URL": "",
    }
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(base + "/healthz")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            first, repeat = [], []
            for _ in range(ROUNDS):
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                page.goto(base + "/accounts/login/")
                page.fill("input[name=username]", USER)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                first.append(visit(page, f"{base}/plans/{PLAN}/"))
                repeat.append(visit(page, f"{base}/plans/{PLAN}/"))
                context.close()
            browser.close()
        print(f"plan dashboard /plans/{PLAN}/ at 1366 px, gunicorn (2 workers), median of {ROUNDS}")
        report("first visit", first)
        report("repeat visit", repeat)
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
