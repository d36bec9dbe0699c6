"""A saved or deleted value or target triggers recomputation of its indicator after commit."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.models import Indicator, IndicatorValue, Plan, StatusOverride, Target
from indicators.tasks import schedule_recompute
from projects.models import KeyProject, ProjectProgress, StatedTotal


@receiver(post_save, sender=IndicatorValue)
@receiver(post_delete, sender=IndicatorValue)
@receiver(post_save, sender=Target)
@receiver(post_delete, sender=Target)
def recompute_after_change(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata / restore: the restore recomputes once at the end
        return
    schedule_recompute([instance.indicator_id])


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
@receiver(post_save, sender=KeyProject)
@receiver(post_delete, sender=KeyProject)
@receiver(post_save, sender=StatedTotal)
def plan_row_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        Plan.touch([instance.plan_id])


@receiver(post_save, sender=ProjectProgress)
@receiver(post_delete, sender=ProjectProgress)
def progress_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        Plan.touch([KeyProject.objects.filter(pk=instance.project_id).values_list("plan_id", flat=True).first()])
