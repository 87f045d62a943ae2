"""Declarations API: campaigns, and the applicant's declarations and their transitions.

Each view looks the declaration up through a selector that answers 404 for anything
the person may not see, validates its input serializer, calls one service with
``actor=request.user`` and answers with the declaration's output serializer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ApiPagination, error_responses, paginated_response
from declarations.api.serializers import (
    CampaignOutputSerializer,
    DeclarationCreateInputSerializer,
    DeclarationOutputSerializer,
    DeclarationSubmitInputSerializer,
    DeclarationUpdateInputSerializer,
    DeclarationWithdrawInputSerializer,
    prefetch_output_relations,
    with_output_relations,
)
from declarations.models import Declaration
from declarations.selectors import (
    campaign_list_open,
    declaration_get_for_user,
    declaration_list_for_applicant,
    declaration_ref_for_user,
)
from declarations.services import (
    declaration_create,
    declaration_remind,
    declaration_resubmit,
    declaration_submit,
    declaration_update_draft,
    declaration_withdraw,
)


def declaration_response(
    declaration: Declaration, request: Request, status_code: int = status.HTTP_200_OK
) -> Response:
    """Answer with one declaration as its reader sees it."""
    prefetch_output_relations([declaration])
    data = DeclarationOutputSerializer(declaration, context={"request": request}).data
    return Response(data, status=status_code)


class _ReusedOutputSerializer(DeclarationOutputSerializer):
    """The declaration output through one serializer per thread, built once.

    Building ``DeclarationOutputSerializer`` deep-copies its thirty fields and those of
    its nested serializers; for one declaration that cost more than representing it
    (docs/benchmarks.md). The request is set for each answer; same output.
    """

    def represent(self, declaration: Declaration, request: Request) -> Any:
        prefetch_output_relations([declaration])
        self._context = {"request": request}
        try:
            return self.to_representation(declaration)
        finally:
            self._context = {}


_local = threading.local()


def _output_serializer() -> _ReusedOutputSerializer:
    serializer = getattr(_local, "output", None)
    if serializer is None:
        serializer = _local.output = _ReusedOutputSerializer()
    return serializer


class DeclarationActionApi(APIView):
    """One workflow action on one declaration: look it up (404 outside scope), validate
    ``input_serializer`` if any, call ``service`` with ``actor`` and the validated data, and
    answer with the declaration. Subclasses set the two attributes and their schema."""

    input_serializer: type[serializers.Serializer] | None = None
    service: Callable[..., Declaration]

    def act(self, request: Request, declaration: Declaration, data: dict[str, Any]) -> Declaration:
        return type(self).service(declaration=declaration, actor=request.user, **data)

    def post(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        data: dict[str, Any] = {}
        if self.input_serializer is not None:
            serializer = self.input_serializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            data = dict(serializer.validated_data)
        return declaration_response(self.act(request, declaration, data), request)


class CampaignListApi(APIView):
    """Campaigns whose filing window has not closed."""

    @extend_schema(
        operation_id="campaigns_list",
        tags=["campaigns"],
        summary="Open campaigns with their windows and fees (R8.3, R8.5)",
        responses={200: CampaignOutputSerializer(many=True), **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        campaigns = campaign_list_open()
        return Response(CampaignOutputSerializer(campaigns, many=True).data)


class DeclarationListCreateApi(APIView):
    """The applicant's own declarations ("my applications", R5.3), and starting a draft."""

    pagination_class = ApiPagination

    @extend_schema(
        operation_id="declarations_list",
        tags=["declarations"],
        summary="My declarations, with progress and the current reviewer's contact (R5.3)",
        responses={200: DeclarationOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=with_output_relations(declaration_list_for_applicant(request.user)),
            serializer_class=DeclarationOutputSerializer,
        )

    @extend_schema(
        operation_id="declarations_create",
        tags=["declarations"],
        summary="Start a draft declaration (R5.1)",
        description=(
            "A bound title administrator may not declare (`administrator_cannot_declare`, "
            "R1.3). Organisation picks are ids from `organisations/` of the kind each pick needs."
        ),
        request=DeclarationCreateInputSerializer,
        responses={201: DeclarationOutputSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = DeclarationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        declaration = declaration_create(actor=request.user, **serializer.validated_data)
        return declaration_response(declaration, request, status.HTTP_201_CREATED)


class DeclarationDetailApi(APIView):
    """One declaration the person may see: their own, or one their organisation reviews."""

    @extend_schema(
        operation_id="declarations_retrieve",
        tags=["declarations"],
        summary="A declaration",
        responses={200: DeclarationOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        return declaration_response(declaration_get_for_user(request.user, pk), request)

    @extend_schema(
        operation_id="declarations_update",
        tags=["declarations"],
        summary="Change a draft; only the fields sent change",
        request=DeclarationUpdateInputSerializer,
        responses={200: DeclarationOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
    def patch(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        serializer = DeclarationUpdateInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        declaration = declaration_update_draft(
            declaration=declaration, actor=request.user, **serializer.validated_data
        )
        return declaration_response(declaration, request)


@extend_schema_view(
    post=extend_schema(
        operation_id="declarations_submit",
        tags=["declarations"],
        summary="Sign the integrity commitment and submit (R5.1, R5.2)",
        description=(
            "Fixes the route from the chosen organisations and sends the declaration to the "
            "first of them. A missing organisation answers `organisation_missing` naming the "
            "pick: ask that organisation to register (R3.4)."
        ),
        request=DeclarationSubmitInputSerializer,
        responses={200: DeclarationOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class DeclarationSubmitApi(DeclarationActionApi):
    input_serializer = DeclarationSubmitInputSerializer

    def post(self, request: Request, pk: int) -> Response:
        # The service locks and reads the declaration itself: look up only whether the
        # person may see it (404), then answer from what the service loaded.
        declaration = declaration_ref_for_user(request.user, pk)
        serializer = DeclarationSubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submitted = self.act(request, declaration, dict(serializer.validated_data))
        return Response(_output_serializer().represent(submitted, request))

    def act(self, request: Request, declaration: Declaration, data: dict[str, Any]) -> Declaration:
        return declaration_submit(
            declaration=declaration,
            actor=request.user,
            integrity_accepted=data["integrity_accepted"],
            # The address the commitment was signed from (R5.2); behind a proxy this is
            # the proxy's unless the deployment rewrites REMOTE_ADDR.
            ip_address=request.META.get("REMOTE_ADDR") or None,
        )


@extend_schema_view(
    post=extend_schema(
        operation_id="declarations_resubmit",
        tags=["declarations"],
        summary="Send a corrected declaration back to whoever returned it (R6.1, R6.6)",
        description="Refused with `correction_deadline_passed` (400) from `correction_due_at` on: "
        "the declaration then counts as abandoned.",
        request=None,
        responses={200: DeclarationOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class DeclarationResubmitApi(DeclarationActionApi):
    service = staticmethod(declaration_resubmit)


@extend_schema_view(
    post=extend_schema(
        operation_id="declarations_remind",
        tags=["declarations"],
        summary="Remind the organisation holding the declaration to review it (催办)",
        description="Notifies the active title administrators of the current organisation. At "
        "most once per declaration and calendar day, Asia/Shanghai (`reminder_too_soon`, 400); "
        "only while under review at an organisation or the committee (`nothing_to_remind`, 409).",
        request=None,
        responses={200: DeclarationOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class DeclarationRemindApi(DeclarationActionApi):
    service = staticmethod(declaration_remind)


@extend_schema_view(
    post=extend_schema(
        operation_id="declarations_withdraw",
        tags=["declarations"],
        summary="Withdraw a draft or a declaration still under review",
        request=DeclarationWithdrawInputSerializer,
        responses={200: DeclarationOutputSerializer, **error_responses(400, 403, 404, 409)},
    )
)
class DeclarationWithdrawApi(DeclarationActionApi):
    input_serializer = DeclarationWithdrawInputSerializer
    service = staticmethod(declaration_withdraw)
