"""Writes of accountability for delay (issue 5): explanations, apology slips, the sweep.

The rules they apply are in ``accountability.py``; the lifecycle's own
services (``services.py``) call its gate. Each function here is one
transaction, locks the dossier before its steps, appends ``DossierEvent`` rows
and writes its notifications in the same transaction (ADR 0013).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import ensure_can
from motcua.accounts.services import audit_record
from motcua.core.compiled import insert_new
from motcua.core.exceptions import Conflict, PermissionDenied, ValidationFailed
from motcua.core.text import nfc
from motcua.dossiers.accountability import (
    RUNNING,
    ReappointmentRefused,
    leaders_over,
    needs_apology,
    refresh_dossier_alarms,
    refresh_step_alarms,
    responsible_step,
    unit_heads,
)
from motcua.dossiers.constants import Action, legal_basis_of
from motcua.dossiers.models import (
    ApologySlip,
    Dossier,
    DossierEvent,
    DossierStep,
    StepExplanation,
)
from motcua.dossiers.services import event_row
from motcua.notifications.services import Recipient, notify, notify_many
from motcua.workcalendar.engine import TZ
from motcua.workcalendar.selectors import calendar_for_unit

# R13 allows one re-appointment; a longer one than this is a typing slip.
MAX_EXTENSION_WORKING_DAYS = 60


def _local(value: dt.datetime | None) -> str:
    return timezone.localtime(value, TZ).strftime("%H:%M %d/%m/%Y") if value else ""


def _officer(user: User) -> Officer:
    officer = getattr(user, "officer", None)
    if officer is None or not user.is_active:
        raise PermissionDenied(_("Chỉ cán bộ mới thực hiện được thao tác này."))
    return officer


def _lock(dossier: Dossier) -> Dossier:
    # of=self: the version is read, not locked (dossier first, then steps).
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("procedure_version")
        .get(pk=dossier.pk)
    )


def _event(
    dossier: Dossier,
    *,
    action: str,
    actor: User | None,
    at: dt.datetime,
    step: DossierStep | None = None,
    unit: Unit | None = None,
    reason: str = "",
    internal: bool = True,
    data: dict[str, Any] | None = None,
) -> DossierEvent:
    """Append an event that does not change the status (the caller holds the lock)."""
    dossier.event_count += 1
    Dossier.objects.filter(pk=dossier.pk).update(event_count=dossier.event_count)
    (event,) = insert_new(
        [
            event_row(
                dossier,
                action=action,
                from_status=dossier.status,
                actor=actor,
                at=at,
                step=step,
                unit=unit,
                reason=reason,
                internal=internal,
                data=data,
            )
        ]
    )
    return event


def _dossier_context(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.label,
        "procedure_name": dossier.procedure_version.name,
        "applicant_name": dossier.applicant_name,
        "appointment": _local(dossier.appointment),
    }


def _officer_recipients(officers: Iterable[Officer]) -> list[Recipient]:
    seen: set[int] = set()
    recipients = []
    for officer in officers:
        if officer.user_id not in seen:
            seen.add(officer.user_id)
            recipients.append(Recipient(user=officer.user))
    return recipients


# --- explanation (giải trình) ----------------------------------------------------


@transaction.atomic
def step_explain(*, dossier: Dossier, actor: User, reason: str) -> StepExplanation:
    """The responsible officer explains why the open step is late (unblocks its handover)."""
    dossier = _lock(dossier)
    step = (
        DossierStep.objects.select_for_update(of=("self",))
        .filter(dossier=dossier, finished_at__isnull=True)
        .select_related("assignee__user", "unit")
        .first()
    )
    if step is None:
        raise Conflict(_("Hồ sơ không có bước nào đang xử lý."))
    officer = _officer(actor)
    if step.assignee_id != officer.pk:
        raise PermissionDenied(
            _("Chỉ người được giao bước «%(step)s» (%(name)s) mới ghi giải trình.")
            % {"step": step.name, "name": step.assignee.full_name if step.assignee else "—"}
        )
    ensure_can(actor, Perm.EXPLANATION_RECORD, step)
    now = timezone.now()
    if step.due_at is None or now <= step.due_at:
        raise ValidationFailed(
            _("Bước «%(step)s» chưa quá hạn nên chưa cần giải trình.") % {"step": step.name},
            code="explanation_not_needed",
        )
    text = nfc(reason).strip()
    if not text:
        raise ValidationFailed(_("Vui lòng ghi nội dung giải trình."), field="reason")
    if StepExplanation.objects.filter(step=step).exists():
        raise Conflict(_("Bước này đã có giải trình."), code="explanation_exists")
    explanation = StepExplanation.objects.create(
        step=step, officer=officer, reason=text, recorded_at=now
    )
    _event(
        dossier,
        action=Action.EXPLAIN,
        actor=actor,
        at=now,
        step=step,
        unit=step.unit,
        reason=text,
        data={"step": step.sequence, "due_at": step.due_at.isoformat()},
    )
    audit_record(
        actor=actor,
        action="dossier.step_explain",
        obj=explanation,
        unit=step.unit,
        summary=dossier.label,
    )
    return explanation


# --- apology slip (Form 04) -------------------------------------------------------


@dataclass(frozen=True)
class ApologyOutcome:
    """What :func:`dossier_apologise` did: a slip, or a refused second request (R13)."""

    slip: ApologySlip | None
    refused: ReappointmentRefused | None = None


def _slip_number(unit: Unit, at: dt.datetime) -> str:
    year = timezone.localtime(at, TZ).year
    count = ApologySlip.objects.filter(unit=unit, issued_at__year=year).count()
    return f"{count + 1:02d}/PXL"


def dossier_apologise(
    *, dossier: Dossier, actor: User, reason: str, extension_days: int
) -> ApologySlip:
    """Form 04 (R11–R13): the head of the late unit signs; the appointment moves once.

    A second request is refused with ``reappointment_refused`` — after the
    escalation to the supervising leaders has been committed.
    """
    outcome = _apologise(dossier=dossier, actor=actor, reason=reason, days=extension_days)
    if outcome.refused is not None:
        raise outcome.refused
    assert outcome.slip is not None
    return outcome.slip


@transaction.atomic
def _apologise(*, dossier: Dossier, actor: User, reason: str, days: int) -> ApologyOutcome:
    dossier = _lock(dossier)
    officer = _officer(actor)
    now = timezone.now()
    existing = ApologySlip.objects.filter(dossier=dossier).select_related("unit").first()
    if existing is not None:
        return ApologyOutcome(slip=None, refused=_escalate(dossier, actor, existing, reason, now))
    if dossier.processed_at is not None or dossier.status not in RUNNING:
        raise Conflict(
            _("Chỉ xin lỗi, hẹn lại cho hồ sơ đang giải quyết chưa có kết quả."),
            code="apology_not_applicable",
        )
    if not needs_apology(dossier, now=now):
        raise ValidationFailed(
            _("Hồ sơ chưa đến thời điểm phải xin lỗi (từ %(moment)s).")
            % {"moment": _local(dossier.due_soon_from) or "—"},
            code="apology_not_needed",
        )
    step = responsible_step(dossier, now=now)
    unit = step.unit if step is not None and step.unit is not None else dossier.processing_unit
    ensure_can(actor, Perm.APOLOGY_SIGN, unit)
    if officer.pk not in {head.pk for head in unit_heads(unit=unit)} and not officer.has_role(
        Role.LEADER
    ):
        raise PermissionDenied(
            _("Phiếu xin lỗi do người đứng đầu %(unit)s ký (đơn vị làm quá hạn).")
            % {"unit": unit.name}
        )
    text = nfc(reason).strip()
    if not text:
        raise ValidationFailed(_("Vui lòng ghi lý do quá hạn."), field="reason")
    if not 1 <= days <= MAX_EXTENSION_WORKING_DAYS:
        raise ValidationFailed(
            _("Số ngày làm việc gia hạn phải từ 1 đến %(max)s.")
            % {"max": MAX_EXTENSION_WORKING_DAYS},
            field="extension_days",
        )
    assert dossier.appointment is not None
    original = dossier.appointment
    calendar = calendar_for_unit(unit=dossier.receiving_unit)
    # Counted from the later of the appointment and now, over working days (R5).
    new = calendar.due_in_working_days(max(original, now), days)
    slip = ApologySlip.objects.create(
        dossier=dossier,
        number=_slip_number(unit, now),
        unit=unit,
        step=step,
        signed_by=officer,
        reason=text,
        original_appointment=original,
        new_appointment=new,
        extension_days=days,
        issued_at=now,
    )
    dossier.appointment = new
    refresh_dossier_alarms(dossier)
    # The new appointment has its own due-soon and late moments to record.
    dossier.due_soon_recorded_at = dossier.late_recorded_at = None
    dossier.save(
        update_fields=[
            "appointment",
            "due_soon_from",
            "late_from",
            "due_soon_recorded_at",
            "late_recorded_at",
            "updated_at",
        ]
    )
    event = _event(
        dossier,
        action=Action.APOLOGISE,
        actor=actor,
        at=now,
        step=step,
        unit=unit,
        reason=text,
        internal=False,
        data={
            "number": slip.number,
            "original_appointment": original.isoformat(),
            "new_appointment": new.isoformat(),
            "unit": unit.name,
        },
    )
    audit_record(
        actor=actor, action="dossier.apologise", obj=slip, unit=unit, summary=dossier.label
    )
    citizen_user = dossier.citizen.user if dossier.citizen_id and dossier.citizen else None
    one_stop = Officer.objects.filter(
        unit=dossier.receiving_unit,
        roles__role__in=[Role.COUNTER_OFFICER, Role.HEAD],
        user__is_active=True,
    ).select_related("user")
    notify(
        "dossier.apology_issued",
        source=f"dossier-event:{event.pk}",
        context={
            **_dossier_context(dossier),
            "appointment": _local(original),
            "reason": text,
            "new_appointment": _local(new),
            "unit_name": unit.name,
        },
        recipients=[
            Recipient(
                user=citizen_user,
                email=dossier.applicant_email,
                phone=dossier.applicant_phone,
            ),
            *_officer_recipients(one_stop),
        ],
    )
    return ApologyOutcome(slip=slip)


def _escalate(
    dossier: Dossier, actor: User, existing: ApologySlip, reason: str, now: dt.datetime
) -> ReappointmentRefused:
    """R13: record the refused second request and tell the supervising leaders."""
    leaders = leaders_over(unit=existing.unit)
    event = _event(
        dossier,
        action=Action.REAPPOINTMENT_REFUSED,
        actor=actor,
        at=now,
        unit=existing.unit,
        reason=nfc(reason).strip(),
        data={"apology": existing.number, "leaders": [leader.pk for leader in leaders]},
    )
    notify(
        "dossier.reappointment_refused",
        source=f"dossier-event:{event.pk}",
        context={
            **_dossier_context(dossier),
            "unit_name": existing.unit.name,
            "new_appointment": _local(existing.new_appointment),
            "reason": nfc(reason).strip(),
        },
        recipients=_officer_recipients(leaders),
        webhooks=False,
    )
    names = ", ".join(leader.full_name for leader in leaders) or _("lãnh đạo")
    return ReappointmentRefused(
        _(
            "Hồ sơ %(code)s đã được hẹn lại một lần (phiếu %(number)s, hẹn %(date)s); quy định "
            "chỉ cho hẹn lại không quá một lần. Đề nghị đã được chuyển %(leaders)s xử lý."
        )
        % {
            "code": dossier.label,
            "number": existing.number,
            "date": _local(existing.new_appointment),
            "leaders": names,
        },
        leader_ids=[leader.pk for leader in leaders],
    )


# --- the sweep ------------------------------------------------------------------------


@dataclass
class SweepReport:
    """How many state changes one sweep recorded, by kind."""

    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    skipped_locked: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class _Kind:
    action: str
    event_key: str
    model: type[Dossier] | type[DossierStep]
    moment: str  # the alarm column: when the state began
    recorded: str  # the column the sweep fills


_KINDS = (
    _Kind(
        Action.STEP_DUE_SOON, "step.due_soon", DossierStep, "due_soon_at", "due_soon_notified_at"
    ),
    _Kind(Action.STEP_LATE, "step.late", DossierStep, "late_from", "late_notified_at"),
    _Kind(Action.DUE_SOON, "dossier.due_soon", Dossier, "due_soon_from", "due_soon_recorded_at"),
    _Kind(Action.LATE, "dossier.late", Dossier, "late_from", "late_recorded_at"),
)


def accountability_sweep(*, now: dt.datetime | None = None, batch_size: int = 2000) -> SweepReport:
    """Record, once each, the steps and dossiers that became due soon or late by ``now``.

    Set-based: each batch reads the pending rows through the partial indexes
    (``*_pending``), locks their dossiers with ``SKIP LOCKED`` on PostgreSQL (a
    dossier busy in a service is taken at the next sweep), marks the rows,
    appends one internal ``DossierEvent`` per row at the moment the state
    began, and writes the notifications — all in the batch's transaction.
    """
    now = now or timezone.now()
    report = SweepReport()
    for kind in _KINDS:
        while True:
            done, skipped = _sweep_batch(kind, now=now, size=batch_size)
            report.counts[kind.action] += done
            report.skipped_locked += skipped
            if done + skipped < batch_size or done == 0:
                break
    return report


def _pending(kind: _Kind, now: dt.datetime) -> Any:
    filters = Q(**{f"{kind.moment}__lte": now, f"{kind.recorded}__isnull": True})
    return kind.model.objects.filter(filters).order_by(kind.moment)  # type: ignore[attr-defined]


@transaction.atomic
def _sweep_batch(kind: _Kind, *, now: dt.datetime, size: int) -> tuple[int, int]:
    is_step = kind.model is DossierStep
    dossier_field = "dossier_id" if is_step else "pk"
    candidates = list(_pending(kind, now).values_list("pk", dossier_field)[:size])
    if not candidates:
        return 0, 0
    dossier_ids = {dossier_id for _pk, dossier_id in candidates}
    # Dossier first, then steps (the services' lock order).
    locked = set(
        Dossier.objects.select_for_update(skip_locked=connection.features.has_select_for_update)
        .filter(pk__in=dossier_ids)
        .values_list("pk", flat=True)
    )
    pks = [pk for pk, dossier_id in candidates if dossier_id in locked]
    skipped = len(candidates) - len(pks)
    if not pks:
        return 0, skipped
    # Re-read under the lock: a service may have moved the deadline meanwhile.
    rows = list(_annotated(kind, _pending(kind, now).filter(pk__in=pks)).values(*_columns(kind)))
    if not rows:
        return 0, skipped
    by_dossier = {row["dossier_id"]: row for row in rows}
    counted = F("event_count") + 1
    if is_step:
        DossierStep.objects.filter(pk__in=[row["pk"] for row in rows]).update(
            **{kind.recorded: now}
        )
        Dossier.objects.filter(pk__in=by_dossier).update(event_count=counted)
    else:
        # perf: one write per dossier row (the mark and its event count together).
        Dossier.objects.filter(pk__in=by_dossier).update(
            **{kind.recorded: now}, event_count=counted
        )
    sequences = dict(Dossier.objects.filter(pk__in=by_dossier).values_list("pk", "event_count"))
    events = DossierEvent.objects.bulk_create(
        [
            DossierEvent(
                dossier_id=dossier_id,
                sequence=sequences[dossier_id],
                at=row[kind.moment],
                action=kind.action,
                from_status=row["status"],
                to_status=row["status"],
                step_id=row["step_id"],
                unit_id=row["unit_id"],
                legal_basis=legal_basis_of(row["rule_set"]),
                internal=True,
                data={"deadline": row["deadline"].isoformat() if row["deadline"] else None},
            )
            for dossier_id, row in by_dossier.items()
        ]
    )
    _notify_batch(kind, rows, events)
    return len(rows), skipped


def _columns(kind: _Kind) -> list[str]:
    if kind.model is DossierStep:
        return [
            "pk",
            "dossier_id",
            kind.moment,
            "name",
            "unit_id",
            "assignee_id",
            "deadline",
            "status",
            "rule_set",
            "code",
            "procedure_name",
            "step_id",
        ]
    return [
        "pk",
        "dossier_id",
        kind.moment,
        "unit_id",
        "deadline",
        "status",
        "rule_set",
        "code",
        "procedure_name",
        "receiving_unit_id",
        "step_id",
        "assignee_id",
        "step_unit_id",
    ]


def _annotated(kind: _Kind, queryset: Any) -> Any:
    """The pending rows with what their event and notifications need, in one query."""
    if kind.model is DossierStep:
        return queryset.annotate(
            deadline=F("due_at"),
            status=F("dossier__status"),
            rule_set=F("dossier__rule_set"),
            code=F("dossier__code"),
            procedure_name=F("dossier__procedure_version__name"),
            step_id=F("pk"),
        )
    open_step = DossierStep.objects.filter(dossier=OuterRef("pk"), finished_at__isnull=True)
    return queryset.annotate(
        dossier_id=F("pk"),
        unit_id=F("processing_unit_id"),
        deadline=F("appointment"),
        procedure_name=F("procedure_version__name"),
        step_id=Subquery(open_step.values("pk")[:1]),
        assignee_id=Subquery(open_step.values("assignee_id")[:1]),
        step_unit_id=Subquery(open_step.values("unit_id")[:1]),
    )


def _notify_batch(kind: _Kind, rows: list[dict[str, Any]], events: list[DossierEvent]) -> None:
    """Tell the assignee, the heads of their unit and, for dossiers, the one-stop unit."""
    event_by_dossier = {event.dossier_id: event for event in events}
    units: set[int] = set()
    officer_ids: set[int] = set()
    for row in rows:
        units.add(row.get("step_unit_id") or row["unit_id"])
        if kind.model is Dossier:
            units.add(row["receiving_unit_id"])
        if row["assignee_id"]:
            officer_ids.add(row["assignee_id"])
    by_id = {
        officer.pk: officer
        for officer in Officer.objects.filter(
            pk__in=officer_ids, user__is_active=True
        ).select_related("user")
    }
    heads: dict[int, list[Officer]] = defaultdict(list)
    one_stop: dict[int, list[Officer]] = defaultdict(list)
    staff = (
        Officer.objects.filter(
            unit_id__in=units,
            roles__role__in=[Role.HEAD, Role.LEADER, Role.COUNTER_OFFICER],
            user__is_active=True,
        )
        .select_related("user")
        .prefetch_related("roles")
        .distinct()
    )
    for officer in staff:
        roles = officer.role_set()
        if roles & {Role.HEAD, Role.LEADER}:
            heads[officer.unit_id].append(officer)
        if roles & {Role.COUNTER_OFFICER, Role.HEAD}:
            one_stop[officer.unit_id].append(officer)
    items: list[tuple[str, dict[str, Any], list[Recipient]]] = []
    for row in rows:
        holder = row.get("step_unit_id") or row["unit_id"]
        people: list[Officer] = []
        if row["assignee_id"] in by_id:
            people.append(by_id[row["assignee_id"]])
        people.extend(heads.get(holder, []))
        context = {
            "code": row["code"] or "",
            "procedure_name": row["procedure_name"],
            "deadline": _local(row["deadline"]),
            "appointment": _local(row["deadline"]),
            "step_name": row.get("name", ""),
        }
        if kind.model is Dossier:
            people.extend(one_stop.get(row["receiving_unit_id"], []))
        recipients = _officer_recipients(people)
        if recipients:
            items.append(
                (f"dossier-event:{event_by_dossier[row['dossier_id']].pk}", context, recipients)
            )
    # perf: one outbox write per batch, not per row (bench/accountability_sweep.py).
    notify_many(kind.event_key, items)


# --- after migrating ------------------------------------------------------------------


def accountability_backfill(*, batch_size: int = 500) -> int:
    """Fill the alarm columns of open steps and running dossiers that predate them.

    For a database migrated with dossiers in progress (migration 0004 cannot
    compute them: it needs each unit's calendar). The next sweep then records
    the changes already past, once each. Returns the rows filled.
    """
    filled = 0
    dossiers = Dossier.objects.filter(
        status__in=RUNNING,
        processed_at__isnull=True,
        paused_at__isnull=True,
        appointment__isnull=False,
        late_from__isnull=True,
    ).select_related("receiving_unit", "processing_unit")
    while batch := list(dossiers[:batch_size]):
        for dossier in batch:
            refresh_dossier_alarms(dossier)
        Dossier.objects.bulk_update(batch, ["due_soon_from", "late_from"])
        filled += len(batch)
    steps = DossierStep.objects.filter(
        finished_at__isnull=True,
        due_at__isnull=False,
        late_from__isnull=True,
        dossier__paused_at__isnull=True,
    ).select_related("dossier__receiving_unit", "dossier__processing_unit")
    while step_batch := list(steps[:batch_size]):
        for step in step_batch:
            refresh_step_alarms(step.dossier, step)
        DossierStep.objects.bulk_update(step_batch, ["due_soon_at", "late_from"])
        filled += len(step_batch)
    return filled
