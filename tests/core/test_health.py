"""/healthz checks the real database, broker and cache; /healthz/live only the process."""

from __future__ import annotations

import socket

import pytest
from django.test import override_settings

from core import health


def _closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.django_db
def test_healthz_is_ok_with_real_postgresql_and_redis(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "broker", "cache"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_needs_no_login_and_sets_no_session(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert not response.cookies  # no session, no CSRF cookie
    assert "Cookie" not in response.get("Vary", "")


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_broker_when_it_is_unreachable(client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{_closed_port()}/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["status"] == "fail"
    assert "ConnectionError" in body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_not_500_whatever_a_check_raises(client, monkeypatch):
    def broken() -> None:
        raise ZeroDivisionError("boom")

    monkeypatch.setitem(health.CHECKS, "database", broken)
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "status": "fail",
        "error": "ZeroDivisionError: boom",
        "ms": response.json()["checks"]["database"]["ms"],
    }


def test_liveness_touches_nothing_but_the_process(client):
    # No django_db mark: a database query would raise; the broker URL leads nowhere.
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{_closed_port()}/0"):
        response = client.get("/healthz/live")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_refuses_writes_with_405(client):
    assert client.post("/healthz").status_code == 405
    assert client.post("/healthz/live").status_code == 405


@pytest.mark.django_db
def test_healthz_responses_carry_a_request_id(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-probe-42")

    assert response["X-Request-ID"] == "lb-probe-42"
