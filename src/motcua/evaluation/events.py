"""The evaluation's notification events, registered with ``notifications`` at start-up.

``notifications.events.EVENT_TYPES`` is the registry ``notify()`` checks;
adding the evaluation's keys from here keeps that module free of a
dependency on a later app (notifications sits left of evaluation).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from motcua.notifications.events import EVENT_TYPES, EventType

REMINDER = "evaluation.reminder"

EVALUATION_EVENTS = (
    EventType(
        REMINDER,
        _("Nhắc việc đánh giá cán bộ hằng tháng"),
        ("period", "task", "deadline", "unit_name"),
    ),
)


def register() -> None:
    """Add the evaluation's events to the notification registry (idempotent)."""
    for event in EVALUATION_EVENTS:
        EVENT_TYPES.setdefault(event.key, event)
