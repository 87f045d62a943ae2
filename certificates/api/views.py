"""Certificates API: thin views that look up through a selector (404 outside scope),
validate an input serializer, call one service with ``actor=request.user`` and answer.

The verification endpoints are public (no authentication), like the page they mirror.
"""

from __future__ import annotations

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from certificates import selectors as sel
from certificates.api.serializers import (
    BatchInputSerializer,
    BatchOutputSerializer,
    CertificateOutputSerializer,
    CertificatePublicSerializer,
    DocumentsOutputSerializer,
    IssueInputSerializer,
    LookupInputSerializer,
    RevokeInputSerializer,
)
from certificates.models import Certificate, ReviewForm
from certificates.services import certificate_revoke, declaration_documents_issue, document_batch_start
from certificates.views import (
    certificate_file_response,
    holder_may_download,
    lookup_throttled,
    review_form_file_response,
)
from core.api import ApiPagination, error_responses, paginated_response
from core.exceptions import ServiceError, TransitionNotAllowed
from declarations.models import Declaration

ACTION_ERRORS = error_responses(400, 403, 404, 409)
PDF_RESPONSE = OpenApiResponse(response=OpenApiTypes.BINARY, description="application/pdf")


def documents_data(declaration) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "declaration": declaration.pk,
        "state": declaration.state,
        "review_form": ReviewForm.objects.filter(declaration=declaration).first(),
        "certificate": Certificate.objects.filter(declaration=declaration).first(),
    }


class CertificateListApi(APIView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="certificates_list",
        tags=["certificates"],
        summary="Certificates the caller holds or their organisation's committees issued",
        responses={200: CertificateOutputSerializer(many=True), **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        qs = sel.certificate_list_for_user(request.user).order_by("-reserved_at", "-pk")
        return paginated_response(
            view=self, request=request, queryset=qs, serializer_class=CertificateOutputSerializer
        )


class CertificateDetailApi(APIView):
    @extend_schema(
        operation_id="certificates_retrieve",
        tags=["certificates"],
        summary="One certificate",
        responses={200: CertificateOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(CertificateOutputSerializer(sel.certificate_get_for_user(request.user, pk)).data)


class CertificatePdfApi(APIView):
    @extend_schema(
        operation_id="certificates_pdf",
        tags=["certificates"],
        summary="Download the sealed certificate PDF (R8.7); refused to its holder once revoked",
        responses={200: PDF_RESPONSE, **error_responses(401, 404, 409)},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        certificate = sel.certificate_get_for_user(request.user, pk)
        if not certificate.is_stored:
            raise TransitionNotAllowed("not_issued", _("证书尚未生成。"))
        if not holder_may_download(request.user, certificate):
            raise TransitionNotAllowed("revoked", _("该证书已撤销，不再提供下载。"))
        return certificate_file_response(certificate)


class CertificateRevokeApi(APIView):
    @extend_schema(
        operation_id="certificates_revoke",
        tags=["certificates"],
        summary="Revoke a certificate with a reason (approval body or title office)",
        description="Refusals: `reason_required`, `not_revoker` (403), `already_revoked` (409).",
        request=RevokeInputSerializer,
        responses={200: CertificateOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        certificate = sel.certificate_get_for_user(request.user, pk)
        serializer = RevokeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revoked = certificate_revoke(
            certificate=certificate, actor=request.user, reason=serializer.validated_data["reason"]
        )
        return Response(CertificateOutputSerializer(revoked).data)


class ReviewFormPdfApi(APIView):
    @extend_schema(
        operation_id="certificates_review_form_pdf",
        tags=["certificates"],
        summary="Download the sealed review form PDF (R8.4)",
        responses={200: PDF_RESPONSE, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        return review_form_file_response(sel.review_form_get_for_user(request.user, pk))


class DeclarationDocumentsApi(APIView):
    @extend_schema(
        operation_id="certificates_declaration_documents",
        tags=["certificates"],
        summary="A declaration's review form and certificate, with download links",
        responses={200: DocumentsOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = sel.documents_declaration_get_for_user(request.user, pk)
        return Response(DocumentsOutputSerializer(documents_data(declaration)).data)

    @extend_schema(
        operation_id="certificates_declaration_issue",
        tags=["certificates"],
        summary="Render, seal and store the review form and certificate of a confirmed declaration",
        description="Idempotent: documents already stored are returned unchanged (200); newly "
        "rendered ones answer 201. Refusals: `not_confirmed` (409), `not_issuer` (403), "
        "`seal_not_configured`.",
        request=IssueInputSerializer,
        responses={200: DocumentsOutputSerializer, 201: DocumentsOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        declaration = sel.documents_declaration_get_for_user(request.user, pk)
        serializer = IssueInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        outcome = declaration_documents_issue(
            declaration=declaration, actor=request.user, kind=serializer.validated_data["kind"]
        )
        declaration = Declaration.objects.get(pk=declaration.pk)  # the state changed: protected field
        return Response(
            DocumentsOutputSerializer(documents_data(declaration)).data,
            status=status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK,
        )


class MeetingBatchApi(APIView):
    @extend_schema(
        operation_id="certificates_meeting_batches",
        tags=["certificates"],
        summary="The document batches of a meeting, latest first",
        responses={200: BatchOutputSerializer(many=True), **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        meeting = sel.document_meeting_get_for_user(request.user, pk)
        batches = meeting.document_batches.order_by("-started_at", "-pk")[:50]
        return Response(BatchOutputSerializer(batches, many=True).data)

    @extend_schema(
        operation_id="certificates_meeting_batch_start",
        tags=["certificates"],
        summary="Start rendering every confirmed declaration's documents of a meeting (Celery)",
        description="Answers 202 with the batch; poll `GET /document-batches/{id}/`. While a "
        "batch of the kind runs it is returned (and resumed). Refusals: `nothing_to_issue` "
        "(409), `not_issuer` (403).",
        request=BatchInputSerializer,
        responses={202: BatchOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request: Request, pk: int) -> Response:
        meeting = sel.document_meeting_get_for_user(request.user, pk)
        serializer = BatchInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        batch = document_batch_start(
            meeting=meeting, actor=request.user, kind=serializer.validated_data["kind"]
        )
        batch.refresh_from_db()
        return Response(BatchOutputSerializer(batch).data, status=status.HTTP_202_ACCEPTED)


class BatchDetailApi(APIView):
    @extend_schema(
        operation_id="certificates_batch_retrieve",
        tags=["certificates"],
        summary="A document batch's progress",
        responses={200: BatchOutputSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return Response(BatchOutputSerializer(sel.document_batch_get_for_user(request.user, pk)).data)


class VerifyApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="certificates_verify",
        tags=["certificates"],
        summary="Public: a certificate by its verification token (the QR code), valid or revoked",
        auth=[],
        responses={200: CertificatePublicSerializer, **error_responses(404)},
    )
    def get(self, request: Request, token: str) -> Response:
        return Response(CertificatePublicSerializer(sel.certificate_get_public(token)).data)


class VerifyLookupApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="certificates_verify_lookup",
        tags=["certificates"],
        summary="Public: look a certificate up by its number and the holder's name (both exact)",
        description="Throttled per client address (`too_many_lookups`, 429).",
        auth=[],
        parameters=[
            OpenApiParameter("number", str, required=True, description="e.g. CQSZ2024-3-000123-7"),
            OpenApiParameter("name", str, required=True, description="The holder's name"),
        ],
        responses={200: CertificatePublicSerializer, **error_responses(400, 404)},
    )
    def get(self, request: Request) -> Response:
        serializer = LookupInputSerializer(data=request.query_params)
        serializer.is_valid(raise_exception=True)
        if lookup_throttled(request.META.get("REMOTE_ADDR") or "unknown"):
            exc = ServiceError("too_many_lookups", _("查询过于频繁，请稍后再试。"))
            exc.status_code = 429
            raise exc
        found = sel.certificate_lookup(**serializer.validated_data)
        if found is None:
            return Response(
                {"code": "not_found", "detail": _("未查到与该证书编号和姓名相符的证书。")},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(CertificatePublicSerializer(found).data)
