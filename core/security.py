"""Session expiry: an absolute lifetime for everyone, an idle limit for staff.

Django's own session age restarts whenever the session is saved, so it cannot give an
absolute lifetime; this middleware keeps the login time in the session and ends the
session once ``SESSION_COOKIE_AGE`` seconds have passed since then. Title administrators,
committee staff and the office (anyone bound to an organisation, ``is_staff`` or a
superuser) are also signed out after ``SESSION_IDLE_TIMEOUT_STAFF`` seconds without a
request. docs/reliability.md ("Hardening") gives the figures.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

STARTED_KEY = "_zh_auth_started"
LAST_SEEN_KEY = "_zh_last_seen"
STAFF_KEY = "_zh_idle_limited"
# Write the last-seen time at most once a minute, so browsing does not save the session
# on every request.
LAST_SEEN_RESOLUTION = 60


def _is_staff_like(user: object) -> bool:
    return bool(
        getattr(user, "is_superuser", False)
        or getattr(user, "is_staff", False)
        or getattr(user, "active_binding", None) is not None
    )


@receiver(user_logged_in, dispatch_uid="core.security.session_started")
def session_started(sender: object, request: HttpRequest | None, user: object, **kwargs: object) -> None:
    """Note when this login began and whether the idle limit applies (saved with the login)."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[STARTED_KEY] = now
    session[LAST_SEEN_KEY] = now
    session[STAFF_KEY] = _is_staff_like(user)


class SessionIdleTimeoutMiddleware:
    """End a session past its absolute lifetime, or a staff session left idle too long."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Without a session cookie there is nothing to expire; not touching the session
        # keeps anonymous answers (health checks, public pages) free of "Vary: Cookie".
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return self.get_response(request)
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            started = session.get(STARTED_KEY)
            if started is None:
                # A session from before this middleware: its lifetime starts now.
                session[STARTED_KEY] = now
                session[LAST_SEEN_KEY] = now
                session[STAFF_KEY] = _is_staff_like(user)
            elif self._expired(session, now, started):
                logout(request)
            elif now - session.get(LAST_SEEN_KEY, 0) >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_KEY] = now
        return self.get_response(request)

    @staticmethod
    def _expired(session: object, now: int, started: int) -> bool:
        if now - started >= settings.SESSION_COOKIE_AGE:
            return True
        idle = getattr(settings, "SESSION_IDLE_TIMEOUT_STAFF", 0)
        last_seen = session.get(LAST_SEEN_KEY, started)  # type: ignore[attr-defined]
        return bool(idle and session.get(STAFF_KEY) and now - last_seen >= idle)  # type: ignore[attr-defined]
