"""Ministry of Defence procedures exported from the national database (bqp JSON).

Each record is already structured (see shared/data/README.md, procedures/):
``metadata`` (code, name, decision, level, type, field), ``content`` (free-text
sections) and ``tables`` — ``hinh_thuc_nop`` (channel, "30 Ngày làm việc",
"Phí : 0 Đồng"), ``thanh_phan_ho_so`` (name, template file in ``so_luong``,
"Bản chính: 1\\nBản sao: 0" in ``ghi_chu``) and ``can_cu_phap_ly``. Only the
fee strings and the legal codes still need reading.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping

from django.utils.translation import gettext as _

from .dvcqg import is_inter_agency, missing_components, split_steps
from .text import (
    CURRENCY,
    clean,
    fold,
    normalize_code,
    or_empty,
    parse_vnd,
    split_levels,
    split_list,
)
from .types import (
    Channel,
    ParsedDocument,
    ParsedFee,
    ParsedLegalBasis,
    ParsedMethod,
    ParsedProcedure,
    ParsedResult,
    ParseError,
)
from .values import build_fee, parse_time, review_free_fees

CHANNELS: dict[str, Channel] = {
    "truc tuyen": "online",
    "truc tiep": "in_person",
    "dich vu buu chinh": "postal",
}
_OPTIONAL_RE = re.compile(r"\bneu co\b|^truong hop\b|\btrong truong hop\b|\bdoi voi truong hop\b")
_CERTIFIED_RE = re.compile(r"ban sao (?:co |duoc )?chung thuc")
_COPIES_RE = re.compile(r"Bản chính:\s*(\d+).*?Bản sao:\s*(\d+)", re.DOTALL)
# "Phí : 2.000.000 Đồng (note)", "Lệ phí : 1.5 USD", "Phí : Mức thu bằng 50% … Đồng (note)".
_FEE_LINE_RE = re.compile(
    r"^(?P<label>Lệ phí|Phí)\s*:\s*(?P<body>.*?)\s*(?P<currency>" + CURRENCY + r")?\s*"
    r"(?:\((?P<note>.*)\))?\s*$",
    re.DOTALL,
)
_FREE_WORDS = frozenset({"0", "khong"})
_DECISION_PREFIX_RE = re.compile(r"^(?:Quyết định|QĐ)\s*(?:số)?\s*:?\s*", re.IGNORECASE)
# "12/2021/QĐ-TTg", "47/2014/QH13", "46/2014/TTLT/BQP-BLĐTBXH-BTC".
_CODE_RE = re.compile(
    r"\d{1,5}(?:\.\d{1,3})?/(?:\d{4}/)?[A-ZĐ]"
    r"(?:[A-ZĐ0-9\-]*TTg|[A-ZĐ0-9\-]*(?:/[A-ZĐ][A-ZĐ0-9\-]*)?)"
)
_ISSUER_SPACE_RE = re.compile(r"(?<=[A-ZĐ])-\s+(?=[A-ZĐ])")


def parse_bqp_record(record: Mapping[str, object]) -> ParsedProcedure:
    """Parse one record of the structured BQP export into a :class:`ParsedProcedure`.

    Raises :class:`ParseError` when the record lacks the metadata block, a
    valid code or a name; every other problem becomes a review reason.
    """
    if not isinstance(record, Mapping):
        raise ParseError(_("Bản ghi không phải là một đối tượng JSON."))
    metadata = _section(record, "metadata")
    content = _section(record, "content")
    tables = _section(record, "tables")
    code = normalize_code(metadata.get("mã_thủ_tục") or record.get("thu_tuc_id"))
    name = or_empty(metadata.get("tên_thủ_tục"))
    if not name:
        raise ParseError(_("Thủ tục %(code)s không có tên.") % {"code": code})
    reasons: list[str] = []
    other_id = clean(record.get("thu_tuc_id"))
    if other_id and other_id != code:
        reasons.append(
            _("Mã thủ tục trong tệp (%(file)s) khác mã trong nội dung (%(code)s).")
            % {"file": other_id, "code": code}
        )

    legal_basis = [_legal(row) for row in _rows(tables, "can_cu_phap_ly")]
    legal_basis = [entry for entry in legal_basis if entry.title or entry.code]
    methods = [_method(row) for row in _rows(tables, "hinh_thuc_nop")]
    methods = review_free_fees(methods, legal_basis)
    if not methods:
        reasons.append(_("Không có cách thức thực hiện (hình thức nộp, thời hạn, phí)."))
    for method in methods:
        reasons.extend(method.review_reasons)
    documents = [_document(row) for row in _rows(tables, "thanh_phan_ho_so")]
    documents = [document for document in documents if document.name]
    for entry in legal_basis:
        if not entry.code:
            reasons.append(
                _("Không xác định được số hiệu văn bản pháp lý: «%(title)s».")
                % {"title": entry.title[:120]}
            )
    result = or_empty(content.get("kết_quả_thực_hiện"))
    reasons.extend(
        missing_components(
            documents=bool(documents), legal_basis=bool(legal_basis), results=bool(result)
        )
    )
    coordinating = or_empty(content.get("cơ_quan_phối_hợp"))
    steps_text = or_empty(content.get("trình_tự_thực_hiện"))

    return ParsedProcedure(
        code=code,
        name=name,
        source="bqp",
        field=or_empty(metadata.get("lĩnh_vực")),
        levels=split_levels(metadata.get("cấp_thực_hiện")),
        procedure_type=or_empty(metadata.get("loại_thủ_tục")),
        decision_number=_DECISION_PREFIX_RE.sub("", or_empty(metadata.get("số_quyết_định"))),
        issuing_body="Bộ Quốc phòng",
        applicants=split_list(content.get("đối_tượng_thực_hiện")),
        competent_authority=or_empty(content.get("cơ_quan_có_thẩm_quyền")),
        implementing_agency=or_empty(content.get("cơ_quan_thực_hiện")),
        authorized_agency=or_empty(content.get("cơ_quan_được_ủy_quyền")),
        coordinating_agency=coordinating,
        submission_address=or_empty(content.get("địa_chỉ_tiếp_nhận_hs")),
        steps_text=steps_text,
        steps=split_steps(steps_text),
        conditions=_conditions(content.get("yêu_cầu_điều_kiện_thực_hiện")),
        methods=methods,
        documents=documents,
        results=[ParsedResult(name=result, code="")] if result else [],
        legal_basis=legal_basis,
        is_inter_agency=is_inter_agency(name, steps_text, coordinating),
        review_reasons=list(dict.fromkeys(reasons)),
        original=_original(record),
    )


def _section(record: Mapping[str, object], key: str) -> Mapping[str, object]:
    value = record.get(key)
    if not isinstance(value, Mapping):
        raise ParseError(_("Bản ghi thiếu phần «%(key)s».") % {"key": key})
    # The keys are Vietnamese ("mã_thủ_tục"): look them up in NFC whatever
    # form the exporter wrote them in.
    return {unicodedata.normalize("NFC", str(k)): v for k, v in value.items()}


def _rows(tables: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    value = tables.get(key) or []
    return [row for row in value if isinstance(row, Mapping)] if isinstance(value, list) else []


def _original(record: Mapping[str, object]) -> dict[str, str]:
    """Source fields verbatim, flattened: "metadata.mã_thủ_tục", "tables.hinh_thuc_nop" (JSON)."""
    original: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, Mapping) and key != "tables":
            for inner, inner_value in value.items():
                original[f"{key}.{inner}"] = str(inner_value)
        elif isinstance(value, (Mapping, list)):
            original[key] = json.dumps(value, ensure_ascii=False)
        elif value is not None:
            original[key] = str(value)
    return original


def _conditions(value: object) -> str:
    text = or_empty(value)
    return "" if fold(text).strip(" .") == "khong" else text


def _method(row: Mapping[str, object]) -> ParsedMethod:
    reasons: list[str] = []
    label = clean(row.get("hinh_thuc"))
    channel = CHANNELS.get(fold(label))
    if channel is None:
        # Unknown channel names are kept as in-person, the portal's default.
        channel = "in_person"
        reasons.append(_("Hình thức nộp không rõ: «%(text)s».") % {"text": label})
    time, time_reasons = parse_time(str(row.get("thoi_han_giai_quyet") or ""))
    reasons.extend(time_reasons)
    fees, fee_reasons, attachments = parse_bqp_fees(str(row.get("phi_le_phi") or ""))
    reasons.extend(fee_reasons)
    description = " ".join(part for part in (or_empty(row.get("mo_ta")), attachments) if part)
    raw = json.dumps(dict(row), ensure_ascii=False)
    return ParsedMethod(
        channel=channel,
        time=time,
        fees=fees,
        description=description,
        raw=raw,
        review_reasons=list(dict.fromkeys(reasons)),
    )


def parse_bqp_fees(text: str) -> tuple[list[ParsedFee], list[str], str]:
    """Read "Phí : 0 Đồng" / "Lệ phí : 1.5 USD (note)" lines into fees.

    Returns (fees, review reasons, attachment lines such as "File đính kèm: …").
    """
    fees: list[ParsedFee] = []
    reasons: list[str] = []
    attachments: list[str] = []
    lines = [line.strip() for line in re.split(r"\n(?=\s*(?:Lệ phí|Phí|File đính kèm)\s*:)", text)]
    for line in filter(None, lines):
        if line.startswith("File đính kèm"):
            attachments.append(clean(line))
            continue
        match = _FEE_LINE_RE.match(line)
        if not match:
            reasons.append(
                _("Không đọc được phí, lệ phí: «%(text)s».") % {"text": clean(line)[:120]}
            )
            continue
        fee, fee_reasons = _fee(match)
        fees.append(fee)
        reasons.extend(fee_reasons)
    if not fees and not reasons:
        reasons.append(_("Không có thông tin về phí, lệ phí."))
    return fees, reasons, " ".join(attachments)


def _fee(match: re.Match[str]) -> tuple[ParsedFee, list[str]]:
    label = match.group("label")
    body = clean(match.group("body"))
    currency = match.group("currency") or ""
    note = clean(match.group("note") or "")
    printed = clean(f"{label} : {body} {currency}")
    if fold(body) in _FREE_WORDS:
        return build_fee(amount=0, stated_free=True, note=note, label=label)
    if not body:
        fee, reasons = build_fee(amount=None, stated_free=False, note=note, label=label)
        return fee, [_("Phí, lệ phí không ghi số tiền: «%(text)s».") % {"text": printed}, *reasons]
    if currency == "USD":
        fee, reasons = build_fee(amount=None, stated_free=False, note=note, label=label)
        return fee, [_("Mức thu tính bằng ngoại tệ: «%(text)s».") % {"text": printed}, *reasons]
    amount = parse_vnd(body)
    if amount is None:
        # "Mức thu bằng 50% mức thu phí quy định tại …": a rule, not an amount.
        description = clean(f"{body} ({note})" if note else body)
        fee, reasons = build_fee(amount=None, stated_free=False, note=description, label=label)
        return fee, [
            _("Mức thu không phải số tiền cụ thể: «%(text)s».") % {"text": body[:120]},
            *reasons,
        ]
    if amount == 0:
        return build_fee(amount=0, stated_free=True, note=note, label=label)
    return build_fee(amount=amount, stated_free=False, note=note, label=label)


def _document(row: Mapping[str, object]) -> ParsedDocument:
    name = or_empty(row.get("ten_giay_to"))
    notes = str(row.get("ghi_chu") or "")
    counts = _COPIES_RE.search(notes)
    originals, copies = (int(counts.group(1)), int(counts.group(2))) if counts else (0, 0)
    reasons: list[str] = []
    if not counts:
        reasons.append(_("Không đọc được số lượng bản: «%(text)s».") % {"text": clean(notes)})
    folded = fold(name)
    certified = 0
    if copies and _CERTIFIED_RE.search(folded) and " hoac " not in folded:
        certified, copies = copies, 0
    return ParsedDocument(
        name=name,
        originals=originals,
        copies=copies,
        certified_copies=certified,
        # The export puts the template's file name in the "số lượng" column.
        template=or_empty(row.get("so_luong")),
        required=not _OPTIONAL_RE.search(folded),
        case="",
        raw=json.dumps(dict(row), ensure_ascii=False),
        review_reasons=reasons,
    )


def _legal(row: Mapping[str, object]) -> ParsedLegalBasis:
    """Code from ``so_ky_hieu`` ("12", "Thông tư số 67/2024/TT-BQP"), completed from the title."""
    title = or_empty(row.get("trich_yeu"))
    number = _ISSUER_SPACE_RE.sub("-", or_empty(row.get("so_ky_hieu")))
    title_codes = _CODE_RE.findall(_ISSUER_SPACE_RE.sub("-", title))
    code = ""
    if match := _CODE_RE.search(number):
        code = match.group(0)
    elif number.isdigit():
        # "12" with the title "Quyết định số 12/2021/QĐ-TTg …".
        code = next((c for c in title_codes if c.split("/")[0] == number), "")
    elif title_codes:
        code = title_codes[0]
    return ParsedLegalBasis(code=code, title=title or number)
