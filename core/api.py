"""API plumbing shared by every app: one error shape for every refusal, pagination, schema bits.

Every refusal answers ``{"code": ..., "detail": ..., "field"?: ...}``: ``code`` is stable
and machine-readable (a ``ServiceError`` code, or DRF's own for malformed input such as
``required``, ``invalid_choice``, ``does_not_exist``, ``parse_error``, ``not_found``),
``detail`` is translated for the person, and ``field`` names the input at fault. Malformed
input additionally carries ``errors``, DRF's full per-field detail.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.fields import get_error_detail
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from core.exceptions import ServiceError


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Answer every refusal as ``{"code": ..., "detail": ..., "field"?: ...}``."""
    if isinstance(exc, ServiceError):
        body: dict[str, Any] = {"code": exc.code, "detail": str(exc.message)}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        # Keep each message's code (e.g. id_number_check_digit) for the client.
        exc = exceptions.ValidationError(get_error_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an API exception: let Django answer 500 and log it.
        return None
    if isinstance(exc, exceptions.ValidationError):
        field, code, message = _first_error(exc.detail)
        body = {"code": code, "detail": message}
        if field:
            body["field"] = field
        body["errors"] = exc.detail
        response.data = body
    elif isinstance(exc, exceptions.APIException):
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        codes = exc.get_codes()
        response.data = {
            "code": codes if isinstance(codes, str) else exc.default_code,
            "detail": str(detail),
        }
    return response


def _first_error(detail: Any, path: tuple[str, ...] = ()) -> tuple[str | None, str, str]:
    """Return ``(field, code, message)`` of the first error in DRF's nested detail.

    ``field`` is a dotted path (``defects.0``), or None for an error of the whole input.
    """
    if isinstance(detail, Mapping):
        for key, value in detail.items():
            sub = path if key == api_settings.NON_FIELD_ERRORS_KEY else (*path, str(key))
            return _first_error(value, sub)
    elif isinstance(detail, Sequence) and not isinstance(detail, str):
        for index, value in enumerate(detail):
            # A list of messages belongs to the field itself; a list of dicts/lists is
            # a list field whose items failed, and the item's index is part of the path.
            if isinstance(value, Mapping | list):
                if value:
                    return _first_error(value, (*path, str(index)))
                continue
            return _first_error(value, path)
    code = getattr(detail, "code", None) or "invalid"
    return (".".join(path) or None, str(code), str(detail))


class ErrorSerializer(serializers.Serializer):
    """The body of every refusal (documentation only)."""

    code = serializers.CharField(
        help_text="Stable machine-readable code, e.g. `illegal_transition`, `not_found`, "
        "`organisation_missing`, `required`, `invalid_choice`."
    )
    detail = serializers.CharField(help_text="Human-readable message in the request's language.")
    field = serializers.CharField(
        required=False, help_text="The input at fault (dotted path for nested input), if any."
    )
    errors = serializers.JSONField(
        required=False,
        help_text="For malformed input only: every error per field, as DRF reports them.",
    )


_ERROR_DESCRIPTIONS = {
    400: "Malformed input, or a rule of the notice refused the action; see `code` and `field`.",
    401: "Not authenticated.",
    403: "Not authenticated, or you may see the object but not perform this action.",
    404: "No such object, or it is outside what you may see (never 403 for those).",
    409: "The object is not in a state from which the action is legal; nothing changed.",
}


def error_responses(*status_codes: int) -> dict[int, OpenApiResponse]:
    """Return the ``responses`` entries documenting the given refusal statuses."""
    return {
        code: OpenApiResponse(response=ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in status_codes
    }


class ApiPagination(PageNumberPagination):
    """Fifty items per page: ``?page=`` selects the page."""

    page_size = 50


def paginated_response(
    *,
    view: APIView,
    request: Request,
    queryset: QuerySet[Any],
    serializer_class: type[serializers.BaseSerializer],
    context: dict[str, Any] | None = None,
) -> Response:
    """Paginate ``queryset`` with the view's ``pagination_class`` and serialise the page."""
    paginator = view.pagination_class()  # type: ignore[attr-defined]
    page = paginator.paginate_queryset(queryset, request, view=view)
    serializer = serializer_class(page, many=True, context={"request": request, **(context or {})})
    return paginator.get_paginated_response(serializer.data)
