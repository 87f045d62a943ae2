"""Public verification of electronic certificates (R8.7), mounted at /verify/; no login."""

from django.urls import path

from certificates import views

app_name = "verify"
urlpatterns = [
    path("", views.verify_lookup, name="lookup"),
    path("<str:token>/", views.verify_certificate, name="certificate"),
]
