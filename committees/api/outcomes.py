"""API after the meeting (R8.1, R8.2): review report, results publicity, complaints, confirmation.

Thin views: look up through a selector of ``committees.outcomes`` (404 outside scope),
validate an input serializer, call the same service as the page with ``actor=request.user``.
Complaints and the public notice need no login; complaints are throttled per address (429).
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Organisation
from committees import outcomes as oc
from committees.enums import ConfirmationKind, ResultsComplaintOutcome
from committees.models import ConfirmationNotice, ResultsPublicityEntry
from core.api import ApiPagination, ErrorSerializer, error_responses, paginated_response
from core.exceptions import ServiceError
from review.publicity_views import client_ip

ACTION_ERRORS = error_responses(400, 403, 404, 409)
THROTTLED = OpenApiResponse(
    response=ErrorSerializer, description="Too many complaints (`too_many_complaints`)."
)


# -- output ---------------------------------------------------------------------------------


class ResultsDeadlineSerializer(serializers.Serializer):
    due_on = serializers.DateField(allow_null=True)
    done_on = serializers.DateField(allow_null=True)
    late = serializers.BooleanField()
    overdue = serializers.BooleanField()


class ResultsReviewReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    due_on = serializers.DateField()
    submitted_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    size = serializers.IntegerField()
    summary = serializers.JSONField()


class ResultsPublicEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="declaration.applicant.real_name")
    unit = serializers.CharField(source="declaration.unit.name", default="")
    level = serializers.CharField(source="declaration.level")
    field = serializers.CharField(source="declaration.field")
    status = serializers.CharField()


class ResultsPublicityOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    committee = serializers.CharField(source="meeting.committee.name")
    title = serializers.CharField()
    working_days = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    contact = serializers.CharField()
    entries = ResultsPublicEntrySerializer(many=True)


class ResultsComplaintOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entry = serializers.IntegerField(source="entry_id")
    filed_at = serializers.DateTimeField()
    outcome = serializers.CharField()
    resolution = serializers.CharField()
    resolved_at = serializers.DateTimeField(allow_null=True)


class ConfirmationNoticeOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    meeting = serializers.IntegerField(source="meeting_id")
    kind = serializers.CharField()
    state = serializers.CharField()
    title = serializers.CharField()
    body = serializers.CharField()
    entrusting_organisation = serializers.IntegerField(source="entrusting_organisation_id", allow_null=True)
    drafted_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    document_number = serializers.CharField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    declarations = serializers.SerializerMethodField()

    def get_declarations(self, notice: ConfirmationNotice) -> list[int]:
        return sorted(e.declaration_id for e in notice.entries.all())


class MeetingOutcomesOutputSerializer(serializers.Serializer):
    meeting = serializers.IntegerField()
    report_deadline = ResultsDeadlineSerializer()
    publicity_deadline = ResultsDeadlineSerializer()
    confirmation_deadline = ResultsDeadlineSerializer(allow_null=True)
    report = ResultsReviewReportOutputSerializer(allow_null=True)
    publicity = ResultsPublicityOutputSerializer(allow_null=True)
    notices = ConfirmationNoticeOutputSerializer(many=True)


def _deadline(d: oc.Deadline | None, today) -> dict | None:  # type: ignore[no-untyped-def]
    if d is None:
        return None
    return {"due_on": d.due_on, "done_on": d.done_on, "late": d.late, "overdue": d.overdue(today)}


def outcomes_response(meeting, status_code: int = status.HTTP_200_OK) -> Response:  # type: ignore[no-untyped-def]
    from django.utils import timezone

    from core.workdays import OFFICE_TZ

    now = timezone.now()
    o = oc.meeting_outcomes(meeting, now)
    today = now.astimezone(OFFICE_TZ).date()
    publicity = oc.results_publicity_get_public(o.publicity.pk) if o.publicity else None
    data = {
        "meeting": meeting.pk,
        "report_deadline": _deadline(o.report_deadline, today),
        "publicity_deadline": _deadline(o.publicity_deadline, today),
        "confirmation_deadline": _deadline(o.confirmation_deadline, today),
        "report": o.report,
        "publicity": publicity,
        "notices": o.notices,
    }
    return Response(MeetingOutcomesOutputSerializer(data).data, status=status_code)


# -- input ----------------------------------------------------------------------------------


class ResultsReportInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, default="", allow_blank=True, max_length=4000)


class ResultsPublishInputSerializer(serializers.Serializer):
    working_days = serializers.IntegerField(
        default=oc.MIN_PUBLICITY_DAYS,
        min_value=1,
        help_text="At least 5 working days (R8.1, R9.2); refused below with `publicity_too_short`.",
    )
    title = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    contact = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)


class ResultsComplaintInputSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, help_text="Id of a candidate of a results publicity.")
    text = serializers.CharField(max_length=oc.COMPLAINT_MAX_LENGTH)
    name = serializers.CharField(required=False, default="", allow_blank=True, max_length=50)
    contact = serializers.CharField(required=False, default="", allow_blank=True, max_length=100)


class ResultsComplaintResolveInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[ResultsComplaintOutcome.GROUNDLESS, ResultsComplaintOutcome.UPHELD]
    )
    resolution = serializers.CharField(max_length=2000)


class ConfirmationDraftInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ConfirmationKind.choices, default=ConfirmationKind.APPROVAL)
    title = serializers.CharField(required=False, default="", allow_blank=True, max_length=200)
    body = serializers.CharField(required=False, default="", allow_blank=True, max_length=10000)
    entrusting_organisation = serializers.PrimaryKeyRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, default=None
    )


class ConfirmationIssueInputSerializer(serializers.Serializer):
    document_number = serializers.CharField(max_length=100, help_text="批准文号 of the notice.")


# -- views ----------------------------------------------------------------------------------


class OutcomesApi(APIView):
    @extend_schema(
        operation_id="meeting_outcomes",
        tags=["results"],
        summary="A meeting's report, results publicity and confirmation notices with their deadlines",
        responses={200: MeetingOutcomesOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return outcomes_response(oc.outcome_meeting_get_for_user(request.user, pk))


class ReviewReportApi(APIView):
    @extend_schema(
        operation_id="meeting_review_report_submit",
        tags=["results"],
        summary="Submit the review report to the approval body (host; R8.1)",
        request=ResultsReportInputSerializer,
        responses={201: MeetingOutcomesOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = oc.outcome_meeting_get_for_user(request.user, pk)
        s = ResultsReportInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        oc.review_report_submit(meeting=meeting, actor=request.user, note=s.validated_data["note"])
        return outcomes_response(meeting, status.HTTP_201_CREATED)


class ResultsPublishApi(APIView):
    @extend_schema(
        operation_id="meeting_results_publicity_publish",
        tags=["results"],
        summary="Publish the passed candidates for at least 5 working days (host; R8.1)",
        request=ResultsPublishInputSerializer,
        responses={201: MeetingOutcomesOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = oc.outcome_meeting_get_for_user(request.user, pk)
        s = ResultsPublishInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        oc.results_publicity_publish(meeting=meeting, actor=request.user, **s.validated_data)
        return outcomes_response(meeting, status.HTTP_201_CREATED)


class ConfirmationDraftApi(APIView):
    @extend_schema(
        operation_id="meeting_confirmation_draft",
        tags=["results"],
        summary="Draft the confirmation notice of those passed without objection (host; R8.2)",
        request=ConfirmationDraftInputSerializer,
        responses={201: ConfirmationNoticeOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = oc.outcome_meeting_get_for_user(request.user, pk)
        s = ConfirmationDraftInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        notice = oc.confirmation_draft(meeting=meeting, actor=request.user, **s.validated_data)
        notice = oc.confirmation_get_for_user(request.user, notice.pk)
        return Response(ConfirmationNoticeOutputSerializer(notice).data, status=status.HTTP_201_CREATED)


class ConfirmationDetailApi(APIView):
    @extend_schema(
        operation_id="confirmation_detail",
        tags=["results"],
        summary="One confirmation notice",
        responses={200: ConfirmationNoticeOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            ConfirmationNoticeOutputSerializer(oc.confirmation_get_for_user(request.user, pk)).data
        )


class ConfirmationIssueApi(APIView):
    @extend_schema(
        operation_id="confirmation_issue",
        tags=["results"],
        summary="Issue the notice with its 批准文号; declarations become confirmed (R8.2)",
        request=ConfirmationIssueInputSerializer,
        responses={200: ConfirmationNoticeOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        notice = oc.confirmation_get_for_user(request.user, pk)
        s = ConfirmationIssueInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        oc.confirmation_issue(notice=notice, actor=request.user, **s.validated_data)
        return Response(
            ConfirmationNoticeOutputSerializer(oc.confirmation_get_for_user(request.user, pk)).data
        )


class ResultsComplaintResolveApi(APIView):
    @extend_schema(
        operation_id="results_complaint_resolve",
        tags=["results"],
        summary="Record a results complaint's outcome (host or approval body; R8.1, R7.6)",
        request=ResultsComplaintResolveInputSerializer,
        responses={200: ResultsComplaintOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        complaint = oc.results_complaint_get_for_user(request.user, pk)
        s = ResultsComplaintResolveInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        complaint = oc.results_complaint_resolve(complaint=complaint, actor=request.user, **s.validated_data)
        return Response(ResultsComplaintOutputSerializer(complaint).data)


class ResultsPublicDetailApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="results_publicity_public",
        tags=["results"],
        auth=[],
        summary="A results publicity and its candidates (public; no ID numbers)",
        responses={200: ResultsPublicityOutputSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(ResultsPublicityOutputSerializer(oc.results_publicity_get_public(pk)).data)


class ResultsComplaintCreateApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="results_complaint_create",
        tags=["results"],
        auth=[],
        summary="File a complaint during the results publicity (no login; 5 per hour per address)",
        request=ResultsComplaintInputSerializer,
        responses={201: ResultsComplaintOutputSerializer, **error_responses(400, 404), 429: THROTTLED},
    )
    def post(self, request: Request) -> Response:
        s = ResultsComplaintInputSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        data = s.validated_data
        entry = ResultsPublicityEntry.objects.filter(pk=data["entry"]).first()
        if entry is None:
            raise ServiceError("entry_not_found", _("公示人选不存在。"), field="entry")
        complaint = oc.results_complaint_file(
            entry=entry,
            text=data["text"],
            name=data["name"],
            contact=data["contact"],
            ip_address=client_ip(request),
        )
        return Response(ResultsComplaintOutputSerializer(complaint).data, status=status.HTTP_201_CREATED)


# -- reads the pages offer: the public results board, the review report's PDF ---------------


class ResultsPublicitySummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    committee = serializers.CharField(source="meeting.committee.name")
    title = serializers.CharField()
    working_days = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()


class ResultsPublicListApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="results_publicity_public_list",
        tags=["results"],
        auth=[],
        summary="Results publicities running now (public; R8.1)",
        responses={200: ResultsPublicitySummarySerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=oc.results_publicity_list_public(),
            serializer_class=ResultsPublicitySummarySerializer,
        )


class ReviewReportPdfApi(APIView):
    @extend_schema(
        operation_id="meeting_review_report_pdf",
        tags=["results"],
        summary="The review report (评审情况报告) PDF the host sent (R8.1)",
        responses={
            (200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY),
            **error_responses(401, 403, 404),
        },
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        meeting = oc.outcome_meeting_get_for_user(request.user, pk)
        report = getattr(meeting, "review_report", None)
        if report is None:
            raise Http404
        return oc.review_report_file_response(report)


class OutcomeMeetingSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Details: GET /api/v1/meetings/{id}/outcomes/.")
    committee = serializers.CharField(source="committee.name")
    campaign = serializers.CharField(source="campaign.name")
    scheduled_at = serializers.DateTimeField()


class OutcomeListOutputSerializer(serializers.Serializer):
    meetings = OutcomeMeetingSummarySerializer(many=True)
    publicities = ResultsPublicitySummarySerializer(many=True)
    notices = ConfirmationNoticeOutputSerializer(many=True)


# The newest rows of each list, as the page shows them.
OUTCOME_LIST_LIMIT = 100


class OutcomeListApi(APIView):
    @extend_schema(
        operation_id="outcomes_list",
        tags=["results"],
        summary="Signed meetings, results publicities and confirmation notices in my scope (R8.1, R8.2)",
        description=f"The newest {OUTCOME_LIST_LIMIT} of each, for the committee host, the approval "
        "body or an entrusting unit.",
        responses={200: OutcomeListOutputSerializer, **error_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        user = request.user
        data = {
            "meetings": oc.outcome_meeting_list_for_user(user)[:OUTCOME_LIST_LIMIT],
            "publicities": oc.results_publicity_list_for_user(user)
            .select_related("meeting__committee")[:OUTCOME_LIST_LIMIT],
            "notices": oc.confirmation_list_for_user(user).prefetch_related("entries")[:OUTCOME_LIST_LIMIT],
        }
        return Response(OutcomeListOutputSerializer(data).data)
