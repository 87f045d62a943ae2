"""Decision forms of the reviewing organisations (R6.1) and of the committee host (R6.6)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PlatformForm
from review.enums import NotAcceptReason


class DefectsField(forms.CharField):
    """A textarea of defects, one per line, cleaned to a list of non-blank lines."""

    widget = forms.Textarea(attrs={"rows": 5})

    def clean(self, value: str | None) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


class StepDecisionForm(PlatformForm):
    """A reviewing organisation passes, returns or refuses at its step (R6.1)."""

    PASS = "pass"
    RETURN = "return"
    REFUSE = "refuse"

    action = forms.ChoiceField(
        label=_("审核结论"),
        widget=forms.RadioSelect,
        choices=[
            (PASS, _("审核通过，报送上一级")),
            (RETURN, _("退回补正")),
            (REFUSE, _("不予推荐")),
        ],
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不予推荐时必须填写理由，申报人可以看到（R6.1）。"),
    )
    defects = DefectsField(
        label=_("需补正的问题"),
        required=False,
        max_length=5000,
        help_text=_("退回补正时填写，每行一项，须一次性列明全部问题（R6.1）。"),
    )


class CommitteeDecisionForm(PlatformForm):
    """The committee host's first check: accept, not accept or return (R6.6)."""

    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    RETURN = "return"

    action = forms.ChoiceField(
        label=_("受理审核结论"),
        widget=forms.RadioSelect,
        choices=[(ACCEPT, _("受理")), (NOT_ACCEPT, _("不予受理")), (RETURN, _("退回补正"))],
    )
    reason_code = forms.ChoiceField(
        label=_("不予受理理由"),
        required=False,
        choices=[("", _("（请选择）")), *NotAcceptReason.choices],
        help_text=_("选择“不予受理”时必选（R6.6）。"),
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    defects = DefectsField(
        label=_("需补正的问题"),
        required=False,
        max_length=5000,
        help_text=_(
            "退回补正时填写，每行一项，须一次性告知全部问题；第三次报送评委会仍不符合要求的，"
            "评审终止（R6.6）。"
        ),
    )
