"""The REST API, version 1, mounted at /api/v1/ (schema at /api/v1/schema/, docs at /api/v1/docs/).

URL names live in the ``api`` namespace, e.g. ``reverse("api:declaration-submit", args=[pk])``.
"""

from django.urls import include, path

app_name = "api"
urlpatterns = [
    path("", include("accounts.api.urls")),
    path("", include("declarations.api.urls")),
    path("", include("review.api.urls")),
    path("", include("committees.api.urls")),
    path("", include("committees.api.ballot_urls")),
    path("", include("certificates.api.urls")),
    path("", include("core.inbox_api")),
    path("", include("reports.api.urls")),
]
