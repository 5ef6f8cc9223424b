"""Each channel against a real local provider that checks the documented request format."""

from __future__ import annotations

import json

import pytest
from pytest_django import Settings

from motcua.accounts.tests.factories import UserFactory
from motcua.notifications.constants import Channel, Status
from motcua.notifications.delivery import notifications_deliver_due
from motcua.notifications.models import Notification, WebhookSubscription
from motcua.notifications.services import Recipient, notification_preference_set, notify
from motcua.notifications.tests.conftest import ZNS_TEMPLATE, Providers, SmtpServer
from motcua.notifications.tests.support import RECEIVED_CONTEXT

pytestmark = pytest.mark.django_db


def received(*recipients: Recipient, source: str = "dossier-event:1") -> list[Notification]:
    return notify(
        "dossier.received", source=source, context=RECEIVED_CONTEXT, recipients=list(recipients)
    )


def test_email_arrives_over_smtp_in_vietnamese_with_a_stable_message_id(smtp: SmtpServer) -> None:
    """Django's SMTP backend delivers UTF-8 text; Message-ID carries the idempotency key."""
    smtp.start()
    citizen = UserFactory(citizen=True, email="binh@example.vn", phone="")
    (row,) = received(Recipient(user=citizen))

    report = notifications_deliver_due()

    assert report.sent == 1
    (message,) = smtp.mailbox.messages
    assert smtp.mailbox.envelopes == [("motcua@longbien.example.vn", ["binh@example.vn"])]
    # Django folds the encoded subject onto a continuation line; unfolded it
    # starts with the folding space, which mail readers drop.
    assert message["Subject"].strip() == "Hồ sơ 000.01.45.H26-260105-0001 đã được tiếp nhận"
    assert message["Message-ID"] == f"<{row.key}@motcua.notifications>"
    assert message["X-Motcua-Notification"] == str(row.key)
    assert "Kính gửi Nguyễn Văn Bình" in message.get_content()
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.provider_message_id == f"<{row.key}@motcua.notifications>"
    assert row.attempts == 1


def test_sms_goes_to_the_gateway_as_documented(channels_on: Providers) -> None:
    """JSON {to, text, sender, reference}, X-API-Key, Idempotency-Key = reference."""
    (row,) = received(Recipient(phone="0912.345.678", channels=[Channel.SMS]))

    notifications_deliver_due()

    assert channels_on.errors == []
    (request,) = channels_on.on("/sms")
    assert request.body == {
        "to": "84912345678",
        "text": row.body.strip(),
        "sender": "UBND-LB",
        "reference": str(row.key),
    }
    assert request.headers["idempotency-key"] == str(row.key)
    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == (Status.SENT, f"sms-{str(row.key)[:8]}")


def test_zalo_zns_gets_the_template_and_its_data(channels_on: Providers) -> None:
    """Zalo receives phone 84…, template_id, string template_data and tracking_id = key."""
    citizen = UserFactory(citizen=True, phone="0912345678")
    notification_preference_set(user=citizen, channels=[Channel.ZALO])
    (row,) = received(Recipient(user=citizen))

    notifications_deliver_due()

    assert channels_on.errors == []
    (request,) = channels_on.on("/zalo")
    assert request.body["phone"] == "84912345678"
    assert request.body["template_id"] == ZNS_TEMPLATE
    assert request.body["tracking_id"] == str(row.key)
    assert request.body["template_data"]["code"] == "000.01.45.H26-260105-0001"
    assert request.body["template_data"]["appointment"] == "16:00 14/01/2026"
    row.refresh_from_db()
    assert (row.status, row.provider_message_id) == (Status.SENT, "zalo-msg-1")


def test_a_zalo_error_in_a_200_answer_is_a_failure_to_retry(channels_on: Providers) -> None:
    """Zalo reports errors in the body: error -124 (expired token) is retried later."""
    channels_on.answers["/zalo"] = lambda request: (
        200,
        {"error": -124, "message": "Access token is invalid"},
    )
    (row,) = received(Recipient(phone="0912345678", channels=[Channel.ZALO]))

    report = notifications_deliver_due()

    assert report.retrying == 1
    row.refresh_from_db()
    assert row.status == Status.QUEUED
    assert "Zalo error -124" in row.last_error


def test_webhook_is_signed_over_timestamp_and_raw_body(
    channels_on: Providers, webhook: WebhookSubscription
) -> None:
    """The receiver recomputes HMAC-SHA256(secret, timestamp.body) and finds it equal."""
    (row,) = received()

    notifications_deliver_due()

    assert channels_on.errors == []
    (request,) = channels_on.on("/hook")
    body = json.loads(request.raw)
    assert body["event"] == "dossier.received"
    assert body["source"] == "dossier-event:1"
    assert body["data"]["code"] == "000.01.45.H26-260105-0001"
    assert request.headers["x-motcua-delivery"] == str(row.key)
    row.refresh_from_db()
    assert row.status == Status.SENT


def test_a_tampered_signature_is_what_the_receiver_rejects(
    channels_on: Providers, webhook: WebhookSubscription
) -> None:
    """With the wrong secret the receiver's check fails (the check is real)."""
    webhook.secret = "khoa-sai"
    webhook.save()
    (row,) = received()

    notifications_deliver_due()

    assert channels_on.errors == ["/hook: bad signature"]
    row.refresh_from_db()
    assert row.status == Status.QUEUED


def test_a_gateway_refusing_the_request_is_a_permanent_failure(channels_on: Providers) -> None:
    """4xx (other than 408/429) will not get better by retrying."""
    channels_on.answers["/sms"] = lambda request: (422, {"error": "unknown brand name"})
    (row,) = received(Recipient(phone="0912345678", channels=[Channel.SMS]))

    report = notifications_deliver_due()

    assert report.failed == 1
    row.refresh_from_db()
    assert row.status == Status.FAILED
    assert "422" in row.last_error


def test_retries_carry_the_same_idempotency_key(
    channels_on: Providers, settings: Settings
) -> None:
    """The gateway fails once then accepts: both requests name the same message."""
    settings.NOTIFY_RETRY_BASE_SECONDS = 0
    answers = iter([(503, {"error": "busy"}), (200, {"id": "ok-1"})])
    channels_on.answers["/sms"] = lambda request: next(answers)
    (row,) = received(Recipient(phone="0912345678", channels=[Channel.SMS]))

    notifications_deliver_due()
    notifications_deliver_due()

    keys = [request.headers["idempotency-key"] for request in channels_on.on("/sms")]
    assert keys == [str(row.key), str(row.key)]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.provider_message_id) == (Status.SENT, 2, "ok-1")
