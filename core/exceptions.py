"""Errors a service raises when a request breaks a rule; views turn them into messages."""

from __future__ import annotations

from django.utils.functional import Promise


class ServiceError(Exception):
    """A refused action: nothing was changed.

    ``code`` is machine-readable and stable (API clients branch on it); ``message`` is
    translated for the person; ``field`` names the input at fault, when there is one.
    """

    status_code = 400

    def __init__(self, code: str, message: str | Promise, *, field: str | None = None) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field


class TransitionNotAllowed(ServiceError):
    """The object is not in a state from which the action is legal."""

    status_code = 409


class PermissionRefused(ServiceError):
    """The actor may not perform the action on an object they may see."""

    status_code = 403
