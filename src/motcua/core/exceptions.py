"""Domain errors with stable codes.

Every rule a service refuses raises a :class:`DomainError` subclass. The API
maps it to one JSON error shape and forms show the same Vietnamese message,
so a user never sees a stack trace.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A business rule refused the action. ``code`` is stable; ``message`` is for people."""

    code = "domain_error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.params = params

    def __str__(self) -> str:
        return str(self.message)


class NotFound(DomainError):
    """Missing, or not visible to this user: the two are deliberately the same answer."""

    code = "not_found"
    http_status = 404


class PermissionDenied(DomainError):
    """The user is known but may not do this action on this object."""

    code = "permission_denied"
    http_status = 403


class ValidationFailed(DomainError):
    """Input was well-formed but breaks a rule; ``params`` may name the field."""

    code = "validation_failed"
    http_status = 400


class Conflict(DomainError):
    """The object changed state; the action no longer applies."""

    code = "conflict"
    http_status = 409
