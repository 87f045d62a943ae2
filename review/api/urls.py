"""Review API routes, included under /api/v1/."""

from django.urls import path

from review.api import publicity, views

urlpatterns = [
    path("review/queue/", views.QueueApi.as_view(), name="review-queue"),
    path("review/bulk-pass/", views.BulkPassApi.as_view(), name="review-bulk-pass"),
    path("review/declarations/<int:pk>/pass/", views.StepPassApi.as_view(), name="review-pass"),
    path("review/declarations/<int:pk>/return/", views.StepReturnApi.as_view(), name="review-return"),
    path("review/declarations/<int:pk>/refuse/", views.StepRefuseApi.as_view(), name="review-refuse"),
    path(
        "review/declarations/<int:pk>/accept/",
        views.CommitteeAcceptApi.as_view(),
        name="review-accept",
    ),
    path(
        "review/declarations/<int:pk>/not-accept/",
        views.CommitteeNotAcceptApi.as_view(),
        name="review-not-accept",
    ),
    path(
        "review/declarations/<int:pk>/committee-return/",
        views.CommitteeReturnApi.as_view(),
        name="review-committee-return",
    ),
    path(
        "review/publicity/batches/",
        publicity.PublicityBatchListApi.as_view(),
        name="publicity-batches",
    ),
    path(
        "review/publicity/complaints/<int:pk>/resolve/",
        publicity.ComplaintResolveApi.as_view(),
        name="publicity-complaint-resolve",
    ),
    path(
        "review/unit-conditions/",
        views.UnitConditionListApi.as_view(),
        name="review-unit-conditions",
    ),
    path(
        "review/unit-conditions/<int:pk>/",
        views.UnitConditionDetailApi.as_view(),
        name="review-unit-condition",
    ),
    path("publicity/complaints/", publicity.ComplaintCreateApi.as_view(), name="publicity-complaint-create"),
    path("publicity/", publicity.PublicPublicityListApi.as_view(), name="publicity-public-list"),
    path("publicity/<int:pk>/", publicity.PublicPublicityDetailApi.as_view(), name="publicity-public-detail"),
    path(
        "publicity/<int:pk>/entries/<int:entry_pk>/pdf/",
        publicity.PublicPublicityFormPdfApi.as_view(),
        name="publicity-public-form-pdf",
    ),
    path(
        "review/publicity/batches/<int:pk>/",
        publicity.PublicityBatchDetailApi.as_view(),
        name="publicity-batch-detail",
    ),
]
