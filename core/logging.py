"""Structured logs: a JSON-lines formatter, and a request id carried through each request.

Only the standard library is imported here, so gunicorn's configuration
(config/gunicorn.conf.py) can use the formatter before Django is set up.

* ``RequestIDMiddleware`` takes the caller's ``X-Request-ID`` when it looks sane (a load
  balancer or proxy may set one), otherwise makes one; it keeps it for the request's logs
  and returns it in the response's ``X-Request-ID`` header.
* ``RequestIDFilter`` puts it on every record as ``record.request_id`` ("-" outside a request).
* ``JSONFormatter`` writes one JSON object per line: time, level, logger, message, and
  request_id, exception, gunicorn access fields and ``extra=`` fields when present.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import json
import logging
import re
import uuid
from collections.abc import Callable, Mapping
from typing import Any

REQUEST_ID_HEADER = "X-Request-ID"
_META_KEY = "HTTP_X_REQUEST_ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)


def current_request_id() -> str | None:
    return request_id_var.get()


class RequestIDMiddleware:
    """Give every request an id, visible in its log lines and in the X-Request-ID header."""

    def __init__(self, get_response: Callable) -> None:
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.META.get(_META_KEY, "")
        rid = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = rid
        token = request_id_var.set(rid)
        try:
            response = self.get_response(request)
        finally:
            request_id_var.reset(token)
        response[REQUEST_ID_HEADER] = rid
        return response


def _record_request_id(record: logging.LogRecord) -> str | None:
    """The record's request id: set on it, of the request it names, or of the current request.

    Django logs a 4xx/5xx response (``django.request``) after the middleware has returned,
    with ``extra={"request": request}``: the id is then found on that request.
    """
    rid = getattr(record, "request_id", None)
    if rid and rid != "-":
        return rid
    return getattr(getattr(record, "request", None), "request_id", None) or request_id_var.get()


class RequestIDFilter(logging.Filter):
    """Set ``record.request_id`` (for text formats); never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _record_request_id(record) or "-"
        return True


# Attributes every LogRecord has; anything else on a record came from ``extra=``.
_RECORD_ATTRS = frozenset(
    vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys() | {"message", "asctime", "request_id"}
)


def _gunicorn_access_fields(atoms: Mapping[str, Any]) -> dict[str, Any]:
    """The useful atoms of a gunicorn access record (glogging.Logger.atoms)."""

    def atom(key: str) -> Any:
        value = atoms.get(key)
        return None if value in (None, "-") else value

    fields: dict[str, Any] = {
        "method": atom("m"),
        "path": atom("U"),
        "query": atom("q"),
        "status": atom("s"),
        "bytes": atom("B"),
        "duration_ms": atom("M"),
        "remote_addr": atom("h"),
        "forwarded_for": atom("{x-forwarded-for}i"),
        "user_agent": atom("a"),
    }
    for key in ("status", "bytes", "duration_ms"):
        with contextlib.suppress(TypeError, ValueError):
            fields[key] = int(fields[key]) if fields[key] is not None else None
    rid = atom("{x-request-id}o") or atom("{x-request-id}i")
    if rid:
        fields["request_id"] = rid
    return {k: v for k, v in fields.items() if v not in (None, "")}


class JSONFormatter(logging.Formatter):
    """One JSON object per line; never raises on odd ``extra=`` values."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        rid = _record_request_id(record)
        if rid:
            payload["request_id"] = rid
        if record.name == "gunicorn.access" and isinstance(record.args, Mapping):
            payload.update(_gunicorn_access_fields(record.args))
        for key, value in vars(record).items():
            if key not in _RECORD_ATTRS and not key.startswith("_") and key not in payload:
                payload[key] = _plain(value)
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            payload["exception"] = record.exc_text
        if record.stack_info:
            payload["stack"] = self.formatStack(record.stack_info)
        return json.dumps(payload, ensure_ascii=False, default=str)


def _plain(value: Any) -> Any:
    """A JSON-friendly stand-in for an ``extra=`` value (Django passes the request object)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "method") and hasattr(value, "get_full_path"):  # an HttpRequest
        return f"{value.method} {value.get_full_path()}"
    if isinstance(value, list | tuple | dict):
        return value
    return str(value)
