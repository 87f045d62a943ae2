"""Declarations API routes, included under /api/v1/."""

from django.urls import path

from declarations.api import content, material, shareddata, views

urlpatterns = [
    path("campaigns/", views.CampaignListApi.as_view(), name="campaigns"),
    path("declarations/", views.DeclarationListCreateApi.as_view(), name="declarations"),
    path("declarations/<int:pk>/", views.DeclarationDetailApi.as_view(), name="declaration"),
    path(
        "declarations/<int:pk>/submit/",
        views.DeclarationSubmitApi.as_view(),
        name="declaration-submit",
    ),
    path(
        "declarations/<int:pk>/resubmit/",
        views.DeclarationResubmitApi.as_view(),
        name="declaration-resubmit",
    ),
    path(
        "declarations/<int:pk>/withdraw/",
        views.DeclarationWithdrawApi.as_view(),
        name="declaration-withdraw",
    ),
    path(
        "declarations/<int:pk>/remind/",
        views.DeclarationRemindApi.as_view(),
        name="declaration-remind",
    ),
    path(
        "declarations/<int:pk>/achievements/",
        material.AchievementListCreateApi.as_view(),
        name="achievements",
    ),
    path(
        "declarations/<int:pk>/achievements/<int:achievement_pk>/",
        material.AchievementDetailApi.as_view(),
        name="achievement",
    ),
    path("declarations/<int:pk>/evidence/", material.EvidenceListCreateApi.as_view(), name="evidence"),
    path(
        "declarations/<int:pk>/evidence/<int:evidence_pk>/",
        material.EvidenceDetailApi.as_view(),
        name="evidence-detail",
    ),
    path(
        "declarations/<int:pk>/evidence/<int:evidence_pk>/download/",
        material.EvidenceDownloadApi.as_view(),
        name="evidence-download",
    ),
    path("declarations/<int:pk>/payment/", material.PaymentApi.as_view(), name="payment"),
    path(
        "declarations/<int:pk>/payment/confirm/",
        material.PaymentConfirmApi.as_view(),
        name="payment-confirm",
    ),
    # R5.4 shared data and versions (declarations/api/shareddata.py).
    path(
        "declarations/<int:pk>/shared-data/",
        shareddata.SharedDataListApi.as_view(),
        name="shared-data",
    ),
    path(
        "declarations/<int:pk>/shared-data/verify/",
        shareddata.SharedDataVerifyApi.as_view(),
        name="shared-data-verify",
    ),
    path(
        "declarations/<int:pk>/shared-data/<str:kind>/confirm/",
        shareddata.SharedDataConfirmApi.as_view(),
        name="shared-data-confirm",
    ),
    path("declarations/<int:pk>/versions/", shareddata.VersionListApi.as_view(), name="versions"),
    path(
        "declarations/<int:pk>/versions/diff/",
        shareddata.VersionDiffApi.as_view(),
        name="versions-diff",
    ),
    path(
        "declarations/<int:pk>/versions/<int:number>/",
        shareddata.VersionDetailApi.as_view(),
        name="version",
    ),
]

# The declaration's content and eligibility (declarations/api/content.py).
urlpatterns += [
    path("declarations/<int:pk>/content/", content.ContentApi.as_view(), name="declaration-content"),
    path(
        "declarations/<int:pk>/eligibility/",
        content.EligibilityApi.as_view(),
        name="declaration-eligibility",
    ),
    path(
        "declarations/<int:pk>/applicant-status/",
        content.ApplicantStatusApi.as_view(),
        name="declaration-applicant-status",
    ),
    path(
        "declarations/<int:pk>/current-title/",
        content.CurrentTitleApi.as_view(),
        name="declaration-current-title",
    ),
]
for _section, _segment in content.SECTION_PATHS.items():
    urlpatterns += [
        path(
            f"declarations/<int:pk>/{_segment}/",
            content.ROW_LIST_APIS[_section].as_view(),
            name=f"declaration-{_segment}",
        ),
        path(
            f"declarations/<int:pk>/{_segment}/<int:row_id>/",
            content.ROW_DETAIL_APIS[_section].as_view(),
            name=f"declaration-{_segment}-row",
        ),
    ]
