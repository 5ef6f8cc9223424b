"""Time limits and fees, shared by every source shape.

Both parsers end here once they have cut a method's time text and its fee
amount out of the source: the rules for what counts as a confident value (and
what needs an officer's review) live in one place.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from motcua.workcalendar.engine import PeriodUnit

from .text import clean, fold, format_vnd, is_empty_marker, mentions_council, money_mentions
from .types import FeeKind, ParsedFee, ParsedLegalBasis, ParsedMethod, ParsedTime

# --- time limits ---------------------------------------------------------------

# Units as the portal prints them, matched on folded text (no diacritics), the
# longer phrases first so "ngày làm việc" is not read as "ngày".
_UNITS: list[tuple[str, PeriodUnit, int]] = [
    ("ngay lam viec", PeriodUnit.WORKING_DAYS, 1),
    ("gio lam viec", PeriodUnit.WORKING_HOURS, 1),
    ("ngay", PeriodUnit.CALENDAR_DAYS, 1),
    ("gio", PeriodUnit.WORKING_HOURS, 1),
    ("thang", PeriodUnit.MONTHS, 1),
    # A year is twelve months: the calendar counts months, not years.
    ("nam", PeriodUnit.MONTHS, 12),
]
_UNIT_ALT = "|".join(re.escape(name) for name, _unit, _factor in _UNITS)
# "7 Ngày làm việc", "05 (năm) ngày làm việc", "0,5 ngày", "1.5 Ngày", "15".
_TIME_RE = re.compile(
    r"^(?P<num>\d+(?:[.,]\d+)?)\s*(?:\([^)]*\)\s*)?(?P<unit>" + _UNIT_ALT + r")?\s*[.;]?$"
)
_UNIT_ONLY_RE = re.compile(r"^(?P<unit>" + _UNIT_ALT + r")$")
_SAME_DAY = (
    "trong ngay",
    "ngay trong ngay",
    "giai quyet ngay",
    "tra ket qua ngay",
    "ngay khi nhan",
    "ngay sau khi nhan",
)
_NOT_SET = ("khong quy dinh", "chua quy dinh")


def parse_time(text: str) -> tuple[ParsedTime, list[str]]:
    """Read a time-limit cell ("7 Ngày làm việc", "Trong ngày", "15") into a value and unit.

    Returns the parsed time and the review reasons it raises: a bare number
    keeps its value with no unit, anything else unreadable keeps only its text.
    """
    text = clean(text)
    if is_empty_marker(text):
        return ParsedTime(None, None, ""), [_("Không có thông tin về thời hạn giải quyết.")]
    folded = fold(text)
    match = _TIME_RE.match(folded)
    if match:
        value = _decimal(match["num"])
        if match["unit"] is None:
            reason = _("Không xác định được đơn vị của thời hạn: «%(text)s».") % {"text": text}
            return ParsedTime(value, None, text), [reason]
        unit, factor = _unit(match["unit"])
        value = value * factor if value is not None else None
        time = ParsedTime(value, unit, text)
        return time, _time_value_reasons(time)
    if any(folded.startswith(phrase) for phrase in _SAME_DAY):
        return ParsedTime(None, PeriodUnit.SAME_DAY, text), []
    if match := _UNIT_ONLY_RE.match(folded):
        unit, _factor = _unit(match["unit"])
        reason = _("Thời hạn có đơn vị nhưng không có số: «%(text)s».") % {"text": text}
        return ParsedTime(None, unit, text), [reason]
    if folded.strip(" .") == "khong" or any(folded.startswith(p) for p in _NOT_SET):
        return ParsedTime(None, None, text), [
            _("Thời hạn giải quyết ghi «%(text)s».") % {"text": text}
        ]
    reason = _("Không đọc được thời hạn giải quyết: «%(text)s».") % {"text": _short(text)}
    return ParsedTime(None, None, text), [reason]


def _unit(folded_unit: str) -> tuple[PeriodUnit, int]:
    for name, unit, factor in _UNITS:
        if folded_unit == name:
            return unit, factor
    raise KeyError(folded_unit)  # pragma: no cover - the regex only matches known units


def _decimal(number: str) -> Decimal | None:
    # "0,5" and "1.5" are both halves: no time limit has thousands separators.
    try:
        return Decimal(number.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the regex only lets digits through
        return None


def _time_value_reasons(time: ParsedTime) -> list[str]:
    if time.value is None:
        return []
    if time.value == 0:
        return [_("Thời hạn giải quyết bằng 0: «%(text)s».") % {"text": time.text}]
    if time.value != time.value.to_integral_value() and time.unit not in (
        PeriodUnit.WORKING_DAYS,
        PeriodUnit.WORKING_HOURS,
    ):
        return [
            _("Thời hạn lẻ chỉ tính được theo ngày làm việc: «%(text)s».") % {"text": time.text}
        ]
    return []


def time_needs_review(time: ParsedTime) -> bool:
    """True when a deadline cannot be computed from ``time`` as it stands."""
    return not time.is_structured


# --- fees ------------------------------------------------------------------------

# Phrases that, next to a "free" (0) fee, point at a fee schedule somewhere
# else: the portal prints 0 whenever nobody typed the number in.
_FEE_RULE_HINTS = (
    "muc thu",
    "muc le phi",
    "muc phi",
    "thu phi",
    "thu le phi",
    "bieu phi",
    "bieu muc thu",
    "gia dich vu",
    "phi tham dinh",
    "phi cap",
    "le phi cap",
    "le phi dang ky",
    "phi, le phi",
    "phi va le phi",
    "nop phi",
    "nop le phi",
    "chi phi",
    "bieu gia",
    "gia kiem tra",
    "phap luat ve gia",
    "tinh theo",
    # Fee circulars come from the Ministry of Finance ("…/TT-BTC").
    "btc",
    "bo tai chinh",
    "do uy ban nhan dan",
)
# Short notes that only confirm there is nothing to pay: "Không", "(Không có)",
# "Miễn lệ phí", "Không thu lệ phí", "Chưa quy định".
_FREE_HINTS = ("khong", "mien", "chua quy dinh")
_SHORT_NOTE = 40
_KIND_RE = re.compile(r"(?<!mien )(?<!chi )(?<!cac )\b(le phi|phi)\b")


def fee_kind(*texts: str) -> FeeKind:
    """ "Lệ phí" is a charge, "Phí" a fee (Law on Fees and Charges 2015): the first one named."""
    for text in texts:
        match = _KIND_RE.search(fold(text))
        if match:
            return "charge" if match[1] == "le phi" else "fee"
    return "unknown"


def build_fee(
    *, amount: int | None, stated_free: bool, note: str, label: str = ""
) -> tuple[ParsedFee, list[str]]:
    """Decide how far a fee can be trusted.

    ``amount`` is the number the source printed (``None`` when it printed none),
    ``stated_free`` is True for "Miễn phí" or a printed 0, ``note`` is the fee's
    description and ``label`` the source's "Phí"/"Lệ phí" label if it has one.
    A "free" fee whose note states an amount, defers to the People's Council or
    points at a fee schedule is never returned as a confident 0.
    """
    note = clean(note)
    kind = fee_kind(label, note)
    council = mentions_council(note)
    mentions = money_mentions(note)
    folded = fold(note)
    if stated_free:
        if mentions:
            reason = _("Lệ phí ghi «Miễn phí» nhưng phần mô tả nêu mức thu %(amounts)s đồng.") % {
                "amounts": _amounts(mentions)
            }
            return ParsedFee(None, kind, note, False, council), [reason]
        if council:
            reason = _(
                "Lệ phí ghi «Miễn phí» nhưng mức thu do Hội đồng nhân dân cấp tỉnh quy định."
            )
            return ParsedFee(None, kind, note, False, True), [reason]
        if _points_at_schedule(folded):
            reason = _(
                "Lệ phí ghi «Miễn phí» nhưng phần mô tả dẫn chiếu quy định về mức thu: «%(note)s»."
            ) % {"note": _short(note)}
            return ParsedFee(None, kind, note, False, False), [reason]
        return ParsedFee(0, kind, note, True, False), []
    if amount is None:
        return ParsedFee(None, kind, note, False, council), []
    reasons: list[str] = []
    if council:
        reasons.append(
            _(
                "Mức thu %(amount)s đồng do Hội đồng nhân dân cấp tỉnh quy định: "
                "cần đối chiếu nghị quyết của tỉnh."
            )
            % {"amount": format_vnd(amount)}
        )
    if amount < 1000:
        if amount * 1000 in mentions:
            reasons.append(
                _(
                    "Số tiền %(amount)s đồng có vẻ được nhập theo nghìn đồng "
                    "(mô tả ghi %(stated)s đồng)."
                )
                % {"amount": format_vnd(amount), "stated": format_vnd(amount * 1000)}
            )
        else:
            reasons.append(
                _("Số tiền %(amount)s đồng nhỏ bất thường.") % {"amount": format_vnd(amount)}
            )
    elif mentions and amount not in mentions:
        reasons.append(
            _("Số tiền %(amount)s đồng không khớp với mô tả (%(stated)s đồng).")
            % {"amount": format_vnd(amount), "stated": _amounts(mentions)}
        )
    return ParsedFee(amount, kind, note, False, council), reasons


def _points_at_schedule(folded_note: str) -> bool:
    bare = folded_note.strip(" ()-.:;")
    if not bare:
        return False
    if len(bare) <= _SHORT_NOTE and bare.startswith(_FREE_HINTS):
        return False
    return any(hint in bare for hint in _FEE_RULE_HINTS)


def _amounts(amounts: list[int]) -> str:
    unique = list(dict.fromkeys(amounts))
    shown = ", ".join(format_vnd(a) for a in unique[:3])
    return shown + ("…" if len(unique) > 3 else "")


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def review_free_fees(
    methods: list[ParsedMethod], legal_basis: list[ParsedLegalBasis]
) -> list[ParsedMethod]:
    """Withdraw confident zeros that the procedure's own legal basis contradicts.

    The portal prints "Miễn phí" whenever nobody typed a fee in; when the legal
    basis cites a fee regulation (for civil status, the circular on fees the
    People's Council sets), the fee needs review instead.
    """
    council = next((entry for entry in legal_basis if _is_council_fee_rule(entry)), None)
    schedule = next((entry for entry in legal_basis if _is_fee_rule(entry)), None)
    if council is None and schedule is None:
        return methods
    reviewed = []
    for method in methods:
        if not any(fee.free for fee in method.fees):
            reviewed.append(method)
            continue
        rule = council or schedule
        assert rule is not None
        cited = rule.code or _short(rule.title, 60)
        if council is not None:
            reason = _(
                "Lệ phí ghi «Miễn phí» nhưng căn cứ pháp lý có văn bản về phí, lệ phí "
                "do Hội đồng nhân dân cấp tỉnh quyết định (%(code)s)."
            ) % {"code": cited}
        else:
            reason = _(
                "Lệ phí ghi «Miễn phí» nhưng căn cứ pháp lý có văn bản quy định mức thu "
                "(%(code)s)."
            ) % {"code": cited}
        fees = [
            replace(fee, amount=None, free=False, set_by_council=council is not None)
            if fee.free
            else fee
            for fee in method.fees
        ]
        reviewed.append(
            replace(method, fees=fees, review_reasons=[*method.review_reasons, reason])
        )
    return reviewed


def _is_council_fee_rule(entry: ParsedLegalBasis) -> bool:
    title = fold(entry.title)
    return "phi" in title and ("hoi dong nhan dan" in title or "hdnd" in title)


def _is_fee_rule(entry: ParsedLegalBasis) -> bool:
    title = fold(entry.title)
    return any(hint in title for hint in ("muc thu", "le phi", "bieu phi"))
