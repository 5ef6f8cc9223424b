"""Spot checks of the portal-text parser against real records (tests/data/dvcqg_sample.jsonl)."""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest

from motcua.catalog.parsing import ParsedProcedure, parse_dvcqg_record
from motcua.catalog.parsing.dvcqg import (
    parse_documents,
    parse_legal_basis,
    parse_methods,
    parse_results,
)
from motcua.workcalendar.engine import Period, PeriodUnit

DATA = Path(__file__).parent / "data"


@cache
def _records() -> dict[str, dict[str, str]]:
    lines = (DATA / "dvcqg_sample.jsonl").read_text(encoding="utf-8").splitlines()
    return {record["ma_thu_tuc"]: record for record in map(json.loads, lines)}


def parsed(code: str) -> ParsedProcedure:
    return parse_dvcqg_record(_records()[code])


def by_channel(procedure: ParsedProcedure) -> dict[str, object]:
    return {method.channel: method for method in procedure.methods}


# --- 1.004222 Đăng ký thường trú ---------------------------------------------------


def test_thuong_tru_header_fields():
    """The flat fields are cleaned and split: levels, applicants, portal UUID."""
    procedure = parsed("1.004222")

    assert procedure.code == "1.004222"
    assert procedure.name == "Đăng ký thường trú"
    assert procedure.source == "dvcqg"
    assert procedure.levels == ["Cấp xã"]
    assert procedure.field == "Đăng ký, quản lý cư trú"
    assert procedure.decision_number == "1523/QĐ-BCA-C06"
    assert procedure.applicants == ["Người Việt Nam định cư ở nước ngoài", "Công dân Việt Nam"]
    assert procedure.competent_authority == "Công an cấp Xã"
    assert procedure.portal_id == "019d2bf7-7704-7449-9e95-fe7ebb959aa2"
    assert procedure.related == ""  # "Không có thông tin"
    assert procedure.is_inter_agency is False
    assert procedure.original["ma_thu_tuc"] == "1.004222"


def test_thuong_tru_methods_have_seven_working_days_and_distinct_fees():
    """Online costs 10,000 VND and in person 20,000 VND; both take 7 working days."""
    methods = by_channel(parsed("1.004222"))

    assert set(methods) == {"online", "in_person"}
    for method in methods.values():
        assert method.time.value == Decimal(7)
        assert method.time.unit == PeriodUnit.WORKING_DAYS
        assert method.time.as_period() == Period(Decimal(7), PeriodUnit.WORKING_DAYS)
        assert method.review_reasons == []
    assert [fee.amount for fee in methods["online"].fees] == [10_000]
    assert [fee.amount for fee in methods["in_person"].fees] == [20_000]
    assert "10.000 đồng/lần đăng ký" in methods["online"].fees[0].description
    assert methods["in_person"].fees[0].kind == "charge"  # "lệ phí đăng ký cư trú"


def test_thuong_tru_documents_keep_their_case_headings():
    """Each glued table's heading becomes the case of its documents."""
    procedure = parsed("1.004222")
    cases = {document.case for document in procedure.documents}

    assert "Đăng ký thường trú vào chỗ ở hợp pháp thuộc quyền sở hữu của mình" in cases
    assert "Đăng ký thường trú vào chỗ ở hợp pháp do thuê, mượn, ở nhờ" in cases
    rental = [d for d in procedure.documents if d.case.endswith("do thuê, mượn, ở nhờ")]
    assert rental[0].name.startswith("Hợp đồng, văn bản về việc cho thuê, cho mượn, cho ở nhờ")
    assert (rental[0].originals, rental[0].copies) == (1, 0)
    declaration = [d for d in procedure.documents if d.name.startswith("Tờ khai thay đổi")]
    assert declaration and all(d.required for d in declaration)
    # "…trong trường hợp phương tiện không phải đăng ký…" is conditional.
    vehicle = next(d for d in procedure.documents if d.name.startswith("Văn bản xác nhận"))
    assert vehicle.required is False


def test_thuong_tru_zero_count_rows_become_notes():
    """ "…hồ sơ gồm:0 bản chính" and the "Lưu ý" block are notes, not documents."""
    procedure = parsed("1.004222")

    assert all(d.originals + d.copies > 0 for d in procedure.documents)
    assert any(note.startswith("Lưu ý:") for note in procedure.document_notes)
    assert any(note.endswith("hồ sơ gồm:") for note in procedure.document_notes)


def test_thuong_tru_legal_basis_pairs_titles_with_codes():
    """Glued title+code pairs split where the code cell starts, cited codes stay in titles."""
    legal = {entry.code: entry.title for entry in parsed("1.004222").legal_basis}

    assert legal["68/2020/QH14"] == "Luật Cư trú 2020"
    assert legal["154/2024/NĐ-CP"] == (
        "Nghị định quy định chi tiết một số điều và biện pháp thi hành Luật Cư trú"
    )
    assert legal["57/2021/TT-BCA"] == "Thông tư 57/2021/TT-BCA"
    assert legal["53/2025/TT-BCA"].startswith("Thông tư số 53/2025/TT-BCAngày 01/7/2025")
    assert legal["66.7/2025/NQ-CP"].startswith("Nghị quyết số 66.7/2025/NQ-CP")
    assert "58/2026/NĐ-CP" in legal
    assert len(legal) == 11


def test_thuong_tru_results_cut_page_noise():
    """Results are name + code pairs; "Từ khóa…Nộp hồ sơ" is dropped."""
    results = parsed("1.004222").results

    assert [r.code for r in results] == [
        "KQ.G01.000064",
        "KQ.G01.000065",
        "KQ.G01.000067",
        "KQ.G01.000066",
    ]
    assert results[0].name == "Cập nhật thông tin trong Cơ sở dữ liệu quốc gia về dân cư"
    assert all("Từ khóa" not in r.name for r in results)


def test_thuong_tru_steps_split_on_buoc():
    steps = parsed("1.004222").steps

    assert len(steps) == 5
    assert steps[0] == "Bước 1: Cá nhân, tổ chức chuẩn bị hồ sơ theo quy định của pháp luật."
    assert steps[4].startswith("Bước 5:")


# --- civil status: khai sinh, kết hôn, khai tử ----------------------------------------


def test_khai_sinh_bare_number_time_needs_review():
    """ "Trực tuyến1Miễn phí": the time keeps its value but has no unit."""
    procedure = parsed("1.001193")

    assert set(by_channel(procedure)) == {"online", "postal", "in_person"}
    for method in procedure.methods:
        assert method.time.value == Decimal(1)
        assert method.time.unit is None
        assert method.time.as_period() is None
    assert "Không xác định được đơn vị của thời hạn: «1»." in procedure.review_reasons


def test_khai_sinh_free_fee_is_not_a_confident_zero():
    """The legal basis cites the circular on fees set by People's Councils (85/2019/TT-BTC)."""
    procedure = parsed("1.001193")

    for method in procedure.methods:
        (fee,) = method.fees
        assert fee.amount is None
        assert fee.free is False
        assert fee.set_by_council is True
    assert any("85/2019/TT-BTC" in reason for reason in procedure.review_reasons)


def test_khai_sinh_documents_and_result():
    procedure = parsed("1.001193")
    names = [d.name for d in procedure.documents]

    assert any(name.startswith("Giấy chứng sinh") for name in names)
    birth = next(d for d in procedure.documents if d.name.startswith("Giấy chứng sinh"))
    assert birth.case == "Giấy tờ phải nộp"
    assert birth.required is True
    abandoned = next(d for d in procedure.documents if "bị bỏ rơi" in d.name)
    assert abandoned.required is False  # "Trường hợp trẻ em bị bỏ rơi…"
    assert [(r.name, r.code) for r in procedure.results] == [("Giấy khai sinh", "KQ.G15.000031")]


def test_ket_hon_fee_note_pointing_at_copy_fees_needs_review():
    """ "Miễn lệ phí. Phí cấp bản sao … theo Thông tư 281/2016" still names a fee."""
    procedure = parsed("1.000894")

    for method in procedure.methods:
        (fee,) = method.fees
        assert fee.amount is None and not fee.free
    assert any("dẫn chiếu quy định về mức thu" in r for r in procedure.review_reasons)
    assert [(r.name, r.code) for r in procedure.results] == [
        ("Giấy chứng nhận kết hôn", "KQ.G15.000032")
    ]
    assert "52/2014/QH13" in {entry.code for entry in procedure.legal_basis}


def test_khai_tu_council_sets_the_fee():
    """ "Miễn phí(Mức lệ phí cụ thể do Hội đồng nhân dân tỉnh … quyết định…)"."""
    procedure = parsed("1.000656")

    for method in procedure.methods:
        (fee,) = method.fees
        assert fee.amount is None
        assert fee.set_by_council is True
        assert fee.kind == "charge"
    assert (
        "Lệ phí ghi «Miễn phí» nhưng mức thu do Hội đồng nhân dân cấp tỉnh quy định."
        in procedure.review_reasons
    )
    assert procedure.results[0].name == "Trích lục khai tử"


# --- 2.000815 chứng thực, 1.001612 hộ kinh doanh ---------------------------------------


def test_chung_thuc_two_in_person_rows_vnd_and_usd():
    """One row per place: 2,000 VND per page at the commune, 10 USD at a mission abroad."""
    procedure = parsed("2.000815")
    vnd, usd = procedure.methods

    assert vnd.channel == usd.channel == "in_person"
    assert vnd.time.text == "" and vnd.time.value is None
    assert vnd.fees[0].amount == 2_000
    assert vnd.description.startswith("Tại Ủy ban nhân dân cấp xã")
    assert usd.fees[0].amount is None  # not VND
    assert "Mức thu tính bằng ngoại tệ: «10 USD»." in usd.review_reasons
    assert "Không có thông tin về thời hạn giải quyết." in procedure.review_reasons


def test_ho_kinh_doanh_amounts_kept_but_flagged_as_council_set():
    procedure = parsed("1.001612")
    methods = by_channel(procedure)

    assert methods["online"].fees[0].amount == 150_000
    assert methods["in_person"].fees[0].amount == 50_000
    assert all(m.fees[0].set_by_council for m in procedure.methods)
    assert any("cần đối chiếu nghị quyết của tỉnh" in r for r in procedure.review_reasons)
    assert {r.code for r in procedure.results} == {"KQ.G12.001009", "KQ.G12.001041"}
    request = next(d for d in procedure.documents if d.name.startswith("Giấy đề nghị"))
    assert (request.originals, request.copies, request.required) == (1, 0, True)


# --- fees that the source contradicts ---------------------------------------------------


def test_free_fee_with_amount_in_description_needs_review():
    """1.002345 prints "Miễn phí(150.000 đồng/giấy)": never a confident 0."""
    procedure = parsed("1.002345")

    for method in procedure.methods:
        (fee,) = method.fees
        assert fee.amount is None
        assert fee.free is False
        assert fee.description == "150.000 đồng/giấy"
    assert (
        "Lệ phí ghi «Miễn phí» nhưng phần mô tả nêu mức thu 150.000 đồng."
        in procedure.review_reasons
    )


def test_unit_less_time_glued_to_amount_is_split_and_flagged():
    """1.000014 "Trực tuyến120 VNĐ(20.000 vnđ /tờ khai)" is 1 (no unit) + 20 VND."""
    procedure = parsed("1.000014")

    for method in procedure.methods:
        assert method.time.value == Decimal(1)
        assert method.time.unit is None
        assert method.fees[0].amount == 20
    assert (
        "Số tiền 20 đồng có vẻ được nhập theo nghìn đồng (mô tả ghi 20.000 đồng)."
        in procedure.review_reasons
    )
    assert "Không có thông tin về kết quả thực hiện." in procedure.review_reasons


# --- the section parsers on their own ----------------------------------------------------


def test_methods_read_units_and_free_text_time():
    text = (
        "Hình thức nộpThời gianPhí, lệ phíMô tả"
        "Trực tuyến8 GiờMiễn phí"
        "Trực tiếpKhông phải trả kết quả cho người nộp thuếMiễn phíNộp tại bộ phận một cửa."
        "Dịch vụ bưu chính1.5 NgàyKhông có thông tin- Trực tuyến: nộp qua Cổng."
    )
    online, in_person, postal = parse_methods(text)

    assert (online.time.value, online.time.unit) == (Decimal(8), PeriodUnit.WORKING_HOURS)
    assert online.fees[0].free and online.fees[0].amount == 0
    assert in_person.time.unit is None
    assert in_person.description == "Nộp tại bộ phận một cửa."
    assert (postal.time.value, postal.time.unit) == (Decimal("1.5"), PeriodUnit.CALENDAR_DAYS)
    assert postal.fees == []
    assert postal.description == "- Trực tuyến: nộp qua Cổng."  # not a new row
    assert "Không có thông tin về phí, lệ phí." in postal.review_reasons
    assert not postal.time.is_structured  # a half calendar day cannot be counted


def test_documents_split_template_file_names():
    text = (
        "--Tên giấy tờMẫu đơn, tờ khaiSố lượng"
        "Tờ khai theo mẫu quy định tại Phụ lục I Nghị định số 23/2026/NĐ-CPMau14.docx1 bản chính"
        "Bản sao có chứng thực Giấy chứng nhận đăng ký doanh nghiệp0 bản chính,1 bản sao"
        "Bản khai (nếu có) theo mẫuMauBankhaichung.docxMauDanhsach.docx1 bản chính"
    )
    documents, notes, reasons = parse_documents(text)

    form, certificate, optional = documents
    assert form.name == "Tờ khai theo mẫu quy định tại Phụ lục I Nghị định số 23/2026/NĐ-CP"
    assert form.template == "Mau14.docx"
    assert (certificate.copies, certificate.certified_copies) == (0, 1)
    assert optional.template == "MauBankhaichung.docx; MauDanhsach.docx"
    assert optional.required is False
    assert form.case == ""
    assert notes == [] and reasons == []


def test_documents_without_table_are_flagged():
    documents, _notes, reasons = parse_documents("Bước 2. Nộp hồ sơ tại bộ phận một cửa.")

    assert documents == []
    assert reasons == ["Thành phần hồ sơ không có dạng bảng «Tên giấy tờ – Số lượng»."]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tên văn bản pháp lýMã văn bảnLuật 60/2014/QH1360/2014/QH13",
            [("60/2014/QH13", "Luật 60/2014/QH13")],
        ),
        (
            "Tên văn bản pháp lýMã văn bảnNghị định quy định về thanh toán không dùng tiền mặt"
            "Nghị định 52/2024/NĐ-CP",
            [("52/2024/NĐ-CP", "Nghị định quy định về thanh toán không dùng tiền mặt")],
        ),
        (
            "Tên văn bản pháp lýMã văn bảnQuyết định về tạm quản53/2013/QĐ-TTg"
            "Luật Cư trú 202068/2020/QH14",
            [("53/2013/QĐ-TTg", "Quyết định về tạm quản"), ("68/2020/QH14", "Luật Cư trú 2020")],
        ),
    ],
)
def test_legal_basis_code_cells(text, expected):
    entries, reasons = parse_legal_basis(text)

    assert [(e.code, e.title) for e in entries] == expected
    assert reasons == []


def test_results_without_codes_keep_the_name():
    results = parse_results("Văn bản tố tụng của Tòa án theo tiến trình giải quyết")

    assert [(r.name, r.code) for r in results] == [
        ("Văn bản tố tụng của Tòa án theo tiến trình giải quyết", "")
    ]
