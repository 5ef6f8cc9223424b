"""Directives from leaders and the home-affairs office to the one-stop staff.

An :class:`Announcement` is addressed to units (:class:`AnnouncementTarget`,
optionally with the units below). Its audience is fixed when it is
published: one :class:`AnnouncementRecipient` row per officer then in those
units, so "who has not read yet" never changes because someone joined or
left afterwards. Reading is confirmed by an append-only :class:`ReadReceipt`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.accounts.models import Officer, Unit
from motcua.announcements.constants import Priority
from motcua.core.models import AppendOnlyModel, TimeStampedModel


class Announcement(TimeStampedModel):
    """A directive (thông báo chỉ đạo) sent by a leader or the home-affairs office."""

    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"))
    priority = models.CharField(
        _("mức độ"), max_length=10, choices=Priority.choices, default=Priority.NORMAL
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người gửi"),
    )
    # The sender's unit when it was sent: permissions on the announcement
    # (reading receipts) are judged there, not where the sender works today.
    sender_unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị gửi")
    )
    effective_from = models.DateTimeField(_("hiệu lực từ"), default=timezone.now)
    expires_at = models.DateTimeField(_("hết hiệu lực lúc"), null=True, blank=True)
    # Empty: every officer of the chosen units; otherwise only these roles.
    audience_roles = models.JSONField(_("vai trò nhận"), default=list, blank=True)

    class Meta:
        verbose_name = _("thông báo chỉ đạo")
        verbose_name_plural = _("thông báo chỉ đạo")
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(expires_at__gt=models.F("effective_from")),
                name="announcements_period_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["sender_unit", "-effective_from"], name="announcements_sent"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_permission_unit(self) -> Unit:
        return self.sender_unit

    def is_in_effect(self, at: dt.datetime | None = None) -> bool:
        now = timezone.now() if at is None else at
        return self.effective_from <= now and (self.expires_at is None or self.expires_at > now)


class AnnouncementTarget(models.Model):
    """A unit the announcement is addressed to, with or without the units below."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="targets"
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị nhận")
    )
    include_below = models.BooleanField(_("gồm cả đơn vị trực thuộc"), default=False)

    class Meta:
        verbose_name = _("đơn vị nhận thông báo")
        verbose_name_plural = _("đơn vị nhận thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "unit"], name="announcements_target_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)


def attachment_path(instance: AnnouncementAttachment, filename: str) -> str:
    # The original name is kept in ``name``; the stored name is neutral so
    # that no uploaded name reaches the file system.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return timezone.now().strftime("announcements/%Y/%m/") + f"{instance.token}.{suffix}"


class AnnouncementAttachment(models.Model):
    """A file sent with the announcement (văn bản đính kèm)."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="attachments"
    )
    token = models.CharField(max_length=32, editable=False)
    file = models.FileField(_("tệp"), upload_to=attachment_path)
    name = models.CharField(_("tên tệp"), max_length=255)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), default=0)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.name


class AnnouncementRecipient(models.Model):
    """One officer the announcement was addressed to, as at publication."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.CASCADE, related_name="recipients"
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ")
    )
    # The officer's unit at publication: the receipts are grouped by it.
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị")
    )

    class Meta:
        verbose_name = _("người nhận thông báo")
        verbose_name_plural = _("người nhận thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "officer"], name="announcements_recipient_unique"
            )
        ]
        indexes = [
            # The officer's inbox: their rows, newest first.
            models.Index(fields=["officer", "announcement"], name="announcements_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.announcement_id} → {self.officer_id}"


class ReadReceipt(AppendOnlyModel):
    """An officer confirmed reading an announcement (xác nhận đã đọc); never edited."""

    announcement = models.ForeignKey(
        Announcement, on_delete=models.PROTECT, related_name="receipts"
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", verbose_name=_("cán bộ")
    )
    read_at = models.DateTimeField(_("xác nhận lúc"), default=timezone.now)

    class Meta:
        verbose_name = _("xác nhận đã đọc")
        verbose_name_plural = _("xác nhận đã đọc")
        constraints = [
            models.UniqueConstraint(
                fields=["announcement", "officer"], name="announcements_receipt_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} đọc {self.announcement_id} lúc {self.read_at:%Y-%m-%d %H:%M}"
