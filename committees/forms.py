"""Forms of the committee staff's pages: schedule, candidates, draw, attendance, presiding."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.enums import VotingMode
from core.forms import PlatformForm
from declarations.enums import Field
from declarations.models import Campaign


class MeetingScheduleForm(PlatformForm):
    campaign = forms.ModelChoiceField(label=_("申报批次"), queryset=Campaign.objects.none())
    scheduled_at = forms.DateTimeField(
        label=_("会议时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=_("会议地点"), max_length=200)
    voting_mode = forms.ChoiceField(
        label=_("投票方式"), choices=VotingMode.choices, initial=VotingMode.ELECTRONIC
    )

    def __init__(self, *args: Any, host_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.filter(committee_host_id=host_id)  # type: ignore[attr-defined]


class CandidateAddForm(PlatformForm):
    declaration = forms.ModelChoiceField(label=_("已受理的申报"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["declaration"].queryset = queryset  # type: ignore[attr-defined]
        self.fields["declaration"].label_from_instance = lambda d: (  # type: ignore[attr-defined]
            f"{d.applicant.real_name} · {d.get_level_display()} · {d.get_field_display()}"
        )


class DrawForm(PlatformForm):
    needed = forms.IntegerField(label=_("需要专家人数"), min_value=1, max_value=200)
    drawn = forms.IntegerField(
        label=_("抽取人数"),
        min_value=2,
        max_value=300,
        help_text=_("须多于需要人数（超员配置，R7.1）；谢绝的专家按同一随机顺序递补。"),
    )
    field = forms.ChoiceField(
        label=_("限定专业领域"),
        required=False,
        choices=[("", _("不限"))] + list(Field.choices),
    )


class RespondForm(PlatformForm):
    accept = forms.TypedChoiceField(
        label=_("答复"),
        choices=[("1", _("接受")), ("0", _("谢绝"))],
        coerce=lambda v: v == "1",
    )


class ExpertChoiceForm(PlatformForm):
    expert = forms.ModelChoiceField(label=_("专家"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = queryset  # type: ignore[attr-defined]


class AttendanceForm(PlatformForm):
    present = forms.TypedMultipleChoiceField(
        label=_("出席成员"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, members: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [  # type: ignore[attr-defined]
            (m.pk, f"{m.expert.name}（{m.get_role_display()}）") for m in members
        ]
        self.fields["present"].initial = [m.pk for m in members if m.attending]


class ExpertFilterForm(PlatformForm):
    q = forms.CharField(label=_("姓名或单位"), required=False)
    field = forms.ChoiceField(
        label=_("专业领域"), required=False, choices=[("", _("全部"))] + list(Field.choices)
    )
    active = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("1", _("有效")), ("0", _("已停用"))],
    )


class RecusalForm(PlatformForm):
    """Staff record that a member recuses from one candidate (R7.1)."""

    expert = forms.ModelChoiceField(label=_("回避专家"), queryset=None)  # type: ignore[arg-type]
    candidate = forms.ModelChoiceField(label=_("回避的申报"), queryset=None)  # type: ignore[arg-type]
    reason = forms.CharField(
        label=_("回避事由"),
        max_length=200,
        help_text=_("如与申报人同一单位、近亲属关系、合作关系等（R7.1）。"),
    )

    def __init__(self, *args: Any, meeting: Any, **kwargs: Any) -> None:
        from committees.models import Expert, MeetingCandidate

        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = Expert.objects.filter(  # type: ignore[attr-defined]
            meeting_seats__meeting=meeting
        ).order_by("name", "pk")
        self.fields["candidate"].queryset = (  # type: ignore[attr-defined]
            MeetingCandidate.objects.filter(meeting=meeting)
            .select_related("declaration__applicant")
            .order_by("position", "pk")
        )
        self.fields["candidate"].label_from_instance = lambda c: (  # type: ignore[attr-defined]
            f"#{c.position} {c.declaration.applicant.real_name}"
        )
