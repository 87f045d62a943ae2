"""Template context every page needs: the person's role and organisation, unread notifications."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from core.selectors import notification_unread_count


def roles(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"acting_organisation": None, "unread_notifications": 0}
    return {
        "acting_organisation": user.administered_organisation,
        # Evaluated only when a template shows it: one COUNT query per page.
        "unread_notifications": SimpleLazyObject(lambda: notification_unread_count(user)),
        # Whether the person sits in an expert pool (the "my review meetings" link); one
        # EXISTS query, only on pages that show the navigation.
        "is_expert": SimpleLazyObject(lambda: _is_expert(user)),
    }


def _is_expert(user: Any) -> bool:
    from committees.models import Expert

    return Expert.objects.filter(user=user).exists()
