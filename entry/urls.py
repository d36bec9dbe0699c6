from django.urls import path

from entry import views

urlpatterns = [
    path("plans/<slug:code>/entry/<int:year>/", views.values_entry, name="values_entry"),
    path("plans/<slug:code>/entry/<int:year>/template.xlsx", views.entry_template, name="entry_template"),
    path("plans/<slug:code>/entry/<int:year>/import/", views.entry_import, name="entry_import"),
    path("plans/<slug:code>/progress/<int:year>/", views.progress_entry, name="progress_entry"),
    path("plans/<slug:code>/review/<int:year>/", views.review, name="review"),
    path("plans/<slug:code>/status/<int:year>/", views.reporting_status, name="reporting_status"),
    path("plans/<slug:code>/indicators/<int:pk>/history/", views.indicator_history, name="indicator_history"),
]
