"""Choices of the notifications app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    """How a notification reaches its recipient."""

    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    ZALO = "zalo", _("Zalo (ZNS)")
    WEBHOOK = "webhook", _("Webhook (hệ thống khác)")
    IN_APP = "in_app", _("Thông báo trong hệ thống")


class Status(models.TextChoices):
    """Where a notification is in its delivery."""

    QUEUED = "queued", _("Chờ gửi")
    SENDING = "sending", _("Đang gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi không thành công")


# Channels a citizen may switch on or off on the portal (in-app is for officers).
CITIZEN_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.ZALO)
