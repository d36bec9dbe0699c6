"""A saved or deleted value or target triggers recomputation of its indicator after commit."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from indicators.models import IndicatorValue, Target
from indicators.tasks import schedule_recompute


@receiver(post_save, sender=IndicatorValue)
@receiver(post_delete, sender=IndicatorValue)
@receiver(post_save, sender=Target)
@receiver(post_delete, sender=Target)
def recompute_after_change(sender, instance, raw=False, **kwargs):
    if raw:  # loaddata / restore: the restore recomputes once at the end
        return
    schedule_recompute([instance.indicator_id])
