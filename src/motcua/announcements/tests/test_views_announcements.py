"""The staff screens: inbox, confirm, compose, receipts, Excel, attachments, access."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.constants import Role
from motcua.accounts.tests.factories import OfficerFactory, UserFactory
from motcua.announcements.models import Announcement, ReadReceipt
from motcua.announcements.services import TargetSpec, announcement_publish, read_receipt_create
from motcua.announcements.tests.conftest import Org

pytestmark = pytest.mark.django_db

INBOX = reverse("backoffice:announcements")
CREATE = reverse("backoffice:announcement_create")
SENT = reverse("backoffice:announcements_sent")


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def publish(org: Org, title: str = "Chỉ đạo về giờ làm việc", **kwargs: Any) -> Announcement:
    kwargs.setdefault("targets", [TargetSpec(unit=org.a, include_below=True)])
    return announcement_publish(actor=org.leader.user, title=title, body="Nội dung.", **kwargs)


def test_inbox_is_empty_with_a_friendly_message(org: Org) -> None:
    response = client_for(org.counter_a.user).get(INBOX)

    assert response.status_code == 200
    assert "Chưa có thông báo chỉ đạo nào" in response.content.decode()


def test_inbox_shows_unread_before_read(org: Org) -> None:
    read = publish(org, "Thông báo đã đọc")
    publish(org, "Thông báo chưa đọc")
    read_receipt_create(announcement=read, actor=org.counter_a.user)

    body = client_for(org.counter_a.user).get(INBOX).content.decode()

    assert body.index("Thông báo chưa đọc") < body.index("Thông báo đã đọc")
    assert "1 thông báo chưa xác nhận đọc" in body


def test_inbox_is_paginated_with_a_bounded_number_of_queries(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    for n in range(25):
        publish(org, f"Thông báo số {n:02d}")
    client = client_for(org.counter_a.user)

    with django_assert_max_num_queries(12):
        first = client.get(INBOX)
    second = client.get(INBOX, {"page": 2})

    assert first.content.decode().count("ann-item__title") == 20
    assert second.content.decode().count("ann-item__title") == 5


def test_confirm_reading_by_post(org: Org) -> None:
    announcement = publish(org)
    client = client_for(org.counter_a.user)
    url = reverse("backoffice:announcement_confirm", args=[announcement.pk])

    assert client.get(url).status_code == 405
    response = client.post(url)

    assert response.status_code == 302
    assert ReadReceipt.objects.filter(announcement=announcement, officer=org.counter_a).exists()
    detail = client.get(reverse("backoffice:announcement_detail", args=[announcement.pk]))
    assert "Bạn đã xác nhận đọc lúc" in detail.content.decode()


def test_another_units_announcement_is_a_404(org: Org) -> None:
    announcement = publish(org)
    client = client_for(org.counter_b.user)

    assert (
        client.get(reverse("backoffice:announcement_detail", args=[announcement.pk])).status_code
        == 404
    )
    assert (
        client.post(reverse("backoffice:announcement_confirm", args=[announcement.pk])).status_code
        == 404
    )
    assert client.get(reverse("backoffice:announcement_detail", args=[99999])).status_code == 404


def test_anonymous_goes_to_login_and_citizens_to_the_portal(org: Org) -> None:
    assert Client().get(INBOX)["Location"].startswith("/can-bo/dang-nhap/")
    citizen = UserFactory(citizen=True)
    response = client_for(citizen).get(INBOX)
    assert response.status_code == 302
    assert not response["Location"].startswith("/can-bo/")


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.COUNTER_OFFICER, False),
        (Role.SPECIALIST, False),
        (Role.HEAD, False),
        (Role.LEADER, True),
        (Role.INSPECTOR, False),
        (Role.EVALUATOR, True),
        (Role.ADMINISTRATOR, False),
    ],
)
def test_who_may_compose(org: Org, role: Role, allowed: bool) -> None:
    officer = OfficerFactory(unit=org.a, roles=[role])
    client = client_for(officer.user)

    assert client.get(CREATE).status_code == (200 if allowed else 403)
    assert client.get(SENT).status_code == (200 if allowed else 403)
    assert client.get(INBOX).status_code == 200


def test_compose_and_send(org: Org) -> None:
    client = client_for(org.leader.user)
    upload = SimpleUploadedFile("chi-thi.pdf", b"%PDF-1.7 body", "application/pdf")

    response = client.post(
        CREATE,
        {
            "title": "Tăng cường kỷ cương hành chính",
            "body": "Đề nghị các đơn vị quán triệt.",
            "priority": "important",
            "units": [org.a.pk],
            "include_below": "on",
            "attachment": upload,
        },
    )

    announcement = Announcement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "backoffice:announcement_receipts", args=[announcement.pk]
    )
    assert announcement.recipients.count() == 4
    assert announcement.attachments.get().name == "chi-thi.pdf"


def test_compose_refuses_a_unit_out_of_scope_and_a_disguised_file(org: Org) -> None:
    client = client_for(org.leader.user)
    upload = SimpleUploadedFile("chi-thi.pdf", b"MZ not a pdf", "application/pdf")

    response = client.post(
        CREATE,
        {
            "title": "T",
            "body": "B",
            "priority": "normal",
            "units": [org.b.pk],
            "attachment": upload,
        },
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Đơn vị đã chọn không thuộc phạm vi của bạn." in body
    assert "nhưng nội dung không phải là tệp" in body
    assert not Announcement.objects.exists()


def test_compose_with_garbage_is_a_form_error_not_a_crash(org: Org) -> None:
    response = client_for(org.leader.user).post(
        CREATE,
        {"title": "", "body": "", "priority": "xyz", "units": ["abc"], "expires_at": "hôm qua"},
    )

    assert response.status_code == 200
    assert "Vui lòng nhập tiêu đề." in response.content.decode()


def test_receipts_page_lists_who_has_not_read(org: Org) -> None:
    announcement = publish(org)
    read_receipt_create(announcement=announcement, actor=org.counter_a.user)

    response = client_for(org.leader.user).get(
        reverse("backoffice:announcement_receipts", args=[announcement.pk])
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Đã đọc 1/4 cán bộ; chưa đọc 3." in body
    assert "Đỗ Thu Hà" in body
    assert "Phòng Văn hóa - Xã hội" in body


def test_receipts_of_another_unit_are_a_404(org: Org) -> None:
    announcement = publish(org)
    url = reverse("backoffice:announcement_receipts", args=[announcement.pk])

    assert client_for(org.leader_b.user).get(url).status_code == 404
    assert client_for(org.counter_a.user).get(url).status_code == 404


def test_receipts_export_to_excel(org: Org) -> None:
    announcement = publish(org)
    read_receipt_create(announcement=announcement, actor=org.specialist_d.user)

    response = client_for(org.evaluator.user).get(
        reverse("backoffice:announcement_receipts_xlsx", args=[announcement.pk])
    )

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    rows = [row for row in sheet.iter_rows(values_only=True) if row and row[0]]
    data = [row for row in rows if isinstance(row[0], int)]
    assert len(data) == 4
    ha = next(row for row in data if row[2] == "Đỗ Thu Hà")
    assert ha[1] == "Phòng Văn hóa - Xã hội"
    assert ha[4] == "Đã đọc"
    assert ha[5]
    summary = workbook.worksheets[1]
    totals = list(summary.iter_rows(values_only=True))[-1]
    assert totals == ("Tổng cộng", 4, 1, 3)


def test_attachment_download_for_recipients_only(org: Org) -> None:
    upload = SimpleUploadedFile("chi-thi.pdf", b"%PDF-1.7 body", "application/pdf")
    announcement = publish(org, attachments=[upload])
    attachment = announcement.attachments.get()
    url = reverse("backoffice:announcement_attachment", args=[announcement.pk, attachment.pk])

    response = client_for(org.counter_a.user).get(url)

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.7 body"  # type: ignore[attr-defined]
    assert client_for(org.counter_b.user).get(url).status_code == 404
    # The sender is not a recipient but may read what they sent.
    assert client_for(org.leader.user).get(url).status_code == 200


def test_receipts_page_queries_do_not_grow_with_recipients(
    org: Org, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        OfficerFactory(unit=org.d, specialist=True)
    announcement = publish(org)
    client = client_for(org.leader.user)
    url = reverse("backoffice:announcement_receipts", args=[announcement.pk])

    with django_assert_max_num_queries(12):
        response = client.get(url)

    assert "Đã đọc 0/34 cán bộ; chưa đọc 34." in response.content.decode()
