"""Choices of the internal announcements channel (thông báo chỉ đạo)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Priority(models.TextChoices):
    """How urgent a directive is; urgent ones are listed first among the unread."""

    NORMAL = "normal", _("Thường")
    IMPORTANT = "important", _("Quan trọng")
    URGENT = "urgent", _("Khẩn")


# Sort rank: lower first.
PRIORITY_RANK: dict[str, int] = {Priority.URGENT: 0, Priority.IMPORTANT: 1, Priority.NORMAL: 2}
