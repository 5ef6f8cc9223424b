"""Errors of the notifications app."""

from __future__ import annotations

from motcua.core.exceptions import ValidationFailed


class UnknownEvent(ValidationFailed):
    """notify() was called with an event key that is not registered."""

    code = "notification_unknown_event"


class DeliveryError(Exception):
    """A channel could not deliver a message.

    ``permanent`` errors (the provider refused the request itself, e.g. a
    malformed phone number) are not retried; the others are, with backoff.
    """

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
