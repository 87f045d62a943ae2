"""Pages of the certificates app for staff and holders, mounted at /certificates/."""

from django.urls import path

from certificates import views

app_name = "certificates"
urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("<int:pk>/", views.certificate_detail, name="detail"),
    path("<int:pk>/certificate.pdf", views.certificate_download, name="download"),
    path("<int:pk>/revoke/", views.certificate_revoke_view, name="revoke"),
    path("review-forms/<int:pk>/review-form.pdf", views.review_form_download, name="review_form_download"),
    path("declarations/<int:pk>/", views.declaration_documents, name="declaration"),
    path("declarations/<int:pk>/issue/", views.declaration_issue_view, name="declaration_issue"),
    path("meetings/<int:pk>/", views.meeting_documents, name="meeting"),
    path("meetings/<int:pk>/batch/", views.batch_start_view, name="batch_start"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
]
