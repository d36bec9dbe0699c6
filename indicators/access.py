"""Who may see or change which plan: the one place every view, export, upload and API call asks.

- staff (管理员: superusers and the 管理员 group) read and export every plan;
- a membership (PlanMembership) gives a user a role on one plan: 填报员 enters figures (only for
  its region's per-city rows when the membership names a region), 审核员 reviews, 查看者 reads;
- anonymous visitors read only plans marked public.
"""

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from indicators.models import Indicator, Plan, PlanMembership, Region

STAFF_GROUP = "管理员"
OFFICIAL_GROUP = "填报员"
REVIEWER_GROUP = "审核员"
VIEWER_GROUP = "查看者"


class LoginRequired(Exception):
    """Raised by the helpers for anonymous users; the view answers with a redirect to log in."""


SCOPE_SECONDS = 600


def scope_key(user_id) -> str:
    return f"access-scope:{user_id}"


def _scope(user) -> dict:
    """Whether `user` is staff, and their roles by plan: two queries once, then kept in the cache
    until a membership, the user or their groups change (indicators.signals drops the entry)."""
    scope = getattr(user, "_portal_scope", None)  # request.user is a lazy wrapper: ask the user
    if scope is None:
        scope = cache.get(scope_key(user.pk))
        if scope is None:
            roles: dict[int, set[str]] = {}
            for plan_id, role in PlanMembership.objects.filter(user=user).values_list("plan_id", "role"):
                roles.setdefault(plan_id, set()).add(role)
            scope = {"staff": user.is_superuser or user.groups.filter(name=STAFF_GROUP).exists(), "roles": roles}
            cache.set(scope_key(user.pk), scope, SCOPE_SECONDS)
        user._portal_scope = scope
    return scope


def is_staff(user) -> bool:
    return user.is_authenticated and (user.is_superuser or _scope(user)["staff"])


def roles_on(user, plan: Plan) -> set[str]:
    """The set of roles `user` holds on `plan`."""
    if not user.is_authenticated:
        return set()
    return _scope(user)["roles"].get(plan.pk, set())


def scope_of(user, plan: Plan) -> str:
    """What a cached page of `plan` may depend on about `user`: staff or not, and the roles."""
    if not user.is_authenticated:
        return "anonymous"
    return ("staff," if is_staff(user) else "") + ",".join(sorted(roles_on(user, plan)))


def plans_for_user(user) -> QuerySet[Plan]:
    """Plans `user` may read."""
    if is_staff(user):
        return Plan.objects.all()
    if user.is_authenticated:
        return (Plan.objects.filter(memberships__user=user) | Plan.objects.filter(is_public=True)).distinct()
    return Plan.objects.filter(is_public=True)


def can_read(user, plan: Plan) -> bool:
    return plan.is_public or is_staff(user) or bool(roles_on(user, plan))


def can_enter(user, plan: Plan) -> bool:
    return plan.reporting and PlanMembership.Role.OFFICIAL in roles_on(user, plan)


def can_review(user, plan: Plan) -> bool:
    return PlanMembership.Role.REVIEWER in roles_on(user, plan)


def can_export(user, plan: Plan) -> bool:
    return is_staff(user) or bool(roles_on(user, plan))


def plans_for_export(user) -> list[Plan]:
    """Plans whose reports `user` may download, in code order."""
    return [p for p in plans_for_user(user).select_related("region").order_by("code") if can_export(user, p)]


def can_see_history(user, plan: Plan) -> bool:
    """The audit trail of a plan's figures: its reviewers and staff."""
    return can_review(user, plan) or is_staff(user)


def _plan(code, head=False):
    if head:
        plan = Plan.head(code)
        if plan is None:
            raise Http404
        return plan
    return get_object_or_404(Plan.objects.select_related("region", "predecessor"), code=code)


def get_plan_for_user(request, code: str, head: bool = False) -> Plan:
    """A plan the user may read: anonymous users are sent to log in, others get 403. With `head`,
    only the fields a cached page needs (Plan.head)."""
    plan = _plan(code, head)
    if can_read(request.user, plan):
        return plan
    if not request.user.is_authenticated:
        raise LoginRequired
    raise PermissionDenied(_("您没有查看该规划的权限"))


def get_plan_for_entry(request, code: str) -> Plan:
    plan = get_plan_for_user(request, code)
    if not can_enter(request.user, plan):
        raise PermissionDenied(_("您不是该规划的填报员"))
    return plan


def get_plan_for_review(request, code: str) -> Plan:
    plan = get_plan_for_user(request, code)
    if not can_review(request.user, plan):
        raise PermissionDenied(_("您不是该规划的审核员"))
    return plan


def get_plan_for_export(request, code: str) -> Plan:
    plan = get_plan_for_user(request, code)
    if not can_export(request.user, plan):
        raise PermissionDenied(_("您没有导出该规划的权限"))
    return plan


def get_plan_for_history(request, code: str) -> Plan:
    plan = get_plan_for_user(request, code)
    if not can_see_history(request.user, plan):
        raise PermissionDenied(_("只有审核员和管理员可以查看修改记录"))
    return plan


def plans_for_request(request) -> QuerySet[Plan]:
    """The plans a cross-plan page may show; an anonymous visitor with no public plan logs in."""
    plans = plans_for_user(request.user)
    if not request.user.is_authenticated and not plans.exists():
        raise LoginRequired
    return plans


def require_staff(request, reason: str) -> None:
    """Pages for staff only (all-plans summary, freezing an evaluation); `reason` says why to others."""
    if not request.user.is_authenticated:
        raise LoginRequired
    if not is_staff(request.user):
        raise PermissionDenied(reason)


def require_owner_or_staff(request, owner_id: int | None) -> None:
    """Things a user started (a report job): the user and staff only."""
    if owner_id != request.user.pk and not is_staff(request.user):
        raise PermissionDenied(_("这不是您的报表任务"))


def source_readable(request, filename: str) -> None:
    """A seed document is shown to users who are logged in, or to anyone if a public plan cites it."""
    if not request.user.is_authenticated and not Plan.objects.filter(is_public=True, source_file=filename).exists():
        raise LoginRequired


def indicators_for_entry(user, plan: Plan) -> QuerySet[Indicator]:
    """Indicators `user` may enter on `plan`: all of them, or its region's rows for a regional official."""
    return within_entry_regions(Indicator.objects.filter(plan=plan), user, plan)


def within_entry_regions(items: QuerySet, user, plan: Plan) -> QuerySet:
    """`items` of `plan` (indicators or key projects, each with a `region`) that `user` may report:
    all, or for an official limited to a region, those of that region and the regions below it."""
    regions = list(
        PlanMembership.objects.filter(user=user, plan=plan, role=PlanMembership.Role.OFFICIAL).values_list("region_id", flat=True)
    )
    if not regions or None in regions:
        return items
    return items.filter(region_id__in=_with_descendants(regions))


def _with_descendants(region_ids):
    found, frontier = set(region_ids), set(region_ids)
    while frontier:
        frontier = set(Region.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - found
        found |= frontier
    return found
