"""Forms of the ballot, opinion, paper tally and termination pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from committees.ballots import OPINION_MAX_LENGTH
from committees.enums import BallotChoice
from committees.results import TERMINATION_REASON_MAX
from core.forms import PlatformForm


class BallotForm(PlatformForm):
    choice = forms.ChoiceField(label=_("表决意见"), choices=BallotChoice.choices)


class OpinionForm(PlatformForm):
    text = forms.CharField(
        label=_("评审意见"), max_length=OPINION_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class TallyForm(PlatformForm):
    agree = forms.IntegerField(label=_("同意票"), min_value=0)
    disagree = forms.IntegerField(label=_("不同意票"), min_value=0)
    abstain = forms.IntegerField(label=_("弃权票"), min_value=0)


class TerminateForm(PlatformForm):
    reason = forms.CharField(
        label=_("终止理由"),
        max_length=TERMINATION_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如：投诉经查属实、评审中发现弄虚作假（R7.6）。"),
    )


class ConflictForm(PlatformForm):
    reason = forms.CharField(
        label=_("回避事由"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("如与申报人同一单位、近亲属关系、合作关系等（R7.1）。"),
    )
