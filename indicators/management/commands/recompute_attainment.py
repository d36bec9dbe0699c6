from django.core.management.base import BaseCommand, CommandError

from indicators import recompute
from indicators.models import Plan


class Command(BaseCommand):
    help = "Recompute attainment now (synchronously), for one plan or all plans."

    def add_arguments(self, parser):
        parser.add_argument("--plan", metavar="CODE")
        parser.add_argument("--as-of", type=int, help="first year whose report is not due yet (default: this year)")

    def handle(self, *args, plan=None, as_of=None, **options):
        if plan:
            found = Plan.objects.filter(code=plan).first()
            if found is None:
                raise CommandError(f"没有代码为 {plan} 的规划")
            run = recompute.recompute_plan(found, as_of_year=as_of)
        else:
            run = recompute.recompute_all(as_of_year=as_of)
        counts = ", ".join(f"{k}={v}" for k, v in sorted(run.counts.items()))
        self.stdout.write(f"{run.scope}: {run.indicators} indicators, {run.results} results ({counts})")
        for error in run.errors:
            self.stderr.write(f"indicator {error['indicator']}: {error['error']}")
        if run.errors:
            raise CommandError(f"{len(run.errors)} indicators failed")
