"""Root URLs: pages per app, the API under /api/v1/, its schema and docs."""

from csp.constants import UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView

# The API docs pages' own scripts load from files (the split view serves Swagger's setup
# script; templates/drf_spectacular/redoc.html has none inline); their widgets insert
# <style> elements, so only those two pages allow inline styles (docs/reliability.md).
_docs_csp = csp_update({"style-src": [UNSAFE_INLINE]})

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("declarations/", include("declarations.urls")),
    path("review/", include("review.urls")),
    path("publicity/", include("review.public_urls")),
    path("committees/", include("committees.urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", include("certificates.public_urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "api/v1/docs/",
        _docs_csp(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    path("api/v1/redoc/", _docs_csp(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    path("", include("core.health")),  # /healthz, /healthz/live (docs/deployment.md)
    path("", include("core.urls")),
]

handler500 = "core.errors.server_error"
