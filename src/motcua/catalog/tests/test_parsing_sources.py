"""Whole-file readers: the BQP export, the ministries' spreadsheets and iter_source()."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from motcua.catalog.parsing import (
    ParsedProcedure,
    ParseError,
    ParseFailure,
    iter_source,
    iter_xlsx,
    parse_bqp_record,
)
from motcua.workcalendar.engine import PeriodUnit

DATA = Path(__file__).parent / "data"


def bqp(code: str) -> ParsedProcedure:
    records = json.loads((DATA / "bqp_sample.json").read_text(encoding="utf-8"))
    return parse_bqp_record(next(r for r in records if r["thu_tuc_id"] == code))


def test_bqp_record_is_read_from_its_tables():
    procedure = bqp("1.013124")

    assert procedure.source == "bqp"
    assert procedure.levels == ["Cấp bộ"]
    assert procedure.decision_number == "6225/QĐ-BQP"
    assert [m.channel for m in procedure.methods] == ["in_person", "online", "postal"]
    for method in procedure.methods:
        assert (method.time.value, method.time.unit) == (Decimal(30), PeriodUnit.WORKING_DAYS)
        (fee,) = method.fees
        assert (fee.amount, fee.kind, fee.free) == (0, "fee", True)  # "Phí : 0 Đồng"
    form, plan = procedure.documents
    assert (form.originals, form.copies, form.template) == (1, 0, "")
    assert plan.template == "5-PHLCII.doc"
    assert [(e.code, e.title[:30]) for e in procedure.legal_basis] == [
        ("12/2021/QĐ-TTg", "Quyết định số 12/2021/QĐ-TTg n")
    ]
    assert procedure.results[0].name.startswith("Quyết định phê duyệt kế hoạch")
    assert procedure.review_reasons == []
    assert procedure.original["metadata.mã_thủ_tục"] == "1.013124"


def test_bqp_fee_lines_each_become_a_fee():
    """ "Phí : 2.000.000 Đồng (…)\\nPhí : 3.500.000 Đồng (…)…" in one cell."""
    procedure = bqp("1.013539")

    amounts = [fee.amount for fee in procedure.methods[0].fees]
    assert amounts == [2_000_000, 3_500_000, 4_000_000, 5_000_000]
    assert procedure.methods[0].fees[0].description.startswith("Thẩm định cấp phép")


def test_bqp_foreign_currency_and_zero_hours_need_review():
    procedure = bqp("1.013562")

    assert procedure.methods[0].fees[0].amount is None
    assert "Mức thu tính bằng ngoại tệ: «Lệ phí : 03 USD»." in procedure.review_reasons
    assert "Thời hạn giải quyết bằng 0: «0 Giờ»." in procedure.review_reasons


def test_bqp_record_without_metadata_is_rejected():
    with pytest.raises(ParseError, match="metadata"):
        parse_bqp_record({"thu_tuc_id": "1.013124"})


def test_xlsx_rows_are_minimal_procedures():
    """toa-an-nhan-dan.xlsx: header on row 2, three procedures from row 3."""
    procedures = list(iter_xlsx(DATA / "toa-an-nhan-dan.xlsx"))

    assert [p.code for p in procedures] == ["3.000164", "3.000163", "3.000165"]
    first = procedures[0]
    assert first.source == "xlsx"
    assert first.name == "Đăng ký nhận các thông báo, văn bản tố tụng bằng phương tiện điện tử"
    assert first.issuing_body == "Tòa án nhân dân"
    assert first.field == "Tòa án"
    assert first.implementing_agency.split("; ")[0] == "Tòa án nhân dân cấp cao"
    assert first.methods == [] and first.documents == []


def test_iter_source_numbers_xlsx_rows_as_in_the_sheet():
    rows = [row for row, _result in iter_source(DATA / "toa-an-nhan-dan.xlsx")]

    assert rows == [3, 4, 5]


def test_iter_source_reads_json_lists_of_bqp_records():
    results = list(iter_source(DATA / "bqp_sample.json"))

    assert [(row, result.code) for row, result in results] == [
        (1, "1.013124"),
        (2, "1.013539"),
        (3, "1.013562"),
    ]


def test_malformed_jsonl_line_fails_alone(tmp_path):
    """A broken line, a record without code and a bad code do not stop the next rows."""
    good = (DATA / "dvcqg_sample.jsonl").read_text(encoding="utf-8").splitlines()
    source = tmp_path / "catalog.jsonl"
    source.write_text(
        "\n".join(
            [
                good[0],
                '{"ma_thu_tuc": "1.004222", "ten_thu_tuc": ',  # cut off mid-record
                json.dumps({"ten_thu_tuc": "Không có mã"}, ensure_ascii=False),
                json.dumps({"ma_thu_tuc": "1.00A", "ten_thu_tuc": "Mã sai"}, ensure_ascii=False),
                "[1, 2]",
                "",
                good[1],
            ]
        ),
        encoding="utf-8",
    )

    results = list(iter_source(source))

    assert [row for row, _result in results] == [1, 2, 3, 4, 5, 7]
    assert isinstance(results[0][1], ParsedProcedure)
    assert results[0][1].code == "1.004222"
    broken, missing, malformed, not_object = (result for _row, result in results[1:5])
    assert isinstance(broken, ParseFailure)
    assert broken.row == 2
    assert broken.reason.startswith("Dòng không phải JSON hợp lệ")
    assert broken.raw.startswith('{"ma_thu_tuc": "1.004222"')
    assert missing.reason == "Thiếu mã thủ tục."
    assert malformed.reason.startswith("Mã thủ tục không hợp lệ: «1.00A»")
    assert not_object.reason == "Bản ghi không phải là một đối tượng JSON."
    assert isinstance(results[5][1], ParsedProcedure)
    assert results[5][1].code == "1.001193"


def test_unsupported_file_type_raises(tmp_path):
    source = tmp_path / "catalog.csv"
    source.write_text("Mã số,Tên\n", encoding="utf-8")

    with pytest.raises(ParseError, match=r"\.csv"):
        list(iter_source(source))


def test_xlsx_row_with_a_bad_code_becomes_a_failure(tmp_path):
    import openpyxl

    source = tmp_path / "list.xlsx"
    shutil.copy(DATA / "toa-an-nhan-dan.xlsx", source)
    workbook = openpyxl.load_workbook(source)
    workbook.active["A4"] = "không rõ"
    workbook.save(source)

    results = dict(iter_source(source))

    assert isinstance(results[4], ParseFailure)
    assert results[4].reason.startswith("Mã thủ tục không hợp lệ")
    assert results[3].code == "3.000164" and results[5].code == "3.000165"
    with pytest.raises(ParseError, match="Dòng 4"):
        list(iter_xlsx(source))
