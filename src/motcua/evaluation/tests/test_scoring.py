"""Both schemes on constructed months, against hand-worked examples (R34–R35)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from motcua.evaluation.constants import Grade, QuotaBase
from motcua.evaluation.scoring import (
    ProductItem,
    Thresholds,
    classify,
    manager_factor,
    product_item_score,
    quota_check,
    results_total,
    sheet_total,
)

LEVELS = Thresholds(excellent=D(90), good=D(70), completed=D(50))
HANOI = {"I.1": D(5), "I.2": D(10), "I.3": D(5), "II.1": D(50), "II.2": D(20), "III": D(10)}


# --- 3814 ------------------------------------------------------------------------


def test_a_hanoi_month_of_90_points_is_level_a() -> None:
    """5 + 10 + 4 + 45 + 18 + 8 = 90 → A; 89.5 → B."""
    scores = {"I.1": D(5), "I.2": D(10), "I.3": D(4), "II.1": D(45), "II.2": D(18), "III": D(8)}
    assert sheet_total(scores, HANOI) == D("90.00")
    assert classify(D(90), LEVELS) == Grade.EXCELLENT
    assert classify(D("89.5"), LEVELS) == Grade.GOOD


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        (D(100), Grade.EXCELLENT),
        (D(70), Grade.GOOD),
        (D("69.99"), Grade.COMPLETED),
        (D(50), Grade.COMPLETED),
        (D("49.99"), Grade.NOT_COMPLETED),
        (D(0), Grade.NOT_COMPLETED),
    ],
)
def test_levels_at_their_boundaries(total: D, grade: Grade) -> None:
    assert classify(total, LEVELS) == grade


def test_points_above_a_criterions_maximum_count_only_to_the_maximum() -> None:
    """A bonus of 12 on a 10-point line counts 10; negative points count 0."""
    scores = {"I.1": D(-3), "I.2": D(10), "I.3": D(5), "II.1": D(50), "II.2": D(20), "III": D(12)}
    assert sheet_total(scores, HANOI) == D("95.00")


def test_hanoi_quota_a_at_most_30_percent_of_those_rated() -> None:
    """Ten rated, four A: the cap is 3, one must move; an exceptional unit (40 %) may keep 4."""
    grades = [Grade.EXCELLENT] * 4 + [Grade.GOOD] * 6
    check = quota_check(grades, base=QuotaBase.RATED, percent=D(30))
    assert (check.top, check.cap, check.must_move, check.ok) == (4, 3, 1, False)
    assert quota_check(grades, base=QuotaBase.RATED, percent=D(40)).ok


def test_hanoi_quota_rounds_the_share_down() -> None:
    """Seven rated: 30 % is 2.1 people, so three A are one too many."""
    grades = [Grade.EXCELLENT] * 3 + [Grade.COMPLETED] * 4
    assert quota_check(grades, base=QuotaBase.RATED, percent=D(30)).must_move == 1


# --- Decree 335 --------------------------------------------------------------------


ITEM = ProductItem(
    quantity_points=D(20),
    quality_points=D(25),
    progress_points=D(25),
    assigned=10,
    completed=10,
    meeting=9,
    on_time=8,
    major_errors=1,
    delays=2,
)


def test_a_product_item_loses_25_percent_per_major_error_and_per_delay() -> None:
    """quantity 20×10/10 = 20; quality 25×9/10 − 25×25%×1 = 16.25;
    progress 25×8/10 − 25×25%×2 = 7.5; together 43.75."""
    score = product_item_score(ITEM, error_penalty=D(25), delay_penalty=D(25))
    assert (score.quantity, score.quality, score.progress) == (D("20.00"), D("16.25"), D("7.50"))
    assert score.total == D("43.75")


def test_four_major_errors_leave_no_quality_points_and_never_negative() -> None:
    item = ProductItem(D(20), D(25), D(25), 10, 10, 10, 10, major_errors=4, delays=5)
    score = product_item_score(item, error_penalty=D(25), delay_penalty=D(25))
    assert (score.quality, score.progress) == (D("0.00"), D("0.00"))
    assert score.quantity == D("20.00")


def test_nothing_assigned_earns_nothing() -> None:
    item = ProductItem(D(20), D(25), D(25), 0, 0, 0, 0)
    assert product_item_score(item, error_penalty=D(25), delay_penalty=D(25)).total == 0


def test_a_decree_335_month_30_general_plus_70_results() -> None:
    """General 28 + results (two items: 43.75 + 25 of a clean 25-point item) = 96.75 →
    excellent; a disqualifier makes it not completed whatever the points."""
    clean = ProductItem(D(5), D(10), D(10), 4, 4, 4, 4)
    results = results_total([ITEM, clean], maximum=D(70), error_penalty=D(25), delay_penalty=D(25))
    assert results == D("68.75")
    total = D(28) + results
    assert total == D("96.75")
    assert classify(total, LEVELS) == Grade.EXCELLENT
    assert classify(total, LEVELS, disqualified=True) == Grade.NOT_COMPLETED


def test_results_are_capped_at_70_and_halved_for_a_manager_with_a_failing_subordinate() -> None:
    big = ProductItem(D(30), D(30), D(30), 1, 1, 1, 1)
    assert results_total([big], maximum=D(70), error_penalty=D(25), delay_penalty=D(25)) == 70
    factor = manager_factor([Grade.GOOD, Grade.NOT_COMPLETED])
    assert factor == D("0.5")
    assert manager_factor([Grade.GOOD, Grade.COMPLETED]) == 1
    assert (
        results_total(
            [big], maximum=D(70), error_penalty=D(25), delay_penalty=D(25), factor=factor
        )
        == 35
    )


@pytest.mark.parametrize(
    ("excellent", "good", "must_move"),
    [
        (2, 10, 0),  # 20 % of 10 good = 2
        (3, 10, 1),  # move one: 2 ≤ 20 % of 11 = 2
        (2, 4, 1),  # cap 0; move one: 1 ≤ 20 % of 5 = 1
        (3, 2, 3),  # 2 ≤ 0? 1 ≤ 0? 0 ≤ 1: three must move
    ],
)
def test_decree_335_quota_excellent_at_most_20_percent_of_good(
    excellent: int, good: int, must_move: int
) -> None:
    grades = [Grade.EXCELLENT] * excellent + [Grade.GOOD] * good + [Grade.COMPLETED]
    assert quota_check(grades, base=QuotaBase.GOOD, percent=D(20)).must_move == must_move


@given(
    excellent=st.integers(0, 30),
    good=st.integers(0, 60),
    percent=st.sampled_from([D(20), D(30), D(40)]),
    base=st.sampled_from([QuotaBase.RATED, QuotaBase.GOOD]),
)
def test_moving_the_named_number_down_is_enough_and_one_fewer_is_not(
    excellent: int, good: int, percent: D, base: QuotaBase
) -> None:
    grades = [Grade.EXCELLENT] * excellent + [Grade.GOOD] * good
    move = quota_check(grades, base=base, percent=percent).must_move

    def after(moved: int) -> list[Grade]:
        return [Grade.EXCELLENT] * (excellent - moved) + [Grade.GOOD] * (good + moved)

    assert quota_check(after(move), base=base, percent=percent).ok
    if move:
        assert not quota_check(after(move - 1), base=base, percent=percent).ok
