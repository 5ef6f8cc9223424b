"""How the public procedure pages lay out catalog data: steps, document groups, methods.

Pure functions over loaded objects (no queries of their own), so that the
templates stay simple and the rules are tested without a browser.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from motcua.catalog.constants import ShareUnit
from motcua.catalog.models import ProcedureMethod, ProcedureVersion, ProcessStep, RequiredDocument
from motcua.catalog.selectors import fee_amount_label, method_period, period_label
from motcua.core.formatting import number_vi

# "Bước 1:", "Bước 2.", "bước 3 :" — the way the national catalog numbers steps.
STEP_MARK = re.compile(r"(?<![\w])Bước\s*(\d{1,2})\s*[:.]\s*", re.IGNORECASE)


@dataclass(frozen=True)
class Step:
    """One step of the procedure for the citizen; ``number`` is ``None`` for unnumbered text."""

    number: int | None
    text: str


def split_steps(text: str) -> list[Step]:
    """``steps_text`` as "Bước N" items; text before the first step, or without steps, as is."""
    text = text.strip()
    if not text:
        return []
    parts = STEP_MARK.split(text)
    steps: list[Step] = []
    intro = parts[0].strip()
    if intro:
        steps.extend(Step(None, line.strip()) for line in intro.splitlines() if line.strip())
    for number, body in zip(parts[1::2], parts[2::2], strict=True):
        steps.append(Step(int(number), body.strip()))
    return steps


@dataclass
class DocumentGroup:
    """The documents of one case (trường hợp); ``case`` is empty for those every case needs."""

    case: str
    documents: list[RequiredDocument] = field(default_factory=list)


def group_documents(documents: Iterable[RequiredDocument]) -> list[DocumentGroup]:
    """Documents grouped by case, groups in the order their first document comes."""
    groups: dict[str, DocumentGroup] = {}
    for document in documents:
        case = document.case.strip()
        groups.setdefault(case, DocumentGroup(case)).documents.append(document)
    return list(groups.values())


def document_copies(document: RequiredDocument) -> str:
    """ "1 bản chính, 2 bản sao" — the counts that are not zero, or "" when none is given."""
    counts = [
        (document.originals, _("bản chính")),
        (document.copies, _("bản sao")),
        (document.certified_copies, _("bản sao có chứng thực")),
    ]
    return ", ".join(f"{count} {label}" for count, label in counts if count)


@dataclass(frozen=True)
class FeeLine:
    kind: str
    amount: str
    description: str


@dataclass(frozen=True)
class MethodRow:
    """A submission method as shown: channel, time limit and fees in words."""

    channel: str
    time_limit: str
    description: str
    fees: list[FeeLine]


def method_rows(version: ProcedureVersion) -> list[MethodRow]:
    """The methods of ``version`` (prefetched with their fees) for the "how to apply" table."""
    rows = []
    for method in version.methods.all():
        rows.append(
            MethodRow(
                channel=str(method.get_channel_display()),
                time_limit=method_time_label(method),
                description=method.description.strip(),
                fees=[
                    FeeLine(
                        kind=str(fee.get_kind_display()),
                        amount=fee_amount_label(fee),
                        description=fee.description.strip(),
                    )
                    for fee in method.fees.all()
                ],
            )
        )
    return rows


def method_time_label(method: ProcedureMethod) -> str:
    """ "7 ngày làm việc"; words instead of a number when the limit could not be read."""
    period = method_period(method)
    if period is None:
        return _("Chưa xác định — vui lòng hỏi Bộ phận Một cửa")
    return period_label(period)


def step_share(step: ProcessStep) -> str:
    """ "0,5 ngày làm việc", "4 giờ làm việc" — a step's share of the legal time."""
    unit = _("giờ làm việc") if step.share_unit == ShareUnit.WORKING_HOURS else _("ngày làm việc")
    return "%s %s" % (number_vi(Decimal(step.share_value)), unit)  # noqa: UP031
