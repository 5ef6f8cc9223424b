"""The staff dashboard shell."""

from __future__ import annotations

import pytest
from django.test import Client

from motcua.accounts.models import User
from motcua.backoffice import views

pytestmark = pytest.mark.django_db


def test_dashboard_lists_the_calendar_warnings(
    client: Client, officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[User] = []

    def fake_warnings(*, user: User) -> list[str]:
        seen.append(user)
        return ["Lịch nghỉ năm 2027 đang là lịch tạm tính."]

    monkeypatch.setattr(views, "calendar_warnings", fake_warnings)
    client.force_login(officer)

    content = client.get("/can-bo/").content.decode()

    assert seen == [officer]
    assert "Lịch nghỉ năm 2027 đang là lịch tạm tính." in content
    assert "Không có cảnh báo" not in content


def test_dashboard_without_warnings_says_so(client: Client, officer: User) -> None:
    """An officer who may not manage the calendar gets no calendar warnings."""
    client.force_login(officer)

    content = client.get("/can-bo/").content.decode()

    assert "Cảnh báo" in content
    assert "Không có cảnh báo" in content


def test_dashboard_shows_the_real_warnings_to_a_superuser(client: Client, unit) -> None:
    from motcua.workcalendar.selectors import calendar_warnings

    admin = User.objects.create_superuser("admin", "x", full_name="Quản trị viên")
    client.force_login(admin)
    expected = calendar_warnings(user=admin)

    response = client.get("/can-bo/")

    assert response.status_code == 200
    for warning in expected:
        assert warning in response.content.decode()


def test_dashboard_queries_do_not_grow_with_the_page(
    client: Client, officer: User, django_assert_max_num_queries
) -> None:
    """Layout and dashboard share one look-up of the officer and the menu."""
    client.force_login(officer)

    with django_assert_max_num_queries(8):
        client.get("/can-bo/")
