from django.contrib import admin

from declarations import models
from declarations.models import Campaign, Declaration


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "filing_opens_at", "filing_closes_at", "chain_deadline"]
    list_filter = ["year"]


@admin.register(Declaration)
class DeclarationAdmin(admin.ModelAdmin):
    list_display = ["pk", "applicant", "campaign", "level", "field", "category", "state",
                    "current_organisation"]
    list_filter = ["state", "level", "category", "campaign"]
    list_select_related = ["applicant", "campaign", "current_organisation"]
    raw_id_fields = ["applicant", "unit", "competent_department", "personnel_agency",
                     "district_hr", "management_body", "current_organisation"]
    search_fields = ["applicant__real_name", "applicant__username"]
    # State changes go through the services, never through the admin.
    readonly_fields = ["state", "chain", "current_step", "current_organisation",
                       "committee_submissions", "submitted_at", "integrity_signed_at",
                       "integrity_signed_ip", "state_changed_at"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


# --- achievements, evidence files, fees (issue 3) -------------------------------------------
# Read-only: every change goes through declarations.achievements / evidence / payments,
# which check the rules and write the audit rows.


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.Achievement)
class AchievementAdmin(_ReadOnlyAdmin):
    list_display = ["pk", "declaration", "kind", "title", "obtained_on", "role"]
    list_filter = ["kind"]
    list_select_related = ["declaration__applicant", "declaration__campaign"]
    search_fields = ["title", "declaration__applicant__real_name"]


@admin.register(models.Evidence)
class EvidenceAdmin(_ReadOnlyAdmin):
    list_display = ["pk", "declaration", "purpose", "original_name", "size", "content_type", "created_at"]
    list_filter = ["purpose", "content_type"]
    list_select_related = ["declaration__applicant", "declaration__campaign"]
    exclude = ["file"]  # downloads go through the checked view, never a direct storage link


@admin.register(models.Payment)
class PaymentAdmin(_ReadOnlyAdmin):
    list_display = ["pk", "declaration", "amount", "status", "method", "reference", "confirmed_at"]
    list_filter = ["status", "method"]
    list_select_related = ["declaration__applicant", "declaration__campaign"]


class EligibilityRuleInline(admin.TabularInline):
    """R2.2: the office edits each campaign's conditions per level (docs/eligibility.md)."""

    model = models.EligibilityRule
    extra = 0


CampaignAdmin.inlines = [EligibilityRuleInline]


@admin.register(models.EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = ["campaign", "level", "min_education", "min_years", "required_prior_level", "note"]
    list_filter = ["campaign", "level"]
    list_select_related = ["campaign"]


@admin.register(models.SanctionEntry)
class SanctionEntryAdmin(admin.ModelAdmin):
    """R1.2: people inside a title-review sanction period, kept by the office."""

    list_display = ["id_number", "name", "reason", "starts_on", "ends_on"]
    search_fields = ["id_number", "name"]
    date_hierarchy = "ends_on"


@admin.register(models.SharedDataRecord)
class SharedDataRecordAdmin(admin.ModelAdmin):
    """R5.4: the reference dataset; imported with `manage.py import_shared_data`."""

    list_display = ["kind", "id_number", "source", "imported_at"]
    list_filter = ["kind", "source"]
    search_fields = ["id_number"]


@admin.register(models.SharedDataCheck)
class SharedDataCheckAdmin(admin.ModelAdmin):
    """R5.4: results are written by the checks and the unit's finding, never here."""

    list_display = ["declaration", "kind", "status", "checked_at", "confirmed_by"]
    list_filter = ["kind", "status"]
    list_select_related = ["declaration__applicant", "declaration__campaign", "confirmed_by"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(models.DeclarationVersion)
class DeclarationVersionAdmin(admin.ModelAdmin):
    """Versions are frozen at (re)submission and never edited."""

    list_display = ["declaration", "number", "reason", "frozen_at"]
    list_select_related = ["declaration__applicant", "declaration__campaign"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
