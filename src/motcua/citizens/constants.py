"""Choices and fixed rules of citizens' accounts."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# A verification code: six digits, valid for a while, a few tries each.
CODE_LENGTH = 6
CODE_TTL_MINUTES = 15
CODE_MAX_ATTEMPTS = 5
# Codes sent to one address within an hour (resends included).
CODES_PER_HOUR = 5
# Notification event of the verification message (notifications.events).
VERIFICATION_EVENT = "citizen.verification_code"


class VerificationPurpose(models.TextChoices):
    REGISTER = "register", _("Đăng ký tài khoản")


class VerificationChannel(models.TextChoices):
    """The same values as ``notifications.constants.Channel``."""

    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
