"""Reads of dossiers, always through the officer's scope: "missing" and "not yours" look alike."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Officer, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import can, units_in_scope
from motcua.core.exceptions import NotFound
from motcua.core.text import fold
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.workcalendar.engine import WorkingCalendar
from motcua.workcalendar.selectors import calendar_for_unit

_DIGITS = re.compile(r"\D")
# perf: what a dossier never reads of its procedure: the imported source record
# (a JSON document of several kB, decoded on every read) and the search data.
CATALOG_DEFERRED = (
    "procedure_version__original",
    "procedure_version__procedure__embedding",
    "procedure_version__procedure__search_text",
)


def lean(fields: tuple[str, ...], prefix: str = "") -> list[str]:
    """``fields`` under ``prefix`` (``"dossier__"`` from a step), for ``defer()``."""
    return [prefix + field for field in fields]


def _visibility(user: User) -> Q | None:
    """Dossiers of the officer's units (by scope) and those with a step assigned to them."""
    if not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Q()
    officer: Officer | None = getattr(user, "officer", None)
    if officer is None:
        return None
    units = units_in_scope(user, Perm.DOSSIER_VIEW).values("pk")
    steps = DossierStep.objects.filter(dossier=OuterRef("pk")).filter(
        Q(unit__in=units) | Q(assignee=officer)
    )
    return Q(receiving_unit__in=units) | Q(processing_unit__in=units) | Q(Exists(steps))


def dossiers_for_officer(*, user: User) -> QuerySet[Dossier]:
    """Every dossier ``user`` may see (nothing for citizens and the anonymous)."""
    condition = _visibility(user)
    if condition is None:
        return Dossier.objects.none()
    return Dossier.objects.filter(condition)


def dossier_visible_to(*, user: User, dossier: Dossier) -> bool:
    """What :func:`dossiers_for_officer` decides, for one dossier already read.

    perf: the lookup by code reads the dossier by its unique key and judges
    its units in Python (the officer's scope is a path prefix); only a dossier
    outside them costs one more query, for a step in scope or assigned.
    """
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    officer: Officer | None = getattr(user, "officer", None)
    if officer is None:
        return False
    if can(user, Perm.DOSSIER_VIEW, dossier.receiving_unit) or can(
        user, Perm.DOSSIER_VIEW, dossier.processing_unit
    ):
        return True
    units = units_in_scope(user, Perm.DOSSIER_VIEW).values("pk")
    return (
        DossierStep.objects.filter(dossier=dossier)
        .filter(Q(unit__in=units) | Q(assignee=officer))
        .exists()
    )


def dossier_get_for_officer(*, user: User, code: str) -> Dossier:
    """One dossier by code or reference; the same NotFound for "missing" and "not yours"."""
    key = (code or "").strip()
    dossier = None
    # A key no dossier can have (a NUL byte, a page of text) is simply not found:
    # PostgreSQL refuses NUL in a text parameter.
    if key and len(key) <= 64 and key.isprintable():
        dossier = (
            Dossier.objects.filter(Q(code=key) | Q(reference=key))
            .select_related(
                "procedure_version__procedure",
                "receiving_unit",
                "processing_unit",
                "received_by__user",
            )
            .defer(*lean(CATALOG_DEFERRED))
            .order_by()
            .first()
        )
    if dossier is None or not dossier_visible_to(user=user, dossier=dossier):
        shown = key[:64] if key.isprintable() else ""
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": shown})
    return dossier


def dossier_search(*, user: User, query: str) -> QuerySet[Dossier]:
    """By code (or its end), applicant name without diacritics, ID number or phone."""
    dossiers = (
        dossiers_for_officer(user=user)
        .select_related("procedure_version__procedure", "receiving_unit")
        .defer(*lean(CATALOG_DEFERRED))
    )
    text = (query or "").strip()
    if not text:
        return dossiers.order_by("-received_at", "-id")
    digits = _DIGITS.sub("", text)
    condition = Q(code__iexact=text) | Q(reference__iexact=text) | Q(code__iendswith=text)
    if digits and len(digits) >= 4 and len(digits) == len(text.replace(" ", "")):
        condition |= Q(applicant_id_number=digits) | Q(applicant_phone__endswith=digits)
    folded = fold(text)
    if folded and not digits:
        condition |= Q(applicant_search__contains=folded)
    return dossiers.filter(condition).order_by("-received_at", "-id")


def dossier_inbox(*, user: User) -> QuerySet[DossierStep]:
    """The officer's open steps, most urgent first (deadline, then the oldest)."""
    officer = getattr(user, "officer", None)
    if officer is None:
        return DossierStep.objects.none()
    return (
        DossierStep.objects.filter(assignee=officer, finished_at__isnull=True)
        .select_related("dossier__procedure_version__procedure", "dossier__receiving_unit")
        .defer(*lean(CATALOG_DEFERRED, "dossier__"))
        .order_by("due_at", "started_at")
    )


def dossier_unit_work(*, user: User) -> QuerySet[DossierStep]:
    """Open steps in the units a head may assign in, for the head's view."""
    units = units_in_scope(user, Perm.DOSSIER_ASSIGN).values("pk")
    return (
        DossierStep.objects.filter(finished_at__isnull=True, unit__in=units)
        .select_related(
            "dossier__procedure_version__procedure",
            "assignee__user",
            "unit",
            "dossier__receiving_unit",
        )
        .defer(*lean(CATALOG_DEFERRED, "dossier__"))
        .order_by("due_at", "started_at")
    )


def dossier_timeline(*, dossier: Dossier, include_internal: bool) -> QuerySet[DossierEvent]:
    """The dossier's events in order; citizens never see internal notes."""
    events = dossier.events.select_related("actor", "unit", "step").order_by("sequence")
    return events if include_internal else events.filter(internal=False)


@dataclass(frozen=True)
class ControlSlipRow:
    """One handover line of the processing control slip (Form 05 of 2018 / 06 of 2025, R9)."""

    sequence: int
    unit_name: str
    step_name: str
    handed_at: dt.datetime
    handed_by: str
    received_by: str
    due_at: dt.datetime | None
    finished_at: dt.datetime | None
    outcome: str
    outcome_label: str
    note: str


def dossier_control_slip(*, dossier: Dossier) -> list[ControlSlipRow]:
    """The control slip, straight from the steps (printed from data, never retyped)."""
    steps = dossier.steps.select_related(
        "unit", "assignee__user", "handed_over_by__user"
    ).order_by("sequence")
    rows = []
    for step in steps:
        rows.append(
            ControlSlipRow(
                sequence=step.sequence,
                unit_name=step.unit.name if step.unit else step.agency_name,
                step_name=step.name,
                handed_at=step.started_at,
                handed_by=step.handed_over_by.full_name if step.handed_over_by else "",
                received_by=step.assignee.full_name if step.assignee else step.agency_name,
                due_at=step.due_at,
                finished_at=step.finished_at,
                outcome=step.outcome,
                outcome_label=step.get_outcome_display() if step.outcome else "",
                note=step.note,
            )
        )
    return rows


class TimeState:
    ON_TIME = "on_time"
    DUE_SOON = "due_soon"
    LATE = "late"
    NONE = "none"


def remaining_label(calendar: WorkingCalendar, seconds: int) -> str:
    """Working time as people say it: "1 ngày 3 giờ", "2 giờ 15 phút"."""
    seconds = abs(seconds)
    days, rest = divmod(seconds, calendar.day_length)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    parts = []
    if days:
        parts.append(_("%(n)s ngày") % {"n": days})
    if hours:
        parts.append(_("%(n)s giờ") % {"n": hours})
    if minutes and not days:
        parts.append(_("%(n)s phút") % {"n": minutes})
    return " ".join(parts) or _("dưới 1 phút")


@dataclass(frozen=True)
class Deadline:
    """Where a deadline stands now, in working time."""

    state: str
    seconds_left: int
    label: str


def deadline_state(
    *, due: dt.datetime | None, calendar: WorkingCalendar, now: dt.datetime | None = None
) -> Deadline:
    """On time, due soon (within the last working day) or late, with "còn …" / "quá …"."""
    if due is None:
        return Deadline(TimeState.NONE, 0, _("Không hẹn"))
    now = now or timezone.now()
    left = calendar.working_seconds_between(now, due)
    if now > due:
        overdue = max(left * -1, calendar.working_seconds_between(due, now))
        return Deadline(
            TimeState.LATE,
            -overdue,
            _("quá %(time)s") % {"time": remaining_label(calendar, overdue)},
        )
    state = TimeState.DUE_SOON if left <= calendar.day_length else TimeState.ON_TIME
    return Deadline(state, left, _("còn %(time)s") % {"time": remaining_label(calendar, left)})


def dossier_calendar(*, dossier: Dossier) -> WorkingCalendar:
    """The working calendar the dossier's deadlines are computed on."""
    return calendar_for_unit(unit=dossier.receiving_unit)
