"""backup and restore round-trip all entered data into an empty database, row by row."""

from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from indicators import recompute, services
from indicators.models import Indicator, IndicatorValue, Plan, ReportingDeadline
from plandata.management.commands.backup import MODELS

pytestmark = pytest.mark.django_db(transaction=True)


def everything():
    return {label: list(apps.get_model(label)._default_manager.order_by("pk").values()) for label in MODELS}


def test_backup_and_restore_round_trip_everything(committed_db, tmp_path, div3_official, div3_reviewer, staff):
    plan = Plan.objects.get(code="div3-2021-2025")
    forest = Indicator.objects.get(plan=plan, seq="9")
    services.values_save(
        plan=plan,
        year=2022,
        user=div3_official,
        rows=[services.RowInput(key=forest.pk, text="13.90", remark="<script>alert(1)</script>")],
        submit=True,
    )
    value = IndicatorValue.objects.get(indicator=forest, year=2022)
    services.values_review(plan=plan, year=2022, user=div3_reviewer, value_ids=[value.pk], action="return", comment="核对")
    nox = Indicator.objects.get(plan=plan, name="氮氧化物(%)")
    services.assigned_record(plan=plan, target_id=nox.targets.get(year=2022).pk, number="36.5", user=div3_reviewer)
    ReportingDeadline.objects.create(plan=plan, year=2022, due_on="2023-03-31")
    recompute.recompute_all(as_of_year=2023)
    recompute.status_override(indicator=forest, year=2022, status="met", reason="复核", user=div3_reviewer)
    before = everything()
    assert before["indicators.historicalindicatorvalue"] and before["indicators.statusoverride"]

    call_command("backup", "--out", str(tmp_path), stdout=StringIO())
    call_command("flush", "--no-input", verbosity=0)
    assert not Plan.objects.exists()
    call_command("restore", "--from", str(tmp_path), stdout=StringIO())

    after = everything()
    for label in MODELS:
        assert after[label] == before[label], label
    # The database is usable afterwards: a new value gets a fresh key.
    services.values_save(plan=plan, year=2023, user=div3_official, rows=[services.RowInput(key=forest.pk, text="14.0")])


def test_restore_refuses_a_database_that_is_not_empty(committed_db, tmp_path):
    from django.core.management import CommandError

    call_command("backup", "--out", str(tmp_path), stdout=StringIO())
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", "--from", str(tmp_path), stdout=StringIO())
