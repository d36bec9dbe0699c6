"""Cached pages are keyed by a plan's data version: any change to what a page shows bumps it; a
user's cached record and access scope are dropped when they change.

This is bookkeeping for the caches only; recomputation is queued by the services that make
changes (`indicators.tasks.schedule_recompute`), where a reader sees it.
"""

from django.contrib.auth.models import Group, User
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
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


@receiver(post_save, sender=Plan)
def plan_changed(sender, instance, raw=False, **kwargs):
    """A plan's title, period or visibility shows on its cached pages too."""
    if not raw:
        Plan.touch([instance.pk])


def _drop(keys):
    """Drop cache entries now and again once the change is committed: a request that read the old
    rows before the commit would otherwise cache them again, for as long as the entry lives."""
    keys = list(keys)
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))


@receiver(post_save, sender=PlanMembership)
@receiver(post_delete, sender=PlanMembership)
def membership_changed(sender, instance, **kwargs):
    """A user's cached access scope (indicators.access) is dropped when a membership changes."""
    _drop([access.scope_key(instance.user_id)])


@receiver(pre_save, sender=PlanMembership)
def membership_moving(sender, instance, raw=False, **kwargs):
    """A membership given to someone else: the one who had it loses it too."""
    if instance.pk and not raw:
        before = PlanMembership.objects.filter(pk=instance.pk).values_list("user_id", flat=True).first()
        if before is not None and before != instance.user_id:
            _drop([access.scope_key(before)])


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def user_changed(sender, instance, **kwargs):
    """The cached user (indicators.auth) and access scope are dropped when the user changes."""
    _drop([user_key(instance.pk), access.scope_key(instance.pk)])


@receiver(post_save, sender=Group)
@receiver(pre_delete, sender=Group)
def group_changed(sender, instance, **kwargs):
    """A group renamed to or from 管理员, or deleted (which sends no m2m signal): its members'
    scopes."""
    _drop([access.scope_key(pk) for pk in instance.user_set.values_list("pk", flat=True)])


@receiver(m2m_changed, sender=User.groups.through)
def groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Joining or leaving 管理员 changes what a user may see: drop their cached scope."""
    if reverse and action == "pre_clear":  # a group emptied: its members, before they are gone
        users = list(instance.user_set.values_list("pk", flat=True))
    elif action in ("post_add", "post_remove", "post_clear"):
        users = (pk_set or ()) if reverse else [instance.pk]
    else:
        return
    _drop([access.scope_key(pk) for pk in users])
