"""The answer to an unhandled error (``handler500``): never a traceback or driver text.

A database that cannot be reached or answered (PostgreSQL restarting, a connection cut,
a statement cancelled: Django's ``OperationalError`` and ``InterfaceError``) is a
temporary state, not a bug: it answers 503 with ``Retry-After`` so browsers and API
clients know to try again (docs/reliability.md, "Faults"). Anything else answers 500.
API paths get the API's error body ``{"code", "detail"}`` instead of the HTML page.
The page is rendered without the request's context processors, which would query the
database that may be the cause.
"""

from __future__ import annotations

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _

RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def server_error(request: HttpRequest) -> HttpResponse:
    unavailable = database_unavailable(sys.exc_info()[1])
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        if unavailable:
            body = {"code": "service_unavailable", "detail": _("系统暂时无法访问数据库，请稍后重试。")}
        else:
            body = {
                "code": "server_error",
                "detail": _("服务器处理请求时出错，请稍后再试。如问题持续，请联系职称办。"),
            }
        response: HttpResponse = JsonResponse(body, status=status)
    else:
        template = loader.get_template("500.html")
        response = HttpResponse(template.render({"unavailable": unavailable}), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
