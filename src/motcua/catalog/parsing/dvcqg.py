"""The National Public Service Portal's detail pages, flattened to text (dvcqg JSONL).

Each record is a dict of strings (see shared/data/README.md, procedures/). The
tables of the page arrive as their cells' text run together without
separators, e.g. ``"Hình thức nộpThời gianPhí, lệ phíMô tảTrực tuyến7 Ngày làm
việc10,000 Việt Nam Đồng(…)Trực tiếp…"``. The parsers below re-cut those cells
from what the portal always prints around them (channel names, units,
currencies, "N bản chính", "Mã: KQ…"). Where a boundary can only be guessed,
the guess is kept and a review reason says so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

from django.utils.translation import gettext as _

from .text import (
    LOWER_CLASS,
    UPPER_CLASS,
    clean,
    fold,
    is_empty_marker,
    money_mentions,
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
    ParsedTime,
    ParseError,
)
from .values import build_fee, parse_time, review_free_fees

CHANNELS: dict[str, Channel] = {
    "Trực tuyến": "online",
    "Trực tiếp": "in_person",
    "Dịch vụ bưu chính": "postal",
}
_UUID_RE = re.compile(
    r"([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/?$", re.IGNORECASE
)
_STEP_RE = re.compile(r"(?:(?<=\s)|^)(?=Bước\s*\d+\b)")
_LIEN_THONG_BOILERPLATE = re.compile(r"một cửa,? (?:và )?một cửa liên thông")


def parse_dvcqg_record(record: Mapping[str, object]) -> ParsedProcedure:
    """Parse one portal record (all values strings) into a :class:`ParsedProcedure`.

    Raises :class:`ParseError` only when the record has no usable procedure
    code or name; every other problem becomes a review reason.
    """
    if not isinstance(record, Mapping):
        raise ParseError(_("Bản ghi không phải là một đối tượng JSON."))
    original = {key: str(value) for key, value in record.items() if value is not None}
    code = normalize_code(record.get("ma_thu_tuc"))
    name = or_empty(record.get("ten_thu_tuc"))
    if not name:
        raise ParseError(_("Thủ tục %(code)s không có tên.") % {"code": code})
    reasons: list[str] = []

    legal_basis, legal_reasons = parse_legal_basis(str(record.get("can_cu_phap_ly") or ""))
    methods = parse_methods(str(record.get("cach_thuc_thuc_hien") or ""))
    methods = review_free_fees(methods, legal_basis)
    if not methods:
        reasons.append(_("Không tách được cách thức thực hiện (hình thức nộp, thời hạn, phí)."))
    for method in methods:
        reasons.extend(method.review_reasons)

    documents, notes, doc_reasons = parse_documents(str(record.get("thanh_phan_ho_so") or ""))
    reasons.extend(doc_reasons)
    for document in documents:
        reasons.extend(document.review_reasons)
    reasons.extend(legal_reasons)
    results = parse_results(str(record.get("ket_qua_xu_ly") or ""))
    reasons.extend(
        missing_components(
            documents=bool(documents or doc_reasons or notes),
            legal_basis=bool(legal_basis),
            results=bool(results),
        )
    )

    steps_text = or_empty(record.get("trinh_tu_thuc_hien"))
    coordinating = or_empty(record.get("co_quan_phoi_hop"))
    url = clean(record.get("detail_url"))
    portal = _UUID_RE.search(url)

    return ParsedProcedure(
        code=code,
        name=name,
        source="dvcqg",
        field=or_empty(record.get("linh_vuc")),
        levels=split_levels(record.get("cap_thuc_hien")),
        procedure_type=or_empty(record.get("loai_thu_tuc")),
        decision_number=or_empty(record.get("so_quyet_dinh")),
        applicants=split_list(record.get("doi_tuong_thuc_hien")),
        competent_authority=or_empty(record.get("co_quan_co_tham_quyen")),
        implementing_agency=or_empty(record.get("co_quan_thuc_hien")),
        authorized_agency=or_empty(record.get("co_quan_duoc_uy_quyen")),
        coordinating_agency=coordinating,
        submission_address=or_empty(record.get("dia_chi_tiep_nhan")),
        related=or_empty(record.get("thu_tuc_lien_quan")),
        steps_text=steps_text,
        steps=split_steps(steps_text),
        conditions=_conditions(record.get("yeu_cau_dieu_kien")),
        methods=methods,
        documents=documents,
        document_notes=notes,
        results=results,
        legal_basis=legal_basis,
        portal_id=portal.group(1).lower() if portal else "",
        source_url=url,
        is_inter_agency=is_inter_agency(name, steps_text, coordinating),
        review_reasons=list(dict.fromkeys(reasons)),
        original=original,
    )


def _conditions(value: object) -> str:
    text = or_empty(value)
    # "Không" alone means the procedure has no conditions.
    return "" if text.lower().strip(" .") == "không" else text


def split_steps(text: str) -> list[str]:
    """ "Bước 1: …Bước 2: …" → one string per step; [] when the text has no "Bước N"."""
    if not text:
        return []
    pieces = [piece.strip() for piece in _STEP_RE.split(text)]
    steps = [piece for piece in pieces if piece.startswith("Bước")]
    if not steps:
        return []
    # Text before "Bước 1" (an introduction) stays in steps_text only.
    return steps


def missing_components(*, documents: bool, legal_basis: bool, results: bool) -> list[str]:
    """Review reasons for components the source leaves empty.

    Decree 63 art. 8(2) requires each of them in a published procedure (R32).
    """
    reasons = []
    if not documents:
        reasons.append(_("Không có thông tin về thành phần hồ sơ."))
    if not legal_basis:
        reasons.append(_("Không có thông tin về căn cứ pháp lý."))
    if not results:
        reasons.append(_("Không có thông tin về kết quả thực hiện."))
    return reasons


def is_inter_agency(name: str, steps_text: str, coordinating: str) -> bool:
    """Liên thông: a coordinating agency, or "liên thông" named for this procedure.

    The boilerplate "cơ chế một cửa, một cửa liên thông" (the one-stop decree's
    title) appears in ordinary procedures and does not count.
    """
    if coordinating:
        return True
    # perf: lower() on NFC text instead of fold(); fold() on every steps text
    # cost a third of the parse time.
    for text in (name, steps_text):
        lowered = _LIEN_THONG_BOILERPLATE.sub("", text.lower())
        if "liên thông" in lowered:
            return True
    return False


# --- methods: "Hình thức nộpThời gianPhí, lệ phíMô tả…" ---------------------------

_METHOD_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_NO_INFO = "Không có thông tin"
_FREE = "Miễn phí"
# A row starts with a channel glued to its time cell: a digit, "Không có thông
# tin" or another capitalised text. In descriptions the same words are followed
# by a space or a colon ("- Trực tuyến: nộp hồ sơ…"), which does not match.
_ROW_RE = re.compile(r"(Trực tuyến|Trực tiếp|Dịch vụ bưu chính)(?=\d|" + UPPER_CLASS + ")")
_TIME_UNIT_RE = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(Ngày làm việc|ngày làm việc|Giờ làm việc|giờ làm việc|"
    r"Ngày|ngày|Giờ|giờ|Tháng|tháng|Năm|năm)(?!" + LOWER_CLASS + ")"
)
# The portal prints amounts as "10,000 Việt Nam Đồng", "70,000 VNĐ" or "10 USD"
# (sometimes " VNĐ" with the number missing); "đồng" alone is prose ("đồng thời").
_PORTAL_CURRENCY = r"(?:Việt Nam Đồng|VNĐ|USD)"
_AMOUNT_RE = re.compile(r"(\d[\d.,]*)?\s*(" + _PORTAL_CURRENCY + r")")
_NEXT_AMOUNT_RE = re.compile(r"(\d[\d.,]*)\s*(" + _PORTAL_CURRENCY + r")")
_GLUED_AMOUNT_RE = _NEXT_AMOUNT_RE
_BARE_NUMBER_RE = re.compile(r"\d+(?:[.,]\d+)?")
_FEE_START_RE = re.compile(
    re.escape(_FREE) + "|" + re.escape(_NO_INFO) + r"|\d[\d.,]*\s*" + _PORTAL_CURRENCY
)
_ENUMERATOR_RE = re.compile(r"^\(\s*(?:\d{1,2}|[a-zđ]|[ivx]{1,4})\s*\)")


def parse_methods(text: str) -> list[ParsedMethod]:
    """Cut the glued methods table into one :class:`ParsedMethod` per row.

    Expects the portal's header followed by rows of channel + time + fee
    (+ "(fee note)") + description, all run together.
    """
    text = clean(text)
    if text.startswith(_METHOD_HEADER):
        text = text[len(_METHOD_HEADER) :]
    starts = list(_ROW_RE.finditer(text))
    methods = []
    for index, start in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        body = text[start.end() : end]
        methods.append(
            _parse_method_row(CHANNELS[start.group(1)], body, text[start.start() : end])
        )
    return methods


def _parse_method_row(channel: Channel, body: str, raw: str) -> ParsedMethod:
    reasons: list[str] = []
    time_text, rest, glued_fee = _cut_time(body)
    if glued_fee is not None:
        time, fee_amount, glue_reasons = glued_fee
        reasons.extend(glue_reasons)
        note, rest = _take_note(rest)
        fee, fee_reasons = build_fee(amount=fee_amount, stated_free=False, note=note)
        fees = [fee]
        reasons.extend(fee_reasons)
    else:
        time, time_reasons = parse_time(time_text)
        reasons.extend(time_reasons)
        fees, rest, fee_reasons = _cut_fees(rest)
        reasons.extend(fee_reasons)
    return ParsedMethod(
        channel=channel,
        time=time,
        fees=fees,
        description=rest.strip(),
        raw=raw,
        review_reasons=list(dict.fromkeys(reasons)),
    )


def _cut_time(body: str) -> tuple[str, str, tuple[ParsedTime, int | None, list[str]] | None]:
    """Split the time cell off the front of a row.

    Returns (time text, rest, glued): ``glued`` is set when a unit-less time ran
    into a fee amount ("120,000 VNĐ" is 1 + 20,000 or 12 + 0,000) and has
    already been resolved.
    """
    if body.startswith(_NO_INFO):
        return "", body[len(_NO_INFO) :], None
    match = _TIME_UNIT_RE.match(body)
    if match:
        return match.group(0), body[match.end() :], None
    glued = _GLUED_AMOUNT_RE.match(body)
    if glued:
        return "", body[glued.end() :], _split_glued(glued.group(1), glued.group(2), body)
    bare = _BARE_NUMBER_RE.match(body)
    if bare:
        return bare.group(0), body[bare.end() :], None
    fee_start = _FEE_START_RE.search(body)
    if fee_start:
        return body[: fee_start.start()], body[fee_start.start() :], None
    return body, "", None


def _split_glued(
    digits: str, currency: str, body: str
) -> tuple[ParsedTime, int | None, list[str]]:
    """Resolve "1" + "20,000" glued into "120,000 VNĐ": try every cut, keep the plausible ones."""
    note = body[len(digits) :]
    stated = money_mentions(note)
    candidates: list[tuple[str, int]] = []
    for cut in range(1, len(digits)):
        head, tail = digits[:cut], digits[cut:]
        if not head.isdigit() or tail[0] == "0":
            continue
        amount = parse_vnd(tail)
        if amount:
            candidates.append((head, amount))
    if len(candidates) > 1 and stated:
        # The note usually restates the amount (sometimes in thousands).
        agreeing = [c for c in candidates if c[1] in stated or c[1] * 1000 in stated]
        if agreeing:
            candidates = agreeing
    raw = f"{digits} {currency}"
    if len(candidates) == 1:
        head, amount = candidates[0]
        time, time_reasons = parse_time(head)
        if currency == "USD":
            time_reasons.append(_("Mức thu tính bằng ngoại tệ: «%(text)s».") % {"text": raw})
            return time, None, time_reasons
        return time, amount, time_reasons
    reason = _("Không tách được thời hạn và số tiền dính liền: «%(text)s».") % {"text": raw}
    return ParsedTime(None, None, digits), None, [reason]


def _cut_fees(rest: str) -> tuple[list[ParsedFee], str, list[str]]:
    """Read the fee cell: "Miễn phí", "Không có thông tin" or amounts, each with "(note)"."""
    fees: list[ParsedFee] = []
    reasons: list[str] = []
    if rest.startswith(_NO_INFO):
        # No fee row on the portal: there is no fee note either, so a "(1) …"
        # that follows is the description's own numbering.
        reasons.append(_("Không có thông tin về phí, lệ phí."))
        return fees, rest[len(_NO_INFO) :], reasons
    while True:
        if not fees and rest.startswith(_FREE):
            note, rest = _take_note(rest[len(_FREE) :])
            fee, fee_reasons = build_fee(amount=0, stated_free=True, note=note)
        else:
            # Only the first fee may lack its number (" VNĐ"); later ones must
            # start with one, or the description has begun.
            match = (_NEXT_AMOUNT_RE if fees else _AMOUNT_RE).match(rest)
            if not match:
                break
            digits, currency = match.group(1), match.group(2)
            note, rest = _take_note(rest[match.end() :])
            fee, fee_reasons = _amount_fee(digits, currency, note)
        fees.append(fee)
        reasons.extend(fee_reasons)
    if not fees:
        reasons.append(_("Không đọc được phí, lệ phí."))
    return fees, rest, reasons


def _amount_fee(digits: str | None, currency: str, note: str) -> tuple[ParsedFee, list[str]]:
    printed = f"{digits or ''} {currency}".strip()
    if currency == "USD":
        fee, reasons = build_fee(amount=None, stated_free=False, note=note)
        return fee, [_("Mức thu tính bằng ngoại tệ: «%(text)s».") % {"text": printed}, *reasons]
    amount = parse_vnd(digits) if digits else None
    if amount is None:
        fee, reasons = build_fee(amount=None, stated_free=False, note=note)
        return fee, [_("Không đọc được số tiền: «%(text)s».") % {"text": printed}, *reasons]
    if amount == 0:
        return build_fee(amount=0, stated_free=True, note=note)
    return build_fee(amount=amount, stated_free=False, note=note)


def _take_note(rest: str) -> tuple[str, str]:
    """Take a balanced "(…)" fee note off the front of ``rest``; unclosed runs to the end."""
    if not rest.startswith("(") or _ENUMERATOR_RE.match(rest):
        return "", rest
    depth = 0
    for index, char in enumerate(rest):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0:
                return rest[1:index].strip(), rest[index + 1 :]
    return rest[1:].strip(), ""


# --- documents: "…Tên giấy tờMẫu đơn, tờ khaiSố lượng<name>[template]1 bản chính…" --

_DOC_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
# The count cell: "1 bản chính" or "0 bản chính,1 bản sao", glued to what
# follows. Zero-padded numbers ("01 bản chính") belong to the document's text;
# a count may be glued to a year ("ngày 24/7/20231 bản chính").
# perf: a plain pattern validated in Python; lookbehinds in the pattern made
# the scan five times slower.
_COUNT_RE = re.compile(r"(\d+) bản chính(?:,\s?(\d+) bản sao)?")
_COUNT_FOLLOW_RE = re.compile(r"\s" + LOWER_CLASS)
_YEAR_RE = re.compile(r"(?:19|20)\d\d")


def _count_value(digits: str) -> int | None:
    if digits == "0" or (len(digits) <= 3 and digits[0] != "0"):
        return int(digits)
    return None


def _counts(body: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, end, originals, copies) of each count cell in a table's body."""
    for match in _COUNT_RE.finditer(body):
        digits, start = match.group(1), match.start()
        before = body[start - 1 : start]
        originals = _count_value(digits) if before != "/" else None
        if originals is None and _YEAR_RE.match(digits):
            # "…ngày 24/7/20231 bản chính", "…năm 20191 bản chính"
            start += 4
            originals = _count_value(digits[4:]) if len(digits) > 4 else None
        if originals is None:
            continue
        end = match.end()
        copies = _count_value(match.group(2)) if match.group(2) else 0
        if copies is None:
            copies, end = 0, match.end(1) + len(" bản chính")
        if _COUNT_FOLLOW_RE.match(body, end):
            continue  # "… nộp 1 bản chính và …": prose, not a cell
        yield start, end, originals, copies


_TEMPLATE_EXT_RE = re.compile(r"\.(?:docx|doc|pdf|xlsx|xls|rar|zip|odt)", re.IGNORECASE)
_BULLET_RE = re.compile(r"^[\s\-–—+*•·.]+")
# Matched on the lower-cased (NFC) name: folding every name cost more than
# the rest of the document parser.
_OPTIONAL_RE = re.compile(
    r"nếu có\b|^trường hợp\b|^nếu\b|\btrong trường hợp\b|\bđối với trường hợp\b"
    r"|\bkhi có yêu cầu\b|\b(?:nếu|khi) (?:người|tổ chức)\b"
)
_CERTIFIED_RE = re.compile(r"bản sao (?:có |được )?chứng thực")
# List labels before a name: "(iv) Trường hợp…", "a) …", "2. …".
_ENUMERATOR_PREFIX_RE = re.compile(r"^(?:\(?[ivx]{1,5}\)|\(?\d{1,2}[).]|\(?[a-zđ]\))\s*")
_LONG_NAME = 1500
# A table with no rows hands its text on as the next table's heading; past this
# length it is more likely rows the parser missed.
_LONG_HEADING = 300


def parse_documents(text: str) -> tuple[list[ParsedDocument], list[str], list[str]]:
    """Cut the glued dossier-component tables into documents.

    Expects one or more tables, each "<case heading>Tên giấy tờMẫu đơn, tờ
    khaiSố lượng" then rows "<name>[<template file>]<N> bản chính[,<M> bản sao]".
    Returns (documents, notes, review reasons): rows counted "0 bản chính" are
    the portal's way of printing notes and sub-headings, so they become notes.
    """
    text = clean(text)
    if is_empty_marker(text):
        return [], [], []
    if _DOC_HEADER not in text:
        return [], [], [_("Thành phần hồ sơ không có dạng bảng «Tên giấy tờ – Số lượng».")]
    parts = text.split(_DOC_HEADER)
    heading = parts[0]
    documents: list[ParsedDocument] = []
    notes: list[str] = []
    reasons: list[str] = []
    for index, body in enumerate(parts[1:], start=1):
        case = _case_heading(heading)
        is_last = index == len(parts) - 1
        position = 0
        for start, end, originals, copies in _counts(body):
            item = body[position:start]
            count_text = body[start:end]
            position = end
            if originals == 0 and copies == 0:
                note = _strip_bullet(item)
                if note:
                    notes.append(note)
                continue
            if not item.strip(" .;,-+*"):
                # "…1 bản chính1 bản chính": an empty row on the portal.
                reasons.append(_("Bảng thành phần hồ sơ có dòng không có tên giấy tờ."))
                continue
            documents.append(_document(item, count_text, originals, copies, case))
        trailing = body[position:]
        if is_last:
            if trailing.strip():
                notes.append(_strip_bullet(trailing))
                if position == 0:
                    reasons.append(
                        _("Không tách được giấy tờ trong bảng «%(case)s».") % {"case": case or "—"}
                    )
        else:
            # What follows the last count is the next table's case heading.
            heading = trailing
            if position == 0 and len(trailing) > _LONG_HEADING:
                reasons.append(
                    _("Không tách được giấy tờ trong bảng «%(case)s».") % {"case": case or "—"}
                )
    return documents, notes, reasons


def _case_heading(text: str) -> str:
    text = _BULLET_RE.sub("", text)
    return text.rstrip(" :;.-").strip()


def _strip_bullet(text: str) -> str:
    # Substrings of a cleaned text: only their ends can carry spaces.
    return _BULLET_RE.sub("", text).strip()


def _document(
    item: str, count_text: str, originals: int, copies: int, case: str
) -> ParsedDocument:
    reasons: list[str] = []
    raw = (item + count_text).strip()
    name, template = _split_template(item.strip())
    name = _strip_bullet(name)
    if not name:
        name = template
        if not name:
            reasons.append(_("Dòng thành phần hồ sơ không có tên giấy tờ."))
    if len(name) > _LONG_NAME:
        reasons.append(
            _(
                "Tên giấy tờ dài bất thường (%(length)s ký tự), "
                "có thể gộp nhiều giấy tờ: «%(start)s…»."
            )
            % {"length": len(name), "start": name[:80]}
        )
    lowered = _ENUMERATOR_PREFIX_RE.sub("", name.lower())
    certified = 0
    if copies and _CERTIFIED_RE.search(lowered) and " hoặc " not in lowered:
        certified, copies = copies, 0
    return ParsedDocument(
        name=name,
        originals=originals,
        copies=copies,
        certified_copies=certified,
        template=template,
        required=not _OPTIONAL_RE.search(lowered),
        case=case,
        raw=raw,
        review_reasons=reasons,
    )


def _split_template(item: str) -> tuple[str, str]:
    """Split "<name><file>.docx[<file2>.docx]" into the name and "file; file2".

    The template's file name is glued to the end of the document's name. Its
    start is guessed from the strongest glue mark within reach: ";", ")",
    lower→upper case ("theo mẫuMau01.docx"), "." or "CPMau" (ALLCAPS→Word).
    """
    files: list[str] = []
    rest = item
    while True:
        ends = list(_TEMPLATE_EXT_RE.finditer(rest))
        if not ends or ends[-1].end() != len(rest):
            break
        last = ends[-1]
        # Another file name may sit right before this one: "A.docxB.docx".
        previous = [m for m in ends[:-1] if m.end() < last.start()]
        if previous and not rest[previous[-1].end()].isspace():
            start = previous[-1].end()
        else:
            start = _file_start(rest, last.start())
        files.insert(0, rest[start:].strip(" .;,"))
        rest = rest[:start]
        if not rest.strip():
            break
    return rest.strip(), "; ".join(f for f in files if f)


_WINDOW = 110
_GLUE_RULES = (
    re.compile(r";(?=\S)"),
    re.compile(r"[)\]](?=\S)"),
    re.compile(
        r"(?<=" + LOWER_CLASS + r")(?=" + UPPER_CLASS + ")"
        r"|(?<=\d)(?=" + UPPER_CLASS + LOWER_CLASS + ")"
    ),
    re.compile(r"(?<=[^\W\d_])\.(?=" + UPPER_CLASS + r")|\.(?=" + UPPER_CLASS + LOWER_CLASS + ")"),
    re.compile(r"(?<=" + UPPER_CLASS + r")(?=" + UPPER_CLASS + LOWER_CLASS + ")"),
)
_CAMEL_HUMP = re.compile(r"[A-Z][a-z]+$")


def _file_start(text: str, ext_start: int) -> int:
    low = max(0, ext_start - _WINDOW)
    window = text[low:ext_start]
    for rule in _GLUE_RULES:
        candidates = []
        for match in rule.finditer(window):
            cut = match.end() if match.group(0) else match.start()
            if rule is _GLUE_RULES[2] and _CAMEL_HUMP.search(window[:cut]):
                # "mẫuMau|Bankhai": a camel-case hump inside an ASCII file name.
                continue
            candidates.append(cut)
        if candidates:
            return low + candidates[-1]
    # No glue mark: take the last space-free run ("…theo mẫu Mau01.docx").
    space = text.rfind(" ", 0, ext_start)
    return space + 1 if space >= 0 else 0


# --- legal basis: "Tên văn bản pháp lýMã văn bản<title><code><title><code>…" ------

_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
_UP = "A-ZĐ"
# "154/2024/NĐ-CP", "66.7/2025/NQ-CP", "601/QĐ-BTC", "09/2015/TTLT-BCA-BYT-BTC",
# "53/2013/QĐ-TTg", "73-CP". The number may follow a glued year ("Luật Cư trú
# 202068/2020/QH14") or an issuer's digits ("Luật 60/2014/QH1360/2014/QH13");
# the issuer is scanned greedily and trimmed afterwards.
_LEGAL_CODE_RE = re.compile(
    r"(?:(?<![\d/])(?<!\d\.)|(?<=(?:19|20)\d\d)|(?<=/(?:19|20)\d\d\.)|(?<=[" + _UP + r"]\d\d))"
    r"(?:(\d{1,5}(?:\.\d{1,3})?/(?:\d{4}/)?)"
    r"(["
    + _UP
    + r"](?:["
    + _UP
    + r"0-9\-]*TTg|["
    + _UP
    + r"0-9\-]*(?:/["
    + _UP
    + r"]["
    + _UP
    + r"0-9\-]*)?))"
    r"|(\d{1,4}-[" + _UP + r"]{2,4})(?![" + _UP + r"\-/])"
    # A bare "46/2020" (number/year) only counts as a whole cell.
    r"|(\d{1,5}/(?:19|20)\d\d)(?![\d/]))"
)
_ISSUER_SPACE_RE = re.compile(r"(?<=[" + _UP + r"])-\s+(?=[" + _UP + r"])")
_DOC_PREFIX_RE = re.compile(
    r"(?:Thông tư liên tịch|Thông tư|Nghị định|Nghị quyết|Quyết định|Luật|Pháp lệnh|Lệnh|"
    r"Chỉ thị|Bộ luật|NĐ|TT|QĐ|NQ|Số)(?: số)?:?\s*$",
    re.IGNORECASE,
)
# First words of titles, seen glued to the previous code ("…/TT-BTPThông tư…",
# "…/NĐ-CPQUY ĐỊNH…"): a trailing capital is cut off the code only when it
# starts one of these.
_TITLE_START_WORDS = (
    "thong nghi luat quy quyet ve sua huong bo ban nhap thuc thue bieu kinh phap phi le "
    "trang hang chinh danh che dieu cong van hop lenh chi ke to quan xu dang cap giao mot "
    "cac nhung ho tai dau khoan muc so"
)
_TITLE_STARTS = frozenset(_TITLE_START_WORDS.split())


def parse_legal_basis(text: str) -> tuple[list[ParsedLegalBasis], list[str]]:
    """Pair each legal document's title with its code in the glued two-column table.

    A code cell is a document code (154/2024/NĐ-CP) glued to the title before it
    (or behind a glued "Thông tư số " label); codes cited inside a title are
    preceded by a space and stay in the title.
    """
    text = clean(text)
    if is_empty_marker(text):
        return [], []
    if text.startswith(_LEGAL_HEADER):
        text = text[len(_LEGAL_HEADER) :]
    # "165/2024/NĐ- CP": a stray space inside the issuer.
    text = _ISSUER_SPACE_RE.sub("-", text)
    cells = _legal_code_cells(text)
    entries: list[ParsedLegalBasis] = []
    position = 0
    for index, (start, code_start, end) in enumerate(cells):
        title = text[position:start].strip(" ;,.")
        if not title and index + 1 < len(cells) and entries:
            # A bare code right after a code cell is the next row's title
            # ("…NĐ-CP14/2025/TT-BNNMT14/2025/TT-BNNMT").
            continue
        # The code without the "Thông tư số " label some cells carry.
        code = text[code_start:end].strip()
        position = end
        entries.append(ParsedLegalBasis(code=code, title=title or code))
    reasons: list[str] = []
    leftover = text[position:].strip(" ;,.")
    if leftover:
        entries.append(ParsedLegalBasis(code="", title=leftover))
        reasons.append(
            _("Không tách được số hiệu văn bản pháp lý: «%(text)s».") % {"text": leftover[:120]}
        )
    return entries, reasons


# "Thông" or "QUY": one title word, even when the next is glued ("LuậtLuật").
_WORD_RE = re.compile(UPPER_CLASS + "(?:" + LOWER_CLASS + "+|" + UPPER_CLASS + "*)")
# Words that follow a code cited in a title ("…/TT-BCAngày 01/7/2025 của…").
_CITATION_WORDS = frozenset(
    ["ngay", "cua", "nam", "thang", "duoc", "va", "ve", "do", "ban", "tai", "tu", "nhu", "la"]
)


def _legal_code_cells(text: str) -> list[tuple[int, int, int]]:
    """(cell start, code start, end) of each code cell; a cell may open with "Thông tư số "."""
    cells: list[tuple[int, int, int]] = []
    position = 0
    # Not finditer: a greedy match can swallow the start of the next code
    # ("57/2021/TT-BCA57/2021/TT-BCA"), so the scan resumes where the trimmed
    # code ends.
    while match := _LEGAL_CODE_RE.search(text, position):
        start = match.start()
        end = _code_end(text, match) if match.group(2) else match.end()
        position = end if end and end > start else start + 1
        if end is None:
            continue
        after = text[end:]
        at_end = not after.strip(" .;,")
        before = text[max(0, start - 40) : start]
        prefixed = False
        if before and before[-1].isspace():
            prefix = _DOC_PREFIX_RE.search(before)
            if prefix and (prefix.start() == 0 or not before[prefix.start() - 1].isspace()):
                # "…tiền mặtNghị định 52/2024/NĐ-CP": the label is glued on.
                start, prefixed = start - len(before) + prefix.start(), True
            elif not at_end:
                # A code cited inside a title. The last cell of the table is
                # always a code, so only codes before it need this proof.
                continue
        if match.group(4) and not (at_end or re.match(UPPER_CLASS, after)):
            continue
        if after[:1].isspace() and not at_end:
            # "…mạng31/2013/NĐ-CP 05/2013/TT-BLĐTBXH…": a glued code followed by
            # a space and a new title (or the next code) still ends a cell.
            if not re.match(r"\s+(?:" + UPPER_CLASS + r"|\d)", after):
                continue
            if (
                not prefixed
                and not re.match(r"\s+" + UPPER_CLASS, after)
                and before[-1:].isspace()
            ):
                continue
        code = text[match.start() : end]
        if prefixed and not at_end and not re.match(UPPER_CLASS, after):
            # "Thông tư số 53/2025/TT-BCAngày…" or "Thông tư số 66/2023/TT-BCA
            # Sửa đổi…" open a title when the same code comes back later; a
            # glued lower-case title ("…NĐ-CPquy định…") is the next row.
            word = re.match(r"[^\W\d_]+", after)
            if after[:1].isspace():
                if code in after:
                    continue
            elif not word or fold(word.group(0)) in _CITATION_WORDS:
                continue
        if cells and start < cells[-1][2]:
            continue
        cells.append((start, match.start(), end))
    return cells


def _code_end(text: str, match: re.Match[str]) -> int | None:
    """Where the code really ends: "TT-BTPThông" → "TT-BTP", "QH1360/…" → "QH13"."""
    head = match.group(1)
    issuer_start = match.start(2)
    issuer = match.group(2)
    end = match.end()

    def recurs(cut: int) -> bool:
        return text.count(head + issuer[:cut]) >= 2

    if text[end : end + 1] == "/":
        # The next code's number is glued on: "QH1360/2014/QH13".
        trailing = re.search(r"\d+$", issuer)
        if not trailing:
            return None
        base = len(issuer) - len(trailing.group(0))
        cuts = range(len(issuer) - 1, base - 1, -1)
        # Only Assembly codes end in digits (QH13, UBTVQH15); elsewhere the
        # digits are the next code's number ("NĐ-CP46/2020").
        keep = 2 if re.search(r"QH$", issuer[:base]) else 0
        cut = next((c for c in cuts if recurs(c)), base + min(keep, len(trailing.group(0))))
        return issuer_start + cut if re.search("[" + _UP + "]", issuer[:cut]) else None
    trimmed: list[int] = []
    for cut in range(len(issuer) - 1, max(1, len(issuer) - 6), -1):
        if not issuer[cut].isalpha() or issuer[cut - 1] == "-":
            break
        word = _WORD_RE.match(text, issuer_start + cut)
        if word and fold(word.group(0)) in _TITLE_STARTS:
            trimmed.append(cut)
    cut = next((c for c in trimmed if recurs(c)), trimmed[0] if trimmed else len(issuer))
    cut = len(issuer[:cut].rstrip("-"))
    return issuer_start + cut


# --- results: "<name>Mã: KQ.G01.000064<name>Mã: …Từ khóa…" ----------------------------

_RESULT_NOISE = "Từ khóa"
_RESULT_CODE_RE = re.compile(r"Mã:\s*([A-Z0-9][A-Z0-9.\-]*)")


def parse_results(text: str) -> list[ParsedResult]:
    """Split "NameMã: KQ.G01.000064Name2Mã: …" into results, cutting the page noise."""
    text = clean(text)
    cut = text.find(_RESULT_NOISE)
    if cut >= 0:
        text = text[:cut]
    text = text.strip()
    if is_empty_marker(text):
        return []
    results: list[ParsedResult] = []
    position = 0
    for match in _RESULT_CODE_RE.finditer(text):
        code = match.group(1)
        end = match.end()
        follow = text[end : end + 1]
        # "KQ.G01.000064Thông báo…": the capital belongs to the next name.
        if follow and re.match(LOWER_CLASS, follow) and code[-1:].isalpha() and len(code) > 1:
            code, end = code[:-1], end - 1
        name = _strip_bullet(text[position : match.start()])
        results.append(ParsedResult(name=name, code=code.rstrip(".-")))
        position = end
    tail = _strip_bullet(text[position:])
    if tail:
        results.append(ParsedResult(name=tail, code=""))
    return results
