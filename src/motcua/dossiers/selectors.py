"""Reads of dossiers, always through the officer's scope: "missing" and "not yours" look alike."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connection
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import can, units_in_scope
from motcua.accounts.selectors import unit_from_rows, unit_read
from motcua.catalog.models import Procedure
from motcua.catalog.selectors import procedure_from_intake_reads, procedure_intake_reads
from motcua.core.compiled import (
    CompiledList,
    CompiledQuery,
    counted,
    keep_related,
    run_together,
)
from motcua.core.exceptions import NotFound
from motcua.core.text import fold
from motcua.dossiers.constants import Action
from motcua.dossiers.models import (
    Delivery,
    Dossier,
    DossierDocument,
    DossierEvent,
    DossierFee,
    DossierResult,
    DossierStep,
    StopNotice,
    SupplementRequest,
    participant_keys,
)
from motcua.dossiers.notify import KnownReads, announce_reads, known_reads
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


def _by_key(code: str, reference: str) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(Q(code=code) | Q(reference=reference))
        .select_related(
            "procedure_version__procedure",
            "receiving_unit",
            "processing_unit",
            "received_by__user",
        )
        .defer(*lean(CATALOG_DEFERRED))
        .order_by("pk")
    )


# perf: the officer's lookup by code, compiled once (core/compiled.py).
# PostgreSQL settles on its generic plan by itself after five runs.
_DOSSIER_BY_KEY = CompiledQuery(_by_key, str, str)


def dossier_get_for_officer(*, user: User, code: str, with_details: bool = False) -> Dossier:
    """One dossier by code or reference; the same NotFound for "missing" and "not yours".

    ``with_details``: its rows too (:func:`dossier_load_details`), read in the
    same round trip as the dossier (perf: the API's detail, the busiest read
    after the inbox); a dossier that turns out not to be the officer's is
    refused all the same and what was read of it is dropped.
    """
    key = (code or "").strip()
    dossier = None
    rows: dict[str, list[Any]] = {}
    # A key no dossier can have (a NUL byte, a page of text) is simply not found:
    # PostgreSQL refuses NUL in a text parameter.
    if key and len(key) <= 64 and key.isprintable():
        if with_details:
            found, *details = run_together(
                [(_DOSSIER_BY_KEY, (key, key))]
                + [(query, (key, key)) for query in _DETAILS_BY_KEY.values()]
            )
            dossier = found[0] if found else None
            # Read by key, so kept by the dossier's id: a code equal to another
            # dossier's reference must not lend it that dossier's rows.
            rows = {
                name: [row for row in kind if dossier is not None and row.dossier_id == dossier.pk]
                for name, kind in zip(_DETAILS_BY_KEY, details, strict=True)
            }
        else:
            dossier = _DOSSIER_BY_KEY.first(key, key)
    if dossier is None or not dossier_visible_to(user=user, dossier=dossier):
        shown = key[:64] if key.isprintable() else ""
        raise NotFound(_("Không tìm thấy hồ sơ %(code)s.") % {"code": shown})
    if with_details:
        dossier_attach_details(dossier, rows)
    return dossier


# perf: asked by every intake with an Idempotency-Key (core/compiled.py).
_BY_IDEMPOTENCY_KEY = CompiledQuery(
    lambda key: Dossier.objects.filter(idempotency_key=key).order_by("pk"), str
)


def dossier_by_idempotency_key(key: str) -> Dossier | None:
    """The dossier created with the (scoped) idempotency ``key``, if any."""
    found: Dossier | None = _BY_IDEMPOTENCY_KEY.first(key)
    return found


class IntakeSubjects(NamedTuple):
    """What an intake is about, read before it writes (:func:`intake_subjects`)."""

    unit: Unit | None
    procedure: Procedure | None
    # The webhook subscriptions and care letters its receipt is announced to.
    announcing: KnownReads


def intake_subjects(*, unit_id: int, procedure_code: str) -> IntakeSubjects:
    """The receiving unit (with its chain), the procedure (with its published
    versions, their components, methods and steps) and what announcing its receipt
    reads: in one round trip on PostgreSQL.

    perf: read one by one, these were ten round trips of an intake's twenty;
    the services then find them on the unit and procedure and read nothing more.
    A published version's components, methods and steps are read once per
    process (``catalog.selectors.procedure_from_intake_reads``).
    """
    catalog = procedure_intake_reads(procedure_code)
    announcing = announce_reads(procedure_code.strip(), Action.RECEIVE)
    units, *found = run_together(
        [unit_read(unit_id, vendor=connection.vendor), *catalog, *announcing]
    )
    return IntakeSubjects(
        unit=unit_from_rows(unit_id, units),
        procedure=procedure_from_intake_reads(found[: len(catalog)]),
        announcing=known_reads(Action.RECEIVE, found[len(catalog) :]),
    )


# What the dossier page and the API's detail read with a dossier: by relation,
# the model and how its rows are read (perf: compiled once, see below; this
# replaced prefetch_related_objects, which built and compiled seven querysets
# per request).
_DETAILS: dict[str, tuple[type[Model], Callable[[QuerySet[Any]], QuerySet[Any]]]] = {
    "steps": (
        DossierStep,
        lambda rows: rows.select_related(
            "unit", "assignee__user", "handed_over_by__user"
        ).order_by("sequence"),
    ),
    "documents": (DossierDocument, lambda rows: rows),
    "fees": (DossierFee, lambda rows: rows.order_by("id")),
    "results": (
        DossierResult,
        lambda rows: rows.select_related("procedure", "signer__user").order_by("id"),
    ),
    "supplement_request_rows": (
        SupplementRequest,
        lambda rows: rows.select_related("requested_by__user").order_by("requested_at"),
    ),
    "delivery": (Delivery, lambda rows: rows.select_related("delivered_by__user")),
    "stop_notice": (StopNotice, lambda rows: rows.select_related("decided_by__user")),
}
# One-to-one: at most one row, kept on the dossier itself.
_ONE = frozenset({"delivery", "stop_notice"})
# Rows that each come with an event of their own (result ready, supplement
# request, return, stop): a dossier just received has none of them.
_AFTER_RECEIPT = frozenset({"results", "supplement_request_rows", "delivery", "stop_notice"})


def _details_by_id(model: type[Model], shape: Callable[[QuerySet[Any]], QuerySet[Any]]) -> Any:
    return lambda dossier_id: shape(model._default_manager.filter(dossier_id=dossier_id))


def _details_by_key(model: type[Model], shape: Callable[[QuerySet[Any]], QuerySet[Any]]) -> Any:
    def build(code: str, reference: str) -> QuerySet[Any]:
        keyed = Dossier.objects.filter(Q(code=code) | Q(reference=reference)).values("pk")
        return shape(model._default_manager.filter(dossier_id__in=keyed))

    return build


_DETAILS_BY_ID = {
    name: CompiledQuery(_details_by_id(model, shape), int)
    for name, (model, shape) in _DETAILS.items()
}
_DETAILS_BY_KEY = {
    name: CompiledQuery(_details_by_key(model, shape), str, str)
    for name, (model, shape) in _DETAILS.items()
}


def dossier_load_details(dossier: Dossier, *, just_received: bool = False) -> Dossier:
    """Read the dossier's steps, documents, fees, results, supplement requests, delivery
    and stop notice into it, as ``prefetch_related`` would (``dossier.steps.all()``
    and ``dossier.delivery`` then ask nothing more of the database).

    ``just_received``: a dossier whose only event is its receipt; the four
    kinds of rows that only later events create are known to be empty. Kinds
    already read into the dossier are not read again.
    """
    wanted = [
        name
        for name in _DETAILS
        if not (just_received and name in _AFTER_RECEIPT) and not _loaded(dossier, name)
    ]
    found = run_together([(_DETAILS_BY_ID[name], (dossier.pk,)) for name in wanted])
    dossier_attach_details(dossier, dict(zip(wanted, found, strict=True)))
    return dossier


def _loaded(dossier: Dossier, name: str) -> bool:
    """Whether the rows of ``name`` are already on the dossier (read or prefetched)."""
    if name in _ONE:
        return bool(Dossier._meta.get_field(name).is_cached(dossier))  # type: ignore[union-attr]
    prefetched = dossier.__dict__.get("_prefetched_objects_cache", {})
    return getattr(dossier, name).field.remote_field.cache_name in prefetched


def dossier_attach_details(dossier: Dossier, rows: dict[str, list[Any]]) -> None:
    """Keep ``rows`` (by relation name of :data:`_DETAILS`) on the dossier as prefetched
    relations; a kind not given and not already loaded is empty.

    Also for a service that has just written the rows (an intake: its first
    step, documents and fees), so that showing the dossier reads nothing again.
    """
    for name in _DETAILS:
        if name not in rows and _loaded(dossier, name):
            continue
        found = rows.get(name, [])
        if name in _ONE:
            relation = Dossier._meta.get_field(name)
            value = found[0] if found else None
            relation.set_cached_value(dossier, value)  # type: ignore[union-attr]
            if value is not None:
                relation.field.set_cached_value(value, dossier)  # type: ignore[union-attr]
            continue
        keep_related(dossier, name, found)


def _participant_keys(user: User) -> list[str] | None:
    """What ``Dossier.participants`` holds of those the officer sees by (None: sees all)."""
    if user.is_superuser:
        return None
    officer: Officer | None = getattr(user, "officer", None)
    if officer is None:
        return []
    units = units_in_scope(user, Perm.DOSSIER_VIEW).values_list("pk", flat=True)
    return participant_keys(units=units, officers=[officer.pk])


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
    keys = _participant_keys(user)
    if keys is not None:
        # perf: the participants hold at least everyone the visibility rule lets
        # in, and with the folded name they have one index (migration 0007): the
        # rule is then checked on the few rows found, not on every name alike.
        dossiers = dossiers.filter(participants__has_any_keys=keys)
    digits = _DIGITS.sub("", text)
    # perf: only the branches the text can match. A code ends in digits and a
    # reference is one word; OR-ing them into a name search made PostgreSQL scan
    # the code's trigram index too, and misjudge how many rows would match.
    condition = Q(pk__in=[])  # nothing yet; each branch below adds its matches
    if " " not in text:
        condition |= Q(reference__iexact=text)
    if digits:
        condition |= Q(code__iexact=text) | Q(code__iendswith=text)
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
    return _inbox_of(officer.pk)


# What an inbox line shows of its step and dossier (api.representations.work_item,
# with the deadline's state): perf, a dossier row has ~40 columns, 15 of them
# instants, each parsed in Python; the units come whole (the calendar reads them).
INBOX_FIELDS = (
    "sequence",
    "name",
    "unit",
    "assignee",
    "started_at",
    "due_at",
    "dossier__code",
    "dossier__reference",
    "dossier__status",
    "dossier__channel",
    "dossier__applicant_name",
    "dossier__receiving_unit",
    "dossier__submitted_at",
    "dossier__received_at",
    "dossier__appointment",
    "dossier__outcome",
    "dossier__paused_at",
    "dossier__ended_at",
    "dossier__procedure_version__name",
    "dossier__procedure_version__number",
    "dossier__procedure_version__procedure__code",
)


def _inbox_of(officer_id: int) -> QuerySet[DossierStep]:
    return (
        DossierStep.objects.filter(assignee_id=officer_id, finished_at__isnull=True)
        .select_related("dossier__procedure_version__procedure", "dossier__receiving_unit", "unit")
        .only(*INBOX_FIELDS)
        .order_by("due_at", "started_at")
    )


# perf: the inbox is the page officers reload all day; its six-table join is
# compiled once per process (core/compiled.py), its count too. PostgreSQL
# would plan it anew on every run (2.7 ms, for a 0.5 ms query): the LIMIT
# makes its generic plan look dearer than it is, hence ``generic_plan``.
_INBOX_ROWS = CompiledQuery(_inbox_of, int, generic_plan=True)
_INBOX_COUNT = CompiledQuery(lambda officer_id: counted(_inbox_of(officer_id)), int)


def dossier_inbox_pages(*, user: User) -> CompiledList | None:
    """:func:`dossier_inbox` for a paginator (count, then the page's rows); None if no officer."""
    officer = getattr(user, "officer", None)
    if officer is None:
        return None
    assignee = DossierStep._meta.get_field("assignee")

    def assigned(step: DossierStep) -> None:
        # Every line is the officer's own: no join for the assignee (six
        # tables, not eight, took PostgreSQL 0.8 ms to plan instead of 4).
        assignee.set_cached_value(step, officer)  # type: ignore[union-attr]

    return CompiledList(_INBOX_ROWS, _INBOX_COUNT, officer.pk, each=assigned)


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
