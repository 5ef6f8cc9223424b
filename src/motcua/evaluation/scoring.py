"""Pure scoring: totals, levels, the Decree 335 product items and the quota (R34–R35).

No database here: services pass the scheme's numbers in, so every rule is
tested with hand-worked examples (``tests/test_scoring.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from motcua.evaluation.constants import Grade, QuotaBase

ZERO = Decimal("0")
HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def _points(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Thresholds:
    """Minimum totals of the three upper levels (both schemes: 90 / 70 / 50)."""

    excellent: Decimal
    good: Decimal
    completed: Decimal


def classify(total: Decimal, thresholds: Thresholds, *, disqualified: bool = False) -> Grade:
    """The level of ``total``; any disqualifier means "not completed" whatever the points."""
    if disqualified:
        return Grade.NOT_COMPLETED
    if total >= thresholds.excellent:
        return Grade.EXCELLENT
    if total >= thresholds.good:
        return Grade.GOOD
    if total >= thresholds.completed:
        return Grade.COMPLETED
    return Grade.NOT_COMPLETED


def sheet_total(scores: Mapping[str, Decimal], maxima: Mapping[str, Decimal]) -> Decimal:
    """The sum of the criteria, each held within [0, its maximum]; unknown codes ignored.

    The 3814 sheet is exactly this: 20 discipline + 70 tasks + 10 bonus = 100.
    """
    total = ZERO
    for code, maximum in maxima.items():
        value = Decimal(scores.get(code, ZERO))
        total += min(max(value, ZERO), maximum)
    return _points(total)


@dataclass(frozen=True)
class ProductItem:
    """One standard product (sản phẩm/công việc chuẩn) of Decree 335 with its points.

    ``assigned`` products; ``completed`` of them done; ``meeting`` done and
    meeting the requirements; ``on_time`` done by the deadline;
    ``major_errors`` and ``delays`` counted separately.
    """

    quantity_points: Decimal
    quality_points: Decimal
    progress_points: Decimal
    assigned: int
    completed: int
    meeting: int
    on_time: int
    major_errors: int = 0
    delays: int = 0

    @property
    def max_points(self) -> Decimal:
        return self.quantity_points + self.quality_points + self.progress_points


@dataclass(frozen=True)
class ItemScore:
    quantity: Decimal
    quality: Decimal
    progress: Decimal

    @property
    def total(self) -> Decimal:
        return self.quantity + self.quality + self.progress


def _share(part: int, whole: int) -> Decimal:
    if whole <= 0:
        return ZERO
    return min(Decimal(max(part, 0)) / Decimal(whole), Decimal(1))


def product_item_score(
    item: ProductItem, *, error_penalty: Decimal, delay_penalty: Decimal
) -> ItemScore:
    """Quantity, quality and progress points of one item (Decree 335; R34).

    quantity = points × completed ÷ assigned; quality = points × meeting ÷
    assigned, less ``error_penalty`` % of the item's quality points per major
    error; progress = points × on time ÷ assigned, less ``delay_penalty`` % of
    the item's progress points per delay. Each part is floored at zero. The
    deductions apply to the item's points (its maximum), as R34 words them, so
    four major errors at 25 % leave no quality points whatever the ratio.
    """
    quantity = item.quantity_points * _share(item.completed, item.assigned)
    quality = item.quality_points * _share(item.meeting, item.assigned)
    quality -= item.quality_points * error_penalty / HUNDRED * item.major_errors
    progress = item.progress_points * _share(item.on_time, item.assigned)
    progress -= item.progress_points * delay_penalty / HUNDRED * item.delays
    return ItemScore(
        quantity=_points(quantity),
        quality=_points(max(quality, ZERO)),
        progress=_points(max(progress, ZERO)),
    )


def manager_factor(subordinate_grades: Iterable[Grade | str]) -> Decimal:
    """Decree 335 for managers: 100 % if every subordinate at least completed, else 50 %."""
    if any(grade == Grade.NOT_COMPLETED for grade in subordinate_grades):
        return Decimal("0.5")
    return Decimal(1)


def results_total(
    items: Sequence[ProductItem],
    *,
    maximum: Decimal,
    error_penalty: Decimal,
    delay_penalty: Decimal,
    factor: Decimal = Decimal(1),
) -> Decimal:
    """The task-results points (at most ``maximum``, 70 under Decree 335), times ``factor``."""
    earned = sum(
        (
            product_item_score(
                item, error_penalty=error_penalty, delay_penalty=delay_penalty
            ).total
            for item in items
        ),
        ZERO,
    )
    return _points(min(earned, maximum) * factor)


# --- the quota ----------------------------------------------------------------------


@dataclass(frozen=True)
class QuotaCheck:
    """How many hold the top level, the cap, and how many must move down to meet it."""

    top: int
    base: int
    cap: int
    must_move: int

    @property
    def ok(self) -> bool:
        return self.must_move == 0


def _cap(base: int, percent: Decimal) -> int:
    # "Không vượt quá": a share is rounded down, 30 % of 7 allows 2.
    return int((Decimal(base) * percent / HUNDRED).to_integral_value(rounding=ROUND_FLOOR))


def quota_check(
    grades: Sequence[Grade | str], *, base: QuotaBase | str, percent: Decimal
) -> QuotaCheck:
    """Check the cap on "excellent" (A) among ``grades``.

    3814 (``RATED``): A ≤ ``percent`` of everyone rated. Decree 335
    (``GOOD``): excellent ≤ ``percent`` of those rated good; moving someone
    from excellent to good also raises the base, so the smallest number to
    move is searched rather than subtracted.
    """
    top = sum(1 for grade in grades if grade == Grade.EXCELLENT)
    if base == QuotaBase.RATED:
        cap = _cap(len(grades), percent)
        return QuotaCheck(top=top, base=len(grades), cap=cap, must_move=max(0, top - cap))
    good = sum(1 for grade in grades if grade == Grade.GOOD)
    moved = 0
    while top - moved > _cap(good + moved, percent):
        moved += 1
    return QuotaCheck(top=top, base=good, cap=_cap(good, percent), must_move=moved)
