"""Inbox API: the person's notifications and marking one read, under /api/v1/."""

from __future__ import annotations

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import ApiPagination, error_responses, paginated_response
from core.notifications import notification_mark_read
from core.selectors import notification_get_for_user, notification_list_for_user


class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="Stable kind, e.g. `review_waiting`, `declaration_reminder`.")
    title = serializers.CharField()
    body = serializers.CharField()
    url = serializers.CharField(help_text="Path of the page it concerns, or empty.")
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListApi(APIView):
    pagination_class = ApiPagination

    @extend_schema(
        operation_id="notifications_list",
        tags=["notifications"],
        summary="My notifications, newest first (50 per page)",
        responses={200: NotificationOutputSerializer(many=True), **error_responses(403)},
    )
    def get(self, request: Request) -> Response:
        return paginated_response(
            view=self,
            request=request,
            queryset=notification_list_for_user(request.user),
            serializer_class=NotificationOutputSerializer,
        )


class NotificationReadApi(APIView):
    @extend_schema(
        operation_id="notifications_read",
        tags=["notifications"],
        summary="Mark one of my notifications read (idempotent)",
        request=None,
        responses={200: NotificationOutputSerializer, **error_responses(403, 404)},
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = notification_get_for_user(request.user, pk)
        notification_mark_read(notification=notification, actor=request.user)
        return Response(NotificationOutputSerializer(notification).data)


urlpatterns = [
    path("notifications/", NotificationListApi.as_view(), name="notifications"),
    path("notifications/<int:pk>/read/", NotificationReadApi.as_view(), name="notification-read"),
]
