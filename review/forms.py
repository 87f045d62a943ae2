"""Decision forms of the reviewing organisations (R6.1) and of the committee host (R6.6)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import PlatformForm
from review.deadlines import DEFAULT_CORRECTION_WORKING_DAYS, MAX_CORRECTION_WORKING_DAYS
from review.enums import NotAcceptReason


class DefectsField(forms.CharField):
    """A textarea of defects, one per line, cleaned to a list of non-blank lines."""

    widget = forms.Textarea(attrs={"rows": 5})

    def clean(self, value: str | None) -> list[str]:  # type: ignore[override]
        text = super().clean(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def _deadline_working_days() -> forms.IntegerField:
    return forms.IntegerField(
        label=_("补正期限（工作日）"),
        required=False,
        min_value=1,
        max_value=MAX_CORRECTION_WORKING_DAYS,
        help_text=lazy(
            lambda: gettext(
                "退回补正时填写工作日天数或截止日期其中一项；都不填则为%(n)d个工作日（R6.1、R9.1a）。"
            )
            % {"n": DEFAULT_CORRECTION_WORKING_DAYS},
            str,
        )(),
    )


def _deadline_date() -> forms.DateField:
    return forms.DateField(
        label=_("或补正截止日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("截至该日24:00（北京时间）。逾期未补正的，视为放弃（R6.1、R6.6）。"),
    )


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
    deadline_working_days = _deadline_working_days()
    deadline_date = _deadline_date()

    def __init__(self, *args: Any, can_pass: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_pass:
            # R6.3: the unit offers "pass" only once the candidate's publicity has ended.
            field = self.fields["action"]
            field.choices = [c for c in field.choices if c[0] != self.PASS]


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
    deadline_working_days = _deadline_working_days()
    deadline_date = _deadline_date()


class PublicityPublishForm(PlatformForm):
    """A unit publishes candidates waiting at its step for publicity (R6.3)."""

    declarations = forms.ModelMultipleChoiceField(
        label=_("公示人选"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("在本单位审核环节、尚未公示的申报人选。"),
    )
    working_days = forms.IntegerField(
        label=_("公示期（工作日）"),
        initial=5,
        min_value=1,
        help_text=_("不少于5个工作日，从发布次日起算，至最后一个工作日24:00止（R6.3、R9.1a）。"),
    )
    offline_location = forms.CharField(
        label=_("线下公示地点"),
        max_length=500,
        help_text=_("例如：本单位办公楼一楼公告栏。"),
    )
    unit_contact = forms.CharField(
        label=_("本单位投诉受理联系方式"),
        required=False,
        max_length=200,
        help_text=_("不填则使用本单位登记的投诉电话。上级主管部门的投诉电话自动列出。"),
    )

    def __init__(self, *args: object, candidates: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        field = self.fields["declarations"]
        field.queryset = candidates  # type: ignore[attr-defined]
        field.label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{d.applicant.real_name} · {d.get_level_display()} · {d.get_field_display()}"
        )


class ComplaintForm(PlatformForm):
    """Anyone files a complaint about one publicised candidate (R6.3)."""

    entry = forms.TypedChoiceField(label=_("投诉对象"), coerce=int)
    text = forms.CharField(
        label=_("投诉内容"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("请写明投诉事实和理由，最多2000字。"),
    )
    name = forms.CharField(label=_("您的姓名"), required=False, max_length=50, help_text=_("可不填。"))
    contact = forms.CharField(
        label=_("联系方式"),
        required=False,
        max_length=100,
        help_text=_("可不填；留下联系方式便于核查人员向您了解情况。"),
    )

    def __init__(self, *args: object, entries: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["entry"].choices = [  # type: ignore[attr-defined]
            ("", _("（请选择公示人选）")),
            *((e.pk, e.declaration.applicant.real_name) for e in entries),  # type: ignore[attr-defined]
        ]


class ComplaintResolveForm(PlatformForm):
    """The unit or its superior department records what it found (R6.3, R7.6)."""

    outcome = forms.ChoiceField(
        label=_("核查结论"),
        widget=forms.RadioSelect,
        choices=[
            ("groundless", _("经核查不属实，继续推荐")),
            ("upheld_refused", _("经核查属实，不予推荐（R6.3）")),
            ("upheld_terminated", _("经核查属实，终止评审（R7.6）")),
        ],
    )
    resolution = forms.CharField(
        label=_("核查意见"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("核查属实的，核查意见作为理由告知申报人。"),
    )


def _optional_count(label: str, help_text: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=50, help_text=help_text)


class UnitConditionForm(PlatformForm):
    """A unit sets its own conditions for a campaign and level (R6.2)."""

    campaign = forms.ModelChoiceField(label=_("申报批次"), queryset=None)
    level = forms.ChoiceField(
        label=_("申报级别"),
        required=False,
        help_text=_("不选表示适用于所有级别；同一批次、同一级别再次设置将替换原条件。"),
    )
    min_education = forms.TypedChoiceField(
        label=_("最低学历"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("只能在全市申报条件基础上提高，不得低于全市条件（R6.2）。"),
    )
    min_years_in_title = _optional_count(
        _("现职称最低任职年限（年）"),
        _("计算至本批次任职年限计算截止日期（R2.2）。"),
    )
    min_achievements = _optional_count(
        _("最少业绩成果数（项）"),
        _("只计取得现职称后的业绩成果（R2.5）。"),
    )
    note = forms.CharField(
        label=_("说明"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("向申报人展示的说明。"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from declarations.enums import EducationLevel, Level
        from declarations.models import Campaign

        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-year", "name")  # type: ignore[attr-defined]
        self.fields["level"].choices = [("", gettext("所有级别")), *Level.choices]  # type: ignore[attr-defined]
        self.fields["min_education"].choices = [("", gettext("不限")), *EducationLevel.choices]  # type: ignore[attr-defined]
