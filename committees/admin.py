"""The office's admin for committees, the expert pool and committee roles."""

from __future__ import annotations

from django.contrib import admin

from committees.models import Committee, CommitteeRole, ConflictDeclaration, Expert


class CommitteeRoleInline(admin.TabularInline):
    model = CommitteeRole
    extra = 1
    autocomplete_fields = ["expert"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "host", "approval_body", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [CommitteeRoleInline]


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    list_display = ["name", "field", "title", "employer_name", "term_start", "term_end", "is_active"]
    list_filter = ["field", "is_active"]
    search_fields = ["name", "employer_name"]
    raw_id_fields = ["user", "employer"]


@admin.register(CommitteeRole)
class CommitteeRoleAdmin(admin.ModelAdmin):
    list_display = ["committee", "expert", "role"]
    list_filter = ["committee", "role"]
    autocomplete_fields = ["expert"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(admin.ModelAdmin):
    list_display = ["expert", "declaration", "reason", "created_at"]
    raw_id_fields = ["expert", "declaration"]


# --- Results: review report, results publicity, confirmation (R8.1, R8.2); read-only here,
# every change goes through committees.outcomes. ---

from committees.models import (  # noqa: E402
    ConfirmationEntry,
    ConfirmationNotice,
    ResultsComplaint,
    ResultsPublicity,
    ResultsPublicityEntry,
    ReviewReport,
)


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ReviewReport)
class ReviewReportAdmin(_ReadOnlyAdmin):
    list_display = ["meeting", "due_on", "submitted_at", "submitted_by", "sha256"]


class ResultsPublicityEntryInline(admin.TabularInline):
    model = ResultsPublicityEntry
    extra = 0
    can_delete = False
    fields = ["declaration", "status", "released_at"]
    readonly_fields = fields


@admin.register(ResultsPublicity)
class ResultsPublicityAdmin(_ReadOnlyAdmin):
    list_display = ["title", "meeting", "working_days", "starts_at", "ends_at"]
    inlines = [ResultsPublicityEntryInline]


@admin.register(ResultsComplaint)
class ResultsComplaintAdmin(_ReadOnlyAdmin):
    list_display = ["entry", "filed_at", "outcome", "resolved_by", "resolved_at"]
    list_filter = ["outcome"]


class ConfirmationEntryInline(admin.TabularInline):
    model = ConfirmationEntry
    extra = 0
    can_delete = False
    fields = ["declaration"]
    readonly_fields = fields


@admin.register(ConfirmationNotice)
class ConfirmationNoticeAdmin(_ReadOnlyAdmin):
    list_display = ["title", "meeting", "kind", "state", "document_number", "due_on", "confirmed_at"]
    list_filter = ["kind", "state"]
    search_fields = ["title", "document_number"]
    inlines = [ConfirmationEntryInline]
