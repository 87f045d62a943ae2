"""Forms of the declaration's material: achievements (R2.5), evidence files (R8.6), fees (R8.5)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import PlatformForm
from declarations.enums import (
    DECLARATION_PURPOSES,
    AchievementKind,
    EvidencePurpose,
    PaymentMethod,
    achievement_purposes,
)
from declarations.models import Achievement

BLANK = [("", _("（请选择）"))]
# Offered to the browser's file picker; the server decides by content, not by name.
ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


class AchievementForm(PlatformForm):
    """An achievement's fields (R2.5); which evidence it needs depends on its kind (R8.6)."""

    kind = forms.ChoiceField(label=_("成果类型"), choices=BLANK + AchievementKind.choices)
    title = forms.CharField(label=_("名称"), max_length=200)
    obtained_on = forms.DateField(
        label=_("取得时间"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("只计算取得现职称之后的业绩成果（R2.5）。"),
    )
    role = forms.CharField(
        label=_("本人角色/排名"), max_length=100, help_text=_("例如：项目负责人、第一作者、第2发明人。")
    )
    description = forms.CharField(
        label=_("简要说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    FIELDS = ("kind", "title", "obtained_on", "role", "description")

    @classmethod
    def initial_for(cls, achievement: Achievement) -> dict[str, Any]:
        return {name: getattr(achievement, name) for name in cls.FIELDS}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class EvidenceUploadForm(PlatformForm):
    """One file for an achievement, or for the declaration itself (R5.4, R4.4, R4.6)."""

    purpose = forms.ChoiceField(label=_("材料类型"), choices=())
    achievement = forms.IntegerField(required=False, widget=forms.HiddenInput)
    file = forms.FileField(
        label=_("文件"),
        allow_empty_file=True,  # the service refuses an empty file with its own reason
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
    )

    def __init__(self, *args: Any, achievement: Achievement | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        purposes = achievement_purposes(achievement.kind) if achievement else DECLARATION_PURPOSES
        self.fields["purpose"].choices = BLANK + [(p, EvidencePurpose(p).label) for p in purposes]
        self.fields["file"].help_text = gettext("PDF、JPEG或PNG格式，单个文件不超过%(mb)d MB。") % {
            "mb": settings.EVIDENCE_MAX_FILE_BYTES // (1024 * 1024)
        }
        if achievement is not None:
            self.fields["achievement"].initial = achievement.pk
        self.achievement_obj = achievement
        prefix = f"a{achievement.pk}" if achievement else "d"
        self.auto_id = f"id_{prefix}_%s"


class PaymentConfirmForm(PlatformForm):
    """The committee host's record that the fee was received; the amount is not an input."""

    method = forms.ChoiceField(label=_("缴费方式"), choices=BLANK + PaymentMethod.choices)
    reference = forms.CharField(label=_("缴费凭证号"), max_length=100, required=False)
