"""My inbox: my open steps by deadline, their state in colour and words, pages, few queries."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.dossiers.services import SupplementItem, dossier_request_supplement

from .dossiers_support import (
    Ward,
    at,
    at_specialist,
    page,
    signed_in,
    ward_fixture,  # noqa: F401 - the ward fixture
)

pytestmark = pytest.mark.django_db

INBOX = "/can-bo/ho-so/"


def handed_over(ward: Ward, when: str) -> Dossier:
    with time_machine.travel(at(when), tick=False):
        return at_specialist(ward)


def rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr.*?</tr>", body, flags=re.S)


def test_my_steps_come_most_urgent_first_with_their_state_and_time_left(
    client: Client, ward: Ward
) -> None:
    # The appraisal step takes 5.5 working days from the hand-over.
    on_time = handed_over(ward, "2026-11-09T09:00")
    late = handed_over(ward, "2026-11-02T09:00")
    due_soon = handed_over(ward, "2026-11-03T13:00")
    signed_in(client, ward.specialist)

    with time_machine.travel(at("2026-11-10T10:00"), tick=False):
        response = client.get(INBOX)

    html = page(response)
    found = rows(html)
    assert [late.code in found[0], due_soon.code in found[1], on_time.code in found[2]] == [
        True,
        True,
        True,
    ]
    assert "badge--danger" in found[0] and "Quá hạn" in found[0] and "quá " in found[0]
    assert "badge--warning" in found[1] and "Sắp đến hạn" in found[1]
    assert re.search(r"còn \d+ giờ", found[1])
    assert "badge--success" in found[2] and "Còn hạn" in found[2]
    assert re.search(r"còn \d+ ngày", found[2])
    assert "Thẩm định, xử lý hồ sơ" in found[0]
    assert "Nguyễn Văn Bình" in found[0] and "Đăng ký thường trú" in found[0]
    assert "1 quá hạn" in html


def test_a_paused_step_says_it_waits_for_the_supplement(client: Client, ward: Ward) -> None:
    dossier = handed_over(ward, "2026-11-09T09:00")
    component = ward.version.documents.filter(reusable_from_data=False).first()
    assert component is not None
    with time_machine.travel(at("2026-11-09T10:00"), tick=False):
        dossier_request_supplement(
            dossier=dossier,
            actor=ward.specialist.user,
            items=[SupplementItem(required_document_id=component.pk)],
            reason="Thiếu hợp đồng thuê nhà.",
        )
    with time_machine.travel(at("2026-11-30T10:00"), tick=False):
        signed_in(client, ward.specialist)
        html = page(client.get(INBOX))

    assert "Chờ bổ sung" in html and "Tạm dừng tính thời hạn" in html
    assert "Quá hạn" not in html


def test_only_my_own_steps_are_listed(client: Client, ward: Ward) -> None:
    handed_over(ward, "2026-11-09T09:00")
    signed_in(client, ward.specialist2)

    html = page(client.get(INBOX))

    assert "Không có hồ sơ nào đang chờ bạn" in html


def test_the_inbox_pages_by_25_and_its_queries_do_not_grow_with_the_rows(
    client: Client, ward: Ward, django_assert_max_num_queries: object
) -> None:
    for _index in range(3):
        handed_over(ward, "2026-11-09T09:00")
    signed_in(client, ward.specialist)
    with time_machine.travel(at("2026-11-10T10:00"), tick=False):
        client.get(INBOX)  # warm the calendar cache
        with django_assert_max_num_queries(10):  # type: ignore[operator]
            few = client.get(INBOX)
    assert len(rows(page(few))) == 3

    for _index in range(27):
        handed_over(ward, "2026-11-09T09:00")
    with time_machine.travel(at("2026-11-10T10:00"), tick=False):
        with django_assert_max_num_queries(10):  # type: ignore[operator]
            many = client.get(INBOX)
        second = client.get(INBOX, {"page": 2})

    assert len(rows(page(many))) == 25
    assert len(rows(page(second))) == 5
    assert "Trang 2/2" in page(second)
