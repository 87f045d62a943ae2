"""API of the declaration's material: achievements (R2.5, R6.6), evidence files (R8.6) and
the review fee (R8.5).

Every view looks the declaration up through ``declaration_get_for_user`` (404 outside the
person's scope), validates an explicit input serializer that refuses unknown fields, and
calls one service with ``actor=request.user``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses
from declarations.achievements import (
    AchievementView,
    achievement_create,
    achievement_delete,
    achievement_update,
    achievement_views,
)
from declarations.enums import AchievementKind, EvidencePurpose, PaymentMethod, PaymentStatus
from declarations.evidence import (
    evidence_delete,
    evidence_get_for_user,
    evidence_list_for_declaration,
    evidence_upload,
)
from declarations.material_views import evidence_file_response
from declarations.models import Achievement, Declaration, Evidence
from declarations.payments import can_confirm_payment, fee_for_declaration, payment_confirm, payment_gateway
from declarations.selectors import declaration_get_for_user

TAG = "declaration material"


class StrictInputSerializer(serializers.Serializer):
    """Refuses fields it does not declare (``unknown_field``) rather than ignoring them."""

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if isinstance(self.initial_data, Mapping):
            unknown = sorted(set(self.initial_data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    dict.fromkeys(unknown, _("不能填写此字段。")), code="unknown_field"
                )
        return attrs


# --- output -------------------------------------------------------------------------------


class EvidenceOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    achievement = serializers.IntegerField(source="achievement_id", allow_null=True)
    purpose = serializers.ChoiceField(choices=EvidencePurpose.choices)
    purpose_display = serializers.CharField(source="get_purpose_display")
    original_name = serializers.CharField(help_text="The uploader's file name, for display only.")
    size = serializers.IntegerField(help_text="Bytes.")
    sha256 = serializers.CharField(help_text="Hex SHA-256 of the stored content.")
    content_type = serializers.CharField(help_text="Detected from the content, not the name.")
    created_at = serializers.DateTimeField()
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, obj: Evidence) -> str:
        return reverse("api:evidence-download", args=[obj.declaration_id, obj.pk])


class AchievementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="achievement.pk")
    kind = serializers.ChoiceField(source="achievement.kind", choices=AchievementKind.choices)
    kind_display = serializers.CharField(source="achievement.get_kind_display")
    title = serializers.CharField(source="achievement.title")
    obtained_on = serializers.DateField(source="achievement.obtained_on")
    role = serializers.CharField(source="achievement.role")
    description = serializers.CharField(source="achievement.description")
    counted = serializers.BooleanField(
        help_text="False when obtained on or before the date of the current title (R2.5)."
    )
    not_counted_reason = serializers.CharField()
    missing_evidence = serializers.ListField(
        child=serializers.CharField(), help_text="Evidence the kind needs and is missing (R8.6)."
    )
    publicised = serializers.BooleanField(
        allow_null=True, help_text="Null before unit publicity; else whether it was publicised (R6.6)."
    )
    evidence = EvidenceOutputSerializer(many=True)
    created_at = serializers.DateTimeField(source="achievement.created_at")
    updated_at = serializers.DateTimeField(source="achievement.updated_at")


class PaymentOutputSerializer(serializers.Serializer):
    fee = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="The campaign's fee for the declared level (R8.5); null until a level is chosen.",
    )
    status = serializers.ChoiceField(
        choices=[("not_opened", "not_opened"), *PaymentStatus.choices],
        help_text="`not_opened` until the declaration is submitted.",
    )
    amount = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    method = serializers.CharField(allow_blank=True)
    reference = serializers.CharField(allow_blank=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)
    instructions = serializers.CharField()
    can_confirm = serializers.BooleanField(help_text="Whether you may confirm the payment now.")


def _payment_data(declaration: Declaration, request: Request) -> dict[str, Any]:
    payment = getattr(declaration, "payment", None)
    return {
        "fee": fee_for_declaration(declaration),
        "status": payment.status if payment else "not_opened",
        "amount": payment.amount if payment else None,
        "method": payment.method if payment else "",
        "reference": payment.reference if payment else "",
        "confirmed_at": payment.confirmed_at if payment else None,
        "instructions": payment_gateway().instructions(declaration),
        "can_confirm": can_confirm_payment(declaration, request.user),
    }


# --- input --------------------------------------------------------------------------------


class AchievementInputSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=AchievementKind.choices)
    title = serializers.CharField(max_length=200)
    obtained_on = serializers.DateField()
    role = serializers.CharField(max_length=100, help_text="e.g. 项目负责人, 第一作者.")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class EvidenceUploadInputSerializer(StrictInputSerializer):
    purpose = serializers.ChoiceField(choices=EvidencePurpose.choices)
    achievement = serializers.IntegerField(
        required=False, allow_null=True, help_text="Id of one of the declaration's achievements."
    )
    file = serializers.FileField(
        allow_empty_file=True, help_text="PDF, JPEG or PNG, detected by content."
    )


class PaymentConfirmInputSerializer(StrictInputSerializer):
    """No amount: the fee is always the campaign's fee for the level (R8.5)."""

    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


# --- views --------------------------------------------------------------------------------


def _achievement_of(declaration: Declaration, pk: int) -> Achievement:
    try:
        return declaration.achievements.get(pk=pk)
    except Achievement.DoesNotExist:
        raise Http404 from None


def _achievement_view(declaration: Declaration, pk: int) -> AchievementView:
    for view in achievement_views(declaration):
        if view.achievement.pk == pk:
            return view
    raise Http404


class AchievementListCreateApi(APIView):
    @extend_schema(
        operation_id="achievements_list",
        tags=[TAG],
        summary="The declaration's achievements: whether each counts (R2.5), what it lacks (R8.6)",
        responses={200: AchievementOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        return Response(AchievementOutputSerializer(achievement_views(declaration), many=True).data)

    @extend_schema(
        operation_id="achievements_create",
        tags=[TAG],
        summary="Add an achievement (applicant, draft or returned)",
        description="After unit publicity an achievement that was not publicised may not be added "
        "(`achievement_not_publicised`, 400; R6.6).",
        request=AchievementInputSerializer,
        responses={201: AchievementOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        serializer = AchievementInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        achievement = achievement_create(
            declaration=declaration, actor=request.user, **serializer.validated_data
        )
        view = _achievement_view(declaration, achievement.pk)
        return Response(AchievementOutputSerializer(view).data, status=status.HTTP_201_CREATED)


class AchievementDetailApi(APIView):
    @extend_schema(
        operation_id="achievements_update",
        tags=[TAG],
        summary="Correct an achievement; only the fields sent change",
        request=AchievementInputSerializer(partial=True),
        responses={200: AchievementOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int, achievement_pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        achievement = _achievement_of(declaration, achievement_pk)
        serializer = AchievementInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        achievement_update(
            declaration=declaration, achievement=achievement, actor=request.user, **serializer.validated_data
        )
        return Response(AchievementOutputSerializer(_achievement_view(declaration, achievement.pk)).data)

    @extend_schema(
        operation_id="achievements_destroy",
        tags=[TAG],
        summary="Delete an achievement and its evidence files",
        responses={204: None, **error_responses(403, 404, 409)},
    )
    def delete(self, request: Request, pk: int, achievement_pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        achievement = _achievement_of(declaration, achievement_pk)
        achievement_delete(declaration=declaration, achievement=achievement, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvidenceListCreateApi(APIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="evidence_list",
        tags=[TAG],
        summary="Every evidence file of the declaration",
        responses={200: EvidenceOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        files = evidence_list_for_declaration(declaration)
        return Response(EvidenceOutputSerializer(files, many=True).data)

    @extend_schema(
        operation_id="evidence_upload",
        tags=[TAG],
        summary="Upload an evidence file (multipart)",
        description=(
            "Refusals (400, nothing stored): `evidence_name_invalid`, `evidence_empty`, "
            "`evidence_too_large`, `evidence_type_refused` (not PDF/JPEG/PNG by content), "
            "`evidence_pdf_active_content` (/JavaScript, /JS, /Launch), `evidence_scanner_refused`, "
            "`evidence_declaration_full`, `evidence_purpose_mismatch`, `achievement_required`."
        ),
        request={"multipart/form-data": EvidenceUploadInputSerializer},
        responses={201: EvidenceOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        serializer = EvidenceUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        achievement = None
        if data.get("achievement") is not None:
            achievement = _achievement_of(declaration, data["achievement"])
        evidence = evidence_upload(
            declaration=declaration,
            actor=request.user,
            purpose=data["purpose"],
            uploaded_file=data["file"],
            achievement=achievement,
        )
        return Response(EvidenceOutputSerializer(evidence).data, status=status.HTTP_201_CREATED)


class EvidenceDetailApi(APIView):
    @extend_schema(
        operation_id="evidence_destroy",
        tags=[TAG],
        summary="Delete an evidence file (applicant, draft or returned)",
        responses={204: None, **error_responses(403, 404, 409)},
    )
    def delete(self, request: Request, pk: int, evidence_pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        evidence = evidence_get_for_user(request.user, pk, evidence_pk)
        evidence_delete(declaration=declaration, evidence=evidence, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class EvidenceDownloadApi(APIView):
    @extend_schema(
        operation_id="evidence_download",
        tags=[TAG],
        summary="Download an evidence file as an attachment",
        description="For the applicant, the administrators of the organisations on the route and "
        "the committee host once the declaration reached it; 404 for anyone else.",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(response=OpenApiTypes.BINARY),
            **error_responses(404),
        },
    )
    def get(self, request: Request, pk: int, evidence_pk: int) -> FileResponse:
        return evidence_file_response(evidence_get_for_user(request.user, pk, evidence_pk))


class PaymentApi(APIView):
    @extend_schema(
        operation_id="payment_retrieve",
        tags=[TAG],
        summary="The review fee of the declared level and its payment (R8.5)",
        responses={200: PaymentOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        return Response(PaymentOutputSerializer(_payment_data(declaration, request)).data)


class PaymentConfirmApi(APIView):
    @extend_schema(
        operation_id="payment_confirm",
        tags=[TAG],
        summary="Confirm the review fee was received (committee host)",
        description="The amount is the campaign's fee for the level and cannot be sent "
        "(`unknown_field`). Only an administrator of the campaign's committee host, once the "
        "declaration reached the committee (`payment_not_allowed`, 403).",
        request=PaymentConfirmInputSerializer,
        responses={200: PaymentOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def post(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        serializer = PaymentConfirmInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        payment_confirm(declaration=declaration, actor=request.user, **serializer.validated_data)
        declaration = declaration_get_for_user(request.user, pk)
        return Response(PaymentOutputSerializer(_payment_data(declaration, request)).data)
