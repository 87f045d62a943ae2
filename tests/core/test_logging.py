"""JSON log lines (core/logging.py): valid JSON with time, level, logger, message, request id."""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys

from django.http import HttpResponse
from django.test import RequestFactory

from core.logging import JSONFormatter, RequestIDFilter, RequestIDMiddleware, request_id_var


def _record(msg="declaration %s passed", args=(7,), level=logging.INFO, name="review.services", **kw):
    return logging.LogRecord(name, level, __file__, 1, msg, args, kw.pop("exc_info", None), **kw)


def test_formatter_emits_one_json_object_with_the_fields():
    line = JSONFormatter().format(_record())

    assert "\n" not in line
    data = json.loads(line)
    assert data["level"] == "INFO"
    assert data["logger"] == "review.services"
    assert data["message"] == "declaration 7 passed"
    when = dt.datetime.fromisoformat(data["time"])
    assert when.tzinfo is not None
    assert abs((dt.datetime.now(dt.UTC) - when).total_seconds()) < 60
    assert "request_id" not in data


def test_formatter_keeps_chinese_exceptions_and_extra_fields():
    try:
        raise ValueError("退回理由不能为空")
    except ValueError:
        record = _record(msg="失败", args=(), level=logging.ERROR, exc_info=sys.exc_info())
    record.declaration_id = 12
    record.request = RequestFactory().get("/review/?page=2")
    record.obj = object()

    data = json.loads(JSONFormatter().format(record))

    assert data["message"] == "失败"
    assert data["level"] == "ERROR"
    assert "ValueError: 退回理由不能为空" in data["exception"]
    assert data["declaration_id"] == 12
    assert data["request"] == "GET /review/?page=2"
    assert data["obj"].startswith("<object object")


def test_request_id_reaches_log_lines_and_the_response_header():
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JSONFormatter())
    log = logging.getLogger("tests.core.request_id")
    log.addHandler(handler)
    log.propagate = False

    def view(request):
        log.warning("inside the view")
        return HttpResponse("ok")

    try:
        middleware = RequestIDMiddleware(view)
        given = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="edge-abc.123"))
        made = middleware(RequestFactory().get("/", HTTP_X_REQUEST_ID="bad id\nwith newline"))
    finally:
        log.removeHandler(handler)
        log.propagate = True

    assert given["X-Request-ID"] == "edge-abc.123"
    assert json.loads(lines[0])["request_id"] == "edge-abc.123"
    assert made["X-Request-ID"] != "bad id\nwith newline"
    assert len(made["X-Request-ID"]) == 32
    assert json.loads(lines[1])["request_id"] == made["X-Request-ID"]
    assert request_id_var.get() is None  # reset after the request


def test_text_format_gets_a_dash_outside_a_request():
    record = _record()
    assert RequestIDFilter().filter(record) is True
    text = logging.Formatter("%(levelname)s [%(request_id)s] %(message)s").format(record)
    assert text == "INFO [-] declaration 7 passed"


def test_gunicorn_access_records_become_fields():
    atoms = {
        "h": "10.0.0.5",
        "m": "GET",
        "U": "/healthz",
        "q": "",
        "s": "200",
        "B": "87",
        "M": "4",
        "a": "kube-probe/1.29",
        "{x-request-id}o": "f" * 32,
        "{x-forwarded-for}i": "-",
    }
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(s)s", (), None)
    record.args = atoms  # gunicorn logs access_log_format % atoms

    data = json.loads(JSONFormatter().format(record))

    assert data["message"] == "10.0.0.5 200"
    assert data["method"] == "GET"
    assert data["path"] == "/healthz"
    assert data["status"] == 200
    assert data["duration_ms"] == 4
    assert data["request_id"] == "f" * 32
    assert "forwarded_for" not in data


def test_django_request_records_carry_the_id_of_their_request(client, db):
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(JSONFormatter().format(record))

    handler = Collect(level=logging.WARNING)
    logger = logging.getLogger("django.request")
    logger.addHandler(handler)
    try:
        response = client.get("/no-such-page/", HTTP_X_REQUEST_ID="probe-404")
    finally:
        logger.removeHandler(handler)

    assert response.status_code == 404
    data = json.loads(lines[-1])
    assert data["logger"] == "django.request"
    assert data["request_id"] == "probe-404"
    assert data["status_code"] == 404
    assert data["request"] == "GET /no-such-page/"
