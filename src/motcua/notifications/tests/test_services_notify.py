"""notify(): outbox rows in the caller's transaction, once per event, recipient and channel."""

from __future__ import annotations

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult
from pytest_django import Settings

from motcua.accounts.tests.factories import OfficerFactory, UserFactory
from motcua.core.exceptions import ValidationFailed
from motcua.notifications.constants import Channel, Status
from motcua.notifications.exceptions import UnknownEvent
from motcua.notifications.models import Notification, WebhookSubscription
from motcua.notifications.services import (
    Recipient,
    notification_preference_set,
    notify,
)
from motcua.notifications.tests.conftest import Providers
from motcua.notifications.tests.support import RECEIVED_CONTEXT

pytestmark = pytest.mark.django_db


def deliver_tasks() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path="motcua.notifications.tasks.deliver_notifications")
    )


def test_a_citizen_is_told_on_the_default_channels_in_vietnamese(channels_on: Providers) -> None:
    """No preference: e-mail and SMS (the default), with the Vietnamese texts of the event."""
    citizen = UserFactory(citizen=True, email="binh@example.vn", phone="0912 345 678")

    rows = notify(
        "dossier.received",
        source="dossier-event:1",
        context=RECEIVED_CONTEXT,
        recipients=[Recipient(user=citizen)],
    )

    by_channel = {row.channel: row for row in rows}
    assert set(by_channel) == {Channel.EMAIL, Channel.SMS}
    email = by_channel[Channel.EMAIL]
    assert email.address == "binh@example.vn"
    assert email.subject == "Hồ sơ 000.01.45.H26-260105-0001 đã được tiếp nhận"
    assert "Kính gửi Nguyễn Văn Bình" in email.body
    assert 'thủ tục "Đăng ký thường trú"' in email.body
    assert "16:00 14/01/2026" in email.body
    sms = by_channel[Channel.SMS]
    assert sms.address == "84912345678"
    assert sms.body.startswith(
        "Mot cua dien tu: Ho so 000.01.45.H26-260105-0001 da duoc tiep nhan"
    )
    assert all(
        row.status == Status.QUEUED and row.recipient_key == f"user:{citizen.pk}" for row in rows
    )
    assert email.payload["appointment"] == "16:00 14/01/2026"


def test_the_same_event_twice_creates_one_row_per_recipient_and_channel(
    channels_on: Providers,
) -> None:
    """A retried caller (or two racing ones) never queues a second message."""
    citizen = UserFactory(citizen=True, phone="0912345678")
    recipients = [Recipient(user=citizen), Recipient(user=citizen)]

    first = notify(
        "dossier.received",
        source="dossier-event:7",
        context=RECEIVED_CONTEXT,
        recipients=recipients,
    )
    second = notify(
        "dossier.received",
        source="dossier-event:7",
        context=RECEIVED_CONTEXT,
        recipients=recipients,
    )

    assert Notification.objects.count() == 2  # e-mail and SMS
    assert sorted(row.pk for row in first) == sorted(row.pk for row in second)
    assert len(deliver_tasks()) == 1, "the repeated call queues no second delivery"


def test_a_new_source_is_a_new_message(channels_on: Providers) -> None:
    """Another occurrence of the same event kind is told again."""
    citizen = UserFactory(citizen=True, phone="")
    notify(
        "dossier.received",
        source="dossier-event:8",
        context=RECEIVED_CONTEXT,
        recipients=[Recipient(user=citizen)],
    )
    notify(
        "dossier.received",
        source="dossier-event:9",
        context=RECEIVED_CONTEXT,
        recipients=[Recipient(user=citizen)],
    )

    assert Notification.objects.filter(channel=Channel.EMAIL).count() == 2


def test_rows_and_their_delivery_task_roll_back_with_the_caller() -> None:
    """The caller's transaction fails: no message, and nothing queued to send it."""
    citizen = UserFactory(citizen=True)

    with pytest.raises(RuntimeError), transaction.atomic():
        notify(
            "dossier.received",
            source="dossier-event:2",
            context=RECEIVED_CONTEXT,
            recipients=[Recipient(user=citizen)],
        )
        assert Notification.objects.count() == 1
        raise RuntimeError("the dossier could not be saved")

    assert Notification.objects.count() == 0
    assert deliver_tasks() == []


def test_the_delivery_task_is_queued_with_the_rows() -> None:
    """One task per notify() call, carrying the ids of the rows to send."""
    citizen = UserFactory(citizen=True)
    with transaction.atomic():
        rows = notify(
            "dossier.received",
            source="dossier-event:3",
            context=RECEIVED_CONTEXT,
            recipients=[Recipient(user=citizen)],
        )

    (task,) = deliver_tasks()
    assert task.args_kwargs["args"] == [[row.pk for row in rows]]


def test_a_citizens_choice_of_channels_is_respected(channels_on: Providers) -> None:
    """The citizen chose Zalo only: one Zalo row, nothing by e-mail or SMS."""
    citizen = UserFactory(citizen=True, phone="+84 912 345 678")
    notification_preference_set(user=citizen, channels=[Channel.ZALO])

    rows = notify(
        "dossier.received",
        source="dossier-event:4",
        context=RECEIVED_CONTEXT,
        recipients=[Recipient(user=citizen)],
    )

    assert [(row.channel, row.address) for row in rows] == [(Channel.ZALO, "84912345678")]


def test_unconfigured_channels_and_missing_addresses_are_skipped(settings: Settings) -> None:
    """SMS and Zalo are off by default; no e-mail address means no e-mail row."""
    settings.NOTIFY_SMS_URL = ""
    citizen = UserFactory(citizen=True, email="", phone="0912345678")
    notification_preference_set(user=citizen, channels=[Channel.EMAIL, Channel.SMS, Channel.ZALO])

    assert (
        notify(
            "dossier.received",
            source="dossier-event:5",
            context=RECEIVED_CONTEXT,
            recipients=[Recipient(user=citizen)],
        )
        == []
    )


def test_an_applicant_without_an_account_is_reached_at_the_given_addresses(
    channels_on: Providers,
) -> None:
    """Raw addresses, the channels the applicant ticked at the counter."""
    rows = notify(
        "dossier.received",
        source="dossier-event:6",
        context=RECEIVED_CONTEXT,
        recipients=[
            Recipient(
                email="An@Example.vn", phone="0987654321", channels=[Channel.SMS, Channel.EMAIL]
            )
        ],
    )

    assert sorted((row.channel, row.recipient_key, row.user_id) for row in rows) == [
        (Channel.EMAIL, "email:an@example.vn", None),
        (Channel.SMS, "phone:84987654321", None),
    ]


def test_an_officer_gets_an_in_app_notification_already_delivered_and_an_email() -> None:
    """In-app rows are delivered by being written; the e-mail waits for the worker."""
    officer = OfficerFactory(user__email="lan@longbien.example.vn")

    rows = notify(
        "step.late",
        source="step:44:late",
        context={
            **RECEIVED_CONTEXT,
            "step_name": "Thẩm định hồ sơ",
            "deadline": "17:00 12/01/2026",
        },
        recipients=[Recipient(user=officer.user)],
    )

    by_channel = {row.channel: row for row in rows}
    assert by_channel[Channel.IN_APP].status == Status.SENT
    assert by_channel[Channel.IN_APP].read_at is None
    assert (
        by_channel[Channel.IN_APP].subject
        == 'Bước "Thẩm định hồ sơ" của hồ sơ 000.01.45.H26-260105-0001 đã quá hạn'
    )
    assert by_channel[Channel.EMAIL].status == Status.QUEUED
    assert (task := deliver_tasks()[0]).args_kwargs["args"] == [[by_channel[Channel.EMAIL].pk]]
    assert task is not None


def test_webhook_subscriptions_get_the_events_they_asked_for(channels_on: Providers) -> None:
    """One row per active subscription that wants the event; none for the others."""
    wanted = WebhookSubscription.objects.create(
        name="A", url=channels_on.url("/hook"), secret="s", event_keys=["dossier.received"]
    )
    WebhookSubscription.objects.create(
        name="B", url=channels_on.url("/hook"), secret="s", event_keys=["dossier.late"]
    )
    WebhookSubscription.objects.create(
        name="C", url=channels_on.url("/hook"), secret="s", is_active=False
    )

    rows = notify(
        "dossier.received", source="dossier-event:10", context=RECEIVED_CONTEXT, recipients=[]
    )

    assert [(row.channel, row.webhook_id) for row in rows] == [(Channel.WEBHOOK, wanted.pk)]


def test_unknown_events_and_incomplete_contexts_are_refused() -> None:
    """A typo in a caller fails at once instead of sending an empty message."""
    citizen = UserFactory(citizen=True)
    with pytest.raises(UnknownEvent):
        notify(
            "dossier.recieved",
            source="x",
            context=RECEIVED_CONTEXT,
            recipients=[Recipient(user=citizen)],
        )
    with pytest.raises(ValidationFailed, match="appointment"):
        notify(
            "dossier.received",
            source="x",
            context={"code": "A", "procedure_name": "B", "applicant_name": "C"},
            recipients=[Recipient(user=citizen)],
        )
    assert Notification.objects.count() == 0


def test_a_citizen_may_not_choose_in_app_or_webhook() -> None:
    citizen = UserFactory(citizen=True)
    with pytest.raises(ValidationFailed):
        notification_preference_set(user=citizen, channels=[Channel.IN_APP])
