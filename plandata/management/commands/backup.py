import json
from pathlib import Path

from django.core import serializers
from django.core.management.base import BaseCommand
from django.utils import timezone

# Everything the portal holds, in dependency order: plan data, entered data, workflow states,
# overrides, memberships, deadlines, snapshots, accounts and tokens, and the audit history.
MODELS = [
    "auth.group",
    "auth.user",
    "authtoken.token",
    "indicators.region",
    "indicators.plan",
    "indicators.milestone",
    "indicators.indicator",
    "indicators.target",
    "indicators.indicatorvalue",
    "indicators.attainmentresult",
    "indicators.statusoverride",
    "indicators.recomputerun",
    "indicators.planmembership",
    "indicators.reportingdeadline",
    "projects.keyproject",
    "projects.projectprogress",
    "projects.statedtotal",
    "reports.evaluationsnapshot",
    "indicators.historicalindicator",
    "indicators.historicaltarget",
    "indicators.historicalindicatorvalue",
    "indicators.historicalstatusoverride",
    "indicators.historicalplanmembership",
    "indicators.historicalreportingdeadline",
    "projects.historicalprojectprogress",
]


class Command(BaseCommand):
    help = "Write every table the portal holds (data, workflow, audit history) to DIR as YAML."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, metavar="DIR")

    def handle(self, *args, out, **options):
        from django.apps import apps

        directory = Path(out)
        directory.mkdir(parents=True, exist_ok=True)
        manifest = {"created_at": timezone.now().isoformat(), "models": {}}
        for label in MODELS:
            model = apps.get_model(label)
            rows = model._default_manager.order_by("pk")
            path = directory / f"{label}.yaml"
            # YAML, not JSON: Django's JSON encoder cuts timestamps to milliseconds, and the audit
            # trail's times must come back exactly.
            with path.open("w", encoding="utf-8") as handle:
                serializers.serialize("yaml", rows.iterator(), stream=handle, allow_unicode=True)
            manifest["models"][label] = rows.count()
        (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(f"backed up {sum(manifest['models'].values())} rows of {len(MODELS)} tables to {directory}")
