"""Review API: the organisation's queue, step decisions (R6.1-R6.5) and the committee check (R6.6).

Each action looks the declaration up through ``declaration_get_for_user`` (404 for what
the person may not see), validates its input and calls one service with
``actor=request.user``; the service refuses with 403 when the declaration is visible but
not at the person's organisation, and 409 when its state does not allow the action.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ApiPagination, error_responses, paginated_response
from core.exceptions import PermissionRefused, ServiceError
from declarations.api.serializers import DeclarationOutputSerializer
from declarations.api.views import DeclarationActionApi
from declarations.models import Campaign
from declarations.selectors import declaration_queue_entries_for_user
from review.api.serializers import (
    BulkPassInputSerializer,
    BulkPassOutputSerializer,
    CommitteeAcceptInputSerializer,
    CommitteeNotAcceptInputSerializer,
    CommitteeReturnInputSerializer,
    QueueItemOutputSerializer,
    StepPassInputSerializer,
    StepRefuseInputSerializer,
    StepReturnInputSerializer,
    UnitConditionInputSerializer,
    UnitConditionOutputSerializer,
)
from review.bulk import step_pass_many
from review.models import UnitCondition
from review.services import (
    committee_accept,
    committee_not_accept,
    committee_return,
    step_pass,
    step_refuse,
    step_return,
)
from review.unit_conditions import (
    administered_unit,
    unit_condition_delete,
    unit_condition_get_for_user,
    unit_condition_list_for_user,
    unit_condition_set,
)

ACTION_ERRORS = error_responses(400, 403, 404, 409)


class QueueApi(APIView):
    """What waits for the person's organisation: its chain step or the committee's check."""

    pagination_class = ApiPagination

    @extend_schema(
        operation_id="review_queue",
        tags=["review"],
        summary="Declarations waiting at my organisation",
        description="Empty for a person who administers no organisation. 50 per page, oldest "
        "first. Each entry is a summary; its `url` is the full declaration (route, decisions, "
        "`allowed_actions`).",
        responses={200: QueueItemOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request) -> Response:
        # The light entry, not the full declaration: no route, decisions or permission
        # checks per row (docs/benchmarks.md); the detail endpoint has them.
        return paginated_response(
            view=self,
            request=request,
            queryset=declaration_queue_entries_for_user(request.user),
            serializer_class=QueueItemOutputSerializer,
        )


@extend_schema_view(
    post=extend_schema(
        operation_id="review_pass",
        tags=["review"],
        summary="Pass up the chain: to the next organisation or the committee (R6.4, R6.5)",
        description="The last step sends it to the committee, only before the chain deadline (R8.3).",
        request=StepPassInputSerializer,
        responses={200: DeclarationOutputSerializer, **ACTION_ERRORS},
    )
)
class StepPassApi(DeclarationActionApi):
    input_serializer = StepPassInputSerializer
    service = staticmethod(step_pass)


@extend_schema_view(
    post=extend_schema(
        operation_id="review_return",
        tags=["review"],
        summary="Return to the applicant for correction, listing every defect (R6.1)",
        request=StepReturnInputSerializer,
        responses={200: DeclarationOutputSerializer, **ACTION_ERRORS},
    )
)
class StepReturnApi(DeclarationActionApi):
    input_serializer = StepReturnInputSerializer
    service = staticmethod(step_return)


@extend_schema_view(
    post=extend_schema(
        operation_id="review_refuse",
        tags=["review"],
        summary="Refuse to recommend, with the reason (R6.1)",
        request=StepRefuseInputSerializer,
        responses={200: DeclarationOutputSerializer, **ACTION_ERRORS},
    )
)
class StepRefuseApi(DeclarationActionApi):
    input_serializer = StepRefuseInputSerializer
    service = staticmethod(step_refuse)


@extend_schema_view(
    post=extend_schema(
        operation_id="review_committee_accept",
        tags=["review"],
        summary="Committee host: accept for review (首次审核, R6.6)",
        request=CommitteeAcceptInputSerializer,
        responses={200: DeclarationOutputSerializer, **ACTION_ERRORS},
    )
)
class CommitteeAcceptApi(DeclarationActionApi):
    input_serializer = CommitteeAcceptInputSerializer
    service = staticmethod(committee_accept)


@extend_schema_view(
    post=extend_schema(
        operation_id="review_committee_not_accept",
        tags=["review"],
        summary="Committee host: do not accept, for one of the reasons of R6.6",
        request=CommitteeNotAcceptInputSerializer,
        responses={200: DeclarationOutputSerializer, **ACTION_ERRORS},
    )
)
class CommitteeNotAcceptApi(DeclarationActionApi):
    input_serializer = CommitteeNotAcceptInputSerializer
    service = staticmethod(committee_not_accept)


@extend_schema_view(
    post=extend_schema(
        operation_id="review_committee_return",
        tags=["review"],
        summary="Committee host: return for correction; the third failing submission ends review (R6.6)",
        request=CommitteeReturnInputSerializer,
        responses={200: DeclarationOutputSerializer, **ACTION_ERRORS},
    )
)
class CommitteeReturnApi(DeclarationActionApi):
    input_serializer = CommitteeReturnInputSerializer
    service = staticmethod(committee_return)


class BulkPassApi(APIView):
    @extend_schema(
        operation_id="review_bulk_pass",
        tags=["review"],
        summary="Pass many declarations at my step (批量审核通过, R6.4, R6.5)",
        description="Each id is passed on its own, as `pass/` would; one refusal does not stop "
        "the others. The answer lists every id with `passed` or the refusal's `code` and "
        "`detail`; ids you may not see are refused as `not_found`.",
        request=BulkPassInputSerializer,
        responses={200: BulkPassOutputSerializer, **error_responses(400, 403)},
    )
    def post(self, request: Request) -> Response:
        serializer = BulkPassInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        results = step_pass_many(ids=serializer.validated_data["ids"], actor=request.user)
        data = {
            "passed": sum(1 for r in results if r.passed),
            "results": [
                {"id": r.id, "passed": r.passed, "state": r.state, "code": r.code, "detail": r.detail}
                for r in results
            ],
        }
        return Response(BulkPassOutputSerializer(data).data)


# -- a unit's own conditions (R6.2) ----------------------------------------------------------


class UnitConditionListApi(APIView):
    """The conditions of the unit the person administers; add or replace one (R6.2)."""

    pagination_class = ApiPagination

    @extend_schema(
        operation_id="unit_condition_list",
        tags=["review"],
        summary="My unit's own conditions (R6.2)",
        description="Empty for a person who administers no unit.",
        responses={200: UnitConditionOutputSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=unit_condition_list_for_user(request.user),
            serializer_class=UnitConditionOutputSerializer,
        )

    @extend_schema(
        operation_id="unit_condition_set",
        tags=["review"],
        summary="Add or replace my unit's condition for a campaign and level (R6.2)",
        description="Only adds to the city's conditions. At the unit step a declaration that "
        "does not meet it cannot pass (`unit_conditions_not_met`); the unit may return or "
        "refuse it. Refused with 403 (`not_unit_administrator`) for anyone but an active "
        "title administrator of a unit.",
        request=UnitConditionInputSerializer,
        responses={201: UnitConditionOutputSerializer, **error_responses(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        serializer = UnitConditionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        campaign = Campaign.objects.filter(pk=data.pop("campaign")).first()
        if campaign is None:
            raise ServiceError("campaign_not_found", _("申报批次不存在。"), field="campaign")
        unit = administered_unit(request.user)
        if unit is None:
            raise PermissionRefused(
                "not_unit_administrator", _("只有用人单位的职称管理员可以设置本单位的申报条件（R6.2）。")
            )
        condition = unit_condition_set(actor=request.user, unit=unit, campaign=campaign, **data)
        condition = UnitCondition.objects.select_related("campaign").get(pk=condition.pk)
        return Response(UnitConditionOutputSerializer(condition).data, status=status.HTTP_201_CREATED)


class UnitConditionDetailApi(APIView):
    @extend_schema(
        operation_id="unit_condition_delete",
        tags=["review"],
        summary="Delete one of my unit's conditions (R6.2)",
        responses={204: None, **error_responses(403, 404)},
    )
    def delete(self, request: Request, pk: int) -> Response:
        condition = unit_condition_get_for_user(request.user, pk)
        unit_condition_delete(actor=request.user, condition=condition)
        return Response(status=status.HTTP_204_NO_CONTENT)
