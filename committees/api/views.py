"""Committee API: thin views that look up through a selector (404 outside scope), validate
an input serializer, call one service with ``actor=request.user`` and answer."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from committees import selectors as sel
from committees import services
from committees.api.serializers import (
    AttendanceInputSerializer,
    CandidateAddInputSerializer,
    CommitteeOutputSerializer,
    DrawInputSerializer,
    DrawOutputSerializer,
    ExpertInputSerializer,
    ExpertOutputSerializer,
    MeetingOutputSerializer,
    MeetingScheduleInputSerializer,
    RespondInputSerializer,
)
from committees.models import Expert, Meeting
from core.api import ApiPagination, error_responses, paginated_response
from declarations.models import Campaign, Declaration

ACTION_ERRORS = error_responses(400, 403, 404, 409)


def meeting_response(meeting: Meeting, request: Request, status_code: int = status.HTTP_200_OK) -> Response:
    """Answer with one meeting, its members, candidates and quorum."""
    m = (
        Meeting.objects.filter(pk=meeting.pk)
        .prefetch_related("members__expert", "candidates__recusals")
        .get()
    )
    return Response(MeetingOutputSerializer(m, context={"request": request}).data, status=status_code)


def _get(model: Any, pk: Any, field: str) -> Any:
    try:
        return model.objects.get(pk=pk)
    except model.DoesNotExist:
        raise serializers.ValidationError({field: ["不存在。"]}, code="does_not_exist") from None


class MeetingActionApi(APIView):
    """One action on one meeting: look it up (404 outside scope), validate ``input_serializer``,
    call ``act`` and answer with the meeting."""

    input_serializer: type[serializers.Serializer] | None = None
    act: Callable[..., Any]

    def post(self, request: Request, pk: int) -> Response:
        meeting = sel.meeting_get_for_user(request.user, pk)
        data: dict[str, Any] = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        result = self.act(request, meeting, data)
        if isinstance(result, Response):
            return result
        return meeting_response(meeting, request)


class CommitteeListApi(APIView):
    @extend_schema(
        operation_id="committees_list",
        tags=["committees"],
        summary="Committees the caller's organisation hosts",
        responses={200: CommitteeOutputSerializer(many=True), **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        return Response(CommitteeOutputSerializer(sel.committee_list_for_user(request.user), many=True).data)


class CommitteeDetailApi(APIView):
    @extend_schema(
        operation_id="committees_retrieve",
        tags=["committees"],
        summary="One committee the caller's organisation hosts",
        responses={200: CommitteeOutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CommitteeOutputSerializer(sel.committee_get_for_user(request.user, pk)).data)


class ExpertListApi(APIView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="experts_list",
        tags=["committees"],
        summary="The expert pool of the caller's committees",
        parameters=[
            OpenApiParameter("field", str, description="A field of R9.3"),
            OpenApiParameter("q", str, description="Name or employer contains"),
            OpenApiParameter("active", bool),
        ],
        responses={200: ExpertOutputSerializer(many=True), **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        active = request.query_params.get("active")
        qs = sel.expert_list_for_user(
            request.user,
            field=request.query_params.get("field", ""),
            query=request.query_params.get("q", ""),
            active=None if active is None else active.lower() in ("1", "true"),
        )
        return paginated_response(
            view=self, request=request, queryset=qs, serializer_class=ExpertOutputSerializer
        )


class MeetingScheduleApi(APIView):
    @extend_schema(
        operation_id="committees_meeting_schedule",
        tags=["committees"],
        summary="Schedule a meeting of a committee (R7)",
        request=MeetingScheduleInputSerializer,
        responses={201: MeetingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        committee = sel.committee_get_for_user(request.user, pk)
        serializer = MeetingScheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        data["campaign"] = _get(Campaign, data["campaign"], "campaign")
        meeting = services.meeting_schedule(committee=committee, actor=request.user, **data)
        return meeting_response(meeting, request, status.HTTP_201_CREATED)


class MeetingDetailApi(APIView):
    @extend_schema(
        operation_id="committees_meeting_retrieve",
        tags=["committees"],
        summary="A meeting with members, candidates, attendance and quorum (R7.2)",
        responses={200: MeetingOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return meeting_response(sel.meeting_get_for_user(request.user, pk), request)


@extend_schema_view(
    post=extend_schema(
        operation_id="committees_meeting_candidate_add",
        tags=["committees"],
        summary="Put an accepted declaration on the meeting",
        request=CandidateAddInputSerializer,
        responses={200: MeetingOutputSerializer, **ACTION_ERRORS},
    )
)
class CandidateAddApi(MeetingActionApi):
    input_serializer = CandidateAddInputSerializer

    def act(self, request: Request, meeting: Meeting, data: dict[str, Any]) -> Any:
        declaration = _get(Declaration, data["declaration"], "declaration")
        return services.meeting_candidate_add(meeting=meeting, declaration=declaration, actor=request.user)


class DrawApi(APIView):
    @extend_schema(
        operation_id="committees_draw_retrieve",
        tags=["committees"],
        summary="The meeting's draw with its commitment, seed, result and verification (R7.1)",
        responses={200: DrawOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = sel.meeting_get_for_user(request.user, pk)
        draw = sel.draw_get(meeting)
        if draw is None:
            raise Http404
        return Response(DrawOutputSerializer(draw).data)

    @extend_schema(
        operation_id="committees_draw",
        tags=["committees"],
        summary="Draw experts at random, more than needed, without conflicted experts (R7.1)",
        description="Refusals: `draw_not_over_needed`, `pool_too_small`, `no_candidates`, "
        "`already_drawn` (409).",
        request=DrawInputSerializer,
        responses={201: DrawOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = sel.meeting_get_for_user(request.user, pk)
        serializer = DrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        draw = services.draw_perform(meeting=meeting, actor=request.user, **serializer.validated_data)
        return Response(DrawOutputSerializer(draw).data, status=status.HTTP_201_CREATED)


class EntryRespondApi(APIView):
    @extend_schema(
        operation_id="committees_invitation_respond",
        tags=["committees"],
        summary="Accept or decline an invitation; a decline draws the next expert (R7.1)",
        request=RespondInputSerializer,
        responses={200: DrawOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        entry = sel.entry_get_for_user(request.user, pk)
        serializer = RespondInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.draw_entry_respond(
            entry=entry, accept=serializer.validated_data["accept"], actor=request.user
        )
        return Response(DrawOutputSerializer(entry.draw).data)


@extend_schema_view(
    post=extend_schema(
        operation_id="committees_meeting_attendance",
        tags=["committees"],
        summary="Record which members attend (R7.2)",
        request=AttendanceInputSerializer,
        responses={200: MeetingOutputSerializer, **ACTION_ERRORS},
    )
)
class AttendanceApi(MeetingActionApi):
    input_serializer = AttendanceInputSerializer

    def act(self, request: Request, meeting: Meeting, data: dict[str, Any]) -> Any:
        return services.meeting_attendance_record(
            meeting=meeting, present=data["present"], actor=request.user
        )


@extend_schema_view(
    post=extend_schema(
        operation_id="committees_meeting_presiding",
        tags=["committees"],
        summary="Set the presiding chair or vice-chair (R7.2)",
        request=ExpertInputSerializer,
        responses={200: MeetingOutputSerializer, **ACTION_ERRORS},
    )
)
class PresidingApi(MeetingActionApi):
    input_serializer = ExpertInputSerializer

    def act(self, request: Request, meeting: Meeting, data: dict[str, Any]) -> Any:
        expert = _get(Expert, data["expert"], "expert")
        return services.meeting_set_presiding(meeting=meeting, expert=expert, actor=request.user)


@extend_schema_view(
    post=extend_schema(
        operation_id="committees_meeting_officer_add",
        tags=["committees"],
        summary="Seat the committee's chair or a vice-chair without a draw (R7.2)",
        request=ExpertInputSerializer,
        responses={200: MeetingOutputSerializer, **ACTION_ERRORS},
    )
)
class OfficerAddApi(MeetingActionApi):
    input_serializer = ExpertInputSerializer

    def act(self, request: Request, meeting: Meeting, data: dict[str, Any]) -> Any:
        expert = _get(Expert, data["expert"], "expert")
        return services.meeting_officer_add(meeting=meeting, expert=expert, actor=request.user)


@extend_schema_view(
    post=extend_schema(
        operation_id="committees_meeting_open_voting",
        tags=["committees"],
        summary="Open the vote: quorum attending × 3 ≥ members × 2 and a presiding officer (R7.2)",
        description="Refusals: `quorum_not_met`, `presiding_missing`, `presiding_absent`, "
        "`no_candidates`; `illegal_transition`/`meeting_not_scheduled` (409).",
        request=None,
        responses={200: MeetingOutputSerializer, **ACTION_ERRORS},
    )
)
class OpenVotingApi(MeetingActionApi):
    def act(self, request: Request, meeting: Meeting, data: dict[str, Any]) -> Any:
        return services.meeting_open_voting(meeting=meeting, actor=request.user)


class SignInApi(APIView):
    @extend_schema(
        operation_id="committees_sign_in",
        tags=["committees"],
        summary="An expert signs in on the meeting day (R7.2)",
        request=None,
        responses={200: MeetingOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        seat = sel.seat_get_for_user(request.user, pk)
        services.member_sign_in(member=seat, actor=request.user)
        # The expert sees the meeting as staff would not: only their own seat.
        seat.refresh_from_db()
        return Response({"id": seat.pk, "attending": seat.attending, "signed_in_at": seat.signed_in_at})


# --- an expert's own invitations and seats; taking a candidate off a meeting ---------------


class _MeetingRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    committee = serializers.CharField(source="committee.name")
    scheduled_at = serializers.DateTimeField()
    location = serializers.CharField()
    state = serializers.CharField()


class InvitationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Answer with POST /api/v1/draw-entries/{id}/respond/.")
    status = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    meeting = _MeetingRefSerializer(source="draw.meeting")


class SeatOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Sign in with POST /api/v1/meeting-seats/{id}/sign-in/.")
    role = serializers.CharField()
    attending = serializers.BooleanField(allow_null=True)
    signed_in_at = serializers.DateTimeField(allow_null=True)
    meeting = _MeetingRefSerializer()


class MyInvitationsOutputSerializer(serializers.Serializer):
    invitations = InvitationOutputSerializer(many=True)
    seats = SeatOutputSerializer(many=True)


class MyInvitationsApi(APIView):
    @extend_schema(
        operation_id="committees_my_invitations",
        tags=["committees"],
        summary="The caller's invitations to meetings and seats at them, as an expert (R7.1, R7.2)",
        responses={200: MyInvitationsOutputSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        data = {
            "invitations": sel.invitations_for_user(request.user),
            "seats": sel.seats_for_user(request.user),
        }
        return Response(MyInvitationsOutputSerializer(data).data)


class CandidateRemoveApi(APIView):
    @extend_schema(
        operation_id="committees_meeting_candidate_remove",
        tags=["committees"],
        summary="Take a declaration off a meeting whose vote has not opened",
        parameters=[OpenApiParameter("candidate_pk", int, OpenApiParameter.PATH)],
        responses={200: MeetingOutputSerializer, **ACTION_ERRORS},
    )
    def delete(self, request: Request, pk: int, candidate_pk: int) -> Response:
        meeting = sel.meeting_get_for_user(request.user, pk)
        candidate = meeting.candidates.filter(pk=candidate_pk).first()
        if candidate is None:
            raise Http404
        services.meeting_candidate_remove(candidate=candidate, actor=request.user)
        return meeting_response(meeting, request)


class MeetingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Details: GET /api/v1/meetings/{id}/.")
    committee = serializers.IntegerField(source="committee_id")
    committee_name = serializers.CharField(source="committee.name")
    campaign = serializers.IntegerField(source="campaign_id")
    scheduled_at = serializers.DateTimeField()
    location = serializers.CharField()
    state = serializers.CharField()


class MeetingListApi(APIView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="committees_meeting_list",
        tags=["committees"],
        summary="Meetings of the committees the caller's organisation hosts, newest first",
        parameters=[OpenApiParameter("committee", int, description="Only this committee's meetings")],
        responses={200: MeetingSummarySerializer(many=True), **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        qs = sel.meeting_list_for_user(request.user).order_by("-scheduled_at", "-pk")
        committee = request.query_params.get("committee", "")
        if committee:
            if not committee.isdigit():
                raise serializers.ValidationError({"committee": ["须为整数。"]})
            qs = qs.filter(committee_id=int(committee))
        return paginated_response(
            view=self, request=request, queryset=qs, serializer_class=MeetingSummarySerializer
        )
