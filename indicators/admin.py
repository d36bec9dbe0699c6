from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from simple_history.admin import SimpleHistoryAdmin

from indicators.core.directions import MANUAL_DIRECTION
from indicators.models import (
    AttainmentResult,
    Indicator,
    IndicatorValue,
    Milestone,
    Plan,
    PlanMembership,
    RecomputeRun,
    Region,
    ReportingDeadline,
    StatusOverride,
    Target,
)
from indicators.tasks import schedule_recompute


class ReadOnly:
    """Entered figures and plan targets are seen, not changed, in the admin: changes go through the
    services (validation, the approval lock, the version check and the audit) on the entry and
    review pages and the API."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "region", "period_start", "period_end", "baseline_year", "is_public"]
    search_fields = ["code", "title"]
    inlines = [MilestoneInline]


class TargetInline(ReadOnly, admin.TabularInline):
    model = Target
    extra = 0
    fields = ["year", "raw_text", "kind", "assigned_value", "assigned_note", "source_line"]
    readonly_fields = fields


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "category", "unit", "attribute", "direction", "key"]
    list_filter = ["plan", "attribute", "direction"]
    search_fields = ["name", "key", "category"]
    list_select_related = ["plan", "region"]
    readonly_fields = ["row_key", "direction_source", "source_file", "source_line"]
    inlines = [TargetInline]

    def save_model(self, request, obj, form, change):
        # A reviewer's correction of the direction survives the next load_plans.
        if "direction" in form.changed_data:
            obj.direction_source = MANUAL_DIRECTION
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        schedule_recompute([form.instance.pk])  # the direction may have changed


@admin.register(Target)
class TargetAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "raw_text", "kind", "assigned_value"]
    list_filter = ["kind", "indicator__plan"]
    search_fields = ["raw_text", "indicator__name"]
    list_select_related = ["indicator__plan", "indicator__region"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["indicator", "year", "raw_text", "origin", "state", "entered_by", "entered_at"]
    list_filter = ["origin", "state", "indicator__plan"]
    search_fields = ["indicator__name", "raw_text"]
    list_select_related = ["indicator__plan", "indicator__region", "entered_by"]


@admin.register(AttainmentResult)
class AttainmentResultAdmin(admin.ModelAdmin):
    list_display = ["indicator", "year", "status", "method", "computed_at"]
    list_filter = ["status", "indicator__plan"]
    list_select_related = ["indicator__plan", "indicator__region"]
    readonly_fields = [f.name for f in AttainmentResult._meta.fields]


@admin.register(StatusOverride)
class StatusOverrideAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "year", "status", "created_by", "created_at"]
    list_select_related = ["indicator__plan", "indicator__region", "created_by"]
    readonly_fields = ["basis"]


@admin.register(RecomputeRun)
class RecomputeRunAdmin(admin.ModelAdmin):
    list_display = ["scope", "started_at", "finished_at", "indicators", "results", "counts"]
    readonly_fields = [f.name for f in RecomputeRun._meta.fields]


@admin.register(PlanMembership)
class PlanMembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "plan", "role", "region"]
    list_filter = ["role", "plan"]
    search_fields = ["user__username", "plan__code"]
    list_select_related = ["user", "plan", "region"]


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["plan", "year", "due_on"]
    list_filter = ["plan", "year"]
    list_select_related = ["plan"]


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """管理员 manage accounts; only superusers grant superuser status, groups or permissions, and
    only superusers change a superuser's account (else a 管理员 could take one over)."""

    PRIVILEGES = ("is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if request.user.is_superuser else fields + list(self.PRIVILEGES)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
