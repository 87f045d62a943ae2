"""Reports API: the caller's dashboard, a campaign's statistics, and the .xlsx exports.

The exports answer the workbook itself (``application/vnd.openxmlformats-officedocument.
spreadsheetml.sheet``, file name in RFC 5987 ``filename*``); a refusal answers the usual
JSON error (core/api.py): 404 outside the caller's scope, 401 without credentials.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import error_responses
from reports import exports
from reports.dashboards import dashboard_for
from reports.statistics import campaign_get_for_statistics, campaign_statistics

XLSX_RESPONSE = OpenApiResponse(response=OpenApiTypes.BINARY, description=exports.XLSX_CONTENT_TYPE)


class XlsxRenderer(BaseRenderer):
    """Lets a client ask for ``Accept: <xlsx>``; errors still go out as JSON text."""

    media_type = exports.XLSX_CONTENT_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(
        self, data: Any, accepted_media_type: str | None = None, renderer_context: Any = None
    ) -> bytes:
        if isinstance(data, bytes):
            return data
        return json.dumps(data, ensure_ascii=False, default=str).encode()


class TaskSerializer(serializers.Serializer):
    label = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField()
    count = serializers.IntegerField()
    due_on = serializers.DateField(allow_null=True)
    status = serializers.ChoiceField(choices=["overdue", "due_soon", "waiting"])


class DashboardSerializer(serializers.Serializer):
    today = serializers.DateField()
    due_soon_until = serializers.DateField()
    roles = serializers.ListField(child=serializers.CharField())
    overdue = TaskSerializer(many=True)
    due_soon = TaskSerializer(many=True)
    waiting = TaskSerializer(many=True)


class BarSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    value = serializers.FloatField()


class StatisticsSerializer(serializers.Serializer):
    campaign = serializers.DictField()
    total = serializers.IntegerField()
    by_state = BarSerializer(many=True)
    by_step = BarSerializer(many=True)
    by_level = BarSerializer(many=True)
    by_field = BarSerializer(many=True)
    by_district = BarSerializer(many=True)
    pass_rates = BarSerializer(many=True)
    overdue = BarSerializer(many=True)
    pass_table = serializers.ListField(child=serializers.DictField())


class DashboardApi(APIView):
    @extend_schema(
        operation_id="dashboard_retrieve",
        tags=["reports"],
        summary="What waits for the caller, what is overdue and what is due soon, for every role held",
        responses={200: DashboardSerializer, **error_responses(401)},
    )
    def get(self, request: Request) -> Response:
        return Response(dashboard_for(request.user).as_dict())


class CampaignStatisticsApi(APIView):
    @extend_schema(
        operation_id="campaign_statistics_retrieve",
        tags=["reports"],
        summary="The campaign in numbers (title office, committee host)",
        responses={200: StatisticsSerializer, **error_responses(401, 404)},
    )
    def get(self, request: Request, pk: int) -> Response:
        campaign = campaign_get_for_statistics(request.user, pk)
        return Response(campaign_statistics(campaign).as_dict())


class _ExportApi(APIView):
    """An export: the workbook, or a JSON refusal."""

    renderer_classes = [JSONRenderer, XlsxRenderer]


def _export_schema(operation_id: str, summary: str):  # type: ignore[no-untyped-def]
    return extend_schema(
        operation_id=operation_id,
        tags=["reports"],
        summary=summary,
        responses={200: XLSX_RESPONSE, **error_responses(401, 404)},
    )


class PublicityExportApi(_ExportApi):
    @_export_schema("exports_publicity_list", "A unit publicity's candidates as .xlsx (R6.3)")
    def get(self, request: Request, pk: int) -> HttpResponse:
        return exports.xlsx_response(exports.export_publicity_batch(request.user, pk))


class AcceptanceExportApi(_ExportApi):
    @_export_schema("exports_acceptance_list", "The committee's acceptance list of a campaign as .xlsx")
    def get(self, request: Request, pk: int) -> HttpResponse:
        return exports.xlsx_response(exports.export_acceptance_list(request.user, pk))


class MeetingResultsExportApi(_ExportApi):
    @_export_schema("exports_meeting_results", "A meeting's votes and outcomes as .xlsx (R7.3)")
    def get(self, request: Request, pk: int) -> HttpResponse:
        return exports.xlsx_response(exports.export_meeting_results(request.user, pk))


class StatisticsExportApi(_ExportApi):
    @_export_schema("exports_campaign_statistics", "The campaign statistics as .xlsx")
    def get(self, request: Request, pk: int) -> HttpResponse:
        return exports.xlsx_response(exports.export_campaign_statistics(request.user, pk))


class CertificateRecordExportApi(_ExportApi):
    @_export_schema(
        "exports_certificate_numbers", "The certificate-number record of a campaign as .xlsx (R8.2)"
    )
    def get(self, request: Request, pk: int) -> HttpResponse:
        return exports.xlsx_response(exports.export_certificate_record(request.user, pk))
