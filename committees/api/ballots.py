"""API of the vote: ballots and opinions (experts), closing and signing (presiding chair),
paper tallies, terminations, results and minutes (committee staff) (R7.3 to R7.6).

A ballot is answered with 204 and no body: nothing identifies it. Counts are returned
only aggregated, and only once the voting is closed.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from committees import ballot_selectors as sel
from committees.api.serializers import RecusalOutputSerializer
from committees.ballots import OPINION_MAX_LENGTH, ballot_cast, opinion_save, tally_enter
from committees.enums import BallotChoice, CandidateOutcome
from committees.minutes import minutes_file_response
from committees.models import Expert, Meeting
from committees.results import (
    TERMINATION_REASON_MAX,
    candidate_terminate,
    results_sign,
    voting_close,
)
from committees.services import conflict_declare, recusal_record
from core.api import error_responses
from core.exceptions import TransitionNotAllowed

ACTION_ERRORS = error_responses(400, 403, 404, 409)


class BallotInputSerializer(serializers.Serializer):
    choice = serializers.ChoiceField(choices=BallotChoice.choices)


class OpinionInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=OPINION_MAX_LENGTH)


class ConflictInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)


class RecusalInputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(help_text="The meeting candidate's id.")
    expert = serializers.IntegerField(help_text="The expert's id; must sit on the meeting.")
    reason = serializers.CharField(max_length=200)


class OpinionOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField(source="candidate_id")
    expert = serializers.CharField(source="expert.name")
    text = serializers.CharField()
    updated_at = serializers.DateTimeField()


class TallyInputSerializer(serializers.Serializer):
    agree = serializers.IntegerField(min_value=0)
    disagree = serializers.IntegerField(min_value=0)
    abstain = serializers.IntegerField(min_value=0)


class TerminateInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=TERMINATION_REASON_MAX)


class CandidateResultOutputSerializer(serializers.Serializer):
    candidate = serializers.IntegerField()
    declaration = serializers.IntegerField()
    applicant = serializers.CharField()
    eligible = serializers.IntegerField(allow_null=True)
    agree = serializers.IntegerField(allow_null=True)
    disagree = serializers.IntegerField(allow_null=True)
    abstain = serializers.IntegerField(allow_null=True)
    outcome = serializers.ChoiceField(choices=CandidateOutcome.choices, allow_null=True)
    termination_reason = serializers.CharField(allow_blank=True)


class MeetingResultsOutputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    state = serializers.CharField()
    candidates = CandidateResultOutputSerializer(many=True)


def results_data(meeting: Meeting) -> dict[str, object]:
    """Aggregated counts per candidate; refused while anyone may still vote (R7.3)."""
    if meeting.state not in sel.COUNTS_VISIBLE:
        raise TransitionNotAllowed("voting_not_closed", _("投票结束后才能查看计票结果（R7.3）。"))
    rows = []
    for card in sel.candidate_cards(meeting):
        counts = None if card.terminated else card.counts
        entered = counts is not None and counts.entered
        outcome = (
            CandidateOutcome.TERMINATED
            if card.terminated
            else (CandidateOutcome.PASSED if counts.passed else CandidateOutcome.FAILED)
            if entered
            else None
        )
        rows.append(
            {
                "candidate": card.candidate.pk,
                "declaration": card.candidate.declaration_id,
                "applicant": card.candidate.declaration.applicant.real_name,
                "eligible": counts.eligible if counts else None,
                "agree": counts.agree if entered else None,
                "disagree": counts.disagree if entered else None,
                "abstain": counts.abstain if entered else None,
                "outcome": outcome,
                "termination_reason": card.terminated.reason if card.terminated else "",
            }
        )
    return {"meeting": meeting.pk, "state": meeting.state, "candidates": rows}


def _meeting_for_staff_or_member(request: Request, pk: int) -> Meeting:
    try:
        return sel.meeting_get_for_staff(request.user, pk)
    except Http404:
        return sel.meeting_get_for_expert(request.user, pk)[0]


class BallotCastApi(APIView):
    @extend_schema(
        operation_id="meetings_ballot_cast",
        tags=["committees"],
        summary="Cast one's own secret ballot on a candidate (R7.3)",
        description=(
            "Only the attending expert themselves, not recused for the candidate, while the "
            "meeting's electronic voting is open; once per candidate (`already_voted`, 409). "
            "Refusals: `absent`, `recused`, `not_member`, `not_expert` (403); `voting_not_open`, "
            "`paper_meeting`, `candidate_terminated`, `meeting_signed` (409). Answers 204 with "
            "no body: nothing identifies the ballot."
        ),
        request=BallotInputSerializer,
        responses={204: OpenApiResponse(description="Recorded."), **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int, candidate_pk: int) -> Response:
        meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
        candidate = sel.candidate_of(meeting, candidate_pk)
        s = BallotInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        ballot_cast(candidate=candidate, actor=request.user, choice=s.validated_data["choice"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class OpinionApi(APIView):
    @extend_schema(
        operation_id="meetings_opinion_save",
        tags=["committees"],
        summary="Write or rewrite one's own signed opinion on a candidate (R7.5)",
        request=OpinionInputSerializer,
        responses={200: OpinionOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int, candidate_pk: int) -> Response:
        meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
        candidate = sel.candidate_of(meeting, candidate_pk)
        s = OpinionInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        opinion = opinion_save(candidate=candidate, actor=request.user, text=s.validated_data["text"])
        return Response(OpinionOutputSerializer(opinion).data)


class ConflictApi(APIView):
    @extend_schema(
        operation_id="meetings_conflict_declare",
        tags=["committees"],
        summary="Declare one's conflict with a candidate and recuse from it (R7.1)",
        description="Refused once one has voted on the candidate (`already_voted`) or the "
        "results are signed (`meeting_signed`), 409.",
        request=ConflictInputSerializer,
        responses={204: OpenApiResponse(description="Recused."), **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int, candidate_pk: int) -> Response:
        meeting, seat = sel.meeting_get_for_expert(request.user, pk)
        candidate = sel.candidate_of(meeting, candidate_pk)
        s = ConflictInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        conflict_declare(
            expert=seat.expert, declaration=candidate.declaration,
            reason=s.validated_data["reason"], actor=request.user,
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecusalApi(APIView):
    @extend_schema(
        operation_id="meetings_recusal_record",
        tags=["committees"],
        summary="Committee staff record that a member recuses from one candidate (R7.1)",
        description="The expert must sit on the meeting and not have voted on the candidate "
        "(`already_voted`, 409); refused once the results are signed (`meeting_signed`, 409).",
        request=RecusalInputSerializer,
        responses={201: RecusalOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = sel.meeting_get_for_staff(request.user, pk)
        s = RecusalInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        candidate = sel.candidate_of(meeting, s.validated_data["candidate"])
        expert = Expert.objects.filter(
            pk=s.validated_data["expert"], meeting_seats__meeting=meeting
        ).first()
        if expert is None:
            raise Http404
        recusal = recusal_record(
            meeting=meeting, candidate=candidate, expert=expert,
            reason=s.validated_data["reason"], actor=request.user,
        )
        return Response(RecusalOutputSerializer(recusal).data, status=status.HTTP_201_CREATED)


class VotingCloseApi(APIView):
    @extend_schema(
        operation_id="meetings_voting_close",
        tags=["committees"],
        summary="Close the voting: the presiding chair or vice-chair only (R7.3, R7.4)",
        request=None,
        responses={200: MeetingResultsOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
        meeting = voting_close(meeting=meeting, actor=request.user)
        return Response(MeetingResultsOutputSerializer(results_data(meeting)).data)


class ResultsSignApi(APIView):
    @extend_schema(
        operation_id="meetings_results_sign",
        tags=["committees"],
        summary="Announce and sign the results; declarations pass or fail (R7.3, R7.4, R7.5)",
        description="Refused before the voting is closed (`voting_not_closed`), while a paper "
        "tally is missing (`tally_missing`), or by anyone but the presiding chair (`not_presiding`).",
        request=None,
        responses={200: MeetingResultsOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting, _seat = sel.meeting_get_for_expert(request.user, pk)
        minutes = results_sign(meeting=meeting, actor=request.user)
        return Response(MeetingResultsOutputSerializer(results_data(minutes.meeting)).data)


class ResultsApi(APIView):
    @extend_schema(
        operation_id="meetings_results",
        tags=["committees"],
        summary="Aggregated counts per candidate, once the voting is closed (R7.3)",
        responses={200: MeetingResultsOutputSerializer, **error_responses(403, 404, 409)},
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = _meeting_for_staff_or_member(request, pk)
        return Response(MeetingResultsOutputSerializer(results_data(meeting)).data)


class TallyApi(APIView):
    @extend_schema(
        operation_id="meetings_tally_enter",
        tags=["committees"],
        summary="Enter a candidate's paper-ballot counts (R7.3)",
        description="Committee staff of a paper meeting. The three counts together may not "
        "exceed the attending experts not recused for the candidate (`tally_exceeds_eligible`).",
        request=TallyInputSerializer,
        responses={204: OpenApiResponse(description="Recorded."), **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int, candidate_pk: int) -> Response:
        meeting = sel.meeting_get_for_staff(request.user, pk)
        candidate = sel.candidate_of(meeting, candidate_pk)
        s = TallyInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        tally_enter(candidate=candidate, actor=request.user, **s.validated_data)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TerminateApi(APIView):
    @extend_schema(
        operation_id="meetings_candidate_terminate",
        tags=["committees"],
        summary="Terminate a candidate's review before the results are signed (R7.6)",
        request=TerminateInputSerializer,
        responses={204: OpenApiResponse(description="Terminated."), **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int, candidate_pk: int) -> Response:
        meeting = sel.meeting_get_for_staff(request.user, pk)
        candidate = sel.candidate_of(meeting, candidate_pk)
        s = TerminateInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        candidate_terminate(candidate=candidate, actor=request.user, reason=s.validated_data["reason"])
        return Response(status=status.HTTP_204_NO_CONTENT)


class MinutesApi(APIView):
    @extend_schema(
        operation_id="meetings_minutes",
        tags=["committees"],
        summary="Download the signed meeting's minutes PDF (R7.5)",
        description="Committee staff and the approval body.",
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        return minutes_file_response(sel.minutes_get_for_user(request.user, pk))
