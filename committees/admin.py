"""The office's admin for committees, the expert pool and committee roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrgKind
from committees.enums import CommitteeRoleKind
from committees.models import Committee, CommitteeRole, ConflictDeclaration, Expert
from declarations.enums import Field, Level


def _check_list(form: forms.ModelForm, name: str, allowed: list[str]) -> None:
    values = form.cleaned_data.get(name)
    if values in (None, ""):
        return
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        form.add_error(name, _("请填写由代码组成的列表，例如：[\"engineer\"]。"))
        return
    unknown = sorted(set(values) - set(allowed))
    if unknown:
        form.add_error(
            name,
            _("未知的代码：%(unknown)s。可用：%(allowed)s。")
            % {"unknown": "、".join(unknown), "allowed": "、".join(allowed)},
        )


class CommitteeAdminForm(forms.ModelForm):
    """A host that is a committee host, an approval body that is one, known levels and fields."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        host, approval = data.get("host"), data.get("approval_body")
        if host is not None and host.kind != OrgKind.COMMITTEE_HOST:
            self.add_error("host", _("所选机构不是评委会组建单位（R3.3）。"))
        if approval is not None and approval.kind != OrgKind.APPROVAL_BODY:
            self.add_error("approval_body", _("所选机构不是核准机构（R3.3、R8.2）。"))
        _check_list(self, "levels", list(Level.values))
        _check_list(self, "fields", list(Field.values))
        return data


class CommitteeRoleFormSet(forms.BaseInlineFormSet):
    """One chair at most, each expert once (R7.2)."""

    def clean(self) -> None:
        super().clean()
        rows = [
            f.cleaned_data
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        if sum(1 for r in rows if r.get("role") == CommitteeRoleKind.CHAIR) > 1:
            raise ValidationError(_("一个评委会只能有一名主任委员（R7.2）。"))
        experts = [r["expert"].pk for r in rows if r.get("expert") is not None]
        if len(set(experts)) != len(experts):
            raise ValidationError(_("同一专家在一个评委会中只能担任一个职务。"))


class CommitteeRoleInline(admin.TabularInline):
    model = CommitteeRole
    formset = CommitteeRoleFormSet
    extra = 1
    autocomplete_fields = ["expert"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    form = CommitteeAdminForm
    list_display = ["name", "host", "approval_body", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    inlines = [CommitteeRoleInline]


class ExpertAdminForm(forms.ModelForm):
    """An expert's term ends on or after it starts (R7.1: only experts in term are drawn)."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        start, end = data.get("term_start"), data.get("term_end")
        if start and end and end < start:
            self.add_error("term_end", _("聘期结束日期不能早于开始日期。"))
        return data


@admin.register(Expert)
class ExpertAdmin(admin.ModelAdmin):
    form = ExpertAdminForm
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
