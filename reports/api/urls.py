"""Reports API routes, included under /api/v1/."""

from django.urls import path

from reports.api import views as v

urlpatterns = [
    path("dashboard/", v.DashboardApi.as_view(), name="dashboard"),
    path("campaigns/<int:pk>/statistics/", v.CampaignStatisticsApi.as_view(), name="campaign-statistics"),
    path("exports/publicity/<int:pk>/", v.PublicityExportApi.as_view(), name="export-publicity"),
    path("exports/campaigns/<int:pk>/acceptance/", v.AcceptanceExportApi.as_view(), name="export-acceptance"),
    path("exports/campaigns/<int:pk>/statistics/", v.StatisticsExportApi.as_view(), name="export-statistics"),
    path(
        "exports/campaigns/<int:pk>/certificate-numbers/",
        v.CertificateRecordExportApi.as_view(),
        name="export-certificate-numbers",
    ),
    path(
        "exports/meetings/<int:pk>/results/",
        v.MeetingResultsExportApi.as_view(),
        name="export-meeting-results",
    ),
]
