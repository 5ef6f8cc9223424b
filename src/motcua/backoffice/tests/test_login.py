"""Signing in to and out of the staff area."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import User
from motcua.backoffice.tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/can-bo/dang-nhap/"


def login(client: Client, username: str, password: str, **extra: str):
    return client.post(LOGIN_URL, {"username": username, "password": password, **extra})


def test_url_names_match_the_vietnamese_paths() -> None:
    assert reverse("backoffice:home") == "/can-bo/"
    assert reverse("backoffice:login") == LOGIN_URL
    assert reverse("backoffice:logout") == "/can-bo/dang-xuat/"
    assert reverse("backoffice:password_change") == "/can-bo/doi-mat-khau/"


def test_anonymous_user_is_sent_to_the_login_page(client: Client) -> None:
    response = client.get("/can-bo/")

    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN_URL}?next=/can-bo/"


def test_login_page_is_in_vietnamese(client: Client) -> None:
    response = client.get(LOGIN_URL)

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Đăng nhập khu vực cán bộ" in content
    assert 'for="id_username">Tên đăng nhập' in content


def test_officer_with_the_right_password_lands_on_the_dashboard(
    client: Client, officer: User
) -> None:
    response = login(client, officer.username, PASSWORD)

    assert response.status_code == 302
    assert response["Location"] == "/can-bo/"
    page = client.get("/can-bo/")
    assert page.status_code == 200
    assert "Xin chào, Nguyễn Thị Lan" in page.content.decode()
    assert "Phường Long Biên" in page.content.decode()


def test_login_follows_a_safe_next_address(client: Client, officer: User) -> None:
    response = login(client, officer.username, PASSWORD, next="/can-bo/doi-mat-khau/")

    assert response["Location"] == "/can-bo/doi-mat-khau/"


def test_wrong_password_is_refused_with_a_vietnamese_message(
    client: Client, officer: User
) -> None:
    response = login(client, officer.username, "sai-mat-khau")

    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_citizen_cannot_sign_in_to_the_staff_area(client: Client, citizen: User) -> None:
    response = login(client, citizen.username, PASSWORD)

    assert response.status_code == 200
    assert "Đây là tài khoản người dân, doanh nghiệp" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_officer_is_told_the_account_is_disabled(client: Client, officer: User) -> None:
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    response = login(client, officer.username, PASSWORD)

    assert response.status_code == 200
    assert "Tài khoản này đã bị khoá." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_account_with_a_wrong_password_gets_the_ordinary_message(
    client: Client, officer: User
) -> None:
    """Only someone who knows the password learns that the account is disabled."""
    officer.is_active = False
    officer.save(update_fields=["is_active"])

    response = login(client, officer.username, "sai-mat-khau")

    assert "Tài khoản này đã bị khoá." not in response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(
    client: Client, officer: User
) -> None:
    for _attempt in range(4):
        response = login(client, officer.username, "sai-mat-khau")
        assert response.status_code == 200

    fifth = login(client, officer.username, "sai-mat-khau")
    sixth = login(client, officer.username, PASSWORD)

    for response in (fifth, sixth):
        assert response.status_code == 429
        content = response.content.decode()
        assert "Tài khoản tạm thời bị khoá" in content
        assert "Vui lòng thử lại sau 30 phút." in content
        assert "quản trị hệ thống của đơn vị" in content
    assert "_auth_user_id" not in client.session
    assert client.get("/can-bo/").status_code == 302


def test_logout_refuses_get(client: Client, officer: User) -> None:
    client.force_login(officer)

    response = client.get("/can-bo/dang-xuat/")

    assert response.status_code == 405
    assert client.get("/can-bo/").status_code == 200


def test_logout_by_post_signs_out_and_returns_to_the_login_page(
    client: Client, officer: User
) -> None:
    client.force_login(officer)

    response = client.post("/can-bo/dang-xuat/", follow=True)

    assert response.redirect_chain[0] == (LOGIN_URL, 302)
    assert "Bạn đã đăng xuất." in response.content.decode()
    assert client.get("/can-bo/").status_code == 302


def test_password_change_replaces_the_old_password(client: Client, officer: User) -> None:
    client.force_login(officer)
    new_password = "Mot-mat-khau-moi-2026"

    response = client.post(
        "/can-bo/doi-mat-khau/",
        {
            "old_password": PASSWORD,
            "new_password1": new_password,
            "new_password2": new_password,
        },
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:password_change_done")
    done = client.get(response["Location"])
    assert "Đã đổi mật khẩu" in done.content.decode()
    client.post("/can-bo/dang-xuat/")
    old = login(client, officer.username, PASSWORD)
    assert old.status_code == 200
    assert "_auth_user_id" not in client.session
    new = login(client, officer.username, new_password)
    assert new.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_password_change_with_a_wrong_current_password_is_refused(
    client: Client, officer: User
) -> None:
    client.force_login(officer)

    response = client.post(
        "/can-bo/doi-mat-khau/",
        {
            "old_password": "khong-dung",
            "new_password1": "Mot-mat-khau-moi-2026",
            "new_password2": "Mot-mat-khau-moi-2026",
        },
    )

    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_password_change_needs_a_signed_in_officer(client: Client) -> None:
    response = client.get("/can-bo/doi-mat-khau/")

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN_URL)


def test_citizen_signed_in_elsewhere_is_sent_to_the_portal(client: Client, citizen: User) -> None:
    client.force_login(citizen)

    response = client.get("/can-bo/", follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Khu vực cán bộ chỉ dành cho cán bộ, công chức." in response.content.decode()
