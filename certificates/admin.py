"""The office's admin for certificates, review forms and batches: read-only.

Issuing and revoking go through the services (pages and API), which audit them; the
admin only shows what was issued.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from certificates.models import Certificate, DocumentBatch, ReviewForm


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "holder_name", "qualification", "field", "issued_on", "status"]
    list_filter = ["status", "level", "field"]
    search_fields = ["number", "holder_name", "approval_document_number"]
    exclude = ["token"]


@admin.register(ReviewForm)
class ReviewFormAdmin(ReadOnlyAdmin):
    list_display = ["declaration", "pages", "size", "created_at"]


@admin.register(DocumentBatch)
class DocumentBatchAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "kind", "state", "total", "done", "skipped", "failed", "started_at"]
    list_filter = ["state", "kind"]
