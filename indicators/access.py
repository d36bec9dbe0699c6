"""Who may see which plan: the one place every view, export, upload and API call asks."""

from django.http import Http404
from django.shortcuts import get_object_or_404

from indicators.models import Plan


def plans_for_user(user):
    """Plans `user` may read. Per-plan memberships arrive with the data-entry issue; until then
    every signed-in user may read every plan, and anonymous visitors only public ones."""
    if user.is_authenticated:
        return Plan.objects.all()
    return Plan.objects.filter(is_public=True)


def get_plan_for_user(request, code):
    plan = get_object_or_404(Plan.objects.select_related("region", "predecessor"), code=code)
    if not plans_for_user(request.user).filter(pk=plan.pk).exists():
        raise Http404
    return plan
