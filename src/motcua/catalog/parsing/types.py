"""The structured shapes the catalog parsers produce (pure Python, no Django models).

Every string is NFC-normalised with whitespace collapsed. Anything the source
text does not state unambiguously is left as ``None`` (or empty) and explained
in ``ParsedProcedure.review_reasons`` — an officer confirms it before the
procedure is published. A parser never turns an ambiguous text into a
confident value.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dc_field
from decimal import Decimal
from typing import Literal

from motcua.workcalendar.engine import Period, PeriodUnit

Channel = Literal["in_person", "online", "postal"]
FeeKind = Literal["fee", "charge", "unknown"]
SourceKind = Literal["dvcqg", "bqp", "xlsx"]


@dataclass(frozen=True)
class ParsedTime:
    """A processing time limit: ``value`` in ``unit``, as printed in ``text``.

    ``unit`` is ``None`` when the text gives no unit (a bare "15"): the value is
    kept, but it needs review. ``value`` is ``None`` for same-day procedures
    ("Trong ngày") and when the text has no number at all.
    """

    value: Decimal | None
    unit: PeriodUnit | None
    text: str

    @property
    def is_structured(self) -> bool:
        """True when the calendar can compute a deadline from this time limit.

        Mirrors ``WorkingCalendar.due``: a positive value, and fractions only
        for working days and hours ("0,5 ngày làm việc").
        """
        if self.unit == PeriodUnit.SAME_DAY:
            return True
        if self.unit is None or self.value is None or self.value <= 0:
            return False
        fractional = self.value != self.value.to_integral_value()
        return not fractional or self.unit in (PeriodUnit.WORKING_DAYS, PeriodUnit.WORKING_HOURS)

    def as_period(self) -> Period | None:
        """The calendar's :class:`Period`, or ``None`` when the time needs review."""
        if not self.is_structured:
            return None
        if self.unit == PeriodUnit.SAME_DAY:
            # The engine ignores the value of a same-day period.
            return Period(Decimal(0), PeriodUnit.SAME_DAY)
        assert self.value is not None and self.unit is not None
        return Period(self.value, self.unit)


@dataclass(frozen=True)
class ParsedFee:
    """One fee (phí) or charge (lệ phí) of a submission method, in whole VND.

    ``amount`` is ``None`` when it is unknown or not in VND; ``free`` is True
    only when the fee is confidently zero. ``set_by_council`` marks fees that
    each province's People's Council (HĐND) sets.
    """

    amount: int | None
    kind: FeeKind
    description: str
    free: bool
    set_by_council: bool = False


@dataclass(frozen=True)
class ParsedMethod:
    """A submission method (hình thức nộp) with its time limit and fees.

    ``fees`` is empty when the source states nothing about fees; the method's
    ``review_reasons`` say what an officer must confirm.
    """

    channel: Channel
    time: ParsedTime
    fees: list[ParsedFee]
    description: str
    raw: str
    review_reasons: list[str] = dc_field(default_factory=list)


@dataclass(frozen=True)
class ParsedDocument:
    """One dossier component (thành phần hồ sơ).

    ``copies`` counts plain copies; ``certified_copies`` counts copies the name
    says must be certified (bản sao có chứng thực) — the two are disjoint.
    ``case`` is the heading of the table the document was listed under ("" when
    the table has none). ``raw`` is the source text of the row.
    """

    name: str
    originals: int
    copies: int
    certified_copies: int
    template: str
    required: bool
    case: str
    raw: str
    review_reasons: list[str] = dc_field(default_factory=list)


@dataclass(frozen=True)
class ParsedLegalBasis:
    """A legal document the procedure rests on: its code (số ký hiệu) and title."""

    code: str
    title: str


@dataclass(frozen=True)
class ParsedResult:
    """A result the procedure produces, with the portal's result code (KQ.G01.000064)."""

    name: str
    code: str


@dataclass(frozen=True)
class ParsedProcedure:
    """One administrative procedure as read from a catalog source.

    Beyond the brief's fields: ``source`` (which reader made it),
    ``issuing_body`` (the ministry, from the lists and the BQP export) and
    ``document_notes`` (rows the portal prints with "0 bản chính": notes and
    sub-headings of the dossier tables). ``review_reasons`` collects every
    method's and document's reasons, without repeats.
    ``original`` keeps the source fields verbatim (not even NFC-normalised) so
    an officer can compare every parsed value with what the source said.
    """

    code: str
    name: str
    source: SourceKind
    field: str = ""
    levels: list[str] = dc_field(default_factory=list)
    procedure_type: str = ""
    decision_number: str = ""
    issuing_body: str = ""
    applicants: list[str] = dc_field(default_factory=list)
    competent_authority: str = ""
    implementing_agency: str = ""
    authorized_agency: str = ""
    coordinating_agency: str = ""
    submission_address: str = ""
    related: str = ""
    steps_text: str = ""
    steps: list[str] = dc_field(default_factory=list)
    conditions: str = ""
    methods: list[ParsedMethod] = dc_field(default_factory=list)
    documents: list[ParsedDocument] = dc_field(default_factory=list)
    document_notes: list[str] = dc_field(default_factory=list)
    results: list[ParsedResult] = dc_field(default_factory=list)
    legal_basis: list[ParsedLegalBasis] = dc_field(default_factory=list)
    portal_id: str = ""
    source_url: str = ""
    is_inter_agency: bool = False
    review_reasons: list[str] = dc_field(default_factory=list)
    original: dict[str, str] = dc_field(default_factory=dict)


@dataclass(frozen=True)
class ParseFailure:
    """A source row that could not be read as a procedure, and why (in Vietnamese)."""

    row: int
    reason: str
    raw: str


class ParseError(ValueError):
    """A record cannot become a procedure at all (no code, malformed code, wrong shape)."""
