"""Template context every page needs: the person's role and organisation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"acting_organisation": None}
    return {"acting_organisation": user.administered_organisation}
