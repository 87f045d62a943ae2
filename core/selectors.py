"""Reads of shared things, always scoped by who is asking."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from core.models import Notification


def notification_list_for_user(user: Any) -> QuerySet[Notification]:
    """The person's inbox, newest first (one indexed query per page)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_unread_count(user: Any) -> int:
    """How many of the person's notifications are unread (one COUNT query)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_get_for_user(user: Any, pk: int | str) -> Notification:
    """Return the person's own notification; 404 for anyone else's, never 403."""
    try:
        return notification_list_for_user(user).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
