"""Issue 5 acceptance: outages, a killed worker and a failing channel lose and repeat nothing."""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter

import pytest
import time_machine
from django.db import transaction
from pytest_django import Settings

from motcua.accounts.tests.factories import UserFactory
from motcua.core.scheduling import autodiscover, get_job
from motcua.core.tests.workers import run_db_worker
from motcua.notifications.constants import Channel, Status
from motcua.notifications.delivery import (
    backoff,
    notification_deliver,
    notifications_claim,
    notifications_deliver_due,
)
from motcua.notifications.models import Notification, WebhookSubscription
from motcua.notifications.services import Recipient, notify
from motcua.notifications.tests.conftest import Providers, SmtpServer
from motcua.notifications.tests.support import RECEIVED_CONTEXT, at

T0 = at("2026-01-05T09:00:00")  # a Monday morning at the one-stop counter
MINUTE = dt.timedelta(minutes=1)


def citizens(count: int) -> list[Recipient]:
    return [
        Recipient(user=UserFactory(citizen=True, email=f"cd{i}@example.vn", phone=f"091234560{i}"))
        for i in range(count)
    ]


def notify_received(recipients: list[Recipient], *, first_source: int = 0) -> None:
    for number, recipient in enumerate(recipients, start=first_source):
        notify(
            "dossier.received",
            source=f"dossier-event:{number}",
            context=RECEIVED_CONTEXT,
            recipients=[recipient],
        )


def delivered_to(smtp: SmtpServer) -> Counter[str]:
    return Counter(address for _sender, rcpts in smtp.mailbox.envelopes for address in rcpts)


@pytest.mark.django_db
def test_smtp_down_for_an_hour_every_email_arrives_once_and_sms_is_not_held_up(
    smtp: SmtpServer, channels_on: Providers
) -> None:
    """The mail server is unreachable for 60 minutes: e-mail is retried with backoff
    and each message arrives exactly once after it comes back; SMS went out at once."""
    with time_machine.travel(T0, tick=False) as traveller:
        people = citizens(5)
        notify_received(people)

        first = notifications_deliver_due()  # the task queued at commit
        assert (first.sent, first.retrying) == (5, 5)
        assert len(channels_on.on("/sms")) == 5

        for _minute in range(60):  # the sweep, every minute, while SMTP is down
            traveller.shift(MINUTE)
            notifications_deliver_due()
        emails = Notification.objects.filter(channel=Channel.EMAIL)
        assert smtp.mailbox.messages == []
        assert set(emails.values_list("status", flat=True)) == {Status.QUEUED}
        # Attempts at 0, 1, 3, 7, 15, 31 minutes: the backoff doubles.
        assert set(emails.values_list("attempts", flat=True)) == {6}
        assert all("SMTP" in error for error in emails.values_list("last_error", flat=True))

        smtp.start()
        for _minute in range(120):
            traveller.shift(MINUTE)
            notifications_deliver_due()

    assert delivered_to(smtp) == Counter({f"cd{i}@example.vn": 1 for i in range(5)})
    assert set(emails.values_list("status", flat=True)) == {Status.SENT}
    assert set(emails.values_list("attempts", flat=True)) == {7}  # the one at 63 minutes
    assert len(channels_on.on("/sms")) == 5, "no SMS was sent twice"
    assert channels_on.errors == []


@pytest.mark.django_db
def test_a_worker_killed_mid_delivery_is_replaced_after_its_lease_and_nothing_repeats(
    smtp: SmtpServer, channels_on: Providers, webhook: WebhookSubscription, settings: Settings
) -> None:
    """Rows left 'sending' by a dead worker wait for the lease, then go out exactly once."""
    smtp.start()
    lease = dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS)
    with time_machine.travel(T0, tick=False) as traveller:
        notify_received(citizens(3))
        claimed = notifications_claim(limit=100)  # a worker takes every row…
        assert len(claimed) == 9  # e-mail, SMS and webhook for three dossiers
        # …and is killed before sending any of them.
        assert set(Notification.objects.values_list("status", flat=True)) == {Status.SENDING}

        traveller.shift(lease - MINUTE)
        assert notifications_deliver_due().sent == 0, "a live lease is respected"
        assert smtp.mailbox.messages == [] and channels_on.requests == []

        traveller.shift(2 * MINUTE)  # the lease has expired: the restarted worker's sweep
        report = notifications_deliver_due()
        assert report.sent == 9

        # The killed worker was only paused; it wakes up and carries on with its batch.
        late = [notification_deliver(row) for row in claimed]
        assert set(late) == {Status.SENDING}, "it finds its rows taken over and sends nothing"

        traveller.shift(dt.timedelta(hours=3))
        assert notifications_deliver_due().sent == 0

    assert delivered_to(smtp) == Counter({f"cd{i}@example.vn": 1 for i in range(3)})
    assert Counter(r.body["reference"] for r in channels_on.on("/sms")).most_common(1)[0][1] == 1
    assert len(channels_on.on("/sms")) == 3
    assert (
        len({r.body["id"] for r in channels_on.on("/hook")}) == len(channels_on.on("/hook")) == 3
    )
    assert set(Notification.objects.values_list("status", "attempts")) == {(Status.SENT, 2)}
    assert channels_on.errors == []


@pytest.mark.django_db
def test_a_worker_killed_during_the_last_attempt_leaves_the_row_failed(
    channels_on: Providers, settings: Settings
) -> None:
    """A message that kills its worker every time is not retried for ever."""
    settings.NOTIFY_MAX_ATTEMPTS = 2
    with time_machine.travel(T0, tick=False) as traveller:
        (row,) = notify(
            "dossier.received",
            source="dossier-event:1",
            context=RECEIVED_CONTEXT,
            recipients=[Recipient(phone="0912345678", channels=[Channel.SMS])],
        )
        for _attempt in range(2):
            assert len(notifications_claim(limit=10)) == 1  # claimed, then the worker dies
            traveller.shift(dt.timedelta(seconds=settings.NOTIFY_LEASE_SECONDS + 1))
        assert notifications_claim(limit=10) == []

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 2)
    assert channels_on.requests == []


@pytest.mark.django_db
def test_a_failing_channel_is_retried_with_backoff_then_failed_without_blocking_others(
    smtp: SmtpServer, channels_on: Providers, webhook: WebhookSubscription, settings: Settings
) -> None:
    """The SMS gateway answers 503 throughout: 4 attempts 1, 2 and 4 minutes apart, then
    'failed'; e-mail and webhooks, including for a later event, are delivered on time."""
    settings.NOTIFY_MAX_ATTEMPTS = 4
    channels_on.answers["/sms"] = lambda request: (503, {"error": "gateway overloaded"})
    smtp.start()
    with time_machine.travel(T0, tick=False) as traveller:
        people = citizens(2)
        notify_received(people)
        notifications_deliver_due()
        assert len(smtp.mailbox.messages) == 2 and len(channels_on.on("/hook")) == 2

        for minute in range(1, 31):
            traveller.shift(MINUTE)
            if minute == 5:  # a new dossier while SMS is still failing
                notify_received(citizens(1), first_source=100)
                notifications_deliver_due()
                assert len(smtp.mailbox.messages) == 3, "e-mail is not held up by SMS"
            notifications_deliver_due()

    sms = Notification.objects.filter(channel=Channel.SMS, source="dossier-event:0").get()
    assert (sms.status, sms.attempts, sms.next_attempt_at) == (Status.FAILED, 4, None)
    assert "SMS HTTP 503" in sms.last_error
    tries = [
        dt.datetime.fromtimestamp(r.received_at, tz=dt.UTC)
        for r in channels_on.on("/sms")
        if r.body["reference"] == str(sms.key)
    ]
    assert (
        [later - earlier for earlier, later in itertools.pairwise(tries)]
        == [
            backoff(1),
            backoff(2),
            backoff(3),
        ]
        == [MINUTE, 2 * MINUTE, 4 * MINUTE]
    )
    assert set(
        Notification.objects.exclude(channel=Channel.SMS).values_list("status", flat=True)
    ) == {Status.SENT}
    assert set(
        Notification.objects.filter(channel=Channel.SMS).values_list("status", flat=True)
    ) == {Status.FAILED}
    assert channels_on.errors == []


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_delivers_what_a_committed_transaction_queued(smtp: SmtpServer) -> None:
    """notify() in a committed transaction → `db_worker` runs the task → the mail arrives."""
    smtp.start()
    citizen = UserFactory(citizen=True, email="binh@example.vn", phone="")
    with transaction.atomic():
        notify(
            "dossier.received",
            source="dossier-event:1",
            context=RECEIVED_CONTEXT,
            recipients=[Recipient(user=citizen)],
        )

    run_db_worker()

    assert delivered_to(smtp) == Counter({"binh@example.vn": 1})
    assert Notification.objects.get().status == Status.SENT


def test_the_sweep_is_registered_to_run_every_minute() -> None:
    """The periodic sweep catches retries and rows a dead worker left behind."""
    autodiscover()
    job = get_job("notifications.deliver_due")
    assert job.cron == "* * * * *"
    assert job.task.module_path == "motcua.notifications.tasks.deliver_due_notifications"
