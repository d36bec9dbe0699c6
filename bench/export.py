"""Benchmark: the all-plans summary workbook of the synthetic data set, against raw openpyxl.

Run by hand (not a test):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal_bench .venv/bin/python bench/export.py

Each measurement runs in a fresh child process so peak memory (ru_maxrss) is its own:
  1. the portal's export: reading the data for every synthetic plan and writing the workbook;
  2. the same workbook's writing alone, from data already in memory;
  3. raw openpyxl write-only mode writing the same number of cells (plain values, no styles).
Three alternating rounds; it prints the median seconds and peak memory of each, and as its last
line the median ratio export / raw (goal: within 1.5x in time, peak memory under 300 MB).
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def child(step):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ["CELERY_BROKER_URL"] = ""
    import django

    django.setup()
    from indicators.models import Plan
    from plandata.synthetic import PREFIX
    from reports import data as report_data
    from reports import workbooks

    plans = list(Plan.objects.filter(code__startswith=PREFIX))
    started = time.perf_counter()
    if step == "export":
        content = workbooks.summary_workbook(report_data.summary_data(plans, 2024))
        cells = None
    elif step == "write":
        data = report_data.summary_data(plans, 2024)
        data["plans"] = list(data["plans"])  # read everything first: only the writing is timed
        started = time.perf_counter()
        content = workbooks.summary_workbook(data)
        cells = None
    else:
        from openpyxl import Workbook

        cells = int(sys.argv[3])
        per_sheet = cells // (len(plans) + 1)
        wb = Workbook(write_only=True)
        for n in range(len(plans) + 1):
            ws = wb.create_sheet(f"s{n}")
            row = []
            for i in range(per_sheet):
                row.append(i * 1.5 if i % 3 else f"文本{i}")
                if len(row) == 25:
                    ws.append(row)
                    row = []
            if row:
                ws.append(row)
        import io

        buffer = io.BytesIO()
        wb.save(buffer)
        content = buffer.getvalue()
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if cells is None:
        import io

        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(content), read_only=True)
        cells = sum(1 for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v not in (None, ""))
    print(json.dumps({"seconds": seconds, "peak_mb": peak, "bytes": len(content), "cells": cells}))


def run(step, *extra):
    output = subprocess.run(
        [sys.executable, __file__, "--child", step, *map(str, extra)], capture_output=True, text=True, check=True, env=os.environ
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection

    from indicators.models import Plan
    from plandata.synthetic import PREFIX, synthetic_generate

    if connection.vendor != "postgresql":
        sys.exit("set DATABASE_URL to a PostgreSQL database")
    if not Plan.objects.filter(code__startswith=PREFIX).exists():
        synthetic_generate()
    connection.close()
    # Three alternating rounds; the median of each is reported (a 2-core machine is noisy).
    rounds = []
    for _ in range(3):
        export = run("export")
        rounds.append((export, run("write"), run("raw", export["cells"])))
    ratios = sorted(e["seconds"] / r["seconds"] for e, _w, r in rounds)
    for index, name in enumerate(
        ("portal export (data + workbook)", "portal workbook writing only", "raw openpyxl write-only, same cells")
    ):
        figures = sorted((r[index] for r in rounds), key=lambda f: f["seconds"])[1]
        print(
            f"{name}: {figures['seconds']:.2f} s, peak {figures['peak_mb']:.0f} MB, {figures['cells']:,} cells, {figures['bytes'] / 1e6:.1f} MB"
        )
    print(f"rounds export / raw: {', '.join(f'{r:.2f}' for r in ratios)}")
    print(f"ratio: {ratios[1]:.2f} (goal ≤ 1.5)")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
    else:
        main()
