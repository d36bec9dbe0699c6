from django.contrib import admin

from reports.models import EvaluationSnapshot, ReportJob


@admin.register(EvaluationSnapshot)
class EvaluationSnapshotAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "year", "frozen_by", "frozen_at", "engine_version"]
    list_filter = ["kind", "plan"]
    readonly_fields = ["data", "engine_version", "frozen_by", "frozen_at"]


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["kind", "plan", "year", "requested_by", "state", "progress", "created_at", "expires_at"]
    list_filter = ["state", "kind"]
