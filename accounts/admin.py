from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrgKind
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


# The kinds an organisation's superior (the department its complaints go up to, R6.3)
# may be, by the organisation's own kind (R3.3, R4). A kind not listed may have any
# superior but a unit: a unit is never anyone's superior.
SUPERIOR_KINDS: dict[str, set[str]] = {
    OrgKind.UNIT: {OrgKind.COMPETENT_DEPARTMENT, OrgKind.PERSONNEL_AGENCY, OrgKind.DISTRICT_HR,
                   OrgKind.CQ_MANAGEMENT_BODY},
    OrgKind.COMPETENT_DEPARTMENT: {OrgKind.DISTRICT_HR, OrgKind.COMPETENT_DEPARTMENT,
                                   OrgKind.APPROVAL_BODY},
    OrgKind.PERSONNEL_AGENCY: {OrgKind.DISTRICT_HR, OrgKind.APPROVAL_BODY},
    OrgKind.DISTRICT_HR: {OrgKind.APPROVAL_BODY},
}
_ANY_BUT_UNIT = {k for k in OrgKind.values if k != OrgKind.UNIT}


class OrganisationAdminForm(forms.ModelForm):
    """Refuses a superior that is itself, one of its own subordinates, or of the wrong kind."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        superior, kind = data.get("superior"), data.get("kind")
        if superior is None:
            return data
        if self.instance.pk and superior.pk == self.instance.pk:
            self.add_error("superior", _("上级机构不能是本机构。"))
            return data
        node, seen = superior, set()
        while node is not None and node.pk not in seen:
            if self.instance.pk and node.pk == self.instance.pk:
                self.add_error("superior", _("上级机构不能是本机构的下级机构（形成循环）。"))
                return data
            seen.add(node.pk)
            node = node.superior
        if kind and superior.kind not in SUPERIOR_KINDS.get(kind, _ANY_BUT_UNIT):
            self.add_error(
                "superior",
                _("%(kind)s的上级机构不能是%(superior)s。")
                % {"kind": OrgKind(kind).label, "superior": superior.get_kind_display()},
            )
        return data


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    form = OrganisationAdminForm
    list_display = ["name", "kind", "level", "district", "superior", "contact_person",
                    "contact_phone", "is_active"]
    list_filter = ["kind", "level", "district", "is_active"]
    search_fields = ["name", "credit_code"]
    raw_id_fields = ["superior", "registered_by"]


class TitleAdministratorAdminForm(forms.ModelForm):
    """A binding the rules allow: an active organisation, no open declaration (R1.3, R3.2)."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        user, org, active = data.get("user"), data.get("organisation"), data.get("is_active")
        unbound_at = data.get("unbound_at")
        if active and unbound_at:
            self.add_error("unbound_at", _("在岗的管理员不能有解除时间；解除绑定请取消“在岗”。"))
        if not active:
            return data
        if org is not None and not org.is_active:
            self.add_error("organisation", _("该机构已停用，不能绑定管理员。"))
        if user is not None:
            from declarations.enums import State
            from declarations.models import Declaration
            from declarations.workflow import FINAL_STATES

            open_states = [s for s in State if s not in FINAL_STATES and s != State.DRAFT]
            if Declaration.objects.filter(applicant=user, state__in=open_states).exists():
                # R1.3: a bound administrator may not declare, so someone still declaring
                # may not be bound.
                self.add_error(
                    "user", _("该用户有正在办理的职称申报，绑定为职称管理员前须先办结或撤回（R1.3）。")
                )
        return data


@admin.register(TitleAdministrator)
class TitleAdministratorAdmin(admin.ModelAdmin):
    form = TitleAdministratorAdminForm
    list_display = ["user", "organisation", "is_active", "bound_at"]
    list_filter = ["is_active", "organisation__kind"]
    raw_id_fields = ["user", "organisation"]
