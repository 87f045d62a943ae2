"""Forms of the pages after the meeting (R8.1, R8.2); each feeds one service of committees.outcomes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from committees.enums import ConfirmationKind, ResultsComplaintOutcome
from committees.outcomes import COMPLAINT_MAX_LENGTH, MAX_PUBLICITY_DAYS, MIN_PUBLICITY_DAYS
from core.forms import PlatformForm


class ReviewReportForm(PlatformForm):
    note = forms.CharField(
        label=_("情况说明"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("评审工作的组织情况、需要说明的问题等；统计数据由系统生成。"),
    )


class ResultsPublishForm(PlatformForm):
    working_days = forms.IntegerField(
        label=_("公示期（工作日）"),
        initial=MIN_PUBLICITY_DAYS,
        min_value=1,
        max_value=MAX_PUBLICITY_DAYS,
        help_text=_("不少于5个工作日（R8.1），自发布次日起算（R9.1a）。"),
    )
    title = forms.CharField(
        label=_("公示标题"), required=False, max_length=200, help_text=_("可不填，使用默认标题。")
    )
    contact = forms.CharField(
        label=_("投诉受理联系方式"),
        required=False,
        max_length=200,
        help_text=_("可不填，使用本单位的投诉电话。"),
    )


class ResultsComplaintForm(PlatformForm):
    """Anyone files a complaint about one passed candidate (R8.1)."""

    entry = forms.TypedChoiceField(label=_("投诉对象"), coerce=int)
    text = forms.CharField(
        label=_("投诉内容"),
        max_length=COMPLAINT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明投诉事实和理由，最多2000字。"),
    )
    name = forms.CharField(label=_("您的姓名"), required=False, max_length=50, help_text=_("可不填。"))
    contact = forms.CharField(
        label=_("联系方式"), required=False, max_length=100, help_text=_("可不填；便于核查人员向您了解情况。")
    )

    def __init__(self, *args: Any, entries: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [  # type: ignore[attr-defined]
            ("", _("（请选择公示人选）")),
            *((e.pk, e.declaration.applicant.real_name) for e in entries),
        ]


class ResultsComplaintResolveForm(PlatformForm):
    outcome = forms.ChoiceField(
        label=_("核查结论"),
        widget=forms.RadioSelect,
        choices=[
            (ResultsComplaintOutcome.GROUNDLESS, _("经核查不属实，继续办理")),
            (ResultsComplaintOutcome.UPHELD, _("经核查属实，终止评审（R7.6）")),
        ],
    )
    resolution = forms.CharField(
        label=_("核查意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class ConfirmationDraftForm(PlatformForm):
    kind = forms.ChoiceField(
        label=_("核准方式"),
        choices=ConfirmationKind.choices,
        initial=ConfirmationKind.APPROVAL,
        widget=forms.RadioSelect,
        help_text=_(
            "一般报核准机构核准；受委托评审向委托单位出具评审结果函；具有自主评审权的单位自行确认并备案（R8.2）。"
        ),
    )
    entrusting_organisation = forms.ModelChoiceField(
        label=_("委托单位"),
        required=False,
        queryset=Organisation.objects.order_by("name"),
        help_text=_("仅受委托评审时选择。"),
    )
    title = forms.CharField(
        label=_("标题"), required=False, max_length=200, help_text=_("可不填，使用默认标题。")
    )
    body = forms.CharField(
        label=_("正文"), required=False, max_length=10000, widget=forms.Textarea(attrs={"rows": 5})
    )


class ConfirmationIssueForm(PlatformForm):
    document_number = forms.CharField(
        label=_("批准文号"), max_length=100, help_text=_("例如：渝人社职核〔2024〕12号。")
    )
