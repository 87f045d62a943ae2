"""Certificates API routes, included under /api/v1/."""

from django.urls import path

from certificates.api import views

urlpatterns = [
    path("certificates/", views.CertificateListApi.as_view(), name="certificate-list"),
    path("certificates/<int:pk>/", views.CertificateDetailApi.as_view(), name="certificate-detail"),
    path("certificates/<int:pk>/pdf/", views.CertificatePdfApi.as_view(), name="certificate-pdf"),
    path("certificates/<int:pk>/revoke/", views.CertificateRevokeApi.as_view(), name="certificate-revoke"),
    path("review-forms/<int:pk>/pdf/", views.ReviewFormPdfApi.as_view(), name="review-form-pdf"),
    path(
        "declarations/<int:pk>/documents/",
        views.DeclarationDocumentsApi.as_view(),
        name="declaration-documents",
    ),
    path(
        "meetings/<int:pk>/document-batches/",
        views.MeetingBatchApi.as_view(),
        name="meeting-document-batches",
    ),
    path("document-batches/<int:pk>/", views.BatchDetailApi.as_view(), name="document-batch"),
    path("verify/", views.VerifyLookupApi.as_view(), name="certificate-verify-lookup"),
    path("verify/<str:token>/", views.VerifyApi.as_view(), name="certificate-verify"),
]
