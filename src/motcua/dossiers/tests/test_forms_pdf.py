"""The official forms as PDF: each in the state it belongs to, under both rule sets.

Read back with ``pdftotext`` (poppler-utils) and ``zbarimg`` (zbar-tools); the
tests that need them skip with a reason when they are missing (``make deps-pdf``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import time_machine
from django.test import override_settings

from motcua.core.exceptions import NotFound
from motcua.dossiers.constants import Outcome, RuleSet
from motcua.dossiers.forms_pdf import (
    Form,
    FormNotApplicable,
    control_slip_context,
    date_words,
    dossier_form_pdf,
    place_name,
    receipt_context,
    time_words,
)
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    dossier_accept_online,
    dossier_receive,
    dossier_submit_online,
)
from motcua.dossiers.tests import forms_support as support
from motcua.dossiers.tests.conftest import AGENCY_CODE, APPLICANT, Ward, at, complete_documents
from motcua.dossiers.tracking_book import BookEntry, book_entry

pytestmark = pytest.mark.django_db
PUBLIC = "https://motcua.longbien.gov.vn"
FORM_NUMBER = {
    (RuleSet.DECREE_61_2018, Form.RECEIPT): "Mẫu số 01",
    (RuleSet.DECREE_118_2025, Form.RECEIPT): "Mẫu số 01",
    (RuleSet.DECREE_61_2018, Form.CONTROL_SLIP): "Mẫu số 05",
    (RuleSet.DECREE_118_2025, Form.CONTROL_SLIP): "Mẫu số 06",
}
CIRCULAR = {
    RuleSet.DECREE_61_2018: "Thông tư số 01/2018/TT-VPCP",
    RuleSet.DECREE_118_2025: "Thông tư số 03/2025/TT-VPCP",
}
DATE_LINE = {
    RuleSet.DECREE_61_2018: "Long Biên, ngày 30 tháng 6 năm 2025",
    RuleSet.DECREE_118_2025: "Long Biên, ngày 17 tháng 11 năm 2026",
}
NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc"


def by_rule_set() -> pytest.MarkDecorator:
    return pytest.mark.parametrize("rule_set", support.RULE_SETS, ids=["2018", "2025"])


# --- words --------------------------------------------------------------------------------


def test_dates_and_times_are_written_the_vietnamese_way() -> None:
    assert time_words(at("2026-11-17T09:10")) == "09 giờ 10 phút, ngày 17/11/2026"
    # UTC in the database, local time on paper.
    assert time_words(dt.datetime(2026, 11, 27, 10, 0, tzinfo=dt.UTC)) == (
        "17 giờ 00 phút, ngày 27/11/2026"
    )
    # Decree 30/2020: a zero before days under 10 and months under 3 only.
    assert date_words(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert date_words(dt.date(2025, 6, 30)) == "ngày 30 tháng 6 năm 2025"
    assert date_words(dt.date(2026, 11, 17)) == "ngày 17 tháng 11 năm 2026"


def test_the_place_line_drops_the_kind_of_unit(ward: Ward) -> None:
    assert place_name(ward.ward) == "Long Biên"
    assert place_name(ward.city) == "Hà Nội"


# --- Form 01: the receipt -------------------------------------------------------------------


@by_rule_set()
@override_settings(MOTCUA_PUBLIC_URL=PUBLIC)
def test_the_receipt_prints_the_dossier_from_its_data(
    ward: Ward, rule_set: str, tmp_path: Path
) -> None:
    dossier = support.received(ward, rule_set)
    assert dossier.rule_set == rule_set

    pdf = dossier_form_pdf(dossier=dossier, form=Form.RECEIPT)

    assert support.pdf_page_size_mm(pdf, tmp_path) == (148, 210)  # A5
    text = support.pdf_text(pdf, tmp_path)
    dates = support.DATES[rule_set]
    for expected in [
        "Mẫu số 01",
        CIRCULAR[rule_set],
        NATIONAL,
        DATE_LINE[rule_set],
        "UBND PHƯỜNG LONG BIÊN",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG LONG BIÊN",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        f"Mã bí mật tra cứu: {dossier.lookup_secret}",
        "tiếp nhận hồ sơ của: Nguyễn Văn Bình",
        "Địa chỉ: Số 5 ngõ 12 Nguyễn Văn Cừ, phường Long Biên, Hà Nội",
        "Số điện thoại: 0912345678 Email: binh@example.vn",
        "Nội dung yêu cầu giải quyết: Đăng ký thường trú (mã thủ tục 1.004222)",
        "2. Số lượng hồ sơ: 01 bộ",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 7 ngày làm việc",
        f"4. Thời gian nhận hồ sơ: {dates.receipt_words}",
        f"5. Thời gian trả kết quả giải quyết hồ sơ: {dates.appointment_words}",
        "Tại Bộ phận Một cửa — Trung tâm Phục vụ hành chính công phường Long Biên",
        "Lệ phí đăng ký cư trú: 20.000 đồng (biên lai số 0001234)",
        f"Quyển số: {dates.receipt[:4]} Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "Nguyễn Thị Lan",
        "Đường dây nóng: 1022",
    ]:
        assert expected in text, expected
    # Every component received is listed, with its counts.
    first = dossier.documents.order_by("id").first()
    assert first is not None
    assert " ".join(first.name.split())[:60] in text


@override_settings(MOTCUA_PUBLIC_URL=PUBLIC + "/")
def test_the_receipts_qr_code_opens_the_lookup_with_the_secret(ward: Ward, tmp_path: Path) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)

    pdf = dossier_form_pdf(dossier=dossier, form=Form.RECEIPT)

    expected = f"{PUBLIC}/tra-cuu/?ma={dossier.code}&k={dossier.lookup_secret}"
    assert support.qr_payloads(pdf, tmp_path) == [expected]
    assert expected in support.pdf_text(pdf, tmp_path)


def test_without_an_appointment_the_receipt_says_so(ward: Ward) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)
    Dossier.objects.filter(pk=dossier.pk).update(appointment=None)
    dossier.refresh_from_db()

    context = receipt_context(dossier=dossier, base_url=PUBLIC)

    assert context["appointment_words"] == "Không hẹn"


def test_the_book_number_counts_the_units_dossiers_of_the_year(ward: Ward) -> None:
    """Quyển số is the year; Số thứ tự restarts each year and per receiving unit."""
    first = support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T09:10")
    second = support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T09:30")
    with time_machine.travel(at("2026-11-17T09:40"), tick=False):
        elsewhere = dossier_receive(
            actor=ward.other_counter.user,
            unit=ward.other_centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=complete_documents(ward.version),
        )
    next_year = support.received(ward, RuleSet.DECREE_118_2025, when="2027-01-04T08:15")

    assert book_entry(dossier=first) == BookEntry(2026, 1)
    assert book_entry(dossier=second) == BookEntry(2026, 2)
    assert book_entry(dossier=elsewhere) == BookEntry(2026, 1)
    assert book_entry(dossier=next_year) == BookEntry(2027, 1)


def test_a_printed_book_number_never_changes_when_an_online_dossier_is_accepted_later(
    ward: Ward,
) -> None:
    """An online dossier sent at night counts as received at 08:00 (ADR 0007); accepted at
    09:00, it enters the book after the counter's 08:30 dossier, whose receipt said no. 1."""
    with time_machine.travel(at("2026-11-16T21:00"), tick=False):
        online = dossier_submit_online(
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=complete_documents(ward.version),
        )
    counter = support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T08:30")
    assert book_entry(dossier=counter) == BookEntry(2026, 1)
    with time_machine.travel(at("2026-11-17T09:00"), tick=False):
        dossier_accept_online(dossier=online, actor=ward.counter.user)
    online.refresh_from_db()

    assert online.received_at == at("2026-11-17T08:00")
    assert book_entry(dossier=counter) == BookEntry(2026, 1)
    assert book_entry(dossier=online) == BookEntry(2026, 2)


# --- Form 02: the supplement request ---------------------------------------------------------


@by_rule_set()
def test_a_supplement_request_during_processing(ward: Ward, rule_set: str, tmp_path: Path) -> None:
    dossier = support.supplement_requested(ward, rule_set)

    pdf = dossier_form_pdf(dossier=dossier, form=Form.SUPPLEMENT_REQUEST)

    assert support.pdf_page_size_mm(pdf, tmp_path) == (148, 210)
    text = support.pdf_text(pdf, tmp_path)
    request = dossier.supplement_request_rows.get()
    for expected in [
        "Mẫu số 02",
        CIRCULAR[rule_set],
        NATIONAL,
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Số: 1/HDHS",
        "Hồ sơ của: Nguyễn Văn Bình",
        f"Mã hồ sơ: {dossier.code} — yêu cầu trong quá trình giải quyết",
        "Bản sao không rõ, cần bản chính",
        "Lý do: Cần bổ sung để đối chiếu thông tin cư trú",
        "Thời gian giải quyết hồ sơ tạm dừng từ",
        "liên hệ với Lê Minh Tuấn",
        "NGƯỜI HƯỚNG DẪN",
    ]:
        assert expected in text, expected
    assert " ".join(request.items[0]["name"].split())[:50] in text


@by_rule_set()
def test_a_supplement_request_before_receipt_names_the_reference(
    ward: Ward, rule_set: str, tmp_path: Path
) -> None:
    dossier = support.asked_to_complete(ward, rule_set)
    assert dossier.code is None

    text = support.pdf_text(
        dossier_form_pdf(dossier=dossier, form=Form.SUPPLEMENT_REQUEST), tmp_path
    )

    for expected in [
        "Mẫu số 02",
        CIRCULAR[rule_set],
        DATE_LINE[rule_set],
        f"Mã tra cứu: {dossier.reference} — hồ sơ chưa được tiếp nhận",
        "Thiếu bản chính, chữ ký chưa đúng",
        "Lý do: Hồ sơ chưa đủ thành phần theo quy định",
        "liên hệ với Nguyễn Thị Lan",
    ]:
        assert expected in text, expected
    assert "tạm dừng" not in text


# --- Form 03: the intake refusal ---------------------------------------------------------------


@by_rule_set()
def test_the_intake_refusal_gives_the_recorded_reason(
    ward: Ward, rule_set: str, tmp_path: Path
) -> None:
    dossier = support.refused_intake(ward, rule_set)

    pdf = dossier_form_pdf(dossier=dossier, form=Form.INTAKE_REFUSAL)

    assert support.pdf_page_size_mm(pdf, tmp_path) == (148, 210)
    text = support.pdf_text(pdf, tmp_path)
    for expected in [
        "Mẫu số 03",
        CIRCULAR[rule_set],
        DATE_LINE[rule_set],
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ",
        f"Mã tra cứu: {dossier.reference}",
        "tiếp nhận hồ sơ của: Nguyễn Văn Bình",
        "Không thuộc thẩm quyền giải quyết của phường Long Biên",
        "Nguyễn Thị Lan",
    ]:
        assert expected in text, expected


# --- the notice of stopping --------------------------------------------------------------------


def test_the_2025_notice_of_stopping_is_form_05(ward: Ward, tmp_path: Path) -> None:
    dossier = support.stopped(ward, RuleSet.DECREE_118_2025)

    pdf = dossier_form_pdf(dossier=dossier, form=Form.STOP_NOTICE)

    assert support.pdf_page_size_mm(pdf, tmp_path) == (210, 297)  # an A4 letter
    text = support.pdf_text(pdf, tmp_path)
    for expected in [
        "Mẫu số 05",
        "Thông tư số 03/2025/TT-VPCP",
        "ỦY BAN NHÂN DÂN PHƯỜNG LONG BIÊN",
        "Long Biên, ngày 19 tháng 11 năm 2026",
        "THÔNG BÁO",
        "Về việc dừng giải quyết hồ sơ",
        "Kính gửi: Ông (bà) Nguyễn Văn Bình",
        f"mã số {dossier.code}",
        "Lúc 15 giờ 00 phút, ngày 18/11/2026, ông (bà) có đề nghị dừng giải quyết",
        "Ủy ban nhân dân phường Long Biên thông báo dừng giải quyết hồ sơ",
        "Dừng giải quyết theo đơn đề nghị rút hồ sơ của công dân.",
        "Về phí, lệ phí: Không hoàn lại lệ phí đã nộp.",
        "Nghị định 118/2025/NĐ-CP",
        "PHÓ CHỦ TỊCH UBND PHƯỜNG",
        "Vũ Quốc Khánh",
    ]:
        assert expected in text, expected
    assert "không có mẫu" not in text


def test_under_the_2018_rules_the_notice_says_there_is_no_such_form(
    ward: Ward, tmp_path: Path
) -> None:
    dossier = support.stopped(ward, RuleSet.DECREE_61_2018)
    assert dossier.rule_set == RuleSet.DECREE_61_2018

    text = support.pdf_text(dossier_form_pdf(dossier=dossier, form=Form.STOP_NOTICE), tmp_path)

    assert "Mẫu số" not in text.split("THÔNG BÁO")[0]
    assert "Không có mẫu trong Thông tư số 01/2018/TT-VPCP" in text
    assert "Thông tư số 01/2018/TT-VPCP (áp dụng cho hồ sơ này) không có mẫu thông báo" in text
    assert "Dừng giải quyết theo đơn đề nghị rút hồ sơ của công dân." in text
    assert "Nghị định 61/2018/NĐ-CP" in text


# --- the control slip ----------------------------------------------------------------------------


@by_rule_set()
def test_the_control_slip_has_a_line_per_handover_with_both_persons(
    ward: Ward, rule_set: str, tmp_path: Path
) -> None:
    dossier = support.returned(ward, rule_set)
    dates = support.DATES[rule_set]

    pdf = dossier_form_pdf(dossier=dossier, form=Form.CONTROL_SLIP)

    assert support.pdf_page_size_mm(pdf, tmp_path) == (148, 210)
    text = support.pdf_text(pdf, tmp_path)
    for expected in [
        FORM_NUMBER[(rule_set, Form.CONTROL_SLIP)],
        CIRCULAR[rule_set],
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        f"Mã hồ sơ: {dossier.code}",
        "(Kèm theo hồ sơ của: Nguyễn Văn Bình)",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Ủy ban nhân dân phường Long Biên",
        "1. Giao: Trung tâm Phục vụ hành chính công phường Long Biên",
        "2. Nhận: Văn phòng HĐND và UBND phường Long Biên",
        time_words(at(dates.to_specialist)),
        "Quá hạn",
        "Trước hạn",
        "Đúng hạn",
        "Nguyễn Thị Lan",
        "Lê Minh Tuấn",
        "Vũ Quốc Khánh",
        "2. Nhận: Tổ chức, cá nhân (Nguyễn Văn Bình)",
        time_words(at(dates.returned)),
        "Chuyển thụ lý",
    ]:
        assert expected in text, expected


def test_each_control_slip_line_names_the_giver_the_receiver_and_the_givers_result(
    ward: Ward,
) -> None:
    dossier = support.returned(ward, RuleSet.DECREE_118_2025)

    lines = control_slip_context(dossier=dossier)["lines"]

    assert [(line.giver, line.receiver, line.outcome) for line in lines] == [
        ("Nguyễn Thị Lan", "Lê Minh Tuấn", Outcome.LATE),  # the counter's 4 hours ran out
        ("Lê Minh Tuấn", "Vũ Quốc Khánh", Outcome.EARLY),
        ("Vũ Quốc Khánh", "Nguyễn Thị Lan", Outcome.ON_TIME),
        ("Nguyễn Thị Lan", "Nguyễn Văn Bình", Outcome.ON_TIME),  # handed to the applicant
    ]
    assert lines[0].at_words == "09 giờ 00 phút, ngày 18/11/2026"


def test_a_control_slip_just_after_receipt_says_where_the_dossier_is(
    ward: Ward, tmp_path: Path
) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)

    text = support.pdf_text(dossier_form_pdf(dossier=dossier, form=Form.CONTROL_SLIP), tmp_path)

    assert "Hồ sơ chưa được chuyển khỏi Bộ phận Một cửa." in text
    assert "Đang xử lý:" in text and "(Nguyễn Thị Lan)" in text


# --- forms that do not fit the state ------------------------------------------------------


@pytest.mark.parametrize(
    ("scenario", "form"),
    [
        ("asked_to_complete", Form.RECEIPT),
        ("refused_intake", Form.RECEIPT),
        ("refused_intake", Form.CONTROL_SLIP),
        ("received", Form.INTAKE_REFUSAL),
        ("received", Form.STOP_NOTICE),
        ("received", Form.SUPPLEMENT_REQUEST),
        ("supplement_requested", Form.STOP_NOTICE),
    ],
)
def test_a_form_that_does_not_fit_the_state_is_refused_with_a_reason(
    ward: Ward, scenario: str, form: str
) -> None:
    dossier = getattr(support, scenario)(ward, RuleSet.DECREE_118_2025)

    with pytest.raises(FormNotApplicable) as excinfo:
        dossier_form_pdf(dossier=dossier, form=form)

    assert excinfo.value.code == "form_not_applicable"
    assert dossier.label in excinfo.value.message


def test_an_unknown_form_is_not_found(ward: Ward) -> None:
    dossier = support.received(ward, RuleSet.DECREE_118_2025)
    with pytest.raises(NotFound):
        dossier_form_pdf(dossier=dossier, form="phieu-khong-co")
    # The apology slip exists since issue 5, but not before the apology itself.
    with pytest.raises(FormNotApplicable):
        dossier_form_pdf(dossier=dossier, form="apology")


def test_the_code_has_the_agency_prefix(ward: Ward) -> None:
    dossier = support.received(ward, RuleSet.DECREE_61_2018)
    assert dossier.code == f"{AGENCY_CODE}-250630-0001"
