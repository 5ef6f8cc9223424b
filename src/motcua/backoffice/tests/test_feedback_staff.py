"""Staff screens for PAKN: the list by state with pagination and unit scope, the detail with
its timeline, and the actions through the services (classify, answer, publish, route)."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client

from motcua.accounts.constants import Role
from motcua.accounts.tests.factories import OfficerFactory
from motcua.dossiers.tests.conftest import Ward, at
from motcua.feedback.models import Feedback
from motcua.feedback.services import FeedbackIn, feedback_submit
from motcua.feedback.tests.support import _fresh_rate_limits, ward

__all__ = ["_fresh_rate_limits", "ward"]


def submit(ward: Ward, title: str = "Phí chưa niêm yết", unit: object = None) -> Feedback:
    return feedback_submit(
        unit=unit or ward.centre,  # type: ignore[arg-type]
        data=FeedbackIn(
            title=title, content="Nội dung", sender_name="A", sender_phone="0912345678"
        ),
    )


def test_the_list_shows_the_units_pakn_by_state_with_pagination(
    client: Client, ward: Ward
) -> None:
    with time_machine.travel(at("2026-04-28T10:00"), tick=False):
        for number in range(27):
            submit(ward, title=f"Phản ánh {number}")
        submit(ward, title="Ở phường khác", unit=ward.other_centre)
    client.force_login(ward.counter.user)
    with time_machine.travel(at("2026-05-22T09:00"), tick=False):
        page = client.get("/can-bo/phan-anh/").content.decode()
        assert "28 phản ánh" not in page and "27 phản ánh" in page
        assert "Ở phường khác" not in page and "Quá hạn" in page
        second = client.get("/can-bo/phan-anh/", {"page": 2}).content.decode()
        assert second.count("/can-bo/phan-anh/PAKN-") == 2
        late = client.get("/can-bo/phan-anh/", {"loc": "late"}).content.decode()
        assert "27 phản ánh" in late
        published = client.get("/can-bo/phan-anh/", {"loc": "published"}).content.decode()
        assert "0 phản ánh" in published


def test_citizens_and_other_units_cannot_open_a_pakn(client: Client, ward: Ward) -> None:
    feedback = submit(ward)
    assert client.get(f"/can-bo/phan-anh/{feedback.code}/").status_code == 302  # login
    client.force_login(ward.other_counter.user)
    assert client.get(f"/can-bo/phan-anh/{feedback.code}/").status_code == 404
    response = client.post(f"/can-bo/phan-anh/{feedback.code}/classify/", {"category": "rules"})
    assert response.status_code == 404
    feedback.refresh_from_db()
    assert feedback.category == ""


def test_classify_answer_publish_through_the_screens(client: Client, ward: Ward) -> None:
    feedback = submit(ward)
    client.force_login(ward.counter.user)
    base = f"/can-bo/phan-anh/{feedback.code}/"
    page = client.get(base).content.decode()
    assert "Phân loại" in page and "Lịch sử xử lý" in page and "Công khai trả lời" not in page
    client.post(base + "classify/", {"category": "conduct"})
    response = client.post(base + "answer/", {"text": "Đã nhắc nhở cán bộ.", "led_to_fix": "on"})
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == "answered" and feedback.led_to_fix
    # The counter officer may not publish: the message says so, nothing changes.
    client.post(base + "publish/", follow=True)
    feedback.refresh_from_db()
    assert feedback.status == "answered"
    head = OfficerFactory(unit=ward.centre, roles=[Role.HEAD])
    client.force_login(head.user)
    page = client.post(base + "publish/", follow=True).content.decode()
    assert "Đã công khai câu trả lời." in page
    feedback.refresh_from_db()
    assert feedback.status == "published" and feedback.thanked_at is not None


def test_routing_out_of_scope_returns_to_the_list(client: Client, ward: Ward) -> None:
    feedback = submit(ward)
    client.force_login(ward.counter.user)
    response = client.post(
        f"/can-bo/phan-anh/{feedback.code}/route/", {"unit": ward.office.pk, "note": "VP"}
    )
    assert response.status_code == 302 and response["Location"] == "/can-bo/phan-anh/"
    assert Feedback.objects.get().unit == ward.office


@pytest.mark.parametrize("action", ["nope", "ask_info"])
def test_unknown_actions_and_empty_forms_never_fail(
    client: Client, ward: Ward, action: str
) -> None:
    feedback = submit(ward)
    client.force_login(ward.counter.user)
    response = client.post(f"/can-bo/phan-anh/{feedback.code}/{action}/", {})
    assert response.status_code in (302, 404)


def test_the_head_publishes_the_duty_roster_and_news(client: Client, ward: Ward) -> None:
    """Head of the centre: duty roster and news for the centre; a counter officer: nothing."""
    from django.utils import timezone

    from motcua.feedback.models import DutyAssignment, News

    head = OfficerFactory(unit=ward.centre, roles=[Role.HEAD])
    client.force_login(ward.counter.user)
    assert client.get("/can-bo/cong-thong-tin/").status_code == 404
    client.force_login(head.user)
    assert client.get("/can-bo/cong-thong-tin/").status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(
        "/can-bo/cong-thong-tin/",
        {
            "form": "duty",
            "unit": ward.centre.pk,
            "day": today,
            "session": "morning",
            "officer": ward.counter.pk,
            "desk": "Quầy 2",
        },
    )
    assert response.status_code == 302
    assignment = DutyAssignment.objects.get()
    assert assignment.officer == ward.counter and assignment.desk == "Quầy 2"
    # An officer of another ward is not offered.
    client.post(
        "/can-bo/cong-thong-tin/",
        {
            "form": "duty",
            "unit": ward.centre.pk,
            "day": today,
            "session": "morning",
            "officer": ward.other_counter.pk,
        },
    )
    assert DutyAssignment.objects.count() == 1
    client.post(
        "/can-bo/cong-thong-tin/",
        {
            "form": "news",
            "unit": ward.centre.pk,
            "title": "Tin mới",
            "body": "Nội dung",
            "publish": "on",
        },
    )
    assert News.objects.get().published_at is not None
    assert "Nguyễn Thị Lan" in Client().get("/").content.decode()
    client.post("/can-bo/cong-thong-tin/", {"form": "duty_remove", "id": assignment.pk})
    assert not DutyAssignment.objects.exists()
