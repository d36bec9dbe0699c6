import re

import django.db.models.deletion
from django.db import migrations, models


def fill_regions(apps, schema_editor):
    """The rule of projects.location at the time of this migration, for projects already loaded."""
    KeyProject = apps.get_model("projects", "KeyProject")
    Region = apps.get_model("indicators", "Region")
    by_name = {r.name: r.pk for r in Region.objects.all()}
    for project in KeyProject.objects.select_related("plan"):
        parts = [p.strip() for p in re.split(r"[、，,；;及和与]|\s+等", project.location or "") if p.strip()]
        place = parts[0].replace(" ", "") if len(parts) == 1 else None
        project.region_id = by_name.get(place) or project.plan.region_id
        project.save(update_fields=["region"])


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0005_status_choices_in_display_order"),
        ("projects", "0002_entry_workflow"),
    ]

    operations = [
        migrations.AddField(
            model_name="keyproject",
            name="region",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="indicators.region",
                verbose_name="所属区域",
            ),
        ),
        migrations.RunPython(fill_regions, migrations.RunPython.noop),
    ]
