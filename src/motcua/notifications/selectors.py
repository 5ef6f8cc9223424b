"""Reads of notifications: a person's channels, an officer's in-app inbox."""

from __future__ import annotations

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.core.compiled import CompiledQuery
from motcua.core.exceptions import NotFound
from motcua.notifications.constants import Channel
from motcua.notifications.models import Notification, NotificationPreference, WebhookSubscription


def notification_channels_for(*, user: User) -> frozenset[Channel]:
    """The channels ``user`` is told on: their own choice, else the site's default."""
    if user.is_officer:
        return frozenset(Channel(value) for value in settings.NOTIFY_OFFICER_CHANNELS)
    try:
        return user.notification_preference.channels()
    except NotificationPreference.DoesNotExist:
        return frozenset(Channel(value) for value in settings.NOTIFY_CITIZEN_CHANNELS)


def notification_inbox(*, user: User) -> QuerySet[Notification]:
    """``user``'s in-app notifications, newest first."""
    return Notification.objects.filter(user=user, channel=Channel.IN_APP).order_by(
        "-created_at", "-id"
    )


def notification_unread_count(*, user: User) -> int:
    """How many in-app notifications ``user`` has not read: the bell's figure."""
    return notification_inbox(user=user).filter(read_at__isnull=True).count()


def notification_get_for_user(*, user: User, pk: int) -> Notification:
    """One of ``user``'s in-app notifications; the same error for missing and not theirs."""
    try:
        return notification_inbox(user=user).get(pk=pk)
    except Notification.DoesNotExist:
        raise NotFound(_("Không tìm thấy thông báo.")) from None


def webhook_subscriptions_active() -> list[WebhookSubscription]:
    """The active webhook subscriptions, whatever events they take."""
    subscriptions: list[WebhookSubscription] = _ACTIVE_WEBHOOKS.run()
    return subscriptions


def webhook_subscriptions_read() -> tuple[CompiledQuery, tuple[()]]:
    """:func:`webhook_subscriptions_active` as a statement for ``core.compiled.run_together``."""
    return _ACTIVE_WEBHOOKS, ()


# perf: read on every notified event; compiled once (core/compiled.py).
_ACTIVE_WEBHOOKS = CompiledQuery(
    lambda: WebhookSubscription.objects.filter(is_active=True).order_by("pk")
)
