"""Forms of the applicant's pages: a draft declaration, the submission, the withdrawal."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrgKind
from accounts.models import Organisation
from core.forms import PlatformForm
from declarations.enums import DeclarationType, Field, Level
from declarations.models import Campaign
from declarations.selectors import campaign_list_open
from declarations.services import DRAFT_FIELDS, ORG_SLOTS
from review.enums import ApplicantCategory, Slot
from review.models import ChainStep

BLANK = [("", _("（请选择）"))]

# Which kind of organisation each of the applicant's picks must be (R3.3, R4).
SLOT_KINDS: dict[str, str] = {
    Slot.UNIT: OrgKind.UNIT,
    Slot.COMPETENT_DEPARTMENT: OrgKind.COMPETENT_DEPARTMENT,
    Slot.PERSONNEL_AGENCY: OrgKind.PERSONNEL_AGENCY,
    Slot.DISTRICT_HR: OrgKind.DISTRICT_HR,
    Slot.MANAGEMENT_BODY: OrgKind.CQ_MANAGEMENT_BODY,
}

# R5.2: the text the applicant signs before submitting.
INTEGRITY_COMMITMENT = _("本人承诺所填报信息和提交材料真实、准确、完整，如有弄虚作假，自愿承担相应责任。")


class PickField(forms.ModelChoiceField):
    """An organisation pick, labelled with its district (and level, where it matters)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", _("（未选择）"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Organisation) -> str:
        if obj.kind == OrgKind.COMPETENT_DEPARTMENT:
            return f"{obj.name}（{obj.get_level_display()}，{obj.get_district_display()}）"
        return f"{obj.name}（{obj.get_district_display()}）"


class CampaignField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Campaign) -> str:
        opens = timezone.localtime(obj.filing_opens_at).strftime("%Y-%m-%d %H:%M")
        closes = timezone.localtime(obj.filing_closes_at).strftime("%Y-%m-%d %H:%M")
        return f"{obj.name}（{opens} — {closes}）"


@dataclass(frozen=True)
class ChainRow:
    """One routing chain as the create page explains it: the picks it needs, in order."""

    code: str
    category: str
    steps: list[str]


def _step_text(step: ChainStep) -> str:
    text = str(Slot(step.slot).label)
    if step.required_level:
        text += gettext("（须为%(level)s）") % {"level": step.get_required_level_display()}
    if step.same_district_as:
        text += gettext("（须与%(slot)s同一区县）") % {"slot": Slot(step.same_district_as).label}
    return text


class DeclarationForm(PlatformForm):
    """A draft's fields; a draft may be saved incomplete (R5.1), submission checks it."""

    level = forms.ChoiceField(label=_("申报级别"), choices=BLANK + Level.choices, required=False)
    field = forms.ChoiceField(label=_("申报专业领域"), choices=BLANK + Field.choices, required=False)
    declaration_type = forms.ChoiceField(
        label=_("申报类型"),
        choices=DeclarationType.choices,
        initial=DeclarationType.NORMAL,
        help_text=_("每人每年只能正常申报一次（R2.4）。"),
    )
    category = forms.ChoiceField(
        label=_("申报人类别"),
        choices=BLANK + ApplicantCategory.choices,
        required=False,
        help_text=_("类别决定逐级审核的申报程序（R4），各类别需选择的机构见下表。"),
    )
    unit = PickField(label=Slot.UNIT.label, queryset=Organisation.objects.none(), required=False)
    competent_department = PickField(
        label=Slot.COMPETENT_DEPARTMENT.label, queryset=Organisation.objects.none(), required=False
    )
    personnel_agency = PickField(
        label=Slot.PERSONNEL_AGENCY.label, queryset=Organisation.objects.none(), required=False
    )
    district_hr = PickField(
        label=Slot.DISTRICT_HR.label, queryset=Organisation.objects.none(), required=False
    )
    management_body = PickField(
        label=Slot.MANAGEMENT_BODY.label, queryset=Organisation.objects.none(), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        steps = list(ChainStep.objects.select_related("chain").order_by("chain__code", "position"))
        needed_by: dict[str, list[str]] = defaultdict(list)
        chains: dict[str, ChainRow] = {}
        for step in steps:
            chain = step.chain
            row = chains.setdefault(chain.code, ChainRow(chain.code, str(chain.get_category_display()), []))
            row.steps.append(_step_text(step))
            needed = f"{chain.code} {chain.get_category_display()}"
            if step.required_level:
                needed += gettext("（须为%(level)s）") % {"level": step.get_required_level_display()}
            needed_by[step.slot].append(needed)
        self.chain_rows = list(chains.values())
        for slot in ORG_SLOTS:
            pick = self.fields[slot]
            pick.queryset = Organisation.objects.filter(is_active=True, kind=SLOT_KINDS[slot]).order_by(
                "district", "name"
            )
            if needed_by[slot]:
                pick.help_text = gettext("需要此项的申报人类别：%(categories)s。") % {
                    "categories": "；".join(needed_by[slot])
                }
            else:
                pick.help_text = gettext("目前没有申报程序需要此项。")

    def draft_fields(self) -> dict[str, Any]:
        """The cleaned values the draft services take."""
        return {name: self.cleaned_data[name] for name in DRAFT_FIELDS}


class DeclarationCreateForm(DeclarationForm):
    """A new draft, in one of the campaigns still open for filing (R8.3)."""

    campaign = CampaignField(
        label=_("申报批次"),
        queryset=Campaign.objects.none(),
        empty_label=None,
        help_text=_("括号内为个人申报时间（R8.3）。"),
    )

    field_order = ["campaign"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaign_list_open()


class SubmitForm(PlatformForm):
    """The integrity commitment the applicant signs when submitting (R5.2)."""

    integrity_accepted = forms.BooleanField(
        label=_("本人已阅读并签署上述诚信承诺"),
        error_messages={"required": _("提交前须签署诚信承诺（R5.2）。")},
    )


class WithdrawForm(PlatformForm):
    confirm = forms.BooleanField(
        label=_("确认撤回本申报（撤回后不能恢复）"),
        error_messages={"required": _("请勾选确认后再撤回。")},
    )
    reason = forms.CharField(label=_("撤回原因"), required=False, max_length=500)
