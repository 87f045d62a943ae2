"""Content of a declaration and its eligibility findings, nested under ``declarations/{id}/``.

Each view looks the declaration up through the selector (404 outside the reader's scope),
validates an input serializer and calls one service of ``declarations.content``; only the
applicant writes, while the declaration is a draft or returned (403 / 409 otherwise).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses
from declarations.content import (
    SECTIONS,
    applicant_status_set,
    content_for_declaration,
    content_row_add,
    content_row_delete,
    content_row_get,
    content_row_update,
    current_title_set,
)
from declarations.eligibility import declaration_eligibility
from declarations.models import (
    ApplicantStatus,
    CurrentTitle,
    EducationRecord,
    SocialInsuranceRecord,
    WorkRecord,
)
from declarations.selectors import declaration_get_for_user

MONTH_FORMATS = ["%Y-%m", "iso-8601"]


class FindingSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="Rule id of RULES.md, e.g. `R4.7`.")
    field = serializers.CharField(help_text="The content field at fault, e.g. `social_insurance`.")
    blocking = serializers.BooleanField(help_text="True: submission is refused (`not_eligible`).")
    message = serializers.CharField()


class ApplicantStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicantStatus
        fields = [
            "is_civil_servant", "retirement_approved_on", "unit_in_chongqing",
            "archive_in_chongqing", "archive_agency", "archive_since",
        ]


class CurrentTitleSerializer(serializers.ModelSerializer):
    class Meta:
        model = CurrentTitle
        fields = ["basis", "series", "level", "specialty", "obtained_on", "issuing_body"]


class EducationSerializer(serializers.ModelSerializer):
    class Meta:
        model = EducationRecord
        fields = ["id", "level", "school", "major", "graduated_on", "full_time"]
        read_only_fields = ["id"]


class WorkSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkRecord
        fields = ["id", "started_on", "ended_on", "employer", "post"]
        read_only_fields = ["id"]


class SocialInsuranceSerializer(serializers.ModelSerializer):
    start_month = serializers.DateField(input_formats=MONTH_FORMATS, help_text="`YYYY-MM`.")
    end_month = serializers.DateField(
        input_formats=MONTH_FORMATS, allow_null=True, required=False, help_text="`YYYY-MM`; null: ongoing."
    )

    class Meta:
        model = SocialInsuranceRecord
        fields = ["id", "start_month", "end_month", "employer", "paid_in_chongqing"]
        read_only_fields = ["id"]


class ContentOutputSerializer(serializers.Serializer):
    """Everything the applicant filled in, and the findings on it now."""

    applicant_status = ApplicantStatusSerializer(source="status", allow_null=True)
    current_title = CurrentTitleSerializer(source="title", allow_null=True)
    education = EducationSerializer(many=True)
    work = WorkSerializer(many=True)
    social_insurance = SocialInsuranceSerializer(many=True)
    findings = FindingSerializer(many=True)


ROW_SERIALIZERS: dict[str, type[serializers.ModelSerializer]] = {
    "education": EducationSerializer,
    "work": WorkSerializer,
    "social_insurance": SocialInsuranceSerializer,
}


def _findings(declaration: Any) -> list[dict[str, object]]:
    return [f.as_dict() for f in declaration_eligibility(declaration)]


class ContentApi(APIView):
    @extend_schema(
        operation_id="declarations_content_retrieve",
        tags=["declaration content"],
        summary="The declaration's content and its eligibility findings",
        responses={200: ContentOutputSerializer, **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        content = content_for_declaration(declaration)
        data = {
            "status": content.status,
            "title": content.title,
            "education": content.education,
            "work": content.work,
            "social_insurance": content.social_insurance,
            "findings": _findings(declaration),
        }
        return Response(ContentOutputSerializer(data).data)


class EligibilityApi(APIView):
    @extend_schema(
        operation_id="declarations_eligibility_list",
        tags=["declaration content"],
        summary="Eligibility findings now (R1.2, R2.2, R2.3, R4.7); blocking ones refuse submission",
        responses={200: FindingSerializer(many=True), **error_responses(403, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        return Response(FindingSerializer(_findings(declaration), many=True).data)


class ApplicantStatusApi(APIView):
    @extend_schema(
        operation_id="declarations_applicant_status_update",
        tags=["declaration content"],
        summary="Set status facts (R1.2) and archive location (R4.7); only fields sent change",
        request=ApplicantStatusSerializer,
        responses={200: ApplicantStatusSerializer, **error_responses(400, 403, 404, 409)},
    )
    def put(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        serializer = ApplicantStatusSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        result = applicant_status_set(
            declaration=declaration, actor=request.user, **serializer.validated_data
        )
        return Response(ApplicantStatusSerializer(result).data)


class CurrentTitleApi(APIView):
    @extend_schema(
        operation_id="declarations_current_title_update",
        tags=["declaration content"],
        summary="Set the current title, or none (R2.3, R2.6); only fields sent change",
        request=CurrentTitleSerializer,
        responses={200: CurrentTitleSerializer, **error_responses(400, 403, 404, 409)},
    )
    def put(self, request: Request, pk: int) -> Response:
        declaration = declaration_get_for_user(request.user, pk)
        serializer = CurrentTitleSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        result = current_title_set(declaration=declaration, actor=request.user, **serializer.validated_data)
        return Response(CurrentTitleSerializer(result).data)


def _row_list_api(section: str) -> type[APIView]:
    serializer_class = ROW_SERIALIZERS[section]
    name = section.replace("_", "-")

    class RowListApi(APIView):
        @extend_schema(
            operation_id=f"declarations_{section}_list",
            tags=["declaration content"],
            summary=f"The {name} rows",
            responses={200: serializer_class(many=True), **error_responses(403, 404)},
        )
        def get(self, request: Request, pk: int) -> Response:
            declaration = declaration_get_for_user(request.user, pk)
            rows = SECTIONS[section].model.objects.filter(declaration=declaration)
            return Response(serializer_class(rows, many=True).data)

        @extend_schema(
            operation_id=f"declarations_{section}_create",
            tags=["declaration content"],
            summary=f"Add a {name} row (applicant, draft or returned)",
            request=serializer_class,
            responses={201: serializer_class, **error_responses(400, 403, 404, 409)},
        )
        def post(self, request: Request, pk: int) -> Response:
            declaration = declaration_get_for_user(request.user, pk)
            serializer = serializer_class(data=request.data)
            serializer.is_valid(raise_exception=True)
            row = content_row_add(
                declaration=declaration, actor=request.user, section=section, **serializer.validated_data
            )
            return Response(serializer_class(row).data, status=status.HTTP_201_CREATED)

    RowListApi.__name__ = RowListApi.__qualname__ = f"{section.title().replace('_', '')}ListApi"
    return RowListApi


def _row_detail_api(section: str) -> type[APIView]:
    serializer_class = ROW_SERIALIZERS[section]
    name = section.replace("_", "-")

    class RowDetailApi(APIView):
        @extend_schema(
            operation_id=f"declarations_{section}_update",
            tags=["declaration content"],
            summary=f"Change a {name} row; only fields sent change",
            request=serializer_class,
            responses={200: serializer_class, **error_responses(400, 403, 404, 409)},
        )
        def patch(self, request: Request, pk: int, row_id: int) -> Response:
            declaration = declaration_get_for_user(request.user, pk)
            row = content_row_get(declaration, section, row_id)
            serializer = serializer_class(data=request.data, partial=True)
            serializer.is_valid(raise_exception=True)
            row = content_row_update(row=row, actor=request.user, **serializer.validated_data)
            return Response(serializer_class(row).data)

        @extend_schema(
            operation_id=f"declarations_{section}_destroy",
            tags=["declaration content"],
            summary=f"Delete a {name} row",
            request=None,
            responses={204: None, **error_responses(403, 404, 409)},
        )
        def delete(self, request: Request, pk: int, row_id: int) -> Response:
            declaration = declaration_get_for_user(request.user, pk)
            row = content_row_get(declaration, section, row_id)
            content_row_delete(row=row, actor=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)

    RowDetailApi.__name__ = RowDetailApi.__qualname__ = f"{section.title().replace('_', '')}DetailApi"
    return RowDetailApi


# URL path segment of each section.
SECTION_PATHS = {"education": "education", "work": "work-history", "social_insurance": "social-insurance"}
ROW_LIST_APIS = {section: _row_list_api(section) for section in SECTIONS}
ROW_DETAIL_APIS = {section: _row_detail_api(section) for section in SECTIONS}
