"""Reads of the satisfaction survey: what a link rates, and figures per unit and officer.

The figures feed the monthly staff evaluation (answers attributed to an
officer) and indicator 5.4 of Decision 766 (R28), computed here once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import can, units_in_scope
from motcua.core.exceptions import NotFound
from motcua.dossiers.constants import Outcome
from motcua.dossiers.models import Delivery, Dossier
from motcua.dossiers.selectors import Deadline, deadline_state
from motcua.feedback.constants import FeedbackCategory, FeedbackOutcome, FeedbackStatus, Rating
from motcua.feedback.models import Feedback, FeedbackEvent, SurveyResponse
from motcua.feedback.signing import survey_target_read
from motcua.feedback.workflow import allowed_actions
from motcua.workcalendar.selectors import calendar_for_unit

HUNDRED = Decimal(100)
# Indicator 5.4: 6 points, full at 90 % (domain.md section 3, R28).
INDICATOR_5_4_POINTS = Decimal(6)
INDICATOR_5_4_THRESHOLD = Decimal(90)


@dataclass(frozen=True)
class SurveySubject:
    """What a survey link rates and whom the answer is attributed to."""

    unit: Unit
    dossier: Dossier | None
    officer_id: int | None
    already_answered: bool


def survey_subject_get(*, token: str) -> SurveySubject:
    """The unit (and dossier, officer) behind a signed link; NotFound when it is not valid.

    A dossier is rated only once it has a code (received): before that there
    is nothing to rate and no officer to attribute the answer to.
    """
    target = survey_target_read(token=token)
    invalid = NotFound(_("Liên kết đánh giá không hợp lệ."), code="survey_link_invalid")
    if target.unit_id is not None:
        unit = Unit.objects.filter(pk=target.unit_id).first()
        if unit is None:
            raise invalid
        return SurveySubject(unit=unit, dossier=None, officer_id=None, already_answered=False)
    if target.dossier_id is None:
        raise invalid
    dossier = (
        Dossier.objects.select_related("receiving_unit", "procedure_version")
        .filter(pk=target.dossier_id, code__isnull=False)
        .first()
    )
    if dossier is None:
        raise invalid
    returned_by = (
        Delivery.objects.filter(dossier=dossier).values_list("delivered_by", flat=True).first()
    )
    return SurveySubject(
        unit=dossier.receiving_unit,
        dossier=dossier,
        officer_id=returned_by or dossier.received_by_id,
        already_answered=SurveyResponse.objects.filter(dossier=dossier).exists(),
    )


def survey_answered(*, dossier_id: int) -> bool:
    """Whether the dossier's survey has been answered (one answer per dossier)."""
    return SurveyResponse.objects.filter(dossier_id=dossier_id).exists()


# --- figures ------------------------------------------------------------------------


def _percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


@dataclass(frozen=True)
class SatisfactionFigures:
    """Answers of one unit or officer in a period; rates in per cent, None without answers."""

    id: int | None
    name: str
    total: int
    very_satisfied: int
    satisfied: int
    not_satisfied: int

    @property
    def satisfied_rate(self) -> Decimal | None:
        """Very satisfied or satisfied, over all answers."""
        return _percent(self.very_satisfied + self.satisfied, self.total)

    @property
    def not_satisfied_rate(self) -> Decimal | None:
        return _percent(self.not_satisfied, self.total)


_COUNTS = {
    "total": Count("pk"),
    "very_satisfied": Count("pk", filter=Q(overall=Rating.VERY_SATISFIED)),
    "satisfied": Count("pk", filter=Q(overall=Rating.SATISFIED)),
    "not_satisfied": Count("pk", filter=Q(overall=Rating.NOT_SATISFIED)),
}


def _in_period(start: dt.datetime, end: dt.datetime) -> QuerySet[SurveyResponse]:
    return SurveyResponse.objects.filter(answered_at__gte=start, answered_at__lt=end)


def satisfaction_by_unit(
    *, start: dt.datetime, end: dt.datetime, units: Iterable[Unit] | None = None
) -> list[SatisfactionFigures]:
    """Answers per rated unit in [start, end), counter and receipt QR together, by name."""
    answers = _in_period(start, end)
    if units is not None:
        answers = answers.filter(unit__in=list(units))
    rows = cast(
        "list[dict[str, Any]]",
        list(answers.values("unit_id", "unit__name").annotate(**_COUNTS).order_by("unit__name")),
    )
    return [
        SatisfactionFigures(
            id=row["unit_id"],
            name=row["unit__name"],
            total=row["total"],
            very_satisfied=row["very_satisfied"],
            satisfied=row["satisfied"],
            not_satisfied=row["not_satisfied"],
        )
        for row in rows
    ]


def satisfaction_by_officer(
    *, start: dt.datetime, end: dt.datetime, unit: Unit | None = None
) -> list[SatisfactionFigures]:
    """Answers attributed to each officer in [start, end) (anonymous counter answers excluded)."""
    answers = _in_period(start, end).filter(officer__isnull=False)
    if unit is not None:
        answers = answers.filter(unit=unit)
    rows = cast(
        "list[dict[str, Any]]",
        list(
            answers.values("officer_id", "officer__user__full_name")
            .annotate(**_COUNTS)
            .order_by("officer__user__full_name", "officer_id")
        ),
    )
    return [
        SatisfactionFigures(
            id=row["officer_id"],
            name=row["officer__user__full_name"],
            total=row["total"],
            very_satisfied=row["very_satisfied"],
            satisfied=row["satisfied"],
            not_satisfied=row["not_satisfied"],
        )
        for row in rows
    ]


def satisfaction_for_officer(
    *, officer: Officer, start: dt.datetime, end: dt.datetime
) -> SatisfactionFigures:
    """One officer's figures for the monthly evaluation (zeros without answers)."""
    counts = _in_period(start, end).filter(officer=officer).aggregate(**_COUNTS)
    return SatisfactionFigures(
        id=officer.pk,
        name=officer.full_name,
        total=counts["total"],
        very_satisfied=counts["very_satisfied"],
        satisfied=counts["satisfied"],
        not_satisfied=counts["not_satisfied"],
    )


@dataclass(frozen=True)
class Indicator54:
    """Decision 766 indicator 5.4 for a set of units and a period (R28).

    ``rate`` = 100 % − (overdue % + % of dossiers with a PAKN or a dislike),
    floored at 0; ``score`` = 6 at ≥ 90 %, else rate × 6 / 90; both None
    when no dossier falls in the period (N/A, not scored: R27).
    """

    dossiers: int
    overdue: int
    disliked: int
    with_feedback: int
    overdue_rate: Decimal | None
    disliked_rate: Decimal | None
    rate: Decimal | None
    score: Decimal | None


def indicator_5_4(
    *,
    units: Iterable[Unit],
    start: dt.datetime,
    end: dt.datetime,
    now: dt.datetime | None = None,
) -> Indicator54:
    """Indicator 5.4 over the dossiers received or processed by ``units`` in [start, end).

    A dossier counts when it was received before ``end`` and had not ended
    before ``start``. It is overdue when it ended late, or is still open past
    its original appointment (lateness is measured against the appointment
    synced at receipt, R14). A dislike is a "not satisfied" overall answer on
    the dossier's survey. A dossier "with a PAKN" has one linked to it
    (received before ``end``); a dossier with both a dislike and a PAKN
    counts once in that term.
    """
    cutoff = min(end, now or timezone.now())
    unit_ids = [unit.pk for unit in units]
    dossiers = Dossier.objects.filter(
        Q(receiving_unit__in=unit_ids) | Q(processing_unit__in=unit_ids),
        code__isnull=False,
        received_at__lt=end,
    ).filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
    counts = dossiers.aggregate(
        # distinct: the join to the (at most one) answer must not count twice.
        total=Count("pk", distinct=True),
        overdue=Count(
            "pk",
            filter=Q(outcome=Outcome.LATE)
            | Q(ended_at__isnull=True, appointment_original__lt=cutoff),
            distinct=True,
        ),
        disliked=Count(
            "pk",
            filter=Q(survey_responses__overall=Rating.NOT_SATISFIED),
            distinct=True,
        ),
    )
    total = counts["total"]
    if not total:
        return Indicator54(0, 0, 0, 0, None, None, None, None)
    with_pakn = Q(pk__in=Feedback.objects.filter(submitted_at__lt=end).values("dossier_id"))
    disliked_or_pakn = (
        Q(
            pk__in=SurveyResponse.objects.filter(
                overall=Rating.NOT_SATISFIED, dossier__isnull=False
            ).values("dossier_id")
        )
        | with_pakn
    )
    extra = dossiers.aggregate(
        with_feedback=Count("pk", filter=with_pakn),
        either=Count("pk", filter=disliked_or_pakn),
    )
    with_feedback = extra["with_feedback"]
    overdue_rate = _percent(counts["overdue"], total)
    disliked_rate = _percent(extra["either"], total)
    assert overdue_rate is not None and disliked_rate is not None
    rate = max(Decimal(0), HUNDRED - overdue_rate - disliked_rate)
    if rate >= INDICATOR_5_4_THRESHOLD:
        score = INDICATOR_5_4_POINTS
    else:
        score = (rate * INDICATOR_5_4_POINTS / INDICATOR_5_4_THRESHOLD).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    return Indicator54(
        dossiers=total,
        overdue=counts["overdue"],
        disliked=counts["disliked"],
        with_feedback=with_feedback,
        overdue_rate=overdue_rate,
        disliked_rate=disliked_rate,
        rate=rate,
        score=score,
    )


# --- feedback and petitions (PAKN, R30) ---------------------------------------------

# The filters of the staff list: a state, or the deadline views shared with
# dossiers (due soon = within the last working day, late = past due).
LIST_FILTERS = ("open", "due_soon", "late", *FeedbackStatus.values, "all")
_OPEN = (FeedbackStatus.RECEIVED, FeedbackStatus.NEEDS_INFO, FeedbackStatus.IN_PROGRESS)


def feedback_for_officer(*, user: User) -> QuerySet[Feedback]:
    """The PAKN of the units where ``user`` may view them (nothing for others)."""
    units = units_in_scope(user, Perm.FEEDBACK_VIEW)
    return Feedback.objects.filter(unit__in=units.values("pk"))


def feedback_list(
    *, user: User, state: str = "open", now: dt.datetime | None = None
) -> QuerySet[Feedback]:
    """The staff list filtered by ``state`` (``LIST_FILTERS``), nearest deadline first."""
    now = now or timezone.now()
    rows = feedback_for_officer(user=user).select_related("unit")
    if state == "open":
        rows = rows.filter(status__in=(*_OPEN, FeedbackStatus.ANSWERED))
    elif state == "late":
        rows = rows.filter(due_at__lt=now)
    elif state == "due_soon":
        officer = getattr(user, "officer", None)
        calendar = calendar_for_unit(unit=officer.unit if officer is not None else None)
        soon = calendar.due_in_working_seconds(now, calendar.day_length)
        rows = rows.filter(due_at__gte=now, due_at__lte=soon)
    elif state in FeedbackStatus.values:
        rows = rows.filter(status=state)
    return rows.order_by(F("due_at").asc(nulls_last=True), "-submitted_at", "-id")


def feedback_get_for_officer(*, user: User, code: str) -> Feedback:
    """One PAKN in the officer's scope; the same NotFound for "missing" and "not yours"."""
    found = (
        feedback_for_officer(user=user)
        .select_related("unit", "addressed_unit", "dossier", "procedure", "answered_by__user")
        .prefetch_related("attachments")
        .filter(code=code[:60])
        .first()
    )
    if found is None:
        raise NotFound(_("Không tìm thấy phản ánh, kiến nghị."), code="feedback_not_found")
    return found


_HANDLING_ACTIONS = frozenset({"classify", "route", "ask_info", "supplement", "reject", "answer"})
_PUBLISHING_ACTIONS = frozenset({"publish", "thank"})


def feedback_actions_for(*, user: User, feedback: Feedback) -> set[str]:
    """What ``user`` may do next with ``feedback``: its state allows it (``workflow``), their
    role does (handle / publish, R30), and its data is ready — an answer needs the category, a
    thank-you a PAKN that led to a fix and was not thanked yet."""
    actions = set(allowed_actions(feedback.status))
    if not can(user, Perm.FEEDBACK_HANDLE, feedback):
        actions -= _HANDLING_ACTIONS
    if not can(user, Perm.FEEDBACK_PUBLISH, feedback):
        actions -= _PUBLISHING_ACTIONS
    if not feedback.category:
        actions.discard("answer")
    if not feedback.led_to_fix or feedback.thanked_at:
        actions.discard("thank")
    return actions


def feedback_timeline(*, feedback: Feedback) -> QuerySet[FeedbackEvent]:
    """Every event of a PAKN, oldest first, with who did it."""
    return feedback.events.select_related("actor", "unit").order_by("sequence")


def feedback_deadline(*, feedback: Feedback, now: dt.datetime | None = None) -> Deadline:
    """On time, due soon or late against the deadline in force (as dossiers)."""
    return deadline_state(
        due=feedback.due_at, calendar=calendar_for_unit(unit=feedback.unit), now=now
    )


def feedback_published(*, query: str = "") -> QuerySet[Feedback]:
    """Published answers for the public page, newest first (no sender contact details)."""
    rows = Feedback.objects.filter(status=FeedbackStatus.PUBLISHED).select_related("unit")
    text = (query or "").strip()[:100]
    if text:
        rows = rows.filter(Q(code__iexact=text) | Q(title__icontains=text))
    return rows.only(
        "code",
        "title",
        "content",
        "answer",
        "category",
        "submitted_at",
        "published_at",
        "likes",
        "dislikes",
        "unit__name",
    ).order_by("-published_at", "-id")


def feedback_published_get(*, code: str) -> Feedback:
    """One published answer; NotFound when it does not exist or is not published."""
    found = feedback_published().filter(code=code[:60]).first()
    if found is None:
        raise NotFound(_("Không tìm thấy câu trả lời."), code="feedback_not_found")
    return found


@dataclass(frozen=True)
class FeedbackFigures:
    """Decision 766 indicators 5.1–5.2 for a set of units and a period."""

    received: int
    rules: int
    conduct: int
    handled: int
    handled_on_time: int
    open_late: int

    @property
    def on_time_rate(self) -> Decimal | None:
        """Indicator 5.2: handled on time over handled (None without any)."""
        return _percent(self.handled_on_time, self.handled)


def feedback_figures(
    *, units: Iterable[Unit], start: dt.datetime, end: dt.datetime, now: dt.datetime | None = None
) -> FeedbackFigures:
    """PAKN received in [start, end) by category (5.1), and closed in it on time (5.2)."""
    now = min(end, now or timezone.now())
    unit_ids = [unit.pk for unit in units]
    rows = Feedback.objects.filter(unit__in=unit_ids)
    received = rows.filter(submitted_at__gte=start, submitted_at__lt=end).aggregate(
        total=Count("pk"),
        rules=Count("pk", filter=Q(category=FeedbackCategory.RULES)),
        conduct=Count("pk", filter=Q(category=FeedbackCategory.CONDUCT)),
    )
    closed = rows.filter(closed_at__gte=start, closed_at__lt=end).aggregate(
        total=Count("pk"), on_time=Count("pk", filter=Q(outcome=FeedbackOutcome.ON_TIME))
    )
    open_late = rows.filter(closed_at__isnull=True, due_at__lt=now).count()
    return FeedbackFigures(
        received=received["total"],
        rules=received["rules"],
        conduct=received["conduct"],
        handled=closed["total"],
        handled_on_time=closed["on_time"],
        open_late=open_late,
    )
