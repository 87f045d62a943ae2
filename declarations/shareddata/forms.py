"""The unit's finding on an item that failed shared-data verification (R5.4)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import PlatformForm


class SharedDataConfirmForm(PlatformForm):
    ACCEPT = "accept"
    REJECT = "reject"

    decision = forms.ChoiceField(
        label=_("人工核实结论"),
        choices=[(ACCEPT, _("核实无误，确认")), (REJECT, _("核实不符"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=500,
        help_text=_("核实不符时必填，申报人可见。"),
    )

    @property
    def accepted(self) -> bool:
        return self.cleaned_data["decision"] == self.ACCEPT
