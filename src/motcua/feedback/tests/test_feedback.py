"""Survey answers: one per dossier (service and database), figures per unit and officer, 5.4."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.exceptions import Conflict, NotFound, ValidationFailed
from motcua.dossiers.constants import Outcome
from motcua.dossiers.models import Dossier
from motcua.dossiers.tests.conftest import Ward, at
from motcua.feedback.constants import Rating, SurveySource
from motcua.feedback.models import SurveyResponse
from motcua.feedback.selectors import (
    indicator_5_4,
    satisfaction_by_officer,
    satisfaction_by_unit,
    satisfaction_for_officer,
)
from motcua.feedback.services import survey_response_submit
from motcua.feedback.signing import (
    survey_target_read,
    survey_token_for_dossier,
    survey_token_for_unit,
)
from motcua.feedback.tests.support import just_received, returned_dossier, ward

__all__ = ["ward"]

NOVEMBER = (at("2026-11-01T00:00"), at("2026-12-01T00:00"))


def answer(token: str, overall: str, when: str = "2026-11-20T09:00") -> SurveyResponse:
    with time_machine.travel(at(when), tick=False):
        return survey_response_submit(token=token, overall=overall)


def dossier_token(dossier: Dossier) -> str:
    return survey_token_for_dossier(dossier_id=dossier.pk)


def test_tokens_round_trip_and_name_their_target() -> None:
    assert survey_target_read(token=survey_token_for_dossier(dossier_id=42)).dossier_id == 42
    assert survey_target_read(token=survey_token_for_unit(unit_id=7)).unit_id == 7
    with pytest.raises(NotFound):
        survey_target_read(token=survey_token_for_unit(unit_id=7) + "x")


def test_a_second_answer_for_a_dossier_is_a_conflict(ward: Ward) -> None:
    dossier = just_received(ward)
    answer(dossier_token(dossier), Rating.SATISFIED)

    with pytest.raises(Conflict) as raised:
        answer(dossier_token(dossier), Rating.NOT_SATISFIED)

    assert raised.value.code == "survey_already_answered"
    assert SurveyResponse.objects.count() == 1


def test_the_database_forbids_two_answers_for_one_dossier(ward: Ward) -> None:
    """Even if two requests pass the service's check at the same moment."""
    dossier = just_received(ward)
    row = {
        "source": SurveySource.DOSSIER,
        "unit": ward.centre,
        "dossier": dossier,
        "overall": Rating.SATISFIED,
        "answered_at": timezone.now(),
    }
    SurveyResponse.objects.create(**row)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(**row)


def test_a_counter_answer_cannot_name_a_dossier(ward: Ward) -> None:
    dossier = just_received(ward)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(
            source=SurveySource.COUNTER,
            unit=ward.centre,
            dossier=dossier,
            overall=Rating.SATISFIED,
            answered_at=timezone.now(),
        )


@pytest.mark.parametrize(
    ("overall", "criteria"),
    [("great", {}), (Rating.SATISFIED, {"speed": Rating.SATISFIED}), ("", {})],
)
def test_invalid_answers_are_refused(ward: Ward, overall: str, criteria: dict[str, str]) -> None:
    with pytest.raises(ValidationFailed):
        survey_response_submit(
            token=survey_token_for_unit(unit_id=ward.centre.pk), overall=overall, criteria=criteria
        )


def test_figures_per_unit_and_per_officer(ward: Ward) -> None:
    """Counter answers count for the unit only; dossier answers for the unit and the officer."""
    counter = survey_token_for_unit(unit_id=ward.centre.pk)
    answer(counter, Rating.VERY_SATISFIED)
    answer(counter, Rating.NOT_SATISFIED)
    answer(counter, Rating.SATISFIED, when="2026-10-31T16:00")  # October: outside
    returned = returned_dossier(ward)  # returned by counter2
    received = just_received(ward)  # received by counter, still open
    answer(dossier_token(returned), Rating.SATISFIED)
    answer(dossier_token(received), Rating.VERY_SATISFIED)

    units = satisfaction_by_unit(start=NOVEMBER[0], end=NOVEMBER[1])
    officers = satisfaction_by_officer(start=NOVEMBER[0], end=NOVEMBER[1])

    assert len(units) == 1
    centre = units[0]
    assert (centre.id, centre.total, centre.very_satisfied, centre.satisfied) == (
        ward.centre.pk,
        4,
        2,
        1,
    )
    assert centre.not_satisfied == 1
    assert centre.satisfied_rate == Decimal("75.00")
    assert centre.not_satisfied_rate == Decimal("25.00")
    by_id = {row.id: row for row in officers}
    assert set(by_id) == {ward.counter.pk, ward.counter2.pk}
    assert (by_id[ward.counter2.pk].total, by_id[ward.counter2.pk].satisfied) == (1, 1)
    assert by_id[ward.counter.pk].very_satisfied == 1
    lan = satisfaction_for_officer(officer=ward.counter, start=NOVEMBER[0], end=NOVEMBER[1])
    assert (lan.total, lan.satisfied_rate) == (1, Decimal("100.00"))
    nobody = satisfaction_for_officer(officer=ward.leader, start=NOVEMBER[0], end=NOVEMBER[1])
    assert (nobody.total, nobody.satisfied_rate) == (0, None)
    assert satisfaction_by_unit(start=NOVEMBER[0], end=NOVEMBER[1], units=[ward.office]) == []


def test_indicator_5_4_is_100_minus_overdue_and_disliked_shares(ward: Ward) -> None:
    """R28: 100 % − (overdue % + % with a dislike); 6 points at ≥ 90 %, else R × 6 / 90."""
    dossiers = [returned_dossier(ward)] + [just_received(ward) for _n in range(3)]
    # One finished late, one disliked (the other answer is a like).
    Dossier.objects.filter(pk=dossiers[0].pk).update(outcome=Outcome.LATE)
    answer(dossier_token(dossiers[1]), Rating.NOT_SATISFIED)
    answer(dossier_token(dossiers[2]), Rating.SATISFIED)
    # Counter answers are anonymous: no dossier, not in 5.4.
    answer(survey_token_for_unit(unit_id=ward.centre.pk), Rating.NOT_SATISFIED)

    figures = indicator_5_4(
        units=[ward.centre], start=NOVEMBER[0], end=NOVEMBER[1], now=at("2026-11-20T12:00")
    )

    assert (figures.dossiers, figures.overdue, figures.disliked) == (4, 1, 1)
    assert figures.overdue_rate == Decimal("25.00")
    assert figures.disliked_rate == Decimal("25.00")
    assert figures.rate == Decimal("50.00")
    assert figures.score == Decimal("3.33")  # 50 × 6 / 90


def test_indicator_5_4_counts_open_dossiers_past_their_original_appointment(ward: Ward) -> None:
    just_received(ward)  # appointment Fri 27/11/2026 17:00

    before = indicator_5_4(
        units=[ward.centre], start=NOVEMBER[0], end=NOVEMBER[1], now=at("2026-11-20T12:00")
    )
    after = indicator_5_4(
        units=[ward.centre], start=NOVEMBER[0], end=NOVEMBER[1], now=at("2026-11-30T12:00")
    )

    assert (before.overdue, before.rate, before.score) == (0, Decimal(100), Decimal(6))
    assert (after.overdue, after.rate, after.score) == (1, Decimal(0), Decimal("0.00"))


def test_indicator_5_4_without_dossiers_is_not_applicable(ward: Ward) -> None:
    figures = indicator_5_4(
        units=[ward.other_centre],
        start=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
        end=dt.datetime(2026, 12, 1, tzinfo=dt.UTC),
    )
    assert figures.dossiers == 0
    assert figures.rate is None and figures.score is None
