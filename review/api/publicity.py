"""Publicity API (R6.3): publish and list a unit's batches, file a complaint, record its outcome.

Complaints are open to anyone (no login), throttled per client address by the service
(``too_many_complaints``, 429); every other endpoint needs a title administrator.
"""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ApiPagination, ErrorSerializer, error_responses, paginated_response
from core.exceptions import ServiceError
from declarations.selectors import declaration_visible_for_user
from review.enums import ComplaintOutcome
from review.models import Complaint, PublicityBatch, PublicityEntry
from review.pdf import publicity_form_pdf
from review.publicity import (
    COMPLAINT_MAX_LENGTH,
    MIN_WORKING_DAYS,
    complaint_file,
    complaint_get_for_user,
    complaint_resolve,
    organisation_complaint_contact,
    publicity_batch_get_for_user,
    publicity_batch_get_public,
    publicity_batch_list_for_user,
    publicity_batch_list_public,
    publicity_batch_publish,
)
from review.publicity_views import client_ip

THROTTLED = OpenApiResponse(
    response=ErrorSerializer,
    description="Too many complaints from this address in the last hour (`too_many_complaints`).",
)

# -- input -------------------------------------------------------------------------------


class PublicityPublishInputSerializer(serializers.Serializer):
    declarations = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=200,
        help_text="Ids of declarations waiting at the unit step of the administrator's unit.",
    )
    working_days = serializers.IntegerField(
        default=MIN_WORKING_DAYS,
        min_value=1,
        help_text="Length of the period in working days; at least 5 (R6.3, R9.2), "
        "refused below with `publicity_too_short`.",
    )
    offline_location = serializers.CharField(
        max_length=500, help_text="Where the notice is displayed at the unit."
    )
    unit_contact = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text="The unit's complaint contact; default: its registered complaint phone.",
    )


class ComplaintInputSerializer(serializers.Serializer):
    entry = serializers.IntegerField(min_value=1, help_text="The publicised candidate (entry id).")
    text = serializers.CharField(max_length=COMPLAINT_MAX_LENGTH)
    name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ComplaintResolveInputSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=[c for c in ComplaintOutcome.choices if c[0] != ComplaintOutcome.PENDING],
        help_text="groundless: the candidate continues; upheld_refused: not recommended (R6.3); "
        "upheld_terminated: review terminated (R7.6).",
    )
    resolution = serializers.CharField(max_length=2000, help_text="The finding; shown to the applicant.")


# -- output ------------------------------------------------------------------------------


class ComplaintOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Complaint
        fields = ["id", "name", "contact", "text", "filed_at", "outcome", "resolution", "resolved_at"]


class PublicityEntryOutputSerializer(serializers.ModelSerializer):
    declaration = serializers.IntegerField(source="declaration_id")
    applicant_name = serializers.CharField(source="declaration.applicant.real_name")
    superior = serializers.CharField(source="superior.name")
    superior_contact = serializers.SerializerMethodField()
    complaints = ComplaintOutputSerializer(many=True)

    class Meta:
        model = PublicityEntry
        fields = [
            "id", "declaration", "applicant_name", "status", "released_at",
            "superior", "superior_contact", "complaints",
        ]

    def get_superior_contact(self, entry: PublicityEntry) -> str:
        return organisation_complaint_contact(entry.superior)


class PublicityBatchOutputSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    entries = PublicityEntryOutputSerializer(many=True)

    class Meta:
        model = PublicityBatch
        fields = [
            "id", "title", "unit", "working_days", "starts_at", "ends_at",
            "unit_contact", "offline_location", "entries",
        ]


class ComplaintCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    filed_at = serializers.DateTimeField()


def _with_relations(queryset):  # type: ignore[no-untyped-def]
    return queryset.prefetch_related(
        "entries__declaration__applicant", "entries__superior", "entries__complaints"
    )


class PublicityBatchListApi(APIView):
    """The unit's batches (and those it hears complaints on as superior); publish one."""

    pagination_class = ApiPagination

    @extend_schema(
        operation_id="publicity_batch_list",
        tags=["publicity"],
        summary="Publicity batches of my organisation (as unit or superior department)",
        responses={200: PublicityBatchOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=_with_relations(publicity_batch_list_for_user(request.user)),
            serializer_class=PublicityBatchOutputSerializer,
        )

    @extend_schema(
        operation_id="publicity_batch_publish",
        tags=["publicity"],
        summary="Publish candidates waiting at my unit for publicity (R6.3)",
        description="Period from now, at least 5 working days, ending at 24:00 of the last "
        "working day (R9.1a). Each candidate moves to `unit_publicity`.",
        request=PublicityPublishInputSerializer,
        responses={201: PublicityBatchOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request) -> Response:
        serializer = PublicityPublishInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = set(data["declarations"])
        declarations = list(declaration_visible_for_user(request.user).filter(pk__in=ids))
        if len(declarations) != len(ids):
            raise ServiceError(
                "declaration_not_found", _("申报不存在或不在您的查看范围内。"), field="declarations"
            )
        batch = publicity_batch_publish(
            actor=request.user,
            declarations=declarations,
            working_days=data["working_days"],
            offline_location=data["offline_location"],
            unit_contact=data["unit_contact"],
        )
        batch = _with_relations(PublicityBatch.objects.select_related("unit")).get(pk=batch.pk)
        return Response(PublicityBatchOutputSerializer(batch).data, status=status.HTTP_201_CREATED)


class ComplaintCreateApi(APIView):
    """Anyone files a complaint about one publicised candidate (R6.3)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="publicity_complaint_create",
        tags=["publicity"],
        summary="File a complaint during the publicity period (no login; 5 per hour per address)",
        description="Holds the candidate until the unit or its superior department records the "
        "outcome. Refused outside the period (`publicity_closed`) and past the throttle "
        "(`too_many_complaints`, 429).",
        request=ComplaintInputSerializer,
        responses={201: ComplaintCreatedSerializer, **error_responses(400, 404), 429: THROTTLED},
        auth=[],
    )
    def post(self, request: Request) -> Response:
        serializer = ComplaintInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        entry = PublicityEntry.objects.filter(pk=data["entry"]).first()
        if entry is None:
            raise ServiceError("entry_not_found", _("公示人选不存在。"), field="entry")
        complaint = complaint_file(
            entry=entry,
            text=data["text"],
            name=data["name"],
            contact=data["contact"],
            ip_address=client_ip(request),
        )
        return Response(
            ComplaintCreatedSerializer({"id": complaint.pk, "filed_at": complaint.filed_at}).data,
            status=status.HTTP_201_CREATED,
        )


class ComplaintResolveApi(APIView):
    @extend_schema(
        operation_id="publicity_complaint_resolve",
        tags=["publicity"],
        summary="Record a complaint's outcome (unit or its superior department; R6.3, R7.6)",
        request=ComplaintResolveInputSerializer,
        responses={200: ComplaintOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        complaint = complaint_get_for_user(request.user, pk)
        serializer = ComplaintResolveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        complaint = complaint_resolve(complaint=complaint, actor=request.user, **serializer.validated_data)
        return Response(ComplaintOutputSerializer(complaint).data)


# -- reads the pages offer: the public board, one notice, its forms, a unit's batch ---------


class PublicPublicityEntrySerializer(serializers.ModelSerializer):
    """One publicised candidate as the public notice shows them: no complaints, no ID number."""

    applicant_name = serializers.CharField(source="declaration.applicant.real_name")
    status = serializers.CharField(
        help_text="`on_publicity`, `held`, `released`, `refused` or `terminated` (as in the batch list)."
    )
    superior = serializers.CharField(source="superior.name")
    superior_contact = serializers.SerializerMethodField()

    class Meta:
        model = PublicityEntry
        fields = ["id", "applicant_name", "status", "superior", "superior_contact"]

    def get_superior_contact(self, entry: PublicityEntry) -> str:
        return organisation_complaint_contact(entry.superior)


class PublicPublicityBatchSerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")
    entries = PublicPublicityEntrySerializer(many=True)

    class Meta:
        model = PublicityBatch
        fields = [
            "id", "title", "unit", "working_days", "starts_at", "ends_at",
            "unit_contact", "offline_location", "entries",
        ]


class PublicPublicityBatchSummarySerializer(serializers.ModelSerializer):
    unit = serializers.CharField(source="unit.name")

    class Meta:
        model = PublicityBatch
        fields = ["id", "title", "unit", "working_days", "starts_at", "ends_at"]


class PublicPublicityListApi(APIView):
    """The public notice board: every unit publicity running now (R6.3)."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="publicity_public_list",
        tags=["publicity"],
        auth=[],
        summary="Unit publicities running now (public; no login)",
        responses={200: PublicPublicityBatchSummarySerializer(many=True), **error_responses(404)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=publicity_batch_list_public(),
            serializer_class=PublicPublicityBatchSummarySerializer,
        )


class PublicPublicityDetailApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="publicity_public_detail",
        tags=["publicity"],
        auth=[],
        summary="One unit publicity with its candidates and complaint contacts (public; R6.3)",
        responses={200: PublicPublicityBatchSerializer, **error_responses(404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(PublicPublicityBatchSerializer(publicity_batch_get_public(pk)).data)


class PublicPublicityFormPdfApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="publicity_public_form_pdf",
        tags=["publicity"],
        auth=[],
        summary="The candidate's 公示表 PDF (public; R6.3)",
        parameters=[OpenApiParameter("entry_pk", int, OpenApiParameter.PATH)],
        responses={
            (200, "application/pdf"): OpenApiResponse(response=OpenApiTypes.BINARY),
            **error_responses(404),
        },
    )
    def get(self, request: Request, pk: int, entry_pk: int) -> HttpResponse:
        batch = publicity_batch_get_public(pk)
        entry = next((e for e in batch.entries.all() if e.pk == entry_pk), None)
        if entry is None:
            raise Http404
        response = HttpResponse(publicity_form_pdf(entry), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="publicity-{batch.pk}-{entry.pk}.pdf"'
        return response


class PublicityBatchDetailApi(APIView):
    @extend_schema(
        operation_id="publicity_batch_detail",
        tags=["publicity"],
        summary="One publicity batch of my organisation, with its complaints",
        responses={200: PublicityBatchOutputSerializer, **error_responses(401, 403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        batch = publicity_batch_get_for_user(request.user, pk)
        batch = _with_relations(PublicityBatch.objects.select_related("unit")).get(pk=batch.pk)
        return Response(PublicityBatchOutputSerializer(batch).data)
