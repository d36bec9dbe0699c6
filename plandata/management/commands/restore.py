import json
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from plandata.management.commands.backup import MODELS


class Command(BaseCommand):
    help = "Load a backup written by `backup` into an empty (migrated) database, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="source", required=True, metavar="DIR")

    def handle(self, *args, source, **options):
        directory = Path(source)
        manifest = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
        if apps.get_model("indicators.plan").objects.exists():
            raise CommandError("目标数据库不是空的：请恢复到新建并已迁移的空数据库")
        with transaction.atomic():
            for label in MODELS:
                path = directory / f"{label}.yaml"
                with path.open(encoding="utf-8") as handle:
                    # save() of deserialized objects is "raw": signals skip recomputation and audit.
                    for obj in serializers.deserialize("yaml", handle):
                        obj.save()
            for label, count in manifest["models"].items():
                found = apps.get_model(label)._default_manager.count()
                if found != count:
                    raise CommandError(f"{label}: 备份有 {count} 行，恢复后 {found} 行")
        # Restored primary keys are explicit: move the sequences past them (PostgreSQL).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(self.style, [apps.get_model(label) for label in MODELS]):
                cursor.execute(sql)
        self.stdout.write(f"restored {sum(manifest['models'].values())} rows from {directory}")
