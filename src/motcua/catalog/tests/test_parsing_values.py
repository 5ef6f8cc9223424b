"""Time limits, fees, money mentions and procedure codes, as the sources print them."""

from __future__ import annotations

from decimal import Decimal

import pytest

from motcua.catalog.parsing import ParseError, is_valid_code, normalize_code, parse_time
from motcua.catalog.parsing.text import clean, money_mentions, split_levels, split_list
from motcua.catalog.parsing.values import build_fee, fee_kind
from motcua.workcalendar.engine import PeriodUnit


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("7 Ngày làm việc", Decimal(7), PeriodUnit.WORKING_DAYS),
        ("15 Ngày", Decimal(15), PeriodUnit.CALENDAR_DAYS),
        ("8 Giờ", Decimal(8), PeriodUnit.WORKING_HOURS),
        ("4 giờ làm việc", Decimal(4), PeriodUnit.WORKING_HOURS),
        ("6 Tháng", Decimal(6), PeriodUnit.MONTHS),
        ("1 năm", Decimal(12), PeriodUnit.MONTHS),
        ("0,5 ngày làm việc", Decimal("0.5"), PeriodUnit.WORKING_DAYS),
        ("1.5 Ngày làm việc", Decimal("1.5"), PeriodUnit.WORKING_DAYS),
        ("05 (năm) ngày làm việc", Decimal(5), PeriodUnit.WORKING_DAYS),
        ("Trong ngày", None, PeriodUnit.SAME_DAY),
        ("ngay trong ngày", None, PeriodUnit.SAME_DAY),
        ("Giải quyết ngay", None, PeriodUnit.SAME_DAY),
    ],
)
def test_time_with_a_unit_is_structured(text, value, unit):
    time, reasons = parse_time(text)

    assert (time.value, time.unit, time.text) == (value, unit, text)
    assert time.is_structured
    assert time.as_period() is not None
    assert reasons == []


def test_time_text_is_nfc_and_whitespace_collapsed():
    decomposed = "7  Nga\u0300y la\u0300m vie\u0323\u0302c"  # NFD, double space

    time, _reasons = parse_time(decomposed)

    assert time.text == "7 Ngày làm việc"
    assert time.unit == PeriodUnit.WORKING_DAYS


@pytest.mark.parametrize(
    ("text", "value", "reason"),
    [
        ("15", Decimal(15), "Không xác định được đơn vị của thời hạn: «15»."),
        ("", None, "Không có thông tin về thời hạn giải quyết."),
        ("Không có thông tin", None, "Không có thông tin về thời hạn giải quyết."),
        ("Không quy định", None, "Thời hạn giải quyết ghi «Không quy định»."),
        ("0 Giờ", Decimal(0), "Thời hạn giải quyết bằng 0: «0 Giờ»."),
        ("1.5 Ngày", Decimal("1.5"), "Thời hạn lẻ chỉ tính được theo ngày làm việc: «1.5 Ngày»."),
        (
            "Không phải trả kết quả cho người nộp thuế",
            None,
            "Không đọc được thời hạn giải quyết: «Không phải trả kết quả cho người nộp thuế».",
        ),
    ],
)
def test_time_that_needs_review(text, value, reason):
    time, reasons = parse_time(text)

    assert time.value == value
    assert not time.is_structured
    assert time.as_period() is None
    assert reasons == [reason]


def test_plain_fee_is_kept():
    fee, reasons = build_fee(amount=20_000, stated_free=False, note="Lệ phí đăng ký cư trú")

    assert (fee.amount, fee.kind, fee.free, fee.set_by_council) == (20_000, "charge", False, False)
    assert reasons == []


def test_free_fee_with_an_amount_in_its_note_is_not_zero():
    """The portal prints "Miễn phí" whenever its number is 0 (shared/data/README.md)."""
    fee, reasons = build_fee(
        amount=0,
        stated_free=True,
        note="Trường hợp nộp hồ sơ trực tuyến thu 8.000 đồng/lần đăng ký",
    )

    assert fee.amount is None
    assert fee.free is False
    assert reasons == ["Lệ phí ghi «Miễn phí» nhưng phần mô tả nêu mức thu 8.000 đồng."]


def test_free_fee_set_by_the_peoples_council_needs_review():
    fee, reasons = build_fee(
        amount=0,
        stated_free=True,
        note="mức thu do Hội đồng nhân dân cấp tỉnh quy định",
    )

    assert fee.amount is None
    assert fee.set_by_council is True
    assert reasons == [
        "Lệ phí ghi «Miễn phí» nhưng mức thu do Hội đồng nhân dân cấp tỉnh quy định."
    ]


@pytest.mark.parametrize("note", ["", "Không", "(Không có)", "Không thu lệ phí", "Miễn lệ phí"])
def test_free_fee_confirmed_by_its_note_is_zero(note):
    fee, reasons = build_fee(amount=0, stated_free=True, note=note)

    assert (fee.amount, fee.free) == (0, True)
    assert reasons == []


def test_fee_entered_in_thousands_is_flagged():
    fee, reasons = build_fee(amount=40, stated_free=False, note="40.000đ/giấy thông hành")

    assert fee.amount == 40
    assert reasons == ["Số tiền 40 đồng có vẻ được nhập theo nghìn đồng (mô tả ghi 40.000 đồng)."]


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("thu 8.000 đồng/lần", [8_000]),
        ("2.000.000/lần; thêm 500.000/lần", [2_000_000, 500_000]),
        ("50.000đ/giấy", [50_000]),
        ("15000000/lần Đồng", [15_000_000]),
        ("06 triệu đồng/Giấy chứng nhận", [6_000_000]),
        ("Thông tư số 64/2025/TT-BTC ngày 30/6/2025, khoản 1 Điều 3", []),
        ("10 USD/bản", []),
    ],
)
def test_money_mentions(text, amounts):
    assert money_mentions(text) == amounts


@pytest.mark.parametrize(
    ("texts", "kind"),
    [(("Lệ phí",), "charge"), (("Phí thẩm định hồ sơ",), "fee"), (("được miễn phí",), "unknown")],
)
def test_fee_kind(texts, kind):
    assert fee_kind(*texts) == kind


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1.004222", "1.004222"),
        (" 2.000815 ", "2.000815"),
        ("1.001193.h19", "1.001193.H19"),
        ("1.001193.000.00.00.H19", "1.001193.000.00.00.H19"),
    ],
)
def test_valid_codes(raw, code):
    assert normalize_code(raw) == code
    assert is_valid_code(code)


@pytest.mark.parametrize(
    "raw", ["", "Không có thông tin", "1004222", "1.00422", "TTHC-12", "1.004222/"]
)
def test_malformed_codes_are_rejected_with_a_reason(raw):
    with pytest.raises(ParseError, match=r"(?i)mã thủ tục"):
        normalize_code(raw)


def test_clean_removes_invisible_marks_and_collapses_whitespace():
    assert clean("Đăng k\u200eý  hộ\n\ttịch\ufeff") == "Đăng ký hộ tịch"


def test_lists_keep_parenthesised_commas_and_the_civil_servant_label():
    assert split_list(
        "Tổ chức (không bao gồm doanh nghiệp, HTX), Cán bộ, công chức, viên chức"
    ) == [
        "Tổ chức (không bao gồm doanh nghiệp, HTX)",
        "Cán bộ, công chức, viên chức",
    ]
    assert split_levels("Cấp Bộ, Cấp Tỉnh, Cấp Xã") == ["Cấp bộ", "Cấp tỉnh", "Cấp xã"]
