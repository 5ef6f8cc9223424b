"""Printing forms from the staff area: the right officer gets the PDF, anyone else a 404,
and bad parameters a form with errors — never a server error."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.models import User
from motcua.dossiers import tracking_book
from motcua.dossiers.constants import RuleSet
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests import forms_support as support
from motcua.dossiers.tests.conftest import Ward, build_ward

pytestmark = pytest.mark.django_db
BOOK = "/can-bo/ho-so/so-theo-doi/"


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


def form_url(dossier: Dossier, form: str, *, key: str | None = None) -> str:
    return reverse("backoffice:dossier_form_pdf", args=[key or dossier.label, form])


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_urls_are_the_documented_ones() -> None:
    assert reverse("backoffice:tracking_book") == BOOK
    assert (
        reverse("backoffice:dossier_form_pdf", args=["000.01.45.H26-261117-0001", "receipt"])
        == "/can-bo/ho-so/000.01.45.H26-261117-0001/bieu-mau/receipt.pdf"
    )


# --- a dossier's forms ------------------------------------------------------------------------


def test_the_counter_prints_the_receipt_with_a_qr_code_to_this_site(
    ward: Ward, tmp_path: Path
) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)

    response = signed_in(ward.counter.user).get(form_url(dossier, "receipt"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="giay-tiep-nhan-{dossier.code}.pdf"'
    )
    assert "no-store" in response["Cache-Control"]
    expected = f"http://testserver/tra-cuu/?ma={dossier.code}&k={dossier.lookup_secret}"
    assert support.qr_payloads(response.content, tmp_path) == [expected]
    text = support.pdf_text(response.content, tmp_path)
    assert "Nguyễn Văn Bình" in text
    assert "17 giờ 00 phút, ngày 27/11/2026" in text


@override_settings(MOTCUA_PUBLIC_URL="https://motcua.longbien.gov.vn")
def test_the_qr_code_uses_the_public_address_when_one_is_set(ward: Ward, tmp_path: Path) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)

    response = signed_in(ward.counter.user).get(form_url(dossier, "receipt"))

    assert support.qr_payloads(response.content, tmp_path) == [
        f"https://motcua.longbien.gov.vn/tra-cuu/?ma={dossier.code}&k={dossier.lookup_secret}"
    ]


@pytest.mark.parametrize(
    ("scenario", "form"),
    [
        ("received", "receipt"),
        ("returned", "control_slip"),
        ("supplement_requested", "supplement_request"),
        ("asked_to_complete", "supplement_request"),
        ("refused_intake", "intake_refusal"),
        ("stopped", "stop_notice"),
    ],
)
@pytest.mark.parametrize("rule_set", support.RULE_SETS, ids=["2018", "2025"])
def test_each_form_prints_for_a_dossier_in_its_state(
    ward: Ward, scenario: str, form: str, rule_set: str
) -> None:
    dossier = getattr(support, scenario)(ward, rule_set)

    response = signed_in(ward.counter.user).get(form_url(dossier, form))

    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_dossier_not_yet_received_is_found_by_its_reference(ward: Ward) -> None:
    dossier = support.refused_intake(ward, RuleSet.DECREE_118_2025)
    assert dossier.code is None

    response = signed_in(ward.counter.user).get(
        form_url(dossier, "intake_refusal", key=dossier.reference)
    )

    assert response.status_code == 200
    assert dossier.reference in response["Content-Disposition"]


@pytest.mark.parametrize("form", ["receipt", "control_slip", "supplement_request"])
def test_another_wards_counter_gets_not_found_never_forbidden(ward: Ward, form: str) -> None:
    received = support.received(ward, RuleSet.DECREE_118_2025)
    pending = support.asked_to_complete(ward, RuleSet.DECREE_118_2025)
    client = signed_in(ward.other_counter.user)

    for url in (
        form_url(received, form),
        form_url(pending, form, key=pending.reference),
        form_url(received, form, key="000.01.45.H26-261117-9999"),  # does not exist
    ):
        response = client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy hồ sơ" in response.content.decode()


def test_a_form_that_does_not_fit_is_a_409_page_saying_why(ward: Ward) -> None:
    pending = support.asked_to_complete(ward, RuleSet.DECREE_118_2025)

    response = signed_in(ward.counter.user).get(form_url(pending, "receipt"))

    assert response.status_code == 409
    page = response.content.decode()
    assert "Không in được biểu mẫu" in page
    assert f"Hồ sơ {pending.reference} chưa được tiếp nhận" in page


def test_an_unknown_form_is_a_404_page_listing_the_forms(ward: Ward) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)

    response = signed_in(ward.counter.user).get(form_url(dossier, "apology_slip"))

    assert response.status_code == 404
    assert "Không có biểu mẫu «apology_slip»" in response.content.decode()


def test_the_forms_are_for_signed_in_officers_only(ward: Ward, citizen: User) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)
    url = form_url(dossier, "receipt")

    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/can-bo/dang-nhap/" in anonymous["Location"]
    visitor = signed_in(citizen)
    assert visitor.get(url).status_code == 302
    assert signed_in(ward.counter.user).post(url).status_code == 405


# --- the tracking book ----------------------------------------------------------------------


def book_params(ward: Ward, **changes: str) -> dict[str, str]:
    params = {
        "unit": str(ward.centre.pk),
        "from": "2026-11-01",
        "to": "2026-11-30",
        "format": "pdf",
    }
    params.update(changes)
    return params


def test_the_book_page_offers_the_officers_unit_and_this_month(ward: Ward) -> None:
    response = signed_in(ward.counter.user).get(BOOK)

    assert response.status_code == 200
    page = response.content.decode()
    assert "In sổ theo dõi hồ sơ" in page
    assert f'<option value="{ward.centre.pk}" selected>' in page
    assert ward.other_centre.name not in page


def test_the_book_as_pdf_and_as_excel(ward: Ward, tmp_path: Path) -> None:
    dossier = support.returned(ward, RuleSet.DECREE_118_2025)
    client = signed_in(ward.counter.user)

    pdf = client.get(BOOK, book_params(ward))
    xlsx = client.get(BOOK, book_params(ward, format="xlsx"))

    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == (
        'inline; filename="so-theo-doi-00145-TTPVHCC-20261101-20261130.pdf"'
    )
    text = support.pdf_text(pdf.content, tmp_path)
    assert dossier.code in text and "Mẫu số 07" in text
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert xlsx["Content-Disposition"].startswith("attachment;")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B11"].value == dossier.code


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"unit": "abc"}, "Đơn vị đã chọn không có"),
        ({"unit": ""}, "Vui lòng chọn đơn vị."),
        ({"from": "2026-13-01"}, "Ngày không hợp lệ"),
        ({"to": "30-11-2026x"}, "Ngày không hợp lệ"),
        ({"from": ""}, "Vui lòng nhập ngày bắt đầu."),
        ({"from": "2026-12-01"}, "Ngày kết thúc phải từ ngày bắt đầu trở đi."),
        ({"from": "2025-01-01"}, "Mỗi lần in tối đa 366 ngày"),
        ({"format": "doc"}, "Định dạng phải là PDF hoặc Excel."),
        ({"unit": "999999999999999999999"}, "Đơn vị đã chọn không có"),
    ],
)
def test_bad_book_parameters_give_the_form_with_errors(
    ward: Ward, changes: dict[str, str], message: str
) -> None:
    response = signed_in(ward.counter.user).get(BOOK, book_params(ward, **changes))

    assert response.status_code == 400
    assert message in response.content.decode()


def test_another_wards_unit_is_not_offered_nor_accepted(ward: Ward) -> None:
    support.received(ward, RuleSet.DECREE_118_2025)

    response = signed_in(ward.other_counter.user).get(BOOK, book_params(ward))

    assert response.status_code == 400
    assert "Đơn vị đã chọn không có" in response.content.decode()


def test_a_book_too_large_for_one_print_says_so(
    ward: Ward, monkeypatch: pytest.MonkeyPatch
) -> None:
    support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T09:10")
    support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T09:20")
    monkeypatch.setattr(tracking_book, "BOOK_MAX_ROWS_PDF", 1)

    response = signed_in(ward.counter.user).get(BOOK, book_params(ward))

    assert response.status_code == 400
    assert "Kỳ đã chọn có 2 hồ sơ, quá 1 hồ sơ cho một bản in" in response.content.decode()
    assert signed_in(ward.counter.user).get(
        BOOK, book_params(ward, format="xlsx")
    ).status_code == (200)
