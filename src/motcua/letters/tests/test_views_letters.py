"""The template screens: list, create, edit, preview (HTML and PDF), for administrators only."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer
from motcua.accounts.tests.factories import OfficerFactory
from motcua.catalog.models import Procedure
from motcua.letters.models import LetterTemplate

pytestmark = pytest.mark.django_db

LIST = reverse("backoffice:letter_templates")
CREATE = reverse("backoffice:letter_template_create")
POST = {
    "name": "Thư cảm ơn sau khi trả kết quả",
    "kind": "thanks",
    "moment": "returned",
    "title": "THƯ CẢM ƠN",
    "greeting": "Kính gửi: Ông (bà) {ho_ten},",
    "body": "{don_vi} cảm ơn ông (bà) đã thực hiện thủ tục {thu_tuc}.",
    "signer_title": "CHỦ TỊCH",
    "is_active": "on",
    "procedure_codes": "1.001193",
}


def client_for(officer: Officer) -> Client:
    client = Client()
    client.force_login(officer.user)
    return client


@pytest.mark.parametrize("role", list(Role))
def test_only_administrators_reach_the_screens(role: Role, make_template: Any) -> None:
    template = make_template()
    client = client_for(OfficerFactory(roles=[role]))
    expected = 200 if role == Role.ADMINISTRATOR else 403

    assert client.get(LIST).status_code == expected
    assert client.get(CREATE).status_code == expected
    posted = client.post(CREATE, {**POST, "procedure_codes": ""})
    assert posted.status_code == (expected if expected == 403 else 302)
    assert (
        client.get(reverse("backoffice:letter_template_edit", args=[template.pk])).status_code
        == expected
    )


def test_list_shows_the_seeded_defaults(admin: Officer) -> None:
    body = client_for(admin).get(LIST).content.decode()

    assert "Thư chúc mừng đăng ký khai sinh" in body
    assert "Điện chia buồn khi đăng ký khai tử" in body


def test_create_then_preview(admin: Officer, birth: Procedure) -> None:
    client = client_for(admin)

    response = client.post(CREATE, POST)

    template = LetterTemplate.objects.get(name=POST["name"])
    assert response["Location"] == reverse(
        "backoffice:letter_template_preview", args=[template.pk]
    )
    assert list(template.procedures.all()) == [birth]
    preview = client.get(response["Location"], {"ho_ten": "Trần Thị Hoa"}).content.decode()
    assert "Kính gửi: Ông (bà) Trần Thị Hoa," in preview
    assert (
        "Phường Long Biên cảm ơn ông (bà) đã thực hiện thủ tục Thủ tục đăng ký khai sinh."
        in preview
    )


def test_unknown_placeholder_and_procedure_are_shown_on_the_form(admin: Officer) -> None:
    response = client_for(admin).post(
        CREATE, {**POST, "body": "Chào {ten_nguoi_dan}", "procedure_codes": "9.999999"}
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "Trường thay thế không hợp lệ: {ten_nguoi_dan}." in body
    assert "Không có trong danh mục thủ tục: 9.999999." in body
    assert not LetterTemplate.objects.filter(name=POST["name"]).exists()


def test_edit_keeps_the_form_filled_and_saves(admin: Officer, make_template: Any) -> None:
    template = make_template()
    url = reverse("backoffice:letter_template_edit", args=[template.pk])
    client = client_for(admin)

    assert template.name in client.get(url).content.decode()
    response = client.post(url, {**POST, "name": "Tên mới", "procedure_codes": ""})

    assert response.status_code == 302
    template.refresh_from_db()
    assert template.name == "Tên mới"


def test_missing_template_is_a_404(admin: Officer) -> None:
    client = client_for(admin)

    assert client.get(reverse("backoffice:letter_template_edit", args=[99999])).status_code == 404
    assert client.get(reverse("backoffice:letter_template_pdf", args=[99999])).status_code == 404


def test_pdf_preview(admin: Officer, make_template: Any) -> None:
    template = make_template()

    response = client_for(admin).get(
        reverse("backoffice:letter_template_pdf", args=[template.pk]), {"ho_ten": "Lý Thị Mơ"}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
