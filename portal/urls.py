from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from entry import views as entry_views
from reports.dashboards import views as indicator_views
from reports.dashboards import project_views as project_views
from reports import views as report_views

admin.site.site_header = admin.site.site_title = "生态环境保护规划指标跟踪平台"

urlpatterns = [
    path("", indicator_views.home, name="home"),
    path("healthz", indicator_views.healthz, name="healthz"),
    path("plans/<slug:code>/", indicator_views.plan_detail, name="plan_detail"),
    path("plans/<slug:code>/completion/", indicator_views.completion_review, name="completion_review"),
    path("plans/<slug:code>/indicators/<int:pk>/", indicator_views.indicator_detail, name="indicator_detail"),
    path("plans/<slug:code>/projects/<str:seq>/", project_views.project_detail, name="project_detail"),
    path("projects/", project_views.project_list, name="project_list"),
    path("compare/", indicator_views.comparison, name="comparison"),
    path("reports/", report_views.reports_index, name="reports_index"),
    path("reports/summary.xlsx", report_views.summary_download, name="summary_download"),
    path("reports/jobs/<int:pk>/", report_views.report_job, name="report_job"),
    path("reports/jobs/<int:pk>/status", report_views.report_job_status, name="report_job_status"),
    path("reports/jobs/<int:pk>/file", report_views.report_job_file, name="report_job_file"),
    path("plans/<slug:code>/reports/<str:kind>.xlsx", report_views.report_download, name="evaluation_download"),
    path("plans/<slug:code>/reports/<str:kind>/<int:year>.<str:fmt>", report_views.report_download, name="report_download"),
    path("plans/<slug:code>/snapshots/", report_views.snapshot_freeze, name="snapshot_freeze"),
    path("plans/<slug:code>/entry/<int:year>/", entry_views.values_entry, name="values_entry"),
    path("plans/<slug:code>/entry/<int:year>/template.xlsx", entry_views.entry_template, name="entry_template"),
    path("plans/<slug:code>/entry/<int:year>/import/", entry_views.entry_import, name="entry_import"),
    path("plans/<slug:code>/progress/<int:year>/", entry_views.progress_entry, name="progress_entry"),
    path("plans/<slug:code>/review/<int:year>/", entry_views.review, name="review"),
    path("plans/<slug:code>/status/<int:year>/", entry_views.reporting_status, name="reporting_status"),
    path("plans/<slug:code>/indicators/<int:pk>/history/", entry_views.indicator_history, name="indicator_history"),
    path("sources/<str:filename>", indicator_views.source_document, name="source_document"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("api/", include("portal.api")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler400 = "portal.errors.bad_request"
handler403 = "portal.errors.permission_denied"
handler404 = "portal.errors.page_not_found"
handler500 = "portal.errors.server_error"
