from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from indicators import views as indicator_views

admin.site.site_header = admin.site.site_title = "生态环境保护规划指标跟踪平台"

urlpatterns = [
    path("", indicator_views.home, name="home"),
    path("plans/<slug:code>/", indicator_views.plan_detail, name="plan_detail"),
    path("sources/<str:filename>", indicator_views.source_document, name="source_document"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
