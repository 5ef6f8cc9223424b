"""The tracking book (Form 06 of 2018 / Form 07 of 2025): rows from the data, PDF and Excel."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from motcua.core.exceptions import ValidationFailed
from motcua.dossiers.constants import RuleSet
from motcua.dossiers.tests import forms_support as support
from motcua.dossiers.tests.conftest import Ward, at
from motcua.dossiers.tracking_book import (
    BookTooLarge,
    tracking_book,
    tracking_book_pdf,
    tracking_book_xlsx,
)

pytestmark = pytest.mark.django_db
NOVEMBER = (dt.date(2026, 11, 1), dt.date(2026, 11, 30))


def local(text: str) -> dt.datetime:
    """A local time as Excel keeps it: without a zone."""
    return dt.datetime.fromisoformat(text)


def test_a_months_book_has_a_row_per_dossier_received_with_its_dates(ward: Ward) -> None:
    done = support.returned(ward, RuleSet.DECREE_118_2025)
    waiting = support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T10:00")
    support.received(ward, RuleSet.DECREE_118_2025, when="2026-12-01T08:30")  # next month
    support.asked_to_complete(ward, RuleSet.DECREE_118_2025)  # never received: not in the book

    book = tracking_book(unit=ward.centre, start=NOVEMBER[0], end=NOVEMBER[1], max_rows=100)

    assert [(s.book, s.rule_set, s.form_number) for s in book.sections] == [
        (2026, RuleSet.DECREE_118_2025, "07")
    ]
    rows = book.sections[0].rows
    assert [(row.number, row.code) for row in rows] == [(1, done.code), (2, waiting.code)]
    first = rows[0]
    assert first.procedure == "Đăng ký thường trú"
    assert first.sets == 1
    assert first.applicant == "Nguyễn Văn Bình"
    assert first.phone == "0912345678"
    assert first.lead_agency == "Ủy ban nhân dân phường Long Biên"
    assert first.received_at == at("2026-11-17T09:10")
    assert first.appointment == at("2026-11-27T17:00")
    assert first.transferred_at == at("2026-11-18T09:00")  # to the ward's office
    assert first.result_received_at == at("2026-11-19T09:00")  # back at the counter
    assert first.returned_at == at("2026-11-19T10:30")
    assert first.signature == "Đã ký nhận: Nguyễn Văn Bình"
    assert first.notes == ["Trước hạn"]
    second = rows[1]
    assert (second.transferred_at, second.result_received_at, second.returned_at) == (
        None,
        None,
        None,
    )
    assert second.signature == "" and second.notes == []


def test_a_supplement_shows_in_the_notes_with_the_new_appointment(ward: Ward) -> None:
    support.supplement_requested(ward, RuleSet.DECREE_118_2025)

    book = tracking_book(unit=ward.centre, start=NOVEMBER[0], end=NOVEMBER[1], max_rows=100)

    assert book.sections[0].rows[0].notes == ["Chờ bổ sung hồ sơ"]


def test_a_period_across_1_july_2025_is_split_by_rule_set(ward: Ward, tmp_path: Path) -> None:
    old = support.returned(ward, RuleSet.DECREE_61_2018)  # received 30/6/2025
    new = support.received(ward, RuleSet.DECREE_118_2025, when="2025-07-01T10:15")
    assert (old.rule_set, new.rule_set) == (RuleSet.DECREE_61_2018, RuleSet.DECREE_118_2025)

    book = tracking_book(
        unit=ward.centre, start=dt.date(2025, 6, 1), end=dt.date(2025, 7, 31), max_rows=100
    )

    assert [(s.book, s.form_number, [r.code for r in s.rows]) for s in book.sections] == [
        (2025, "06", [old.code]),
        (2025, "07", [new.code]),
    ]
    # The year's book goes on across the split: no. 1, then no. 2.
    assert [s.rows[0].number for s in book.sections] == [1, 2]
    pdf = tracking_book_pdf(book=book)
    assert support.pdf_page_size_mm(pdf, tmp_path) == (297, 210)  # A4 landscape
    assert support.pdf_pages(pdf, tmp_path) == 2
    text = support.pdf_text(pdf, tmp_path)
    part_2018, part_2025 = text.split("Mẫu số 07")
    assert "Mẫu số 06" in part_2018 and "Thông tư số 01/2018/TT-VPCP" in part_2018
    assert "Nghị định 61/2018/NĐ-CP (đến hết ngày 30/6/2025)" in part_2018
    assert old.code in part_2018 and new.code not in part_2018
    assert "Thông tư số 03/2025/TT-VPCP" in part_2025 and new.code in part_2025
    for expected in [
        "SỔ THEO DÕI HỒ SƠ",
        "UBND PHƯỜNG LONG BIÊN",
        "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG LONG BIÊN",
        "Quyển số: 2025 — Từ ngày 01/06/2025 đến ngày 31/07/2025",
        "Ngày, tháng, năm",
        "Nguyễn Văn Bình",
        "30/06/2025 09:10",  # received
        "09/07/2025 17:00",  # appointment
        "02/07/2025 10:30",  # returned
        "Đã ký nhận: Nguyễn Văn Bình",
    ]:
        assert expected in text, expected


def test_the_excel_book_has_a_header_frozen_rows_and_real_dates(ward: Ward) -> None:
    done = support.returned(ward, RuleSet.DECREE_61_2018)
    new = support.received(ward, RuleSet.DECREE_118_2025, when="2025-07-01T10:15")
    book = tracking_book(
        unit=ward.centre, start=dt.date(2025, 6, 1), end=dt.date(2025, 7, 31), max_rows=100
    )

    workbook = load_workbook(io.BytesIO(tracking_book_xlsx(book=book)))

    assert workbook.sheetnames == ["2025 - Mẫu 06", "2025 - Mẫu 07"]
    sheet = workbook["2025 - Mẫu 06"]
    assert sheet["A1"].value == "UBND PHƯỜNG LONG BIÊN"
    assert sheet["A2"].value == "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG PHƯỜNG LONG BIÊN"
    assert sheet["I1"].value == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert sheet["I3"].value == "Mẫu số 06 (Thông tư số 01/2018/TT-VPCP)"
    assert sheet["A5"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["H8"].value == "Ngày, tháng, năm"
    assert [sheet.cell(row=9, column=c).value for c in range(8, 13)] == [
        "Nhận hồ sơ",
        "Hẹn trả kết quả",
        "Chuyển hồ sơ đến cơ quan giải quyết",
        "Nhận kết quả từ cơ quan giải quyết",
        "Trả kết quả cho cá nhân, tổ chức",
    ]
    assert sheet["B8"].value == "Mã hồ sơ" and sheet["N8"].value == "Ghi chú"
    assert sheet.freeze_panes == "C11"
    assert sheet.column_dimensions["C"].width == 40
    assert sheet.print_title_rows == "$8:$10"
    row = [cell.value for cell in sheet[11]]
    assert row[:7] == [
        1,
        done.code,
        "Đăng ký thường trú",
        1,
        "Nguyễn Văn Bình",
        "Số 5 ngõ 12 Nguyễn Văn Cừ, phường Long Biên, Hà Nội, 0912345678",
        "Ủy ban nhân dân phường Long Biên",
    ]
    # Real dates, in local time, shown day first.
    assert row[7:12] == [
        local("2025-06-30T09:10"),
        local("2025-07-09T17:00"),
        local("2025-07-01T09:00"),
        local("2025-07-02T09:00"),
        local("2025-07-02T10:30"),
    ]
    assert sheet["H11"].is_date and sheet["H11"].number_format == "dd/mm/yyyy hh:mm"
    assert row[12:] == ["Đã ký nhận: Nguyễn Văn Bình", "Trước hạn"]
    later = workbook["2025 - Mẫu 07"]
    assert later["I3"].value == "Mẫu số 07 (Thông tư số 03/2025/TT-VPCP)"
    assert [later["A11"].value, later["B11"].value] == [2, new.code]
    assert later["L11"].value is None  # not returned yet


def test_an_empty_period_still_prints_a_page_of_the_book(ward: Ward, tmp_path: Path) -> None:
    book = tracking_book(unit=ward.centre, start=NOVEMBER[0], end=NOVEMBER[1], max_rows=100)

    assert [(s.form_number, s.rows) for s in book.sections] == [("07", [])]
    text = support.pdf_text(tracking_book_pdf(book=book), tmp_path)
    assert "Không có hồ sơ nào được tiếp nhận trong kỳ." in text
    workbook = load_workbook(io.BytesIO(tracking_book_xlsx(book=book)))
    assert workbook.active["A11"].value == "Không có hồ sơ nào được tiếp nhận trong kỳ."


def test_another_units_dossiers_are_not_in_the_book(ward: Ward) -> None:
    support.received(ward, RuleSet.DECREE_118_2025)

    book = tracking_book(unit=ward.other_centre, start=NOVEMBER[0], end=NOVEMBER[1], max_rows=100)

    assert book.row_count == 0


def test_a_book_too_long_or_too_large_is_refused_with_a_reason(ward: Ward) -> None:
    support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T09:10")
    support.received(ward, RuleSet.DECREE_118_2025, when="2026-11-17T09:20")

    with pytest.raises(BookTooLarge) as excinfo:
        tracking_book(unit=ward.centre, start=NOVEMBER[0], end=NOVEMBER[1], max_rows=1)
    assert "2 hồ sơ" in excinfo.value.message
    with pytest.raises(ValidationFailed):
        tracking_book(
            unit=ward.centre, start=dt.date(2025, 11, 1), end=dt.date(2026, 11, 30), max_rows=9
        )
    with pytest.raises(ValidationFailed):
        tracking_book(unit=ward.centre, start=NOVEMBER[1], end=NOVEMBER[0], max_rows=9)
