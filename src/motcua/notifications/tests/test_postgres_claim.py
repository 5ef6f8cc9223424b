"""Concurrent workers on PostgreSQL never claim the same row."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from motcua.notifications.constants import Channel
from motcua.notifications.delivery import notifications_claim
from motcua.notifications.services import Recipient, notify
from motcua.notifications.tests.support import RECEIVED_CONTEXT

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_four_workers_claiming_at_once_share_the_rows_without_overlap(settings: object) -> None:
    """SELECT … FOR UPDATE SKIP LOCKED: 40 rows, 4 workers, every row claimed exactly once."""
    settings.NOTIFY_SMS_URL = "http://127.0.0.1:9/sms"  # type: ignore[attr-defined]
    for number in range(40):
        notify(
            "dossier.received",
            source=f"dossier-event:{number}",
            context=RECEIVED_CONTEXT,
            recipients=[Recipient(phone="0912345678", channels=[Channel.SMS])],
        )
    barrier = threading.Barrier(4)
    claimed: list[list[int]] = []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait()
            mine: list[int] = []
            while batch := notifications_claim(limit=3):
                mine.extend(row.pk for row in batch)
            with lock:
                claimed.append(mine)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    everything = [pk for mine in claimed for pk in mine]
    assert len(everything) == len(set(everything)) == 40
    assert len(claimed) == 4
