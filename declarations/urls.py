from django.urls import path

from declarations import content_views, material_views, views
from declarations.shareddata import views as shareddata_views

app_name = "declarations"
urlpatterns = [
    path("", views.declaration_list, name="list"),
    path("new/", views.declaration_create_view, name="create"),
    path("<int:pk>/", views.declaration_detail, name="detail"),
    path("<int:pk>/edit/", views.declaration_edit, name="edit"),
    path("<int:pk>/submit/", views.declaration_submit_view, name="submit"),
    path("<int:pk>/resubmit/", views.declaration_resubmit_view, name="resubmit"),
    path("<int:pk>/withdraw/", views.declaration_withdraw_view, name="withdraw"),
    path("<int:pk>/remind/", views.declaration_remind_view, name="remind"),
    path("<int:pk>/achievements/new/", material_views.achievement_create_view, name="achievement_create"),
    path(
        "<int:pk>/achievements/<int:achievement_pk>/edit/",
        material_views.achievement_edit_view,
        name="achievement_edit",
    ),
    path(
        "<int:pk>/achievements/<int:achievement_pk>/delete/",
        material_views.achievement_delete_view,
        name="achievement_delete",
    ),
    path("<int:pk>/evidence/", material_views.evidence_upload_view, name="evidence_upload"),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/",
        material_views.evidence_download_view,
        name="evidence_download",
    ),
    path(
        "<int:pk>/evidence/<int:evidence_pk>/delete/",
        material_views.evidence_delete_view,
        name="evidence_delete",
    ),
    path("<int:pk>/payment/confirm/", material_views.payment_confirm_view, name="payment_confirm"),
    # R5.4 shared data (declarations/shareddata/views.py).
    path("<int:pk>/shared-data/verify/", shareddata_views.shared_data_verify_view,
         name="shared_data_verify"),
    path("<int:pk>/shared-data/<str:kind>/confirm/", shareddata_views.shared_data_confirm_view,
         name="shared_data_confirm"),
]

# The declaration's content and its eligibility checklist (declarations/content_views.py).
urlpatterns += [
    path("<int:pk>/content/", content_views.declaration_content, name="content"),
    path("<int:pk>/content/status/", content_views.applicant_status_view, name="content_status"),
    path("<int:pk>/content/title/", content_views.current_title_view, name="content_title"),
    path("<int:pk>/content/<str:section>/add/", content_views.content_row_add_view, name="content_row_add"),
    path(
        "<int:pk>/content/<str:section>/<int:row_pk>/edit/",
        content_views.content_row_edit_view,
        name="content_row_edit",
    ),
    path(
        "<int:pk>/content/<str:section>/<int:row_pk>/delete/",
        content_views.content_row_delete_view,
        name="content_row_delete",
    ),
]
