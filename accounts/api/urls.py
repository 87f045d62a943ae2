"""Accounts API routes, included under /api/v1/."""

from django.urls import path

from accounts.api import views

urlpatterns = [
    path("auth/token/", views.TokenObtainApi.as_view(), name="token"),
    path("accounts/register/", views.UserRegisterApi.as_view(), name="register"),
    path("accounts/me/", views.MeApi.as_view(), name="me"),
    path("organisations/", views.OrganisationListCreateApi.as_view(), name="organisations"),
]
