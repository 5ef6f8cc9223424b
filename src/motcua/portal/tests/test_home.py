"""The portal home page and the language switch."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_is_a_vietnamese_page(client: Client) -> None:
    response = client.get("/")

    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="vi">' in content
    assert "Giải quyết thủ tục hành chính tại một nơi" in content
    assert "Thứ Hai – Thứ Sáu: 8:00–12:00, 13:00–17:00" in content
    assert "Số liệu sẽ hiển thị khi có hồ sơ" in content
    assert 'href="tel:1022"' in content


def test_home_has_the_procedure_search_and_quick_links(client: Client) -> None:
    content = client.get("/").content.decode()

    assert 'action="/thu-tuc/" method="get" role="search"' in content
    assert 'name="q"' in content
    for label in ("Tra cứu hồ sơ", "Nộp hồ sơ trực tuyến", "Phản ánh, kiến nghị"):
        assert label in content


def test_home_has_landmarks_a_skip_link_and_the_htmx_csrf_header(client: Client) -> None:
    content = client.get("/").content.decode()

    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main"' in content
    assert "<header" in content and "<footer" in content
    assert 'aria-label="Điều hướng chính"' in content
    assert 'hx-headers=\'{"X-CSRFToken": "' in content
    assert "vendor/htmx/htmx.min.js" in content


def test_home_switches_to_english(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302

    content = client.get("/").content.decode()

    assert '<html lang="en">' in content
    assert "Handle administrative procedures in one place" in content
    assert "Giải quyết thủ tục hành chính tại một nơi" not in content
