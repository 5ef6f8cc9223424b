"""The worker side of the outbox: claim due rows, send them, record the outcome.

A row is *due* when it is queued and its ``next_attempt_at`` has passed, or
when it is ``sending`` and its lease has expired (the worker that claimed it
died). Claiming sets ``sending``, a lease and a fresh ``lease_token`` in one
short transaction (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two
workers never take the same row; SQLite serialises writers itself). Sending
happens outside any transaction; the outcome is written only if the row
still carries this worker's token, so a worker that overran its lease cannot
overwrite the outcome of the one that took over. Each row is sent on its own:
one channel failing never holds up the others.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from motcua.notifications import channels
from motcua.notifications.constants import Status
from motcua.notifications.exceptions import DeliveryError
from motcua.notifications.models import Notification

logger = logging.getLogger(__name__)


@dataclass
class DeliveryReport:
    """What one run of the worker did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    # Claimed but found taken over by another worker before sending.
    skipped: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def backoff(attempt: int) -> timedelta:
    """Wait after failed attempt number ``attempt`` (1-based): base·2^(n−1), capped."""
    seconds = settings.NOTIFY_RETRY_BASE_SECONDS * 2 ** max(attempt - 1, 0)
    return timedelta(seconds=min(seconds, settings.NOTIFY_RETRY_MAX_SECONDS))


def due_condition(now: datetime) -> Q:
    """Rows a worker may take at ``now``."""
    return Q(status=Status.QUEUED, next_attempt_at__lte=now) | Q(
        status=Status.SENDING, lease_expires_at__lte=now
    )


def notifications_claim(
    *, limit: int, ids: Sequence[int] | None = None, now: datetime | None = None
) -> list[Notification]:
    """Take up to ``limit`` due rows (of ``ids`` if given) for this worker."""
    now = now or timezone.now()
    token = uuid.uuid4()
    with transaction.atomic():
        _fail_abandoned_last_attempts(now=now, ids=ids)
        due = Notification.objects.filter(due_condition(now))
        if ids is not None:
            due = due.filter(pk__in=list(ids))
        due = due.order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        picked = list(due.values_list("pk", flat=True)[:limit])
        if not picked:
            return []
        Notification.objects.filter(pk__in=picked).filter(due_condition(now)).update(
            status=Status.SENDING,
            lease_token=token,
            lease_expires_at=now + timedelta(seconds=settings.NOTIFY_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    return list(
        Notification.objects.filter(lease_token=token)
        .select_related("webhook")
        .order_by("next_attempt_at", "pk")
    )


def _fail_abandoned_last_attempts(*, now: datetime, ids: Sequence[int] | None) -> None:
    """A worker died during the last allowed attempt: give up rather than try again."""
    abandoned = Notification.objects.filter(
        status=Status.SENDING,
        lease_expires_at__lte=now,
        attempts__gte=settings.NOTIFY_MAX_ATTEMPTS,
    )
    if ids is not None:
        abandoned = abandoned.filter(pk__in=list(ids))
    abandoned.update(
        status=Status.FAILED,
        lease_token=None,
        lease_expires_at=None,
        next_attempt_at=None,
        last_error="Tiến trình gửi dừng giữa chừng ở lần gửi cuối cùng.",
        updated_at=now,
    )


def notification_deliver(notification: Notification) -> Status:
    """Send one claimed row and record the outcome; the status it ends in.

    ``SENDING`` means the row was not sent here: this worker's lease ran out
    (it was paused, say) and another worker has taken the row over.
    """
    token = notification.lease_token
    # One primary-key look-up per message: it keeps a worker that was paused
    # past its lease from sending a row another worker has taken over.
    still_ours = Notification.objects.filter(
        pk=notification.pk,
        lease_token=token,
        status=Status.SENDING,
        lease_expires_at__gt=timezone.now(),
    ).exists()
    if not still_ours:
        logger.warning(
            "Notification %s: lease lost before sending; left to its new owner", notification.pk
        )
        return Status.SENDING
    try:
        provider_id = channels.send(notification)
    except DeliveryError as error:
        return _record_failure(notification, token, str(error), permanent=error.permanent)
    except Exception as error:  # a bug in one adapter must not stop the batch
        logger.exception("Notification %s: unexpected error", notification.pk)
        return _record_failure(notification, token, repr(error), permanent=False)
    now = timezone.now()
    updated = Notification.objects.filter(
        pk=notification.pk, lease_token=token, status=Status.SENDING
    ).update(
        status=Status.SENT,
        sent_at=now,
        provider_message_id=provider_id[:200],
        last_error="",
        next_attempt_at=None,
        lease_token=None,
        lease_expires_at=None,
        updated_at=now,
    )
    if not updated:
        logger.warning("Notification %s sent after its lease was taken over", notification.pk)
    return Status.SENT


def _record_failure(
    notification: Notification, token: uuid.UUID | None, error: str, *, permanent: bool
) -> Status:
    now = timezone.now()
    give_up = permanent or notification.attempts >= settings.NOTIFY_MAX_ATTEMPTS
    status = Status.FAILED if give_up else Status.QUEUED
    Notification.objects.filter(
        pk=notification.pk, lease_token=token, status=Status.SENDING
    ).update(
        status=status,
        last_error=error[:2000],
        next_attempt_at=None if give_up else now + backoff(notification.attempts),
        lease_token=None,
        lease_expires_at=None,
        updated_at=now,
    )
    logger.info(
        "Notification %s attempt %d failed (%s): %s",
        notification.pk,
        notification.attempts,
        status,
        error,
    )
    return status


def notifications_deliver_due(
    *,
    ids: Sequence[int] | None = None,
    limit: int | None = None,
    time_budget: float | None = None,
) -> DeliveryReport:
    """Claim and send due rows batch by batch until none is left (or the budget is spent).

    With ``ids`` only those rows are considered, in one batch: the task
    queued by :func:`motcua.notifications.services.notify`. Without, every
    due row: the periodic sweep that catches retries and crashed workers.
    """
    report = DeliveryReport()
    batch = limit or settings.NOTIFY_BATCH_SIZE
    started = time.monotonic()
    while True:
        claimed = notifications_claim(limit=batch, ids=ids)
        for notification in claimed:
            status = notification_deliver(notification)
            if status == Status.SENT:
                report.sent += 1
            elif status == Status.FAILED:
                report.failed += 1
            elif status == Status.QUEUED:
                report.retrying += 1
            else:
                report.skipped += 1
        if ids is not None or len(claimed) < batch:
            return report
        if time_budget is not None and time.monotonic() - started > time_budget:
            return report
