"""Pages of the reports app, mounted at /reports/."""

from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("publicity/<int:pk>/publicity-list.xlsx", views.publicity_export, name="publicity_export"),
    path("campaigns/<int:pk>/acceptance-list.xlsx", views.acceptance_export, name="acceptance_export"),
    path("campaigns/<int:pk>/statistics.xlsx", views.statistics_export, name="statistics_export"),
    path(
        "campaigns/<int:pk>/certificate-numbers.xlsx",
        views.certificate_record_export,
        name="certificate_record_export",
    ),
    path("meetings/<int:pk>/results.xlsx", views.meeting_results_export, name="meeting_results_export"),
]
