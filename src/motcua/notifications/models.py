"""The outbox (one row per message), webhook subscriptions and citizens' channel choices."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from motcua.core.models import TimeStampedModel
from motcua.notifications.constants import Channel, Status


class WebhookSubscription(TimeStampedModel):
    """Another system that receives signed JSON for some (or all) events."""

    name = models.CharField(_("tên hệ thống nhận"), max_length=120)
    url = models.URLField(_("địa chỉ nhận (URL)"), max_length=500)
    secret = models.CharField(
        _("khóa bí mật dùng chung"),
        max_length=200,
        help_text=_("Dùng để ký HMAC-SHA256 nội dung gửi đi; bên nhận dùng để kiểm tra."),
    )
    event_keys = models.JSONField(
        _("các sự kiện nhận"),
        default=list,
        blank=True,
        help_text=_('Ví dụ ["dossier.received", "dossier.result_ready"]. Để trống: mọi sự kiện.'),
    )
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("webhook nhận thông báo")
        verbose_name_plural = _("webhook nhận thông báo")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def wants(self, event_key: str) -> bool:
        """True when this subscription receives ``event_key``."""
        return self.is_active and (not self.event_keys or event_key in self.event_keys)


class Notification(TimeStampedModel):
    """One message to one recipient over one channel: the outbox row.

    Written in the caller's transaction, delivered by a worker after commit.
    ``key`` is the idempotency key handed to providers, so a retry after a
    crash is recognised by those that support it.
    """

    key = models.UUIDField(_("khóa chống gửi trùng"), default=uuid.uuid4, unique=True)
    event_key = models.CharField(_("sự kiện"), max_length=64)
    # The caller's identifier of the event occurrence ("dossier-event:1234"):
    # with the recipient and channel it makes a second notify() a no-op.
    source = models.CharField(_("nguồn sự kiện"), max_length=200)
    recipient_key = models.CharField(_("người nhận (khóa)"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("tài khoản nhận"),
    )
    webhook = models.ForeignKey(
        WebhookSubscription,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("webhook"),
    )
    channel = models.CharField(_("kênh"), max_length=10, choices=Channel.choices)
    address = models.CharField(_("địa chỉ nhận"), max_length=500, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    payload = models.JSONField(_("dữ liệu"), default=dict, blank=True)

    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lần tới lúc"), null=True, blank=True)
    # A worker owns a "sending" row until the lease expires; one killed
    # mid-delivery leaves it to be taken again by the sweep.
    lease_expires_at = models.DateTimeField(_("hết hạn giữ lúc"), null=True, blank=True)
    lease_token = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    sent_at = models.DateTimeField(_("gửi thành công lúc"), null=True, blank=True)
    provider_message_id = models.CharField(
        _("mã tin của nhà cung cấp"), max_length=200, blank=True
    )
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "source", "recipient_key", "channel"],
                name="notifications_once_per_recipient_channel",
            ),
            models.CheckConstraint(
                condition=~Q(status=Status.SENDING) | Q(lease_expires_at__isnull=False),
                name="notifications_sending_has_lease",
            ),
        ]
        indexes = [
            # The sweep's two look-ups, each on a small partial index.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status=Status.QUEUED),
                name="notifications_queued_due",
            ),
            models.Index(
                fields=["lease_expires_at"],
                condition=Q(status=Status.SENDING),
                name="notifications_lease_due",
            ),
            # The officer's bell and list.
            models.Index(
                fields=["user", "-created_at"],
                condition=Q(channel=Channel.IN_APP),
                name="notifications_inbox",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_key} → {self.recipient_key} ({self.channel})"


class NotificationPreference(TimeStampedModel):
    """The channels a citizen wants to be told on; no row means the site's default."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("tài khoản"),
    )
    email = models.BooleanField(_("thư điện tử"), default=True)
    sms = models.BooleanField(_("tin nhắn SMS"), default=True)
    zalo = models.BooleanField(_("Zalo"), default=False)

    class Meta:
        verbose_name = _("kênh nhận thông báo")
        verbose_name_plural = _("kênh nhận thông báo")

    def __str__(self) -> str:
        return str(self.user)

    def channels(self) -> frozenset[Channel]:
        """The channels switched on."""
        chosen = {Channel.EMAIL: self.email, Channel.SMS: self.sms, Channel.ZALO: self.zalo}
        return frozenset(channel for channel, on in chosen.items() if on)
