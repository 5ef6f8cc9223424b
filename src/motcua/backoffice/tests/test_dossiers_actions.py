"""Every action form on the dossier page: one service per POST, success and a refusal each.

A refusal shows the reason on the form (never a server error); a success
goes back to the dossier with a Vietnamese message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.catalog.models import BundleItem, Procedure, ProcedureBundle, ProcedureUnit
from motcua.dossiers.constants import Action, ReturnChannel, Status
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ReceivedDocument,
    SupplementItem,
    dossier_receive_supplement,
    dossier_request_supplement,
)

from .dossiers_support import (
    TUESDAY,
    Ward,
    at,
    at_leader,
    at_specialist,
    page,
    receive,
    result_ready,
    signed_in,
    submitted_online,
    url,
    ward_fixture,  # noqa: F401 - the ward fixture
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def tuesday() -> Iterator[None]:
    """A working Tuesday morning, frozen: deadlines and the R15 window are predictable."""
    with time_machine.travel(at(TUESDAY), tick=False):
        yield


def post(client: Client, dossier: Dossier, slug: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url(dossier, slug), data or {}, follow=True)


def fresh(dossier: Dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def open_step(dossier: Dossier) -> Any:
    return dossier.steps.select_related("assignee").get(finished_at__isnull=True)


def asked_component(ward: Ward) -> int:
    component = ward.version.documents.filter(reusable_from_data=False, required=True).first()
    assert component is not None
    return component.pk


# --- hand-over and sending back ------------------------------------------------------


def test_the_counter_hands_over_to_a_specialist(client: Client, ward: Ward) -> None:
    dossier = receive(ward)
    signed_in(client, ward.counter)

    response = post(client, dossier, "chuyen-buoc", {"to_assignee": ward.specialist.pk})

    assert response.redirect_chain[-1][0] == url(dossier)
    assert f"Đã chuyển hồ sơ {dossier.code} cho Lê Minh Tuấn." in page(response)
    assert open_step(dossier).assignee == ward.specialist


def test_a_handover_without_an_officer_is_refused_on_the_form(client: Client, ward: Ward) -> None:
    dossier = receive(ward)
    signed_in(client, ward.counter)

    response = post(client, dossier, "chuyen-buoc", {"to_assignee": ""})

    html = page(response)
    assert response.status_code == 200
    assert "Vui lòng chọn cán bộ." in html
    assert 'id="action-chuyen-buoc" open' in html
    assert 'aria-describedby="id_to_assignee_helptext id_to_assignee_error"' in html
    assert open_step(dossier).assignee == ward.counter


def test_a_handover_to_an_officer_without_the_next_role_is_refused(
    client: Client, ward: Ward
) -> None:
    dossier = receive(ward)
    signed_in(client, ward.counter)

    response = post(client, dossier, "chuyen-buoc", {"to_assignee": ward.head.pk})

    assert "Cán bộ đã chọn không nằm trong danh sách được phép." in page(response)
    assert open_step(dossier).assignee == ward.counter


def test_the_specialist_sends_back_with_a_reason(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    signed_in(client, ward.specialist)

    refused = post(client, dossier, "tra-lai", {"reason": "   "})
    assert "Vui lòng ghi lý do trả lại." in page(refused)

    response = post(client, dossier, "tra-lai", {"reason": "Thiếu chữ ký trên tờ khai."})

    assert "Đã trả hồ sơ" in page(response)
    assert open_step(dossier).assignee == ward.counter


# --- supplement (R15, R16) ------------------------------------------------------------------


def test_the_specialist_requests_a_supplement_once(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    component = asked_component(ward)
    signed_in(client, ward.specialist)

    response = post(
        client,
        dossier,
        "yeu-cau-bo-sung",
        {"items": [component], "reason": "Tờ khai CT01 thiếu chữ ký chủ hộ."},
    )

    assert "thời hạn giải quyết tạm dừng" in page(response)
    assert fresh(dossier).status == Status.SUPPLEMENT_REQUESTED
    dossier_receive_supplement(
        dossier=fresh(dossier),
        actor=ward.counter.user,
        documents=[ReceivedDocument(required_document_id=component, originals=1)],
    )

    # R16: the form is no longer offered, and a second request is refused by the service.
    html = page(client.get(url(dossier)))
    assert "chỉ cho phép yêu cầu bổ sung một lần" in html
    assert 'id="action-yeu-cau-bo-sung"' not in html
    again = post(client, dossier, "yeu-cau-bo-sung", {"items": [component], "reason": "Lần 2"})
    assert "Hồ sơ đã được yêu cầu bổ sung một lần" in page(again)
    assert fresh(dossier).status == Status.IN_PROGRESS


def test_a_request_after_three_working_days_needs_the_sector_rule(
    client: Client, ward: Ward
) -> None:
    dossier = at_specialist(ward)
    component = asked_component(ward)

    with time_machine.travel(at("2026-11-25T09:00"), tick=False):
        signed_in(client, ward.specialist)
        notice = page(client.get(url(dossier)))
        response = post(
            client, dossier, "yeu-cau-bo-sung", {"items": [component], "reason": "Thiếu giấy tờ."}
        )

    assert "Đã quá 3 ngày làm việc" in notice
    html = page(response)
    assert "ghi rõ căn cứ đó" in html
    assert 'aria-describedby="id_sector_rule_helptext id_sector_rule_error"' in html
    assert fresh(dossier).status == Status.IN_PROGRESS


def test_only_published_components_can_be_asked_for(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    other = Procedure.objects.exclude(pk=ward.procedure.pk).first()
    assert other is not None
    foreign = other.versions.get().documents.first()
    assert foreign is not None
    signed_in(client, ward.specialist)

    response = post(client, dossier, "yeu-cau-bo-sung", {"items": [foreign.pk], "reason": "x"})

    assert "Thành phần đã chọn không thuộc thủ tục này." in page(response)


def test_the_supplement_is_received_when_everything_asked_is_brought(
    client: Client, ward: Ward
) -> None:
    dossier = at_specialist(ward)
    component = asked_component(ward)
    dossier_request_supplement(
        dossier=dossier,
        actor=ward.specialist.user,
        items=[SupplementItem(required_document_id=component)],
        reason="Thiếu tờ khai.",
    )
    signed_in(client, ward.counter)

    refused = post(client, dossier, "nhan-bo-sung", {})
    assert "Chưa đủ giấy tờ đã yêu cầu bổ sung" in page(refused)

    response = post(
        client,
        dossier,
        "nhan-bo-sung",
        {f"got_{component}": "on", f"originals_{component}": "1", f"copies_{component}": "0"},
    )

    assert "Đã nhận hồ sơ bổ sung" in page(response)
    assert fresh(dossier).status == Status.IN_PROGRESS
    assert fresh(dossier).documents.filter(from_supplement=True).count() == 1


# --- inter-agency transfer ------------------------------------------------------------------


def test_the_specialist_transfers_to_another_agency_and_the_counter_receives_it_back(
    client: Client, ward: Ward
) -> None:
    dossier = at_specialist(ward)
    signed_in(client, ward.specialist)

    refused = post(client, dossier, "chuyen-lien-thong", {"agency_name": "", "share_days": "2"})
    assert "Vui lòng ghi tên cơ quan phối hợp." in page(refused)

    response = post(
        client,
        dossier,
        "chuyen-lien-thong",
        {"agency_name": "Bảo hiểm xã hội thành phố Hà Nội", "share_days": "1,5"},
    )

    assert "Đã chuyển liên thông" in page(response)
    assert fresh(dossier).status == Status.AT_OTHER_AGENCY

    signed_in(client, ward.counter)
    page_html = page(client.get(url(dossier)))
    assert "Nhận lại hồ sơ liên thông" in page_html
    missing = post(client, dossier, "nhan-lien-thong", {"to_assignee": ""})
    assert "Vui lòng chọn cán bộ." in page(missing)
    back = post(client, dossier, "nhan-lien-thong", {"to_assignee": ward.specialist.pk})
    assert "giao cho Lê Minh Tuấn" in page(back)
    assert fresh(dossier).status == Status.IN_PROGRESS
    assert open_step(dossier).assignee == ward.specialist


# --- results, refusal, stop -------------------------------------------------------------------


def test_the_leader_records_the_result_and_it_goes_to_the_counter(
    client: Client, ward: Ward
) -> None:
    dossier = at_leader(ward)
    signed_in(client, ward.leader)
    pk = ward.procedure.pk
    detail = page(client.get(url(dossier)))
    assert 'id="action-co-ket-qua" open' in detail
    assert 'id="action-chuyen-buoc"' not in detail  # no hand-over past the signature

    # 1.004222's result is a document: its number is required (R22).
    refused = post(client, dossier, "co-ket-qua", {f"name_{pk}": "Thông báo kết quả"})
    assert "cần số, ký hiệu văn bản" in page(refused)

    scan = SimpleUploadedFile("ket-qua.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = client.post(
        url(dossier, "co-ket-qua"),
        {
            f"name_{pk}": "Thông báo kết quả giải quyết thủ tục về cư trú",
            f"document_number_{pk}": "125/TB-UBND",
            f"file_{pk}": scan,
            "location": "Tủ số 2",
        },
        follow=True,
    )

    assert "đã có kết quả" in page(response)
    dossier = fresh(dossier)
    assert dossier.status == Status.RESULT_READY
    result = dossier.results.get()
    assert (result.document_number, result.signer) == ("125/TB-UBND", ward.leader)
    assert result.file.name.endswith(".pdf")
    assert open_step(dossier).assignee == ward.counter


def test_a_disguised_or_oversized_scan_is_refused(client: Client, ward: Ward) -> None:
    dossier = at_leader(ward)
    signed_in(client, ward.leader)
    pk = ward.procedure.pk
    data = {f"name_{pk}": "Thông báo", f"document_number_{pk}": "1/TB"}

    disguised = client.post(
        url(dossier, "co-ket-qua"),
        {**data, f"file_{pk}": SimpleUploadedFile("ket-qua.pdf", b"MZ\x90\x00 not a pdf")},
    )
    strange = client.post(
        url(dossier, "co-ket-qua"),
        {**data, f"file_{pk}": SimpleUploadedFile("ket-qua.exe", b"MZ\x90\x00 a program")},
    )

    assert "có tên đuôi .pdf nhưng nội dung không phải là tệp PDF" in page(disguised)
    assert "không đúng định dạng được chấp nhận (PDF, JPEG, PNG)" in page(strange)
    assert fresh(dossier).status == Status.IN_PROGRESS


def test_a_bundle_needs_a_result_for_each_procedure(client: Client, ward: Ward) -> None:
    birth = Procedure.objects.get(code="1.001193")
    ProcedureUnit.objects.create(procedure=birth, unit=ward.ward)
    bundle = ProcedureBundle.objects.create(code="KS-TT", name="Khai sinh và thường trú")
    BundleItem.objects.create(bundle=bundle, procedure=ward.procedure, position=1)
    BundleItem.objects.create(bundle=bundle, procedure=birth, position=2)
    dossier = at_leader(ward)
    Dossier.objects.filter(pk=dossier.pk).update(bundle=bundle)
    signed_in(client, ward.leader)

    response = post(
        client,
        dossier,
        "co-ket-qua",
        {
            f"name_{ward.procedure.pk}": "Thông báo kết quả",
            f"document_number_{ward.procedure.pk}": "125/TB-UBND",
            f"name_{birth.pk}": "Giấy khai sinh",
            f"document_number_{birth.pk}": "45/KS",
        },
    )

    assert "đã có kết quả" in page(response)
    assert sorted(fresh(dossier).results.values_list("name", flat=True)) == [
        "Giấy khai sinh",
        "Thông báo kết quả",
    ]


def test_the_leader_refuses_with_a_reason_and_a_specialist_may_not(
    client: Client, ward: Ward
) -> None:
    dossier = at_leader(ward)
    signed_in(client, ward.specialist)
    assert client.post(url(dossier, "tu-choi-giai-quyet"), {"reason": "x"}).status_code == 403

    signed_in(client, ward.leader)
    blank = post(client, dossier, "tu-choi-giai-quyet", {"reason": ""})
    assert "Vui lòng ghi rõ lý do từ chối giải quyết." in page(blank)
    response = post(
        client,
        dossier,
        "tu-choi-giai-quyet",
        {"reason": "Chỗ ở không hợp pháp.", "legal_basis": "Luật Cư trú 2020, Điều 20"},
    )

    assert "Đã từ chối giải quyết" in page(response)
    assert fresh(dossier).status == Status.REFUSED
    assert "Luật Cư trú 2020, Điều 20" in page(response)


def test_the_leader_stops_processing_with_a_decision(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    signed_in(client, ward.leader)

    bogus = post(client, dossier, "dung-giai-quyet", {"cause": "boredom", "decision": "x"})
    assert "Căn cứ dừng giải quyết không hợp lệ." in page(bogus)

    response = post(
        client,
        dossier,
        "dung-giai-quyet",
        {
            "cause": "applicant_request",
            "requested_at": "2026-11-17T08:30",
            "decision": "Dừng giải quyết theo đơn rút hồ sơ.",
            "fee_handling": "Không hoàn lệ phí.",
        },
    )

    assert "Đã dừng giải quyết" in page(response)
    dossier = fresh(dossier)
    assert dossier.status == Status.STOPPED
    assert dossier.stop_notice.requested_at == at("2026-11-17T08:30")
    assert "stop_notice.pdf" in page(response)


# --- returning the result (R21) ------------------------------------------------------------------


def test_the_counter_returns_the_result_only_with_a_delivery_record(
    client: Client, ward: Ward
) -> None:
    dossier = result_ready(ward)
    signed_in(client, ward.counter)
    detail = page(client.get(url(dossier)))
    assert 'id="action-tra-ket-qua" open' in detail
    assert 'value="Nguyễn Văn Bình"' in detail

    refused = post(
        client, dossier, "tra-ket-qua", {"channel": "counter", "recipient_name": "Nguyễn Văn Bình"}
    )
    assert "Trả tại quầy cần họ tên người nhận và xác nhận ký nhận." in page(refused)

    response = post(
        client,
        dossier,
        "tra-ket-qua",
        {
            "channel": ReturnChannel.COUNTER,
            "recipient_name": "Nguyễn Văn Bình",
            "recipient_id_number": "001090012345",
            "acknowledgement": "Đã ký nhận, quyển 01 số 125",
        },
    )

    html = page(response)
    assert f"Đã trả kết quả hồ sơ {dossier.code}." in html
    assert "Đã ký nhận, quyển 01 số 125" in html
    dossier = fresh(dossier)
    assert dossier.status == Status.RETURNED
    assert dossier.delivery.recipient_name == "Nguyễn Văn Bình"


def test_an_action_the_state_does_not_allow_is_explained(client: Client, ward: Ward) -> None:
    dossier = receive(ward)
    signed_in(client, ward.counter)

    response = post(client, dossier, "tra-ket-qua", {"channel": "counter"})

    assert response.redirect_chain[-1][0] == url(dossier)
    assert "Không thể trả kết quả khi hồ sơ đang ở trạng thái «Đang giải quyết»." in page(response)
    assert fresh(dossier).status == Status.IN_PROGRESS


# --- notes -------------------------------------------------------------------------------------


def test_a_note_is_internal_by_default_and_needs_text(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    signed_in(client, ward.specialist)

    blank = post(client, dossier, "ghi-chu", {"text": ""})
    assert "Vui lòng nhập nội dung ghi chú." in page(blank)

    response = post(
        client, dossier, "ghi-chu", {"text": "Đã gọi điện cho người nộp.", "internal": "on"}
    )

    html = page(response)
    assert "Đã ghi chú vào hồ sơ" in html
    assert "Đã gọi điện cho người nộp." in html
    event = fresh(dossier).events.order_by("-sequence").first()
    assert event is not None and event.action == Action.NOTE and event.internal


# --- online submissions: Form 02 and Form 03 before receipt -------------------------------------


def test_an_online_submission_is_asked_to_complete_with_published_components(
    client: Client, ward: Ward
) -> None:
    dossier = submitted_online(ward, complete=False)
    component = asked_component(ward)
    signed_in(client, ward.counter)

    none = post(client, dossier, "huong-dan-hoan-thien", {"reason": "Thiếu giấy tờ."})
    assert "Vui lòng chọn thành phần hồ sơ cần bổ sung." in page(none)

    response = post(
        client, dossier, "huong-dan-hoan-thien", {"items": [component], "reason": "Thiếu tờ khai."}
    )

    assert "Mẫu 02" in page(response)
    assert fresh(dossier).status == Status.AWAITING_COMPLETION


def test_an_online_submission_is_refused_with_a_reason(client: Client, ward: Ward) -> None:
    dossier = submitted_online(ward)
    signed_in(client, ward.counter)

    blank = post(client, dossier, "tu-choi-tiep-nhan", {"reason": ""})
    assert "Vui lòng ghi rõ lý do từ chối tiếp nhận." in page(blank)

    response = post(client, dossier, "tu-choi-tiep-nhan", {"reason": "Sai thẩm quyền."})

    assert "Đã từ chối tiếp nhận" in page(response)
    assert fresh(dossier).status == Status.INTAKE_REFUSED


# --- what the page offers to whom ---------------------------------------------------------


def test_the_page_offers_each_person_only_what_they_may_do_now(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)

    signed_in(client, ward.specialist)
    specialist = page(client.get(url(dossier)))
    signed_in(client, ward.counter)
    counter = page(client.get(url(dossier)))
    signed_in(client, ward.head)
    head = page(client.get(url(dossier)))

    assert 'id="action-chuyen-buoc" open' in specialist
    assert ward.leader.full_name in specialist  # the next step is the leader's signature
    assert 'id="action-co-ket-qua"' not in specialist
    assert 'id="action-chuyen-buoc"' not in counter
    assert 'id="action-tra-ket-qua"' not in counter
    assert 'id="action-phan-cong"' in head and 'id="action-phan-cong"' not in specialist


def test_the_timeline_control_slip_and_forms_are_on_the_page(client: Client, ward: Ward) -> None:
    dossier = result_ready(ward)
    signed_in(client, ward.counter)

    html = page(client.get(url(dossier)))

    for text in (
        "Tiếp nhận hồ sơ",
        "Chuyển bước xử lý",
        "Có kết quả",
        "Người nhận: Vũ Quốc Khánh",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "Trước hạn",
        "125/TB-UBND",
        f"/can-bo/ho-so/{dossier.code}/bieu-mau/control_slip.pdf",
        f"/can-bo/ho-so/{dossier.code}/bieu-mau/receipt.pdf",
    ):
        assert text in html, text


def test_a_dossier_received_with_an_unknown_code_is_not_found(client: Client, ward: Ward) -> None:
    receive(ward)
    signed_in(client, ward.counter)

    assert client.get("/can-bo/ho-so/000.01.45.H26-261117-9999/").status_code == 404
    assert (
        client.post("/can-bo/ho-so/000.01.45.H26-261117-9999/thao-tac/ghi-chu/").status_code == 404
    )
