"""Baselines of ``make bench``: the least a Django view can do for the same request.

Each baseline runs in the same gunicorn, behind the same middleware (``MIDDLEWARE`` of
the bench settings, which are production's), so a platform figure divided by its
baseline's says what the platform's own work costs on top of Django itself.

- ``baseline_insert``: authenticates the API token exactly as the platform's API does
  (``core.authentication.ExpiringTokenAuthentication``: one query for the token and its
  user) and inserts one row (an inbox notification for that person) in a transaction. The submit scenario's
  baseline.
- ``baseline_template``: renders a template that extends the site's layout, for an
  anonymous visitor, without touching the database. The public publicity page's
  baseline.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from rest_framework.authentication import get_authorization_header
from rest_framework.exceptions import AuthenticationFailed

from core.authentication import ExpiringTokenAuthentication
from core.models import Notification


@csrf_exempt  # token-authenticated, as DRF's APIView is
@require_POST
def baseline_insert(request: HttpRequest) -> HttpResponse:
    auth = get_authorization_header(request).split()
    if len(auth) != 2 or auth[0].lower() != b"token":
        return JsonResponse({"detail": "not authenticated"}, status=401)
    try:
        user, _token = ExpiringTokenAuthentication().authenticate_credentials(auth[1].decode())
    except AuthenticationFailed:
        return JsonResponse({"detail": "not authenticated"}, status=401)
    with transaction.atomic():
        row = Notification.objects.create(recipient=user, kind="bench", title="baseline")
    return JsonResponse({"id": row.pk}, status=201)


@require_GET
def baseline_template(request: HttpRequest) -> HttpResponse:
    return render(request, "bench/baseline.html", {"items": range(3)})
