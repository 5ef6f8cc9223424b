"""The bell and the list page of the staff area."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.accounts.tests.factories import OfficerFactory, UserFactory
from motcua.notifications.models import Notification
from motcua.notifications.services import Recipient, notify
from motcua.notifications.tests.support import RECEIVED_CONTEXT

pytestmark = pytest.mark.django_db

LIST = reverse("backoffice:notifications")


def tell(user: User, number: int) -> Notification:
    rows = notify(
        "step.assigned",
        source=f"step:{number}:assigned",
        context={
            **RECEIVED_CONTEXT,
            "step_name": "Thẩm định hồ sơ",
            "deadline": "17:00 09/01/2026",
        },
        recipients=[Recipient(user=user, channels=["in_app"])],
    )
    return rows[0]


@pytest.fixture
def officer() -> User:
    user: User = OfficerFactory().user
    return user


@pytest.fixture
def signed_in(client: Client, officer: User) -> Client:
    client.force_login(officer)
    return client


def test_the_bell_shows_the_unread_count_in_the_staff_header(
    signed_in: Client, officer: User
) -> None:
    """Two unread: the header's bell says 2 and links to the list."""
    tell(officer, 1)
    tell(officer, 2)

    page = signed_in.get(reverse("backoffice:home")).content.decode()

    assert 'class="nt-bell nt-bell--unread"' in page
    assert '<span class="nt-bell__count">2</span>' in page
    assert f'href="{LIST}"' in page


def test_the_list_shows_own_notifications_only_and_marks_one_read(
    signed_in: Client, officer: User, django_assert_max_num_queries: object
) -> None:
    """Another officer's notification is not listed and cannot be marked read."""
    mine = tell(officer, 1)
    tell(officer, 2)
    theirs = tell(OfficerFactory().user, 3)

    page = signed_in.get(LIST)
    assert page.status_code == 200
    text = page.content.decode()
    assert text.count("nt-item--unread") == 2
    assert "Được giao xử lý hồ sơ" in text or "Thẩm định hồ sơ" in text

    assert (
        signed_in.post(reverse("backoffice:notification_read", args=[theirs.pk])).status_code
        == 404
    )
    response = signed_in.post(
        reverse("backoffice:notification_read", args=[mine.pk]), {"next": LIST}
    )
    assert response.status_code == 302 and response["Location"] == LIST
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert '<span class="nt-bell__count">1</span>' in signed_in.get(LIST).content.decode()


def test_mark_all_read_empties_the_bell(signed_in: Client, officer: User) -> None:
    tell(officer, 1)
    tell(officer, 2)

    signed_in.post(reverse("backoffice:notifications_read_all"))

    assert Notification.objects.filter(user=officer, read_at__isnull=True).count() == 0
    assert "nt-bell__count" not in signed_in.get(LIST).content.decode()


def test_the_list_page_costs_a_fixed_number_of_queries(
    signed_in: Client, officer: User, django_assert_max_num_queries: object
) -> None:
    """Thirty notifications or three: the same queries."""
    for number in range(30):
        tell(officer, number)
    with django_assert_max_num_queries(12):  # type: ignore[operator]
        assert signed_in.get(LIST).status_code == 200


def test_citizens_and_visitors_are_kept_out(client: Client) -> None:
    assert client.get(LIST).status_code == 302
    client.force_login(UserFactory(citizen=True))
    response = client.get(LIST)
    assert response.status_code == 302 and "/can-bo/" not in response["Location"]
