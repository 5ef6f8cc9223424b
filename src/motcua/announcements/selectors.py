"""Reads of the announcements channel, each checked for the user asking.

"Missing" and "not yours" give the same :class:`NotFound`: an officer cannot
learn that an announcement to another unit exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateTimeField,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action, can, units_in_scope
from motcua.announcements.constants import PRIORITY_RANK
from motcua.announcements.models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementRecipient,
    ReadReceipt,
)
from motcua.core.exceptions import NotFound


def _officer(user: User) -> Officer | None:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_officer", False):
        return None
    return getattr(user, "officer", None)


def _priority_rank() -> Case:
    return Case(
        *(When(priority=value, then=Value(rank)) for value, rank in PRIORITY_RANK.items()),
        default=Value(len(PRIORITY_RANK)),
        output_field=IntegerField(),
    )


def _not_found() -> NotFound:
    return NotFound(_("Không tìm thấy thông báo."))


def _addressed(
    officer: Officer, *, include_expired: bool, at: dt.datetime | None
) -> QuerySet[Announcement]:
    """Announcements in effect (or expired, if asked) addressed to ``officer``."""
    now = at or timezone.now()
    queryset = Announcement.objects.filter(
        Exists(AnnouncementRecipient.objects.filter(announcement=OuterRef("pk"), officer=officer)),
        effective_from__lte=now,
    )
    if not include_expired:
        queryset = queryset.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
    return queryset


def _receipts_of(officer: Officer) -> QuerySet[ReadReceipt]:
    return ReadReceipt.objects.filter(announcement=OuterRef("pk"), officer=officer)


def announcement_inbox(
    *, user: User, include_expired: bool = False, at: dt.datetime | None = None
) -> QuerySet[Announcement]:
    """The announcements addressed to ``user``: unread first, then urgent first, newest first.

    Each row carries ``read_at`` (``None`` while unread). Announcements not yet
    in effect are hidden; expired ones only with ``include_expired``.
    """
    officer = _officer(user)
    if officer is None:
        return Announcement.objects.none()
    receipts = _receipts_of(officer)
    return (
        _addressed(officer, include_expired=include_expired, at=at)
        .select_related("sender", "sender_unit")
        .annotate(
            read_at=Subquery(receipts.values("read_at")[:1], output_field=DateTimeField()),
            is_read=Case(
                When(Exists(receipts), then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
            rank=_priority_rank(),
        )
        .order_by("is_read", "rank", "-effective_from", "-id")
    )


def announcement_unread_count(*, user: User) -> int:
    """How many announcements in effect ``user`` has not confirmed yet."""
    officer = _officer(user)
    if officer is None:
        return 0
    return (
        _addressed(officer, include_expired=False, at=None)
        .exclude(Exists(_receipts_of(officer)))
        .count()
    )


def announcement_get_for_recipient(*, user: User, pk: int) -> Announcement:
    """One announcement addressed to ``user`` and in effect (expired ones stay readable)."""
    announcement = announcement_inbox(user=user, include_expired=True).filter(pk=pk).first()
    if announcement is None:
        raise _not_found()
    return announcement


def announcement_attachment_get(
    *, user: User, announcement_pk: int, pk: int
) -> AnnouncementAttachment:
    """An attachment, for a recipient of its announcement or whoever may read its receipts."""
    attachment = (
        AnnouncementAttachment.objects.select_related("announcement__sender_unit")
        .filter(announcement_id=announcement_pk, pk=pk)
        .first()
    )
    if attachment is None:
        raise _not_found()
    try:
        announcement_get_for_recipient(user=user, pk=announcement_pk)
    except NotFound:
        if not can(user, Action.ANNOUNCEMENT_PUBLISH, attachment.announcement):
            raise
    return attachment


def announcements_sent(*, user: User) -> QuerySet[Announcement]:
    """Announcements sent from units where ``user`` may publish, with their read counts."""
    units = units_in_scope(user, Action.ANNOUNCEMENT_PUBLISH)
    recipients = (
        AnnouncementRecipient.objects.filter(announcement=OuterRef("pk"))
        .order_by()
        .values("announcement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    receipts = (
        ReadReceipt.objects.filter(announcement=OuterRef("pk"))
        .order_by()
        .values("announcement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Announcement.objects.filter(sender_unit__in=units)
        .select_related("sender", "sender_unit")
        .annotate(
            recipient_count=Coalesce(Subquery(recipients, output_field=IntegerField()), 0),
            read_count=Coalesce(Subquery(receipts, output_field=IntegerField()), 0),
        )
        .order_by("-effective_from", "-id")
    )


def announcement_get_for_sender(*, user: User, pk: int) -> Announcement:
    """One sent announcement, for whoever may publish in its sender's unit."""
    announcement = (
        Announcement.objects.select_related("sender", "sender_unit").filter(pk=pk).first()
    )
    if announcement is None or not can(user, Action.ANNOUNCEMENT_PUBLISH, announcement):
        raise _not_found()
    return announcement


def publish_units(*, user: User) -> QuerySet[Unit]:
    """The units in force that ``user`` may address announcements to."""
    in_scope = units_in_scope(user, Action.ANNOUNCEMENT_PUBLISH)
    return Unit.objects.in_force().filter(pk__in=in_scope.values("pk")).order_by("path")


# --- who has read ---------------------------------------------------------------------


@dataclass(frozen=True)
class ReaderRow:
    """One recipient and when they confirmed (``None``: not yet)."""

    name: str
    position: str
    read_at: dt.datetime | None


@dataclass
class UnitReaders:
    """The recipients of one unit, read and not yet read."""

    unit: Unit
    read: list[ReaderRow] = field(default_factory=list)
    unread: list[ReaderRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.read) + len(self.unread)


@dataclass
class ReadStatus:
    """Per unit, who has and who has not confirmed reading an announcement."""

    units: list[UnitReaders]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.units)

    @property
    def read_count(self) -> int:
        return sum(len(group.read) for group in self.units)

    @property
    def unread_count(self) -> int:
        return self.total - self.read_count

    def rows(self) -> Iterator[tuple[Unit, ReaderRow]]:
        """Every recipient with their unit: by unit, the unread first."""
        for group in self.units:
            for row in (*group.unread, *group.read):
                yield group.unit, row


def announcement_read_status(*, announcement: Announcement) -> ReadStatus:
    """Who has read ``announcement`` and who has not, by unit (check access first)."""
    read_at = dict(
        ReadReceipt.objects.filter(announcement=announcement).values_list("officer_id", "read_at")
    )
    recipients = (
        AnnouncementRecipient.objects.filter(announcement=announcement)
        .select_related("unit", "officer__user")
        .order_by("unit__path", "officer__user__full_name", "officer_id")
    )
    groups: dict[int, UnitReaders] = {}
    for recipient in recipients:
        group = groups.setdefault(recipient.unit_id, UnitReaders(unit=recipient.unit))
        at = read_at.get(recipient.officer_id)
        row = ReaderRow(
            name=recipient.officer.user.full_name,
            position=recipient.officer.position,
            read_at=at,
        )
        (group.unread if at is None else group.read).append(row)
    for group in groups.values():
        group.read.sort(key=lambda row: row.read_at or timezone.now())
    return ReadStatus(units=list(groups.values()))
