from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation, TitleAdministrator, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "real_name", "masked_id_number", "phone", "is_staff"]
    search_fields = ["username", "real_name", "phone"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("实名信息"), {"fields": ("real_name", "id_number", "phone")}),
    )

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # R3.1: the ID number cannot be changed once bound.
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.id_number:
            readonly.append("id_number")
        return readonly


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "level", "district", "superior", "contact_person",
                    "contact_phone", "is_active"]
    list_filter = ["kind", "level", "district", "is_active"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["superior", "registered_by"]


@admin.register(TitleAdministrator)
class TitleAdministratorAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "is_active", "bound_at"]
    list_filter = ["is_active", "organisation__kind"]
    raw_id_fields = ["user", "organisation"]
