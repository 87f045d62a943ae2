import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrgKind
from accounts.validators import validate_id_number
from declarations import models
from declarations.enums import Level
from declarations.models import Campaign, Declaration

# How long after the applicants' window closes the organisations may still send to the
# committee (R8.3 says "within the filing window"; the office may give them some time).
MAX_CHAIN_DAYS_AFTER_CLOSE = 120
# The longest applicants' window the admin accepts: a typo in a year shows up here.
MAX_WINDOW_DAYS = 180
MAX_MIN_YEARS = 40


class CampaignAdminForm(forms.ModelForm):
    """Refuses a campaign whose dates, fees or organisations do not fit together (R8.3, R8.5)."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("filing_opens_at"), data.get("filing_closes_at")
        chain, year = data.get("chain_deadline"), data.get("year")
        if opens and closes:
            if closes <= opens:
                self.add_error("filing_closes_at", _("个人申报截止时间必须晚于开始时间。"))
            elif closes - opens > datetime.timedelta(days=MAX_WINDOW_DAYS):
                self.add_error(
                    "filing_closes_at",
                    _("个人申报时间不能超过%(days)s天，请检查年份。") % {"days": MAX_WINDOW_DAYS},
                )
        if closes and chain:
            if chain < closes:
                self.add_error(
                    "chain_deadline", _("报送评委会截止时间不能早于个人申报截止时间（R8.3）。")
                )
            elif chain - closes > datetime.timedelta(days=MAX_CHAIN_DAYS_AFTER_CLOSE):
                self.add_error(
                    "chain_deadline",
                    _("报送评委会截止时间不能晚于个人申报截止后%(days)s天（R8.3）。")
                    % {"days": MAX_CHAIN_DAYS_AFTER_CLOSE},
                )
        if opens and year and timezone.localtime(opens).year != year:
            self.add_error("year", _("年度须与个人申报开始时间所在年份一致。"))
        cutoff = data.get("work_years_cutoff")
        if cutoff and year and not year - 1 <= cutoff.year <= year + 1:
            self.add_error("work_years_cutoff", _("任职年限计算截止日期须在申报年度前后一年之内（R8.3）。"))
        valid = data.get("material_valid_until")
        if valid and chain and valid < timezone.localtime(chain).date():
            self.add_error("material_valid_until", _("材料有效截止日期不能早于报送评委会截止时间（R8.3）。"))
        self._clean_fees(data)
        host, approval = data.get("committee_host"), data.get("approval_body")
        if host and host.kind != OrgKind.COMMITTEE_HOST:
            self.add_error("committee_host", _("所选机构不是评委会组建单位。"))
        if approval and approval.kind != OrgKind.APPROVAL_BODY:
            self.add_error("approval_body", _("所选机构不是核准机构。"))
        return data

    def _clean_fees(self, data: dict[str, Any]) -> None:
        # R8.5: one fee per band, none negative, a higher band never cheaper.
        fees = [(f, data.get(f)) for f in ("fee_junior", "fee_intermediate", "fee_senior")]
        for name, fee in fees:
            if fee is not None and fee < Decimal("0"):
                self.add_error(name, _("评审费不能为负数（R8.5）。"))
        values = [fee for _name, fee in fees]
        if None not in values and not values[0] <= values[1] <= values[2]:
            self.add_error("fee_senior", _("评审费须满足：高级 ≥ 中级 ≥ 初级（R8.5）。"))


class EligibilityRuleInlineFormSet(forms.BaseInlineFormSet):
    """Refuses the same alternative twice for one level (R2.2)."""

    def clean(self) -> None:
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            d = form.cleaned_data
            key = (d.get("level"), d.get("min_education"), d.get("min_years"), d.get("required_prior_level"))
            if key in seen:
                raise ValidationError(_("同一级别的申报条件重复了，请删除重复的一行。"))
            seen.add(key)


class EligibilityRuleForm(forms.ModelForm):
    """One alternative of a level's conditions: a prior title below the level, sane years."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        level, prior = data.get("level"), data.get("required_prior_level")
        order = list(Level.values)
        if level and prior and order.index(prior) >= order.index(level):
            self.add_error("required_prior_level", _("须具备的现职称级别必须低于申报级别（R2.2）。"))
        years = data.get("min_years")
        if years is not None and years > MAX_MIN_YEARS:
            self.add_error("min_years", _("任职年限不能超过%(n)s年。") % {"n": MAX_MIN_YEARS})
        return data


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    form = CampaignAdminForm
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
    form = EligibilityRuleForm
    formset = EligibilityRuleInlineFormSet
    extra = 0


CampaignAdmin.inlines = [EligibilityRuleInline]


@admin.register(models.EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    form = EligibilityRuleForm
    list_display = ["campaign", "level", "min_education", "min_years", "required_prior_level", "note"]
    list_filter = ["campaign", "level"]
    list_select_related = ["campaign"]


class SanctionEntryForm(forms.ModelForm):
    """A valid ID number and a period that ends on or after it starts (R1.2)."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean_id_number(self) -> str:
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        validate_id_number(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("影响期结束日期不能早于开始日期。"))
        return data


@admin.register(models.SanctionEntry)
class SanctionEntryAdmin(admin.ModelAdmin):
    """R1.2: people inside a title-review sanction period, kept by the office."""

    form = SanctionEntryForm

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
