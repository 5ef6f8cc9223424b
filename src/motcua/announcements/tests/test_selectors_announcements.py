"""The inbox (unread first), visibility, and who has read what."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from motcua.announcements.constants import Priority
from motcua.announcements.selectors import (
    announcement_get_for_recipient,
    announcement_get_for_sender,
    announcement_inbox,
    announcement_read_status,
    announcement_unread_count,
    announcements_sent,
)
from motcua.announcements.services import TargetSpec, announcement_publish, read_receipt_create
from motcua.announcements.tests.conftest import Org
from motcua.core.exceptions import NotFound

pytestmark = pytest.mark.django_db


def publish(org: Org, title: str, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("targets", [TargetSpec(unit=org.a, include_below=True)])
    return announcement_publish(actor=org.leader.user, title=title, body="Nội dung.", **kwargs)


def test_inbox_lists_unread_first_then_urgent_then_newest(org: Org) -> None:
    now = timezone.now()
    old = publish(org, "Cũ", effective_from=now - dt.timedelta(days=2))
    urgent = publish(
        org, "Khẩn", priority=Priority.URGENT, effective_from=now - dt.timedelta(days=3)
    )
    new = publish(org, "Mới", effective_from=now - dt.timedelta(hours=1))
    read = publish(org, "Đã đọc", effective_from=now - dt.timedelta(minutes=5))
    read_receipt_create(announcement=read, actor=org.counter_a.user)

    titles = [a.title for a in announcement_inbox(user=org.counter_a.user)]

    assert titles == [urgent.title, new.title, old.title, read.title]
    assert announcement_unread_count(user=org.counter_a.user) == 3


def test_inbox_carries_when_it_was_read(org: Org) -> None:
    announcement = publish(org, "Một")
    receipt = read_receipt_create(announcement=announcement, actor=org.counter_a.user)

    row = announcement_inbox(user=org.counter_a.user).get()

    assert row.read_at == receipt.read_at


def test_future_and_expired_announcements_are_hidden(org: Org) -> None:
    now = timezone.now()
    publish(org, "Sắp tới", effective_from=now + dt.timedelta(days=1))
    expired = publish(
        org,
        "Hết hạn",
        effective_from=now - dt.timedelta(days=3),
        expires_at=now - dt.timedelta(days=1),
    )

    assert list(announcement_inbox(user=org.counter_a.user)) == []
    assert list(announcement_inbox(user=org.counter_a.user, include_expired=True)) == [expired]


def test_another_units_announcement_is_not_found(org: Org) -> None:
    announcement = publish(org, "Cho phường Long Biên")

    with pytest.raises(NotFound):
        announcement_get_for_recipient(user=org.counter_b.user, pk=announcement.pk)
    assert announcement_inbox(user=org.counter_b.user).count() == 0


def test_read_status_groups_by_unit_with_counts(org: Org) -> None:
    announcement = publish(org, "Một")
    read_receipt_create(announcement=announcement, actor=org.counter_a.user)
    read_receipt_create(announcement=announcement, actor=org.specialist_d.user)

    status = announcement_read_status(announcement=announcement)

    assert [group.unit for group in status.units] == [org.a, org.d]
    unit_a, unit_d = status.units
    assert [row.name for row in unit_a.read] == ["Nguyễn Thị Lan"]
    assert sorted(row.name for row in unit_a.unread) == ["Phạm Thị Nội", "Trần Văn Bình"]
    assert (unit_d.total, len(unit_d.read)) == (1, 1)
    assert (status.total, status.read_count, status.unread_count) == (4, 2, 2)


def test_sent_list_counts_recipients_and_readers(org: Org) -> None:
    announcement = publish(org, "Một")
    read_receipt_create(announcement=announcement, actor=org.counter_a.user)

    row = announcements_sent(user=org.evaluator.user).get()

    assert (row.recipient_count, row.read_count) == (4, 1)


def test_the_sibling_units_leader_cannot_see_the_receipts(org: Org) -> None:
    announcement = publish(org, "Một")

    assert announcements_sent(user=org.leader_b.user).count() == 0
    with pytest.raises(NotFound):
        announcement_get_for_sender(user=org.leader_b.user, pk=announcement.pk)
    with pytest.raises(NotFound):
        announcement_get_for_sender(user=org.counter_a.user, pk=announcement.pk)
