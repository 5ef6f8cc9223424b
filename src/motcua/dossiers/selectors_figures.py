"""Per-officer figures of real dossier work in a period, for the monthly evaluation (R34).

Set-based: one aggregate query per source table for any number of officers,
never a query per officer. A step counts for its assignee (the named person
responsible for it, "rõ người"), in the period its ``finished_at`` falls in;
explanations (giải trình) for the officer who gave them; apology slips for
the assignee of the late step they name (the officer who caused the delay);
supplement requests for the officer who signed the request; refusals (of
intake or after appraisal) for the officer who performed them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db.models import Count, Q, QuerySet

from motcua.accounts.models import Officer
from motcua.dossiers.constants import Action, Outcome
from motcua.dossiers.models import (
    ApologySlip,
    Dossier,
    DossierEvent,
    DossierStep,
    StepExplanation,
    SupplementRequest,
)

REFUSAL_ACTIONS = (Action.REFUSE, Action.REFUSE_INTAKE)


@dataclass(frozen=True)
class OfficerDossierFigures:
    """What one officer did with dossiers in [start, end)."""

    officer_id: int
    steps_finished: int = 0
    steps_early: int = 0
    steps_on_time: int = 0
    steps_late: int = 0
    open_overdue: int = 0
    explanations: int = 0
    apologies_caused: int = 0
    supplement_requests: int = 0
    refusals: int = 0


def _ids(officers: Iterable[Officer | int]) -> list[int]:
    return [officer if isinstance(officer, int) else officer.pk for officer in officers]


def _merge(
    counts: dict[int, dict[str, int]],
    rows: Iterable[Any],
    key: str,
    translate: dict[int, int] | None = None,
) -> None:
    """Add grouped ``rows`` (dicts with ``key`` and counts) to ``counts`` by officer id."""
    for row in cast("Iterable[dict[str, Any]]", rows):
        owner = row.pop(key)
        counts[translate[owner] if translate is not None else owner].update(row)


def officer_dossier_figures(
    *, officers: Iterable[Officer | int], start: dt.datetime, end: dt.datetime
) -> dict[int, OfficerDossierFigures]:
    """Figures for every officer in ``officers`` (zeros included), keyed by officer id.

    ``open_overdue`` counts steps still open at ``end`` whose deadline had
    passed by then (each one a late step in waiting).
    """
    ids = _ids(officers)
    counts: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    if not ids:
        return {}
    # perf: one grouped pass over the steps for both the finished and the
    # still-open-overdue counts; all figures for 300 officers over 1,000,000
    # dossiers took 2.8 s (median, warm) with two passes, 2.5 s with one
    # (bench/evaluation_figures.py).
    finished = Q(finished_at__gte=start, finished_at__lt=end)
    overdue = Q(Q(finished_at__isnull=True) | Q(finished_at__gte=end), due_at__lt=end)
    steps = (
        DossierStep.objects.filter(finished | overdue, assignee_id__in=ids, started_at__lt=end)
        .values("assignee_id")
        .annotate(
            steps_finished=Count("pk", filter=finished),
            steps_early=Count("pk", filter=finished & Q(outcome=Outcome.EARLY)),
            steps_on_time=Count("pk", filter=finished & Q(outcome=Outcome.ON_TIME)),
            steps_late=Count("pk", filter=finished & Q(outcome=Outcome.LATE)),
            open_overdue=Count("pk", filter=overdue),
        )
        .order_by()
    )
    _merge(counts, steps, "assignee_id")
    explanations = (
        StepExplanation.objects.filter(
            officer_id__in=ids, recorded_at__gte=start, recorded_at__lt=end
        )
        .values("officer_id")
        .annotate(explanations=Count("pk"))
        .order_by()
    )
    _merge(counts, explanations, "officer_id")
    apologies = (
        ApologySlip.objects.filter(
            step__assignee_id__in=ids, issued_at__gte=start, issued_at__lt=end
        )
        .values("step__assignee_id")
        .annotate(apologies_caused=Count("pk"))
        .order_by()
    )
    _merge(counts, apologies, "step__assignee_id")
    supplements = (
        SupplementRequest.objects.filter(
            requested_by_id__in=ids, requested_at__gte=start, requested_at__lt=end
        )
        .values("requested_by_id")
        .annotate(supplement_requests=Count("pk"))
        .order_by()
    )
    _merge(counts, supplements, "requested_by_id")
    users = dict(Officer.objects.filter(pk__in=ids).values_list("user_id", "pk"))
    refusals = (
        DossierEvent.objects.filter(
            actor_id__in=list(users), action__in=REFUSAL_ACTIONS, at__gte=start, at__lt=end
        )
        .values("actor_id")
        .annotate(refusals=Count("pk"))
        .order_by()
    )
    _merge(counts, refusals, "actor_id", users)
    return {pk: OfficerDossierFigures(officer_id=pk, **values) for pk, values in counts.items()}


def officer_figure_dossiers(
    *, officer: Officer, figure: str, start: dt.datetime, end: dt.datetime
) -> QuerySet[Dossier]:
    """The dossiers behind one figure of :func:`officer_dossier_figures` (for the links).

    ``figure`` is one of the field names of :class:`OfficerDossierFigures`;
    an unknown name gives no dossiers.
    """
    finished = Q(
        steps__assignee=officer, steps__finished_at__gte=start, steps__finished_at__lt=end
    )
    conditions: dict[str, Q] = {
        "steps_finished": finished,
        "steps_early": finished & Q(steps__outcome=Outcome.EARLY),
        "steps_on_time": finished & Q(steps__outcome=Outcome.ON_TIME),
        "steps_late": finished & Q(steps__outcome=Outcome.LATE),
        "open_overdue": (Q(steps__finished_at__isnull=True) | Q(steps__finished_at__gte=end))
        & Q(steps__assignee=officer, steps__started_at__lt=end, steps__due_at__lt=end),
        "explanations": Q(
            steps__explanation__officer=officer,
            steps__explanation__recorded_at__gte=start,
            steps__explanation__recorded_at__lt=end,
        ),
        "apologies_caused": Q(
            apology__step__assignee=officer,
            apology__issued_at__gte=start,
            apology__issued_at__lt=end,
        ),
        "supplement_requests": Q(
            supplement_request_rows__requested_by=officer,
            supplement_request_rows__requested_at__gte=start,
            supplement_request_rows__requested_at__lt=end,
        ),
        "refusals": Q(
            events__actor_id=officer.user_id,
            events__action__in=REFUSAL_ACTIONS,
            events__at__gte=start,
            events__at__lt=end,
        ),
    }
    condition = conditions.get(figure)
    if condition is None:
        return Dossier.objects.none()
    return (
        Dossier.objects.filter(condition)
        .distinct()
        .only("pk", "code", "reference", "applicant_name", "status", "received_at")
        .order_by("-received_at", "-id")
    )
