from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrgKind
from declarations.forms import SLOT_KINDS
from review.enums import Slot
from review.models import ChainStep, Decision, RoutingChain, UnitCondition

# Only these kinds are organised by administrative level (R4.1, R4.2).
LEVELLED_KINDS = {OrgKind.COMPETENT_DEPARTMENT}


class ChainStepForm(forms.ModelForm):
    """One step: the organisation kind must be the one its slot picks (R3.3, R4)."""

    # No Meta: the admin builds the form with its own model and fields.

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        slot, kind = data.get("slot"), data.get("org_kind")
        if slot and kind and SLOT_KINDS.get(slot) != kind:
            self.add_error(
                "org_kind",
                _("“%(slot)s”只能由%(kind)s担任。")
                % {"slot": Slot(slot).label, "kind": OrgKind(SLOT_KINDS[slot]).label},
            )
        if data.get("required_level") and kind and kind not in LEVELLED_KINDS:
            self.add_error("required_level", _("只有主管部门环节可以要求层级（R4.1、R4.2）。"))
        if slot and data.get("same_district_as") == slot:
            self.add_error("same_district_as", _("一个环节不能要求与自身同一区县。"))
        return data


class ChainStepFormSet(forms.BaseInlineFormSet):
    """A chain is a gapless sequence 0, 1, 2 ... of distinct slots (R4.1 to R4.6).

    A step may only refer (``same_district_as``) to a slot an earlier step of the same
    chain fills: the organisation it names is then known when the step is checked.
    """

    def clean(self) -> None:
        super().clean()
        steps = [
            f.cleaned_data
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE")
        ]
        if any(f.errors for f in self.forms):
            return
        if not steps:
            raise ValidationError(_("申报程序至少要有一个审核环节。"))
        positions = sorted(s["position"] for s in steps)
        if positions != list(range(len(steps))):
            raise ValidationError(
                _("审核环节的顺序必须从0开始连续编号（0、1、2……），当前为：%(positions)s，缺少环节或顺序重复。")
                % {"positions": "、".join(str(p) for p in positions)}
            )
        slots = [s["slot"] for s in steps]
        if len(set(slots)) != len(slots):
            raise ValidationError(_("同一机构来源在一个申报程序中只能出现一次。"))
        earlier: set[str] = set()
        for step in sorted(steps, key=lambda s: s["position"]):
            other = step.get("same_district_as")
            if other and other not in earlier:
                raise ValidationError(
                    _("第%(position)s个环节要求与“%(slot)s”同一区县，但之前的环节中没有该机构来源。")
                    % {"position": step["position"], "slot": Slot(other).label}
                )
            earlier.add(step["slot"])


class ChainStepInline(admin.TabularInline):
    model = ChainStep
    form = ChainStepForm
    formset = ChainStepFormSet
    extra = 0


@admin.register(RoutingChain)
class RoutingChainAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "category"]
    inlines = [ChainStepInline]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["declaration", "organisation", "kind", "decided_at", "actor"]
    list_filter = ["kind"]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(UnitCondition)
class UnitConditionAdmin(admin.ModelAdmin):
    list_display = [
        "unit", "campaign", "level", "min_education", "min_years_in_title", "min_achievements",
        "created_by", "created_at",
    ]
    list_filter = ["campaign", "level"]
    search_fields = ["unit__name"]
    raw_id_fields = ["unit", "created_by"]
