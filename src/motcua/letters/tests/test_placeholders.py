"""Placeholders: unknown names and unpaired braces are refused in Vietnamese."""

from __future__ import annotations

import datetime as dt

from motcua.letters.placeholders import MISSING, placeholder_errors, substitute


def test_known_placeholders_are_accepted_with_or_without_spaces() -> None:
    assert placeholder_errors("Kính gửi {ho_ten}, thủ tục { thu_tuc } ngày {ngay}.") == []


def test_an_unknown_placeholder_is_named_with_the_allowed_list() -> None:
    errors = placeholder_errors("Kính gửi {ten_cong_dan} và {ho_ten}, {abc}")

    assert len(errors) == 1
    assert "Trường thay thế không hợp lệ: {ten_cong_dan}, {abc}." in errors[0]
    assert "{ho_ten}" in errors[0]


def test_unpaired_braces_are_refused() -> None:
    errors = placeholder_errors("Kính gửi {ho_ten")

    assert errors == [
        "Dấu ngoặc nhọn { } không khớp: mỗi trường thay thế viết trong một cặp ngoặc, "
        "ví dụ {ho_ten}."
    ]


def test_substitute_fills_values_and_marks_missing_ones() -> None:
    text = substitute(
        "{ho_ten} — {ngay} — {nguoi_ky}",
        {"applicant_name": "Nguyễn Văn An", "date": dt.date(2026, 11, 5)},
    )

    assert text == f"Nguyễn Văn An — 05/11/2026 — {MISSING}"


def test_substitution_never_reaches_the_template_engine() -> None:
    assert substitute("{{ ho_ten }} {% if x %}", {"applicant_name": "A"}) == "{A} {% if x %}"
