"""Review API routes, included under /api/v1/."""

from django.urls import path

from review.api import views

urlpatterns = [
    path("review/queue/", views.QueueApi.as_view(), name="review-queue"),
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
]
