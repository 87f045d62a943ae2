"""Health endpoints for load balancers and process supervisors (docs/deployment.md).

``/healthz/live``  the process answers: 200 {"status": "ok"}; touches nothing else.
``/healthz``       readiness: the database answers ``SELECT 1``, the Celery broker (Redis)
                   answers PING, and the cache stores and returns a value. 200 with
                   {"status": "ok", "checks": {...}} when all pass, 503 with
                   {"status": "fail", "checks": {...}} naming what failed otherwise.

Neither needs a login or reads the session, and neither ever answers 500: every check
catches its own errors and has a short timeout (HEALTHZ_TIMEOUT seconds, default 2).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

OK = "ok"
FAIL = "fail"


def _timeout() -> float:
    return float(getattr(settings, "HEALTHZ_TIMEOUT", 2.0))


def check_database() -> None:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("SELECT 1 did not return 1")


def check_broker() -> None:
    url = settings.CELERY_BROKER_URL
    scheme = urlsplit(url).scheme
    if scheme in ("redis", "rediss"):
        import redis

        client = redis.Redis.from_url(
            url, socket_connect_timeout=_timeout(), socket_timeout=_timeout(), retry_on_timeout=False
        )
        try:
            if not client.ping():
                raise RuntimeError("PING was not answered")
        finally:
            client.close()
        return
    # Any other transport Celery knows (amqp://, memory://, ...): open and close a connection.
    from kombu import Connection

    with Connection(url, connect_timeout=_timeout()) as conn:
        conn.ensure_connection(max_retries=1, timeout=_timeout())


def check_cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    try:
        if cache.get(key) != "1":
            raise RuntimeError("the cache did not return what was stored")
    finally:
        cache.delete(key)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "cache": check_cache,
}


def run_checks() -> dict[str, dict]:
    results: dict[str, dict] = {}
    for name, check in CHECKS.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # a failing dependency is a result, not an error
            results[name] = {
                "status": FAIL,
                "error": f"{type(exc).__name__}: {exc}"[:300],
                "ms": round((time.monotonic() - started) * 1000),
            }
            logger.warning("health check %s failed: %s", name, results[name]["error"])
        else:
            results[name] = {"status": OK, "ms": round((time.monotonic() - started) * 1000)}
    return results


@never_cache
@require_safe
def readiness(request: HttpRequest) -> JsonResponse:
    try:
        checks = run_checks()
        healthy = all(c["status"] == OK for c in checks.values())
        body = {"status": OK if healthy else FAIL, "checks": checks}
        return JsonResponse(body, status=200 if healthy else 503)
    except Exception as exc:  # never a 500, whatever happens above
        logger.exception("health endpoint failed")
        return JsonResponse({"status": FAIL, "error": type(exc).__name__}, status=503)


@never_cache
@require_safe
def liveness(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": OK})


# Included at the root by config/urls.py.
urlpatterns = [
    path("healthz", readiness, name="healthz"),
    path("healthz/live", liveness, name="healthz-live"),
]
