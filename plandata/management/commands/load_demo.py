from django.core.management.base import BaseCommand

from plandata.demo import demo_load, demo_remove


class Command(BaseCommand):
    help = "Load plausible demo values 2021–2024 for the current plans (marked 演示数据), or --remove them."

    def add_arguments(self, parser):
        parser.add_argument("--remove", action="store_true", help="delete every demo value and nothing else")

    def handle(self, *args, remove=False, **options):
        if remove:
            self.stdout.write(f"removed {demo_remove()} demo rows")
        else:
            self.stdout.write(f"loaded {demo_load()} demo rows (marked 演示数据)")
