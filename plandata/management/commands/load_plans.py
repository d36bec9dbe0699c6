from django.core.management.base import BaseCommand, CommandError

from plandata.loading import PLANS_DIR, plans_load
from plandata.plan_files import PlanFileError


class Command(BaseCommand):
    help = "Load the plan fixture files (fixtures/plans/*.yaml) into the database, idempotently."

    def add_arguments(self, parser):
        parser.add_argument("--plan", action="append", dest="codes", metavar="CODE", help="only this plan (repeatable)")
        parser.add_argument("--dir", default=PLANS_DIR, help="folder of plan files (default: fixtures/plans)")

    def handle(self, *args, codes=None, dir=PLANS_DIR, **options):
        try:
            report = plans_load(codes=codes, plans_dir=dir)
        except PlanFileError as exc:
            raise CommandError(str(exc)) from exc
        for code, counts in report.loaded.items():
            self.stdout.write(
                f"{code}: {counts['indicators']} indicators, {counts['projects']} projects, "
                f"{counts['stated_totals']} stated totals"
            )
        for message in report.kept:
            self.stdout.write(self.style.WARNING(message))
        if report.refused:
            for exc in report.refused:
                self.stderr.write(f"{exc.path.name} 未加载：")
                for problem in exc.problems:
                    self.stderr.write(f"  - {problem}")
            raise CommandError(f"{len(report.refused)} 个规划文件有错误，未加载")
