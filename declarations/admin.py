from django.contrib import admin

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
