"""Forms of the certificates app: lookup, revocation, starting a batch."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from certificates.enums import BatchKind
from certificates.services import REVOKE_REASON_MAX
from core.forms import PlatformForm


class LookupForm(PlatformForm):
    number = forms.CharField(
        label=_("证书编号"), max_length=40, help_text=_("例如：CQSZ2024-3-000123-7，字母不区分大小写。")
    )
    name = forms.CharField(label=_("持证人姓名"), max_length=50)


class RevokeForm(PlatformForm):
    reason = forms.CharField(
        label=_("撤销理由"), max_length=REVOKE_REASON_MAX, widget=forms.Textarea(attrs={"rows": 3})
    )


class BatchStartForm(PlatformForm):
    kind = forms.ChoiceField(label=_("生成内容"), choices=BatchKind.choices, initial=BatchKind.DOCUMENTS)
