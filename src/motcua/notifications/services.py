"""Writes of the notifications app: the outbox entry point, preferences, read marks.

Callers (dossiers, letters, the sweeps) call :func:`notify` inside their own
transaction. The rows commit or roll back with the caller's data, and the
delivery task is queued in the same transaction (see
``core.tasks.enqueue_after_commit``), so nothing is sent for an event that
did not happen and nothing is lost for one that did.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.exceptions import ValidationFailed
from motcua.core.tasks import enqueue_after_commit
from motcua.notifications.channels import channel_enabled
from motcua.notifications.constants import CITIZEN_CHANNELS, Channel, Status
from motcua.notifications.events import EVENT_TYPES
from motcua.notifications.exceptions import UnknownEvent
from motcua.notifications.models import (
    Notification,
    NotificationPreference,
    WebhookSubscription,
)
from motcua.notifications.phone import phone_to_international
from motcua.notifications.rendering import plain_values, render
from motcua.notifications.selectors import (
    notification_channels_for,
    notification_get_for_user,
    webhook_subscriptions_active,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """Who to tell: an account, raw addresses of someone without one, or both.

    Addresses given here win over the account's (the contact details written
    on a dossier are the ones the applicant asked to be reached at).
    ``channels`` overrides the person's preference, e.g. the channels an
    applicant without an account ticked at the counter.
    """

    user: User | None = None
    email: str = ""
    phone: str = ""
    channels: Sequence[Channel | str] | None = None


@dataclass(frozen=True)
class _Target:
    channel: Channel
    recipient_key: str
    address: str
    user: User | None


def notify(
    event_key: str,
    *,
    source: str,
    context: dict[str, Any],
    recipients: Iterable[Recipient],
    webhooks: bool = True,
    subscriptions: Sequence[WebhookSubscription] | None = None,
) -> list[Notification]:
    """Write the outbox rows of one event in the caller's transaction; deliver after commit.

    ``source`` identifies the occurrence (``"dossier-event:1234"``): calling
    again with the same event, source, recipient and channel adds nothing, so
    a retried caller never sends twice. Channels a recipient has no address
    for, or that are not configured here, are skipped. Active webhook
    subscriptions for the event get a row each unless ``webhooks`` is false;
    ``subscriptions``: the active ones, when the caller has read them already.
    Returns every row of this event and source for these recipients.
    """
    spec = EVENT_TYPES.get(event_key)
    if spec is None:
        raise UnknownEvent(_("Sự kiện thông báo không hợp lệ."), event=event_key)
    missing = [name for name in spec.requires if name not in context]
    if missing:
        raise ValidationFailed(
            _("Thiếu dữ liệu cho thông báo: %(names)s.") % {"names": ", ".join(missing)},
            code="notification_context_incomplete",
        )
    if not source or len(source) > 200:
        raise ValidationFailed(_("Nguồn sự kiện không hợp lệ."), code="notification_bad_source")

    now = timezone.now()
    payload = plain_values(context)
    template_context = {
        "site_name": settings.MOTCUA_SITE_NAME,
        "hotline": settings.MOTCUA_HOTLINE,
        "public_url": settings.MOTCUA_PUBLIC_URL,
        **payload,
    }
    texts: dict[Channel, tuple[str, str]] = {}
    rows: list[Notification] = []
    for target in _targets(event_key, recipients):
        if target.channel not in texts:
            texts[target.channel] = render(event_key, target.channel, template_context)
        subject, body = texts[target.channel]
        in_app = target.channel == Channel.IN_APP
        rows.append(
            Notification(
                key=uuid.uuid4(),
                event_key=event_key,
                source=source,
                recipient_key=target.recipient_key,
                user=target.user,
                channel=target.channel,
                address=target.address,
                subject=subject,
                body=body,
                payload=payload,
                # In-app notifications are delivered by being written.
                status=Status.SENT if in_app else Status.QUEUED,
                sent_at=now if in_app else None,
                next_attempt_at=None if in_app else now,
            )
        )
    if webhooks:
        if subscriptions is None:
            subscriptions = webhook_subscriptions_active()
        for subscription in subscriptions:
            if subscription.wants(event_key):
                rows.append(
                    Notification(
                        key=uuid.uuid4(),
                        event_key=event_key,
                        source=source,
                        recipient_key=f"webhook:{subscription.pk}",
                        webhook=subscription,
                        channel=Channel.WEBHOOK,
                        address=subscription.url,
                        subject=str(spec.label),
                        payload=payload,
                        next_attempt_at=now,
                    )
                )
    if not rows:
        return []

    # Imported here: tasks imports the delivery code, which imports the models.
    from motcua.notifications.tasks import deliver_notifications

    new_keys = {row.key for row in rows}
    with transaction.atomic():
        # A concurrent or repeated notify() for the same event, source,
        # recipient and channel hits the unique constraint and is skipped.
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        stored = list(
            Notification.objects.filter(
                event_key=event_key,
                source=source,
                recipient_key__in={row.recipient_key for row in rows},
                channel__in={row.channel for row in rows},
            ).order_by("pk")
        )
        to_deliver = [
            row.pk for row in stored if row.key in new_keys and row.status == Status.QUEUED
        ]
        if to_deliver:
            enqueue_after_commit(deliver_notifications, to_deliver)
    wanted = {(row.recipient_key, row.channel) for row in rows}
    return [row for row in stored if (row.recipient_key, row.channel) in wanted]


def _targets(event_key: str, recipients: Iterable[Recipient]) -> list[_Target]:
    """Each (channel, address) the recipients are reached on, without duplicates."""
    targets: dict[tuple[str, Channel], _Target] = {}
    for recipient in recipients:
        user = recipient.user
        if recipient.channels is not None:
            channels = [Channel(channel) for channel in recipient.channels]
        elif user is not None:
            channels = sorted(notification_channels_for(user=user))
        else:
            channels = [Channel(value) for value in settings.NOTIFY_CITIZEN_CHANNELS]
        for channel in channels:
            target = _target(event_key, channel, recipient)
            if target is not None:
                targets.setdefault((target.recipient_key, channel), target)
    return list(targets.values())


def _target(event_key: str, channel: Channel, recipient: Recipient) -> _Target | None:
    user = recipient.user
    if not channel_enabled(channel) or channel == Channel.WEBHOOK:
        return None
    if channel == Channel.ZALO and event_key not in settings.ZALO_ZNS_TEMPLATES:
        return None
    if channel == Channel.IN_APP:
        if user is None or not user.is_officer:
            return None
        address = ""
    elif channel == Channel.EMAIL:
        address = (recipient.email or (user.email if user else "")).strip()
    else:
        raw = recipient.phone or (user.phone if user else "")
        address = phone_to_international(raw) or ""
        if raw and not address:
            logger.warning("Not notifying %s on %s: bad phone number", event_key, channel)
    if channel != Channel.IN_APP and not address:
        return None
    if user is not None:
        key = f"user:{user.pk}"
    else:
        key = f"{'email' if channel == Channel.EMAIL else 'phone'}:{address.lower()}"
    return _Target(channel=channel, recipient_key=key, address=address, user=user)


def notification_preference_set(
    *, user: User, channels: Iterable[Channel | str]
) -> NotificationPreference:
    """Record the channels a citizen wants to be told on."""
    chosen = {Channel(channel) for channel in channels}
    if not chosen <= set(CITIZEN_CHANNELS):
        raise ValidationFailed(
            _("Kênh nhận thông báo không hợp lệ."), code="notification_bad_channel"
        )
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={
            "email": Channel.EMAIL in chosen,
            "sms": Channel.SMS in chosen,
            "zalo": Channel.ZALO in chosen,
        },
    )
    return preference


def notification_mark_read(*, user: User, pk: int) -> Notification:
    """Mark one of ``user``'s in-app notifications as read (idempotent)."""
    notification = notification_get_for_user(user=user, pk=pk)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread in-app notification of ``user`` as read; how many were."""
    return Notification.objects.filter(
        user=user, channel=Channel.IN_APP, read_at__isnull=True
    ).update(read_at=timezone.now(), updated_at=timezone.now())


def notification_retry(*, notification: Notification) -> Notification:
    """Give a failed message a fresh set of attempts, starting now."""
    from motcua.notifications.tasks import deliver_notifications

    with transaction.atomic():
        updated = Notification.objects.filter(pk=notification.pk, status=Status.FAILED).update(
            status=Status.QUEUED,
            attempts=0,
            next_attempt_at=timezone.now(),
            updated_at=timezone.now(),
        )
        if updated:
            enqueue_after_commit(deliver_notifications, [notification.pk])
    notification.refresh_from_db()
    return notification


def notify_many(
    event_key: str,
    items: Sequence[tuple[str, dict[str, Any], Sequence[Recipient]]],
    *,
    webhooks: bool = True,
) -> int:
    """:func:`notify` for many occurrences of one event at once: ``(source, context, recipients)``.

    The same rows, de-duplication and after-commit delivery as one
    :func:`notify` per item, in a fixed number of queries (perf: the
    deadline sweep records thousands of changes per run, issue 5). Returns
    how many rows were new.
    """
    spec = EVENT_TYPES.get(event_key)
    if spec is None:
        raise UnknownEvent(_("Sự kiện thông báo không hợp lệ."), event=event_key)
    if not items:
        return 0
    now = timezone.now()
    subscriptions = (
        [s for s in webhook_subscriptions_active() if s.wants(event_key)] if webhooks else []
    )
    base = {
        "site_name": settings.MOTCUA_SITE_NAME,
        "hotline": settings.MOTCUA_HOTLINE,
        "public_url": settings.MOTCUA_PUBLIC_URL,
    }
    rows: list[Notification] = []
    for source, context, recipients in items:
        missing = [name for name in spec.requires if name not in context]
        if missing:
            raise ValidationFailed(
                _("Thiếu dữ liệu cho thông báo: %(names)s.") % {"names": ", ".join(missing)},
                code="notification_context_incomplete",
            )
        payload = plain_values(context)
        texts: dict[Channel, tuple[str, str]] = {}
        for target in _targets(event_key, recipients):
            if target.channel not in texts:
                texts[target.channel] = render(event_key, target.channel, {**base, **payload})
            subject, body = texts[target.channel]
            in_app = target.channel == Channel.IN_APP
            rows.append(
                Notification(
                    key=uuid.uuid4(),
                    event_key=event_key,
                    source=source,
                    recipient_key=target.recipient_key,
                    user=target.user,
                    channel=target.channel,
                    address=target.address,
                    subject=subject,
                    body=body,
                    payload=payload,
                    status=Status.SENT if in_app else Status.QUEUED,
                    sent_at=now if in_app else None,
                    next_attempt_at=None if in_app else now,
                )
            )
        for subscription in subscriptions:
            rows.append(
                Notification(
                    key=uuid.uuid4(),
                    event_key=event_key,
                    source=source,
                    recipient_key=f"webhook:{subscription.pk}",
                    webhook=subscription,
                    channel=Channel.WEBHOOK,
                    address=subscription.url,
                    subject=str(spec.label),
                    payload=payload,
                    next_attempt_at=now,
                )
            )
    if not rows:
        return 0

    from motcua.notifications.tasks import deliver_notifications

    new_keys = {row.key for row in rows if row.status == Status.QUEUED}
    with transaction.atomic():
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=2000)
        stored = Notification.objects.filter(key__in=[row.key for row in rows])
        created = list(stored.values_list("pk", "status", "key"))
        to_deliver = [pk for pk, status, key in created if key in new_keys]
        if to_deliver:
            enqueue_after_commit(deliver_notifications, to_deliver)
    return len(created)
