"""The public status lookup /tra-cuu/: what it shows, what it never shows, and its limits."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.test import Client, override_settings

from motcua.dossiers.forms_pdf import lookup_url
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors_public import mask_id_number, mask_name, mask_phone
from motcua.dossiers.tests.conftest import APPLICANT, Ward
from motcua.feedback.tests.support import (
    HANDOVER_NOTE,
    INTERNAL_NOTE,
    _fresh_rate_limits,
    comparable,
    just_received,
    returned_dossier,
    waiting_for_supplement,
    ward,
)

__all__ = ["_fresh_rate_limits", "ward"]  # fixtures, imported for pytest

URL = "/tra-cuu/"


def qr_path(dossier: Dossier) -> str:
    """The path the receipt's QR code opens (the printed form's own function)."""
    return lookup_url(dossier=dossier, base_url="http://testserver").removeprefix(
        "http://testserver"
    )


def post(client: Client, code: str, factor: str, **extra: str) -> object:
    return client.post(URL, {"ma": code, "k": factor}, **extra)  # type: ignore[arg-type]


# --- masking -----------------------------------------------------------------------


def test_masking_keeps_the_family_name_and_the_ends_of_numbers() -> None:
    assert mask_name("Nguyễn Văn Bình") == "Nguyễn V** B***"
    assert mask_phone("0912345678") == "09******78"
    assert mask_phone("091 234 5678") == "09******78"
    assert mask_id_number("001090012345") == "001*******45"
    assert mask_name("") == "" and mask_phone("") == "" and mask_id_number("") == ""
    assert mask_phone("1234") == "****"


# --- what the page shows -------------------------------------------------------------


def test_the_receipt_qr_opens_the_masked_status_and_the_citizen_timeline(
    client: Client, ward: Ward
) -> None:
    """The QR link (code + secret) shows status, appointment and timeline, masked."""
    dossier = returned_dossier(ward)

    response = client.get(qr_path(dossier))

    assert response.status_code == 200
    html = response.content.decode()
    assert dossier.code in html
    assert "Đã trả kết quả" in html
    assert "Nguyễn V** B***" in html
    assert "09******78" in html
    assert "001*******45" in html
    assert "Tiếp nhận hồ sơ" in html
    assert "Đã có kết quả giải quyết" in html
    assert "27/11/2026" in html  # the appointment
    # Never in clear: the applicant's data, officers' names, notes between officers.
    for secret in (
        APPLICANT.name,
        APPLICANT.phone,
        APPLICANT.id_number,
        APPLICANT.email,
        APPLICANT.address,
        INTERNAL_NOTE,
        HANDOVER_NOTE,
        ward.counter.full_name,
        ward.counter2.full_name,
        ward.specialist.full_name,
        ward.leader.full_name,
    ):
        assert secret not in html, secret
    assert response["Cache-Control"] == "private, no-store"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_form_takes_the_last_four_digits_of_the_phone(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)

    response = post(client, dossier.code or "", "5678")

    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Đang giải quyết" in response.content.decode()  # type: ignore[attr-defined]


def test_the_secret_is_accepted_in_lower_case_and_with_spaces(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)
    typed = " ".join(dossier.lookup_secret.lower())

    response = post(client, f" {(dossier.code or '').lower()} ", typed)

    assert response.status_code == 200  # type: ignore[attr-defined]


def test_documents_requested_in_a_supplement_request_are_listed(
    client: Client, ward: Ward
) -> None:
    dossier = waiting_for_supplement(ward)

    html = client.get(qr_path(dossier)).content.decode()

    assert "Chờ bổ sung hồ sơ" in html
    assert "Giấy tờ cần bổ sung" in html
    assert "Bản sao không rõ, cần bản chính" in html
    assert "Cần bổ sung để đối chiếu thông tin cư trú" in html


def test_the_empty_page_shows_the_form(client: Client, db: None) -> None:
    response = client.get(URL)
    assert response.status_code == 200
    assert "Tra cứu tình trạng hồ sơ" in response.content.decode()


def test_missing_fields_are_a_form_error_not_a_crash(client: Client, db: None) -> None:
    assert client.get(URL + "?ma=").status_code == 400
    assert post(client, "x" * 500, "1").status_code == 400  # type: ignore[attr-defined]
    assert client.get(URL + "?ma=%00%01&k=%FF").status_code in (400, 404)


# --- what it never reveals -------------------------------------------------------------


def test_a_wrong_factor_and_an_unknown_code_get_the_same_answer(
    client: Client, ward: Ward
) -> None:
    dossier = just_received(ward)
    code = dossier.code or ""
    unknown = code[:-4] + "9999"

    wrong_factor = post(client, code, "0000")
    wrong_code = post(client, unknown, "5678")
    by_link = {
        "ma": code,
        "k": "ABCDEF",
    }
    wrong_secret = client.get(URL + "?" + urlencode(by_link))
    unknown_by_link = client.get(
        URL + "?" + urlencode({"ma": unknown, "k": dossier.lookup_secret})
    )

    assert wrong_factor.status_code == wrong_code.status_code == 404  # type: ignore[attr-defined]
    assert wrong_secret.status_code == unknown_by_link.status_code == 404
    posted = {
        comparable(wrong_factor.content.decode(), code),  # type: ignore[attr-defined]
        comparable(wrong_code.content.decode(), unknown),  # type: ignore[attr-defined]
    }
    assert len(posted) == 1
    # By link, the page differs only by the address it was opened at (kept for the
    # language switch), which the person typed.
    linked = {
        comparable(wrong_secret.content.decode(), code).replace("ABCDEF", "K"),
        comparable(unknown_by_link.content.decode(), unknown).replace(dossier.lookup_secret, "K"),
    }
    assert len(linked) == 1
    page = posted.pop()
    assert "Nguyễn" not in page and "Đăng ký thường trú" not in page


def test_enumerating_sequential_codes_reveals_nothing(client: Client, ward: Ward) -> None:
    """Codes are predictable (agency-date-sequence): trying the neighbours of one's own code
    with one's own factor gets the same answer for existing and missing dossiers."""
    mine = just_received(ward)
    other = just_received(ward)  # the next code of the same day, someone else's
    Dossier.objects.filter(pk=other.pk).update(applicant_phone="0987654321")
    prefix = (mine.code or "")[:-4]
    pages = set()
    for number in range(2, 7):
        code = f"{prefix}{number:04d}"
        response = post(client, code, "5678")
        assert response.status_code == 404  # type: ignore[attr-defined]
        pages.add(comparable(response.content.decode(), code))  # type: ignore[attr-defined]
    assert len(pages) == 1
    assert other.code == f"{prefix}0002"


def test_another_persons_dossier_needs_their_factor(client: Client, ward: Ward) -> None:
    mine = just_received(ward)
    other = just_received(ward)

    response = post(client, other.code or "", mine.lookup_secret)

    assert response.status_code == 404  # type: ignore[attr-defined]


def test_a_dossier_without_phone_is_not_opened_by_an_empty_or_short_factor(
    client: Client, ward: Ward
) -> None:
    dossier = just_received(ward)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_phone="", lookup_secret="")

    for factor in ("0000", "", "-"):
        assert post(client, dossier.code or "", factor).status_code in (400, 404)  # type: ignore[attr-defined]


# --- limits ----------------------------------------------------------------------------


@override_settings(MOTCUA_LOOKUP_RATE_PER_IP="3/min", MOTCUA_LOOKUP_RATE_PER_CODE="")
def test_lookups_per_address_are_limited_with_a_429_in_vietnamese(
    client: Client, ward: Ward
) -> None:
    dossier = just_received(ward)
    for _attempt in range(3):
        assert client.get(qr_path(dossier)).status_code == 200

    response = client.get(qr_path(dossier))

    assert response.status_code == 429
    assert "Bạn đã tra cứu quá nhiều lần" in response.content.decode()
    assert int(response["Retry-After"]) > 0
    # Another address is not affected.
    assert client.get(qr_path(dossier), REMOTE_ADDR="10.0.0.9").status_code == 200


@override_settings(MOTCUA_LOOKUP_RATE_PER_IP="", MOTCUA_LOOKUP_RATE_PER_CODE="3/hour")
def test_wrong_factors_per_code_are_limited_whatever_the_address(
    client: Client, ward: Ward
) -> None:
    dossier = just_received(ward)
    code = dossier.code or ""
    for number in range(3):
        response = post(client, code, f"000{number}", REMOTE_ADDR=f"10.0.1.{number}")
        assert response.status_code == 404  # type: ignore[attr-defined]

    response = post(client, code, "5678", REMOTE_ADDR="10.0.2.1")

    assert response.status_code == 429  # type: ignore[attr-defined]


@override_settings(
    MOTCUA_LOOKUP_RATE_PER_IP="2/min", MOTCUA_LOOKUP_RATE_PER_CODE="", MOTCUA_NUM_PROXIES=1
)
def test_behind_a_proxy_the_forwarded_address_is_limited(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)
    for _attempt in range(2):
        client.get(qr_path(dossier), HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert client.get(qr_path(dossier), HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # A client cannot dodge the limit by prepending addresses of its own choosing.
    spoofed = "1.2.3.4, 203.0.113.5"
    assert client.get(qr_path(dossier), HTTP_X_FORWARDED_FOR=spoofed).status_code == 429
    assert client.get(qr_path(dossier), HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


@override_settings(MOTCUA_LOOKUP_RATE_PER_IP="", MOTCUA_LOOKUP_RATE_PER_CODE="")
def test_no_limit_when_the_rates_are_empty(client: Client, ward: Ward) -> None:
    dossier = just_received(ward)
    for _attempt in range(70):
        assert client.get(qr_path(dossier)).status_code == 200


# --- cost ------------------------------------------------------------------------------


@pytest.mark.parametrize("factor", ["secret", "wrong"])
def test_a_lookup_takes_at_most_four_queries(
    client: Client, ward: Ward, django_assert_max_num_queries: object, factor: str
) -> None:
    dossier = returned_dossier(ward)
    path = qr_path(dossier) if factor == "secret" else URL + "?ma=" + (dossier.code or "") + "&k=1"
    with django_assert_max_num_queries(4):  # type: ignore[operator]
        client.get(path)
