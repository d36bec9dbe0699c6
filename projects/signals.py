"""A change to a plan's projects, progress or stated totals bumps the plan's data version (page cache)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.models import Plan
from projects.models import KeyProject, ProjectProgress, StatedTotal


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
