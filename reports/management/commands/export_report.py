from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators.models import Plan
from reports import service


class Command(BaseCommand):
    help = "Write a report to a file: progress | midterm | final for a plan, or summary for all plans."

    def add_arguments(self, parser):
        parser.add_argument("--plan", metavar="CODE")
        parser.add_argument("--kind", required=True, choices=service.KINDS)
        parser.add_argument("--year", type=int)
        parser.add_argument("--out", required=True, help="FILE.xlsx (or FILE.csv for a progress report)")
        parser.add_argument("--current", action="store_true", help="ignore a frozen snapshot, use current data")

    def handle(self, *args, plan=None, kind, year=None, out, current=False, **options):
        fmt = "csv" if out.lower().endswith(".csv") else "xlsx"
        try:
            if kind == "summary":
                content, _, _ = service.build("summary", plans=list(Plan.objects.all()), year=year)
            else:
                if not plan:
                    raise CommandError("--plan is required for this kind")
                found = Plan.objects.filter(code=plan).first()
                if found is None:
                    raise CommandError(f"没有代码为 {plan} 的规划")
                content, _, _ = service.build(kind, plan=found, year=year, fmt=fmt, frozen=not current)
        except service.ReportError as exc:
            raise CommandError(str(exc)) from exc
        Path(out).write_bytes(content)
        self.stdout.write(f"wrote {out} ({len(content)} bytes)")
