"""Error pages: Vietnamese, styled, with a way back."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.template import loader
from django.test import Client, RequestFactory
from django.views import defaults

pytestmark = pytest.mark.django_db


def test_404_page_is_in_vietnamese_with_debug_off(client: Client, settings) -> None:
    settings.DEBUG = False

    response = client.get("/khong-co-trang-nay/")

    assert response.status_code == 404
    content = response.content.decode()
    assert "Không tìm thấy trang" in content
    assert 'href="/"' in content
    assert "motcua/css/motcua.css" in content


def test_500_page_renders_without_a_request() -> None:
    content = loader.get_template("500.html").render()

    assert "Hệ thống đang gặp sự cố" in content
    assert 'href="/"' in content


def test_403_page_is_in_vietnamese(rf: RequestFactory, django_user_model) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/can-bo/bi-cam/")
    request.user = AnonymousUser()

    response = defaults.permission_denied(request, PermissionDenied())

    assert response.status_code == 403
    assert "Bạn không có quyền xem trang này" in response.content.decode()


def test_400_page_is_in_vietnamese(rf: RequestFactory) -> None:
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/")
    request.user = AnonymousUser()

    response = defaults.bad_request(request, Exception())

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_csrf_failure_explains_the_expired_form() -> None:
    client = Client(enforce_csrf_checks=True)

    response = client.post("/can-bo/dang-nhap/", {"username": "a", "password": "b"})

    assert response.status_code == 403
    content = response.content.decode()
    assert "Biểu mẫu đã hết hạn" in content
    assert "tải lại trang" in content
