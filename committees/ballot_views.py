"""Pages of the vote: the expert's ballot and opinions, the chair's close and sign, and the
staff's paper tallies, terminations and minutes (R7.3 to R7.6).

Each view fetches through a selector (404 outside the person's scope), validates a form,
calls one service and redirects with a message.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import ballot_selectors as sel
from committees.ballot_forms import BallotForm, ConflictForm, OpinionForm, TallyForm, TerminateForm
from committees.ballots import ballot_cast, opinion_save, tally_enter
from committees.enums import BallotChoice, MeetingState, VotingMode
from committees.minutes import minutes_file_response
from committees.models import Minutes
from committees.results import candidate_terminate, results_sign, voting_close
from committees.services import conflict_declare
from core.exceptions import ServiceError


def _run(request: HttpRequest, action: Callable[[], object], success: str) -> None:
    try:
        action()
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)


def _form_errors(request: HttpRequest, form: forms.Form) -> None:
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)


@login_required
def vote_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The expert's page: one card per candidate, three big buttons and an opinion box."""
    meeting, seat = sel.meeting_get_for_expert(request.user, pk)
    is_presiding = meeting.presiding_id == seat.expert_id
    return render(
        request,
        "committees/ballot.html",
        {
            "meeting": meeting,
            "seat": seat,
            "cards": sel.candidate_cards(meeting, seat),
            "choices": BallotChoice.choices,
            "voting_open": meeting.state == MeetingState.VOTING_OPEN,
            "electronic": meeting.voting_mode == VotingMode.ELECTRONIC,
            "signed": meeting.state == MeetingState.SIGNED,
            "is_presiding": is_presiding,
            "can_close": is_presiding and meeting.state == MeetingState.VOTING_OPEN,
            "can_sign": is_presiding and meeting.state == MeetingState.VOTING_CLOSED,
        },
    )


@login_required
@require_POST
def vote_cast_view(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
    candidate = sel.candidate_of(meeting, candidate_pk)
    form = BallotForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: ballot_cast(
                candidate=candidate, actor=request.user, choice=form.cleaned_data["choice"]
            ),
            _("已投票。"),
        )
    else:
        _form_errors(request, form)
    return redirect("committees:vote", pk=meeting.pk)


@login_required
@require_POST
def opinion_view(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
    candidate = sel.candidate_of(meeting, candidate_pk)
    form = OpinionForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: opinion_save(candidate=candidate, actor=request.user, text=form.cleaned_data["text"]),
            _("评审意见已保存。"),
        )
    else:
        _form_errors(request, form)
    return redirect("committees:vote", pk=meeting.pk)


@login_required
@require_POST
def voting_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
    _run(request, lambda: voting_close(meeting=meeting, actor=request.user), _("投票已结束。"))
    return redirect("committees:vote", pk=meeting.pk)


@login_required
@require_POST
def results_sign_view(request: HttpRequest, pk: int) -> HttpResponse:
    meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
    _run(
        request,
        lambda: results_sign(meeting=meeting, actor=request.user),
        _("评审结果已宣布并签署，会议纪要已生成。"),
    )
    return redirect("committees:vote", pk=meeting.pk)


@login_required
def results_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The staff's page: paper tallies, terminations, counts after the vote, the minutes."""
    meeting = sel.meeting_get_for_staff(request.user, pk)
    return render(
        request,
        "committees/ballot_results.html",
        {
            "meeting": meeting,
            "cards": sel.candidate_cards(meeting),
            "paper": meeting.voting_mode == VotingMode.PAPER,
            "tally_open": meeting.voting_mode == VotingMode.PAPER
            and meeting.state in (MeetingState.VOTING_OPEN, MeetingState.VOTING_CLOSED),
            "signed": meeting.state == MeetingState.SIGNED,
            "minutes": Minutes.objects.filter(meeting=meeting).first(),
            "tally_form": TallyForm(),
            "terminate_form": TerminateForm(),
        },
    )


@login_required
@require_POST
def tally_view(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    meeting = sel.meeting_get_for_staff(request.user, pk)
    candidate = sel.candidate_of(meeting, candidate_pk)
    form = TallyForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: tally_enter(candidate=candidate, actor=request.user, **form.cleaned_data),
            _("计票结果已录入。"),
        )
    else:
        _form_errors(request, form)
    return redirect("committees:results", pk=meeting.pk)


@login_required
@require_POST
def terminate_view(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    meeting = sel.meeting_get_for_staff(request.user, pk)
    candidate = sel.candidate_of(meeting, candidate_pk)
    form = TerminateForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: candidate_terminate(
                candidate=candidate, actor=request.user, reason=form.cleaned_data["reason"]
            ),
            _("已终止该申报的评审。"),
        )
    else:
        _form_errors(request, form)
    return redirect("committees:results", pk=meeting.pk)


@login_required
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The minutes PDF, for the host's staff and the approval body (R7.5)."""
    return minutes_file_response(sel.minutes_get_for_user(request.user, pk))


@login_required
@require_POST
def conflict_view(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    """An expert declares a conflict with a candidate and so recuses from it (R7.1)."""
    meeting, seat = sel.meeting_get_for_expert(request.user, pk)
    candidate = sel.candidate_of(meeting, candidate_pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: conflict_declare(
                expert=seat.expert,
                declaration=candidate.declaration,
                reason=form.cleaned_data["reason"],
                actor=request.user,
            ),
            _("已登记回避，您不参加该申报的表决。"),
        )
    else:
        _form_errors(request, form)
    return redirect("committees:vote", pk=meeting.pk)
