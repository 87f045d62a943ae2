"""Declarations API routes, included under /api/v1/."""

from django.urls import path

from declarations.api import views

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
]
