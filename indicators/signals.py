"""Cached pages are keyed by a plan's data version: any change to what a page shows bumps it; a
user's cached record and access scope are dropped when they change.

This is bookkeeping for the caches only; recomputation is queued by the services that make
changes (`indicators.tasks.schedule_recompute`), where a reader sees it.
"""

from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from indicators import access
from indicators.auth import user_key
from indicators.models import Indicator, IndicatorValue, Plan, PlanMembership, StatusOverride, Target


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


@receiver(post_save, sender=PlanMembership)
@receiver(post_delete, sender=PlanMembership)
def membership_changed(sender, instance, **kwargs):
    """A user's cached access scope (indicators.access) is dropped when a membership changes."""
    cache.delete(access.scope_key(instance.user_id))


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender, instance, **kwargs):
    """The cached user (indicators.auth) and access scope are dropped when the user changes."""
    cache.delete_many([user_key(instance.pk), access.scope_key(instance.pk)])


@receiver(m2m_changed, sender=User.groups.through)
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Joining or leaving 管理员 changes what a user may see: drop their cached scope."""
    if reverse and action == "pre_clear":  # a group emptied: its members, before they are gone
        users = list(instance.user_set.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        users = (pk_set or ()) if reverse else [instance.pk]
    else:
        return
    cache.delete_many([access.scope_key(pk) for pk in users])
