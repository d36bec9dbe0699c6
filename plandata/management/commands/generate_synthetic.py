from django.core.management.base import BaseCommand

from plandata.synthetic import synthetic_generate, synthetic_remove


class Command(BaseCommand):
    help = "Build (or --remove) the synthetic province-scale data set used by benchmarks (plans syn-NNNN)."

    def add_arguments(self, parser):
        parser.add_argument("--plans", type=int, default=200)
        parser.add_argument("--indicators-per-plan", type=int, default=50)
        parser.add_argument("--projects-per-plan", type=int, default=25)
        parser.add_argument("--remove", action="store_true")

    def handle(self, *args, plans, indicators_per_plan, projects_per_plan, remove=False, **options):
        if remove:
            self.stdout.write(f"removed {synthetic_remove()} synthetic rows")
            return
        counts = synthetic_generate(plans=plans, indicators_per_plan=indicators_per_plan, projects_per_plan=projects_per_plan)
        self.stdout.write(", ".join(f"{v} {k}" for k, v in counts.items()))
