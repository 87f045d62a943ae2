"""The API's error shape: every refusal is ``{"code", "detail", "field"?}``."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions

from core.api import exception_handler
from core.exceptions import PermissionRefused, ServiceError, TransitionNotAllowed


@pytest.mark.parametrize(
    ("exc", "status"),
    [
        (ServiceError("rule_x", "规则不允许", field="level"), 400),
        (PermissionRefused("rule_x", "规则不允许", field="level"), 403),
        (TransitionNotAllowed("rule_x", "规则不允许", field="level"), 409),
    ],
)
def test_exception_handler_service_error_keeps_code_field_and_status(exc, status):
    response = exception_handler(exc, {})

    assert response.status_code == status
    assert response.data == {"code": "rule_x", "detail": "规则不允许", "field": "level"}


def test_exception_handler_service_error_without_field_omits_it():
    response = exception_handler(ServiceError("rule_x", "规则不允许"), {})

    assert response.data == {"code": "rule_x", "detail": "规则不允许"}


def test_exception_handler_http404_is_not_found_without_extra_keys():
    response = exception_handler(Http404(), {})

    assert response.status_code == 404
    assert set(response.data) == {"code", "detail"}
    assert response.data["code"] == "not_found"


def test_exception_handler_django_permission_denied_is_403():
    response = exception_handler(PermissionDenied(), {})

    assert response.status_code == 403
    assert response.data["code"] == "permission_denied"


def test_exception_handler_django_validation_error_keeps_its_code():
    exc = DjangoValidationError({"id_number": DjangoValidationError("坏", code="id_number_format")})

    response = exception_handler(exc, {})

    assert response.status_code == 400
    assert (response.data["code"], response.data["field"], response.data["detail"]) == (
        "id_number_format",
        "id_number",
        "坏",
    )


def test_exception_handler_nested_validation_error_names_the_path():
    exc = exceptions.ValidationError({"defects": {1: [exceptions.ErrorDetail("太长", code="max_length")]}})

    response = exception_handler(exc, {})

    assert (response.data["code"], response.data["field"]) == ("max_length", "defects.1")


def test_exception_handler_non_field_error_has_no_field():
    exc = exceptions.ValidationError(
        {"non_field_errors": [exceptions.ErrorDetail("不行", code="authorization")]}
    )

    response = exception_handler(exc, {})

    assert response.data["code"] == "authorization"
    assert "field" not in response.data


def test_exception_handler_leaves_other_exceptions_to_django():
    assert exception_handler(RuntimeError("boom"), {}) is None
