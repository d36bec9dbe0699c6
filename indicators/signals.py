"""Cached pages are keyed by a plan's data version: any change to what a page shows bumps it.

This is bookkeeping for the page cache only; recomputation is queued by the services that make
changes (`indicators.tasks.schedule_recompute`), where a reader sees it.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.models import Indicator, IndicatorValue, Plan, StatusOverride, Target


@receiver(post_save, sender=IndicatorValue)
@receiver(post_delete, sender=IndicatorValue)
@receiver(post_save, sender=Target)
@receiver(post_delete, sender=Target)
@receiver(post_save, sender=StatusOverride)
@receiver(post_delete, sender=StatusOverride)
def plan_data_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        Plan.touch([Indicator.objects.filter(pk=instance.indicator_id).values_list("plan_id", flat=True).first()])


@receiver(post_save, sender=Indicator)
def plan_row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        Plan.touch([instance.plan_id])
