"""Writes of the announcements channel: publish a directive, confirm reading it."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action, ensure_can
from motcua.accounts.services import audit_record
from motcua.announcements.constants import Priority
from motcua.announcements.exceptions import NoRecipients
from motcua.announcements.models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementRecipient,
    AnnouncementTarget,
    ReadReceipt,
)
from motcua.core.exceptions import NotFound, ValidationFailed


@dataclass(frozen=True)
class TargetSpec:
    """A unit to address, with or without the units below it."""

    unit: Unit
    include_below: bool = False


def _audience(
    targets: Sequence[TargetSpec], roles: Sequence[str], sender: Officer
) -> list[Officer]:
    """Active officers of the target units (and below, where asked) in force today.

    The sender is left out: they need not confirm their own directive.
    """
    condition = Q()
    for target in targets:
        if target.include_below and target.unit.path:
            condition |= Q(unit__path__startswith=target.unit.path)
        else:
            condition |= Q(unit_id=target.unit.pk)
    officers = (
        Officer.objects.filter(condition, user__is_active=True)
        .filter(Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=timezone.localdate()))
        .exclude(pk=sender.pk)
    )
    if roles:
        officers = officers.filter(roles__role__in=list(roles))
    return list(officers.distinct().only("pk", "unit_id"))


def announcement_publish(
    *,
    actor: User,
    title: str,
    body: str,
    targets: Sequence[TargetSpec],
    priority: Priority | str = Priority.NORMAL,
    effective_from: dt.datetime | None = None,
    expires_at: dt.datetime | None = None,
    audience_roles: Sequence[str] = (),
    attachments: Iterable[UploadedFile] = (),
) -> Announcement:
    """Publish a directive to the officers of ``targets``; its audience is fixed now."""
    officer: Officer | None = getattr(actor, "officer", None)
    if officer is None:
        raise NotFound(_("Không tìm thấy cán bộ gửi thông báo."))
    ensure_can(actor, Action.ANNOUNCEMENT_PUBLISH, officer.unit)
    title, body = title.strip(), body.strip()
    if not title:
        raise ValidationFailed(_("Vui lòng nhập tiêu đề."), field="title")
    if not body:
        raise ValidationFailed(_("Vui lòng nhập nội dung."), field="body")
    if not targets:
        raise ValidationFailed(_("Vui lòng chọn ít nhất một đơn vị nhận."), field="units")
    for target in targets:
        ensure_can(actor, Action.ANNOUNCEMENT_PUBLISH, target.unit)
    roles = sorted({str(Role(role)) for role in audience_roles})
    now = timezone.now()
    effective_from = effective_from or now
    if expires_at is not None and expires_at <= effective_from:
        raise ValidationFailed(
            _("Thời điểm hết hiệu lực phải sau thời điểm bắt đầu hiệu lực."), field="expires_at"
        )
    audience = _audience(targets, roles, officer)
    if not audience:
        raise NoRecipients(
            _("Các đơn vị và vai trò đã chọn không có cán bộ nào nhận được thông báo."),
            field="units",
        )
    with transaction.atomic():
        announcement = Announcement.objects.create(
            title=title,
            body=body,
            priority=Priority(priority),
            sender=actor,
            sender_unit=officer.unit,
            effective_from=effective_from,
            expires_at=expires_at,
            audience_roles=roles,
        )
        AnnouncementTarget.objects.bulk_create(
            AnnouncementTarget(
                announcement=announcement, unit=t.unit, include_below=t.include_below
            )
            for t in {t.unit.pk: t for t in targets}.values()
        )
        AnnouncementRecipient.objects.bulk_create(
            AnnouncementRecipient(announcement=announcement, officer=o, unit_id=o.unit_id)
            for o in audience
        )
        for upload in attachments:
            AnnouncementAttachment.objects.create(
                announcement=announcement,
                token=secrets.token_hex(16),
                file=upload,
                name=(upload.name or "tep")[:255],
                size=upload.size or 0,
            )
        audit_record(
            actor=actor,
            action="announcement.publish",
            obj=announcement,
            unit=officer.unit,
            summary=_("Gửi thông báo chỉ đạo «%(title)s» tới %(count)d cán bộ.")
            % {"title": title[:200], "count": len(audience)},
            data={
                "units": [t.unit.pk for t in targets],
                "include_below": [t.unit.pk for t in targets if t.include_below],
                "roles": roles,
                "recipients": len(audience),
            },
        )
    return announcement


def read_receipt_create(*, announcement: Announcement, actor: User) -> ReadReceipt:
    """Record that ``actor`` confirmed reading; a second confirmation returns the first."""
    officer: Officer | None = getattr(actor, "officer", None)
    if (
        officer is None
        or not AnnouncementRecipient.objects.filter(
            announcement=announcement, officer=officer
        ).exists()
    ):
        raise NotFound(_("Không tìm thấy thông báo."))
    existing = ReadReceipt.objects.filter(announcement=announcement, officer=officer).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            receipt = ReadReceipt.objects.create(announcement=announcement, officer=officer)
            audit_record(
                actor=actor,
                action="announcement.read",
                obj=announcement,
                unit=officer.unit,
                summary=_("Xác nhận đã đọc thông báo «%(title)s».")
                % {"title": announcement.title[:200]},
            )
    except IntegrityError:
        # Two clicks at once: the unique constraint kept one; return it.
        return ReadReceipt.objects.get(announcement=announcement, officer=officer)
    return receipt
