"""The URL tree: each app's own urls, the API, log-in, languages and the admin."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from portal import views

admin.site.site_header = admin.site.site_title = _("生态环境保护规划指标跟踪平台")

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("status.css", views.status_css, name="status_css"),
    path("", include("reports.urls")),
    path("", include("entry.urls")),
    path("", include("intake.urls")),
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
