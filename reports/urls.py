from django.urls import path

from reports import views
from reports.dashboards import project_views
from reports.dashboards import views as dashboards

urlpatterns = [
    path("", dashboards.home, name="home"),
    path("plans/<slug:code>/", dashboards.plan_detail, name="plan_detail"),
    path("plans/<slug:code>/completion/", dashboards.completion_review, name="completion_review"),
    path("plans/<slug:code>/indicators/<int:pk>/", dashboards.indicator_detail, name="indicator_detail"),
    path("plans/<slug:code>/projects/<str:seq>/", project_views.project_detail, name="project_detail"),
    path("projects/", project_views.project_list, name="project_list"),
    path("compare/", dashboards.comparison, name="comparison"),
    path("sources/<str:filename>", dashboards.source_document, name="source_document"),
    path("reports/", views.reports_index, name="reports_index"),
    path("reports/summary.xlsx", views.summary_download, name="summary_download"),
    path("reports/jobs/<int:pk>/", views.report_job, name="report_job"),
    path("reports/jobs/<int:pk>/status", views.report_job_status, name="report_job_status"),
    path("reports/jobs/<int:pk>/file", views.report_job_file, name="report_job_file"),
    path("plans/<slug:code>/reports/<str:kind>.xlsx", views.report_download, name="evaluation_download"),
    path("plans/<slug:code>/reports/<str:kind>/<int:year>.<str:fmt>", views.report_download, name="report_download"),
    path("plans/<slug:code>/snapshots/", views.snapshot_freeze, name="snapshot_freeze"),
]
