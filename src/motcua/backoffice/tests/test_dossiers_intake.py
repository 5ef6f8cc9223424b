"""Counter intake: find the procedure, tick the checklist, see the appointment, receive.

Also the two other answers at the counter — Form 02 (ask to complete) and
Form 03 (refuse) — and the queue of online submissions.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from motcua.catalog.models import BundleItem, Procedure, ProcedureBundle, ProcedureUnit
from motcua.dossiers.constants import Status
from motcua.dossiers.models import Dossier

from .dossiers_support import (
    AGENCY_CODE,
    RESIDENCE,
    TUESDAY,
    Ward,
    at,
    page,
    signed_in,
    submitted_online,
    url,
    ward_fixture,  # noqa: F401 - the ward fixture
)

pytestmark = pytest.mark.django_db

INTAKE = "/can-bo/tiep-nhan/"
FORM = f"{INTAKE}thu-tuc/{RESIDENCE}/"


def form_data(ward: Ward, *, step: str, complete: bool = True, **extra: Any) -> dict[str, Any]:
    """What the intake form posts: every required component ticked (or none), the applicant."""
    data: dict[str, Any] = {
        "step": step,
        "idempotency_key": "9f0c2a7e4b",
        "channel": "in_person",
        "return_channel": "counter",
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn Bình",
        "applicant_id_number": "001090012345",
        "applicant_phone": "0912345678",
        "applicant_email": "",
        "applicant_address": "Số 5 ngõ 12 Nguyễn Văn Cừ",
        "fee_0_name": "Lệ phí",
        "fee_0_amount": "20.000",
        "fee_0_payment_channel": "cash",
        "fee_0_receipt_number": "0001234",
    }
    for document in ward.version.documents.all():
        data[f"doc_{document.pk}_originals"] = "1"
        data[f"doc_{document.pk}_copies"] = "0"
        if complete and document.required:
            data[f"doc_{document.pk}_received"] = "on"
    data.update(extra)
    return data


def is_checked(html: str, name: str) -> bool:
    found = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    return found is not None and " checked" in found.group(0)


@pytest.fixture
def counter(client: Client, ward: Ward) -> Client:
    return signed_in(client, ward.counter)


# --- finding the procedure --------------------------------------------------------------


def test_the_search_lists_only_procedures_carried_out_at_the_unit_or_above(
    counter: Client, ward: Ward
) -> None:
    response = counter.get(INTAKE, {"q": "thuong tru"})

    assert response.status_code == 200
    assert RESIDENCE in page(response)
    # A sample procedure not listed at the ward is not offered.
    other = Procedure.objects.exclude(code=RESIDENCE).first()
    assert other is not None
    assert other.code not in page(counter.get(INTAKE))


def test_typing_searches_with_htmx_and_an_exact_code_opens_the_procedure(
    counter: Client, ward: Ward
) -> None:
    partial = counter.get(INTAKE, {"q": "dang ky"}, headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert "<html" not in page(partial)
    assert RESIDENCE in page(partial)

    response = counter.get(INTAKE, {"q": RESIDENCE})
    assert response.status_code == 302
    assert response["Location"] == FORM


def test_the_form_offers_the_published_components_and_the_fee_of_the_version(
    counter: Client, ward: Ward
) -> None:
    response = counter.get(FORM)

    html = page(response)
    assert response.status_code == 200
    for document in ward.version.documents.all():
        assert f'name="doc_{document.pk}_received"' in html
    assert 'value="20.000"' in html  # the in-person fee of 1.004222
    assert "autofocus" in html
    assert 'accesskey="x"' in html and "Phím tắt" in html


def test_all_required_marks_every_required_component_and_keeps_what_was_typed(
    counter: Client, ward: Ward
) -> None:
    data = form_data(ward, step="all", complete=False, applicant_name="Trần Thị Mai")

    response = counter.post(FORM, data)

    html = page(response)
    required = ward.version.documents.filter(required=True)
    for document in required:
        assert is_checked(html, f"doc_{document.pk}_received")
    assert 'value="Trần Thị Mai"' in html
    assert "errorlist" not in html
    assert not Dossier.objects.exists()


# --- the appointment before confirming, then receiving ---------------------------------------


@time_machine.travel(at(TUESDAY), tick=False)
def test_the_appointment_is_shown_before_anything_is_received(counter: Client, ward: Ward) -> None:
    response = counter.post(FORM, form_data(ward, step="preview"))

    html = page(response)
    assert response.status_code == 200
    assert "Ngày hẹn trả kết quả" in html
    # 7 working days from Wed 18/11; Tue 24/11 is off: Fri 27/11 at 17:00.
    assert "17:00 — Thứ 6, 27/11/2026" in html
    assert 'value="receive"' in html and "autofocus" in html
    assert not Dossier.objects.exists()


@time_machine.travel(at(TUESDAY), tick=False)
def test_receiving_gives_the_code_and_the_appointment_and_offers_the_receipt(
    counter: Client, ward: Ward
) -> None:
    response = counter.post(FORM, form_data(ward, step="receive"))

    dossier = Dossier.objects.get()
    assert dossier.code == f"{AGENCY_CODE}-261117-0001"
    assert dossier.status == Status.IN_PROGRESS
    assert dossier.applicant_phone == "0912345678"
    assert dossier.fees.get().amount == 20000
    assert response.status_code == 302
    assert response["Location"] == f"{INTAKE}xong/{dossier.code}/"

    done = counter.get(response["Location"])
    html = page(done)
    assert dossier.code in html
    assert "In giấy tiếp nhận" in html
    assert f"/can-bo/ho-so/{dossier.code}/bieu-mau/receipt.pdf" in html
    # The hand-over to the office is right there, limited to its specialists.
    assert "Chuyển cho cán bộ" in html
    assert ward.specialist.full_name in html
    assert ward.head.full_name not in html


@time_machine.travel(at(TUESDAY), tick=False)
def test_a_double_submit_never_makes_two_dossiers(counter: Client, ward: Ward) -> None:
    data = form_data(ward, step="receive")

    first = counter.post(FORM, data)
    second = counter.post(FORM, data)

    assert Dossier.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_service_refusal_of_an_applicant_field_shows_on_that_field(
    counter: Client, ward: Ward
) -> None:
    response = counter.post(FORM, form_data(ward, step="receive", applicant_phone="12345"))

    html = page(response)
    assert response.status_code == 200
    assert "Số điện thoại không hợp lệ" in html
    assert 'aria-describedby="id_applicant_phone_error"' in html
    assert not Dossier.objects.exists()


# --- missing components: Form 02 or Form 03 ------------------------------------------------------


def test_missing_components_are_named_and_receiving_is_not_offered(
    counter: Client, ward: Ward
) -> None:
    response = counter.post(FORM, form_data(ward, step="preview", complete=False))

    html = page(response)
    assert "chưa đủ thành phần bắt buộc" in html
    assert 'value="receive"' not in html
    assert 'value="complete"' in html and 'value="refuse"' in html


def test_receiving_with_missing_components_is_refused_by_the_service_and_marks_them(
    counter: Client, ward: Ward
) -> None:
    response = counter.post(FORM, form_data(ward, step="receive", complete=False))

    html = page(response)
    assert "Hồ sơ chưa đủ thành phần bắt buộc" in html
    assert "Chưa nhận thành phần bắt buộc này" in html
    assert not Dossier.objects.exists()


def test_asking_to_complete_records_form_02_without_a_code(counter: Client, ward: Ward) -> None:
    missing = ward.version.documents.filter(required=True).first()
    assert missing is not None
    chooser = counter.post(FORM, form_data(ward, step="complete", complete=False))
    chosen = re.search(rf'<input[^>]*value="{missing.pk}"[^>]*>', page(chooser))
    assert chosen is not None and "checked" in chosen.group(0)

    response = counter.post(
        FORM,
        form_data(
            ward,
            step="complete_confirm",
            complete=False,
            **{"f02-items": [str(missing.pk)], "f02-reason": "Thiếu tờ khai CT01."},
        ),
    )

    dossier = Dossier.objects.get()
    assert dossier.status == Status.AWAITING_COMPLETION
    assert dossier.code is None
    request = dossier.supplement_request_rows.get()
    assert [item["required_document_id"] for item in request.items] == [missing.pk]
    assert response["Location"] == f"{INTAKE}xong/{dossier.reference}/"
    done = page(counter.get(response["Location"]))
    assert "Đã hướng dẫn bổ sung, hoàn thiện hồ sơ" in done
    assert f"/can-bo/ho-so/{dossier.reference}/bieu-mau/supplement_request.pdf" in done


def test_asking_to_complete_needs_a_reason_and_a_component(counter: Client, ward: Ward) -> None:
    response = counter.post(FORM, form_data(ward, step="complete_confirm", complete=False))

    html = page(response)
    assert "Vui lòng chọn thành phần hồ sơ cần bổ sung." in html
    assert "Vui lòng ghi lý do cần bổ sung, hoàn thiện hồ sơ." in html
    assert not Dossier.objects.exists()


def test_refusing_at_the_counter_needs_a_reason_and_records_form_03(
    counter: Client, ward: Ward
) -> None:
    refused = counter.post(FORM, form_data(ward, step="refuse_confirm", **{"f03-reason": " "}))
    assert "Vui lòng ghi rõ lý do." in page(refused)
    assert not Dossier.objects.exists()

    response = counter.post(
        FORM,
        form_data(
            ward,
            step="refuse_confirm",
            **{"f03-reason": "Không thuộc thẩm quyền giải quyết của phường."},
        ),
    )

    dossier = Dossier.objects.get()
    assert dossier.status == Status.INTAKE_REFUSED
    assert dossier.events.get().reason == "Không thuộc thẩm quyền giải quyết của phường."
    assert "intake_refusal.pdf" in page(counter.get(response["Location"]))


def test_editing_again_keeps_everything_typed(counter: Client, ward: Ward) -> None:
    response = counter.post(FORM, form_data(ward, step="edit", applicant_name="Lê Thị Hoa"))

    html = page(response)
    assert 'value="Lê Thị Hoa"' in html
    assert "errorlist" not in html


# --- a bundle: one intake, a result per procedure --------------------------------------------


@time_machine.travel(at(TUESDAY), tick=False)
def test_a_bundle_is_received_once_for_all_its_procedures(counter: Client, ward: Ward) -> None:
    birth = Procedure.objects.get(code="1.001193")
    ProcedureUnit.objects.create(procedure=birth, unit=ward.ward)
    bundle = ProcedureBundle.objects.create(code="KS-TT", name="Khai sinh và thường trú")
    BundleItem.objects.create(bundle=bundle, procedure=ward.procedure, position=1)
    BundleItem.objects.create(bundle=bundle, procedure=birth, position=2)

    listed = page(counter.get(INTAKE, {"q": "khai sinh"}))
    assert f"{INTAKE}nhom-thu-tuc/KS-TT/" in listed
    response = counter.post(f"{INTAKE}nhom-thu-tuc/KS-TT/", form_data(ward, step="receive"))

    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.bundle == bundle
    assert "Khai sinh và thường trú" in page(counter.get(url(dossier)))


def test_a_procedure_not_carried_out_here_is_not_found(counter: Client, ward: Ward) -> None:
    other = Procedure.objects.exclude(code=RESIDENCE).first()
    assert other is not None
    assert counter.get(f"{INTAKE}thu-tuc/{other.code}/").status_code == 404
    assert counter.get(f"{INTAKE}nhom-thu-tuc/KHONG-CO/").status_code == 404


# --- the online queue ----------------------------------------------------------------------------


def test_the_queue_lists_online_submissions_of_the_unit_and_accepts_them(
    counter: Client, ward: Ward
) -> None:
    dossier = submitted_online(ward)
    other_unit = submitted_online(ward)
    other_unit.receiving_unit = ward.other_centre
    other_unit.save(update_fields=["receiving_unit"])

    queue = page(counter.get(f"{INTAKE}truc-tuyen/"))
    assert dossier.reference in queue
    assert other_unit.reference not in queue

    response = counter.post(
        url(dossier, "tiep-nhan"), {"next": f"{INTAKE}truc-tuyen/"}, follow=True
    )

    dossier.refresh_from_db()
    assert dossier.status == Status.IN_PROGRESS and dossier.code
    assert f"Đã tiếp nhận hồ sơ {dossier.code}" in page(response)
    assert dossier.reference not in page(counter.get(f"{INTAKE}truc-tuyen/"))


def test_an_incomplete_online_submission_is_not_accepted_and_the_reason_shows(
    counter: Client, ward: Ward
) -> None:
    dossier = submitted_online(ward, complete=False)

    response = counter.post(url(dossier, "tiep-nhan"))

    assert response.status_code == 200
    assert "Hồ sơ chưa đủ thành phần bắt buộc" in page(response)
    dossier.refresh_from_db()
    assert dossier.status == Status.SUBMITTED


def test_the_queue_links_open_the_ask_to_complete_form(counter: Client, ward: Ward) -> None:
    dossier = submitted_online(ward, complete=False)

    html = page(counter.get(url(dossier), {"thao-tac": "huong-dan-hoan-thien"}))

    assert 'id="action-huong-dan-hoan-thien" open' in html
    assert 'id="action-tiep-nhan"' in html and 'id="action-tiep-nhan" open' not in html
