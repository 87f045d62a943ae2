"""handler500 (core/errors.py): a database outage answers 503 with Retry-After, other
errors 500; API paths answer JSON; never a traceback or driver text."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from core import errors


def _db_down(request):  # type: ignore[no-untyped-def]
    raise OperationalError("server closed the connection unexpectedly")


def _bug(request):  # type: ignore[no-untyped-def]
    raise ValueError("a bug")


urlpatterns = [
    path("page/down/", _db_down),
    path("page/bug/", _bug),
    path("api/v1/down/", _db_down),
    path("api/v1/bug/", _bug),
]
handler500 = errors.server_error


@pytest.fixture
def client_(settings):  # type: ignore[no-untyped-def]
    settings.ROOT_URLCONF = __name__
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "status", "retry"),
    [
        ("/page/down/", 503, "30"),
        ("/page/bug/", 500, None),
        ("/api/v1/down/", 503, "30"),
        ("/api/v1/bug/", 500, None),
    ],
)
def test_error_answers(client_, url, status, retry):
    response = client_.get(url)

    assert response.status_code == status
    assert response.get("Retry-After") == retry
    body = response.content.decode()
    assert "Traceback" not in body and "server closed" not in body and "a bug" not in body
    if url.startswith("/api/"):
        assert response.json()["code"] == ("service_unavailable" if status == 503 else "server_error")
    else:
        assert "系统繁忙" in body
        assert ("无法访问数据库" in body) is (status == 503)


def test_configured_as_the_platform_handler():
    from config import urls

    assert urls.handler500 == "core.errors.server_error"
