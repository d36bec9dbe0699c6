import json

from django.core.management.base import BaseCommand, CommandError

from indicators.models import AttainmentResult, Plan


class Command(BaseCommand):
    help = "Print the stored attainment results of a plan, one JSON object per indicator-year."

    def add_arguments(self, parser):
        parser.add_argument("--plan", metavar="CODE", required=True)
        parser.add_argument("--year", type=int)
        parser.add_argument("--json", action="store_true", help="one JSON object per line (the only format)")

    def handle(self, *args, plan, year=None, **options):
        if not Plan.objects.filter(code=plan).exists():
            raise CommandError(f"没有代码为 {plan} 的规划")
        results = (
            AttainmentResult.objects.filter(indicator__plan__code=plan)
            .select_related("indicator__plan", "indicator__region")
            .order_by("indicator__position", "year")
        )
        if year:
            results = results.filter(year=year)
        for result in results:
            indicator = result.indicator
            details = result.details
            row = {
                "plan": plan,
                "seq": indicator.seq,
                "name": indicator.name,
                "region": indicator.region.name if indicator.region else None,
                "year": result.year,
                "status": result.status,
                "method": result.method,
                "value": details.get("value"),
                "target": details.get("target"),
                "explanation": result.explanation,
            }
            self.stdout.write(json.dumps(row, ensure_ascii=False))
