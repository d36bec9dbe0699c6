from django.urls import path

from intake import views

urlpatterns = [
    path("intake/", views.intake_index, name="intake_index"),
    path("intake/upload/", views.intake_upload, name="intake_upload"),
    path("intake/regions/", views.region_add, name="intake_region_add"),
    path("intake/<int:pk>/", views.draft_detail, name="intake_draft"),
    path("intake/<int:pk>/publish/", views.draft_publish, name="intake_publish"),
    path("intake/<int:pk>/discard/", views.draft_discard, name="intake_discard"),
]
