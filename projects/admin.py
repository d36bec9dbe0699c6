from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from indicators.admin import ReadOnly
from projects.models import KeyProject, ProjectProgress, StatedTotal


class ProgressInline(ReadOnly, admin.TabularInline):
    model = ProjectProgress
    extra = 0
    fields = ["year", "status", "investment_completed_wan", "percent_complete", "remark", "state", "entered_by"]
    readonly_fields = fields


@admin.register(KeyProject)
class KeyProjectAdmin(admin.ModelAdmin):
    list_display = ["seq", "name", "plan", "category", "nature", "period_text", "investment_wan", "location"]
    list_filter = ["plan", "nature", "origin"]
    search_fields = ["name", "content", "location"]
    list_select_related = ["plan"]
    readonly_fields = ["source_file", "source_line"]
    inlines = [ProgressInline]


@admin.register(ProjectProgress)
class ProjectProgressAdmin(ReadOnly, SimpleHistoryAdmin):
    list_display = ["project", "year", "status", "investment_completed_wan", "percent_complete", "state"]
    list_filter = ["status", "state", "project__plan"]
    list_select_related = ["project__plan"]


@admin.register(StatedTotal)
class StatedTotalAdmin(admin.ModelAdmin):
    list_display = ["plan", "what", "category", "count", "text", "value_wan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]
