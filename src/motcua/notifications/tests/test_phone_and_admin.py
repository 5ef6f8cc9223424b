"""Phone numbers in the form providers expect; the outbox in the Django admin."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.tests.factories import UserFactory
from motcua.notifications.constants import Channel, Status
from motcua.notifications.models import Notification
from motcua.notifications.phone import phone_to_international
from motcua.notifications.services import Recipient, notify
from motcua.notifications.tests.support import RECEIVED_CONTEXT


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0912345678", "84912345678"),
        ("0912 345 678", "84912345678"),
        ("091.234.5678", "84912345678"),
        ("+84 912-345-678", "84912345678"),
        ("84912345678", "84912345678"),
        ("(024) 3827 0000", None),  # a landline (10 digits after 84) takes no SMS
        ("091234567", None),  # one digit short
        ("0012345678", None),
        ("", None),
        ("không có", None),
    ],
)
def test_phone_to_international(raw: str, expected: str | None) -> None:
    assert phone_to_international(raw) == expected


@pytest.mark.django_db
def test_the_admin_lists_the_outbox_and_retries_failed_messages(client: Client) -> None:
    """A failed message put back in the queue gets fresh attempts, starting now."""
    client.force_login(UserFactory(superuser=True))
    (row,) = notify(
        "dossier.received",
        source="dossier-event:1",
        context=RECEIVED_CONTEXT,
        recipients=[Recipient(email="binh@example.vn", channels=[Channel.EMAIL])],
    )
    Notification.objects.filter(pk=row.pk).update(status=Status.FAILED, attempts=12)
    changelist = reverse("admin:notifications_notification_changelist")

    assert client.get(changelist).status_code == 200
    assert (
        client.get(reverse("admin:notifications_notification_change", args=[row.pk])).status_code
        == 200
    )
    response = client.post(
        changelist, {"action": "retry", "_selected_action": [row.pk]}, follow=True
    )

    assert response.status_code == 200
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.QUEUED, 0)
    for name in ("webhooksubscription", "notificationpreference"):
        assert client.get(reverse(f"admin:notifications_{name}_changelist")).status_code == 200
