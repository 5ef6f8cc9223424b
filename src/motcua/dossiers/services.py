"""Every way a dossier changes: one function per action, one transaction each.

Each service locks the dossier (then its steps), checks the action against
``workflow.ACTIONS`` and the actor's permission, writes the new state and a
:class:`DossierEvent` together, and defers side effects until commit.
``grep -n "^def dossier_" src/motcua/dossiers/services.py`` lists them all.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import File
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import ADMINISTRATIVE_KINDS, Role
from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import can, ensure_can
from motcua.accounts.selectors import unit_ancestors, unit_by_id
from motcua.catalog.constants import ShareUnit
from motcua.catalog.models import Procedure, ProcedureVersion, ProcessStep, RequiredDocument
from motcua.catalog.selectors import procedure_get, procedure_version_in_force, version_period
from motcua.core.compiled import CompiledQuery, insert_new, related_rows
from motcua.core.exceptions import (
    Conflict,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from motcua.core.text import fold, nfc
from motcua.dossiers.accountability import (
    ensure_may_proceed,
    kpi_deadline,
    refresh_dossier_alarms,
    step_alarms,
)
from motcua.dossiers.codes import (
    dossier_code_next,
    dossier_lookup_secret_new,
    dossier_reference_new,
)
from motcua.dossiers.constants import (
    Action,
    ApplicantKind,
    Channel,
    Outcome,
    PaymentChannel,
    ReturnChannel,
    Status,
    StopCause,
    legal_basis_of,
    rule_set_for,
)
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
from motcua.dossiers.notify import KnownReads, announce
from motcua.dossiers.selectors import (
    dossier_attach_details,
    dossier_by_idempotency_key,
    dossiers_for_officer,
    intake_subjects,
)
from motcua.dossiers.workflow import NEW, target_status
from motcua.workcalendar.engine import TZ, WorkingCalendar
from motcua.workcalendar.selectors import calendar_for_unit

# R15: a supplement request during processing within 3 working days of receipt.
SUPPLEMENT_WINDOW_WORKING_DAYS = 3
_DIGITS = re.compile(r"\D")


# --- inputs -------------------------------------------------------------------


@dataclass(frozen=True)
class Applicant:
    """The person or organisation submitting (người nộp hồ sơ)."""

    name: str
    kind: str = ApplicantKind.PERSON
    id_number: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class ReceivedDocument:
    """A published component received: counts, a scanned file, or reuse of digital data."""

    required_document_id: int
    originals: int = 0
    copies: int = 0
    reused_from_data: bool = False
    file: File | None = None


@dataclass(frozen=True)
class FeeTaken:
    """A fee or charge collected at receipt (R25)."""

    name: str
    amount: int
    exempt: bool = False
    exemption_basis: str = ""
    payment_channel: str = PaymentChannel.CASH
    receipt_number: str = ""


@dataclass(frozen=True)
class SupplementItem:
    """A published component to supplement, with why (R3: nothing outside the list)."""

    required_document_id: int
    reason: str = ""
    originals: int = 0
    copies: int = 0


@dataclass(frozen=True)
class ResultDocument:
    """A result produced for one procedure of the dossier (R22)."""

    procedure_id: int
    name: str
    document_number: str = ""
    result_code: str = ""
    file: File | None = None


# --- shared helpers -----------------------------------------------------------


def _officer(user: User | None) -> Officer:
    officer = getattr(user, "officer", None) if user is not None else None
    if officer is None or not user.is_active:  # type: ignore[union-attr]
        raise PermissionDenied(_("Chỉ cán bộ mới thực hiện được thao tác này."))
    return officer


def _lock(dossier: Dossier, action: str) -> Dossier:
    """The dossier row, locked for this transaction (dossier first, then steps).

    Checks at once that ``action`` applies to the dossier's state, so that a
    refused transition says so before any other rule is looked at.
    """
    locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
    target_status(action, locked.status)
    # Issue 5: a late step needs its explanation, a due-soon or late dossier
    # its apology slip, before it moves on (R11; a unit may only warn).
    ensure_may_proceed(locked, action)
    return locked


def _open_step(dossier: Dossier) -> DossierStep | None:
    return (
        # of=self: the related rows are read, not locked (and nullable joins
        # cannot be locked on PostgreSQL).
        DossierStep.objects.select_for_update(of=("self",))
        .filter(dossier=dossier, finished_at__isnull=True)
        .select_related("assignee", "process_step", "unit")
        .first()
    )


def _move(dossier: Dossier, action: str) -> str:
    """Apply ``action`` to the dossier's state (``workflow.ACTIONS``); return the old state."""
    current = dossier.status or NEW
    dossier.status = target_status(action, current)
    return current


def _append_event(dossier: Dossier, **event: Any) -> DossierEvent:
    """Save the dossier and append its next event (the fields of :func:`event_row`), then
    announce it; the caller holds the dossier's lock."""
    dossier.event_count += 1
    dossier.save()
    (row,) = insert_new([event_row(dossier, **event)])
    announce(dossier, row, event.get("step"))
    return row


def event_row(
    dossier: Dossier,
    *,
    action: str,
    from_status: str,
    actor: User | None,
    at: dt.datetime,
    reason: str = "",
    step: DossierStep | None = None,
    data: dict[str, Any] | None = None,
    internal: bool = False,
    unit: Unit | None = None,
    legal_basis: str = "",
) -> DossierEvent:
    """The dossier's next event (numbered ``event_count``, already counted), not yet saved."""
    return DossierEvent(
        dossier=dossier,
        sequence=dossier.event_count,
        at=at,
        actor=actor if actor is not None and actor.pk else None,
        unit=unit,
        action=action,
        from_status=from_status,
        to_status=dossier.status,
        step=step,
        reason=reason,
        legal_basis=legal_basis or legal_basis_of(dossier.rule_set),
        internal=internal,
        data=data or {},
    )


def _record(dossier: Dossier, *, action: str, **event: Any) -> DossierEvent:
    """:func:`_move` then :func:`_append_event`, for actions whose step is already known."""
    from_status = _move(dossier, action)
    return _append_event(dossier, action=action, from_status=from_status, **event)


def _calendar(dossier: Dossier) -> WorkingCalendar:
    return calendar_for_unit(unit=dossier.receiving_unit)


def _outcome(finished: dt.datetime, due: dt.datetime | None) -> str:
    """Late after the deadline; early when finished on an earlier day; else on time."""
    if due is None:
        return ""
    if finished > due:
        return Outcome.LATE
    if timezone.localtime(finished, TZ).date() < timezone.localtime(due, TZ).date():
        return Outcome.EARLY
    return Outcome.ON_TIME


def _share_seconds(calendar: WorkingCalendar, step: ProcessStep) -> int:
    value = Decimal(step.share_value)
    if step.share_unit == ShareUnit.WORKING_HOURS:
        return int(value * 3600)
    return int(value * calendar.day_length)


def _step_due(
    dossier: Dossier, process_step: ProcessStep | None, started: dt.datetime
) -> dt.datetime | None:
    """A step's deadline: its share of the legal time, as working time from its start."""
    if dossier.appointment is None:
        return None
    if process_step is None:
        return dossier.appointment
    calendar = _calendar(dossier)
    return calendar.due_in_working_seconds(started, _share_seconds(calendar, process_step))


def _close_step(
    step: DossierStep, *, at: dt.datetime, by: Officer | None, note: str = "", outcome: bool = True
) -> None:
    step.finished_at = at
    step.finished_by = by
    step.outcome = _outcome(at, step.due_at) if outcome else ""
    if note:
        step.note = "\n".join(part for part in (step.note, note) if part)
    # A closed step leaves the sweep's queues (issue 5).
    step.due_soon_at = step.late_from = None
    step.save(
        update_fields=["finished_at", "finished_by", "outcome", "note", "due_soon_at", "late_from"]
    )


def _open_new_step(
    dossier: Dossier,
    *,
    process_step: ProcessStep | None,
    name: str,
    at: dt.datetime,
    assignee: Officer | None,
    handed_over_by: Officer | None,
    unit: Unit | None = None,
    agency_name: str = "",
    due_at: dt.datetime | None = None,
    first: bool = False,
) -> DossierStep:
    sequence = 1
    if not first:
        sequence += (
            DossierStep.objects.filter(dossier=dossier)
            .order_by("-sequence")
            .values_list("sequence", flat=True)
            .first()
            or 0
        )
    due = due_at if due_at is not None else _step_due(dossier, process_step, at)
    step_unit = unit if unit is not None else (assignee.unit if assignee else None)
    # Saved with the dossier by the caller's event (_append_event); an intake,
    # whose dossier is inserted before its first step, counts them in before.
    _participate(dossier, units=[step_unit], officer=assignee)
    (step,) = insert_new(
        [
            DossierStep(
                dossier=dossier,
                sequence=sequence,
                process_step=process_step,
                name=name,
                unit=step_unit,
                agency_name=agency_name,
                assignee=assignee,
                handed_over_by=handed_over_by,
                started_at=at,
                due_at=due,
                **step_alarms(dossier, due),
            )
        ]
    )
    return step


def _participate(
    dossier: Dossier, *, units: Iterable[Unit | None], officer: Officer | None
) -> None:
    """Count units and an officer among the dossier's participants (``Dossier.participants``,
    only ever added to); the caller saves the dossier."""
    keys = participant_keys(
        units=[unit.pk for unit in units if unit is not None],
        officers=[officer.pk] if officer is not None else [],
    )
    dossier.participants = {**dossier.participants, **dict.fromkeys(keys, True)}


def _process_steps(dossier: Dossier) -> list[ProcessStep]:
    if Dossier._meta.get_field("procedure_version").is_cached(dossier):  # type: ignore[union-attr]
        # Kept on the version when the intake read it (catalog.selectors).
        return related_rows(dossier.procedure_version, "process_steps", _PROCESS_STEPS_OF)
    return list(_PROCESS_STEPS_OF.run(dossier.procedure_version_id))


# perf: what every intake reads, compiled once (core/compiled.py).
_COMPONENTS_OF = CompiledQuery(
    lambda version_id: RequiredDocument.objects.filter(version_id=version_id), int
)
_PROCESS_STEPS_OF = CompiledQuery(
    lambda version_id: ProcessStep.objects.filter(version_id=version_id).order_by("position"),
    int,
)


def _next_process_step(dossier: Dossier, current: DossierStep | None) -> ProcessStep | None:
    steps = _process_steps(dossier)
    if current is None or current.process_step_id is None:
        return steps[0] if steps else None
    positions = [step.pk for step in steps]
    try:
        index = positions.index(current.process_step_id)
    except ValueError:
        return None
    return steps[index + 1] if index + 1 < len(steps) else None


def _administrative_unit(unit: Unit) -> Unit:
    """The commune, district or province a body belongs to (the competent agency)."""
    if unit.kind in ADMINISTRATIVE_KINDS:
        return unit
    for ancestor in reversed(unit_ancestors(unit=unit)):
        if ancestor.kind in ADMINISTRATIVE_KINDS:
            return ancestor
    return unit


def _agency_code(unit: Unit) -> str:
    """The electronic agency identifier of ``unit`` or the nearest unit above it."""
    if unit.agency_code:
        return unit.agency_code
    for ancestor in reversed(unit_ancestors(unit=unit)):
        if ancestor.agency_code:
            return str(ancestor.agency_code)
    raise ValidationFailed(
        _(
            "Đơn vị %(unit)s chưa có mã định danh điện tử nên chưa cấp được mã hồ sơ; "
            "đề nghị quản trị viên bổ sung."
        )
        % {"unit": unit.name},
        field="agency_code",
    )


def _validate_applicant(applicant: Applicant) -> Applicant:
    name = nfc(applicant.name)
    if not name:
        raise ValidationFailed(_("Vui lòng nhập họ tên người nộp hồ sơ."), field="applicant_name")
    id_number = _DIGITS.sub("", applicant.id_number or "")
    if applicant.id_number.strip():
        if applicant.kind == ApplicantKind.ORGANISATION:
            if len(id_number) not in (10, 13):
                raise ValidationFailed(
                    _("Mã số thuế phải có 10 hoặc 13 chữ số."), field="applicant_id_number"
                )
        elif len(id_number) not in (9, 12):
            raise ValidationFailed(
                _("Số định danh cá nhân (CCCD) phải có 12 chữ số (CMND cũ: 9 chữ số)."),
                field="applicant_id_number",
            )
    phone = _DIGITS.sub("", applicant.phone or "")
    if phone.startswith("84") and len(phone) == 11:
        phone = "0" + phone[2:]
    if applicant.phone.strip() and not (len(phone) in (10, 11) and phone.startswith("0")):
        raise ValidationFailed(
            _("Số điện thoại không hợp lệ (ví dụ 0912345678)."), field="applicant_phone"
        )
    email = (applicant.email or "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationFailed(
                _("Địa chỉ thư điện tử không hợp lệ."), field="applicant_email"
            ) from exc
    return Applicant(
        name=name,
        kind=applicant.kind,
        id_number=id_number,
        phone=phone,
        email=email,
        address=nfc(applicant.address),
    )


def _apply_applicant(dossier: Dossier, applicant: Applicant) -> None:
    dossier.applicant_kind = applicant.kind
    dossier.applicant_name = applicant.name
    dossier.applicant_id_number = applicant.id_number
    dossier.applicant_phone = applicant.phone
    dossier.applicant_email = applicant.email
    dossier.applicant_address = applicant.address
    dossier.applicant_search = fold(applicant.name)


def _version_components(version: ProcedureVersion) -> dict[int, RequiredDocument]:
    documents = related_rows(version, "documents", _COMPONENTS_OF)
    return {document.pk: document for document in documents}


def _check_documents(
    version: ProcedureVersion, documents: Sequence[ReceivedDocument], *, complete: bool
) -> dict[int, RequiredDocument]:
    """Only published components (R3); with ``complete``, every required one (R2)."""
    components = _version_components(version)
    for document in documents:
        if document.required_document_id not in components:
            raise ValidationFailed(
                _("Giấy tờ không thuộc thành phần hồ sơ đã công bố của thủ tục."),
                field="documents",
            )
        if document.originals < 0 or document.copies < 0:
            raise ValidationFailed(_("Số bản không được âm."), field="documents")
    if complete:
        present = {
            document.required_document_id
            for document in documents
            if document.originals + document.copies > 0
            or document.reused_from_data
            or document.file
        }
        missing = _missing_components(components.values(), present)
        if missing:
            raise ValidationFailed(
                _("Hồ sơ chưa đủ thành phần bắt buộc: %(names)s.")
                % {"names": "; ".join(component.name[:120] for component in missing)},
                field="documents",
                missing=[component.pk for component in missing],
            )
    return components


def _missing_components(
    components: Iterable[RequiredDocument], present: set[int]
) -> list[RequiredDocument]:
    """The required components still missing, by case (trường hợp, R2).

    Components without a case are always needed. A procedure that lists its
    components by case (e.g. 1.004222: by whose home the applicant registers
    in) is complete when one case has all its required components; when none
    has, the case closest to complete is the one reported.
    """
    required = [component for component in components if component.required]
    common = [c for c in required if not c.case and c.pk not in present]
    by_case: dict[str, list[RequiredDocument]] = {}
    for component in required:
        if component.case:
            by_case.setdefault(component.case, []).append(component)
    if not by_case:
        return common
    closest = min(
        ([c for c in members if c.pk not in present] for members in by_case.values()),
        key=len,
    )
    return [*common, *closest]


def _store_documents(
    dossier: Dossier,
    documents: Iterable[ReceivedDocument],
    components: dict[int, RequiredDocument],
    *,
    at: dt.datetime,
    from_supplement: bool = False,
) -> list[DossierDocument]:
    rows: list[DossierDocument] = []
    for document in documents:
        component = components[document.required_document_id]
        row = DossierDocument(
            dossier=dossier,
            required_document=component,
            name=component.name,
            originals=document.originals,
            copies=document.copies,
            digitised=bool(document.file),
            reused_from_data=document.reused_from_data,
            from_supplement=from_supplement,
            received_at=at,
        )
        if document.file:
            row.file.save(document.file.name or "tai-lieu", document.file, save=False)
        rows.append(row)
    return insert_new(rows)


def _store_fees(
    dossier: Dossier, fees: Iterable[FeeTaken], *, at: dt.datetime
) -> list[DossierFee]:
    rows: list[DossierFee] = []
    for fee in fees:
        if fee.amount < 0:
            raise ValidationFailed(_("Số tiền phí, lệ phí không được âm."), field="fees")
        if fee.exempt and not nfc(fee.exemption_basis):
            raise ValidationFailed(_("Vui lòng ghi căn cứ miễn, giảm phí, lệ phí."), field="fees")
        rows.append(
            DossierFee(
                dossier=dossier,
                name=nfc(fee.name),
                amount=0 if fee.exempt else fee.amount,
                exempt=fee.exempt,
                exemption_basis=nfc(fee.exemption_basis),
                payment_channel=fee.payment_channel,
                receipt_number=nfc(fee.receipt_number),
                paid_at=at,
            )
        )
    return insert_new(rows)


def _appointment(
    dossier: Dossier, version: ProcedureVersion, received: dt.datetime
) -> dt.datetime | None:
    """R5–R7: the statutory period over the receiving unit's calendar; None when unknown."""
    period = version_period(version=version, channel=dossier.channel) or version_period(
        version=version
    )
    if period is None:
        return None
    return calendar_for_unit(unit=dossier.receiving_unit).due(received, period)


def _assign_code_and_appointment(
    dossier: Dossier, *, officer: Officer, received: dt.datetime
) -> None:
    """R1, R5: the code and the appointment, fixed at a valid receipt."""
    dossier.code = dossier_code_next(
        agency_code=_agency_code(dossier.receiving_unit), received_at=received
    )
    dossier.received_at = received
    dossier.received_by = officer
    dossier.rule_set = rule_set_for(timezone.localtime(received, TZ).date())
    calendar = calendar_for_unit(unit=dossier.receiving_unit)
    dossier.received_outside_hours = not calendar.is_in_session(received)
    dossier.appointment_original = dossier.appointment = _appointment(
        dossier, dossier.procedure_version, received
    )
    refresh_dossier_alarms(dossier)


def _open_first_step(
    dossier: Dossier, *, officer: Officer, received: dt.datetime, new: bool = False
) -> DossierStep:
    """The dossier's first step; ``new``: the dossier was inserted just now (no step yet)."""
    first = _next_process_step(dossier, None)
    return _open_new_step(
        dossier,
        process_step=first,
        name=first.name if first else _("Tiếp nhận hồ sơ"),
        at=received,
        assignee=officer,
        handed_over_by=None,
        unit=dossier.receiving_unit,
        first=new,
    )


def _receipt_data(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.code,
        "appointment": dossier.appointment.isoformat() if dossier.appointment else None,
        "outside_hours": dossier.received_outside_hours,
    }


def _pinned_version(procedure: Procedure, on: dt.datetime) -> ProcedureVersion:
    version = procedure_version_in_force(procedure=procedure, on=timezone.localtime(on, TZ).date())
    if version is None:
        raise ValidationFailed(
            _("Thủ tục %(code)s không có phiên bản đang có hiệu lực.") % {"code": procedure.code},
            field="procedure",
        )
    return version


# --- intake --------------------------------------------------------------------


def intake_unit(pk: int) -> Unit:
    """The unit a request names by id; else a clear error on its ``unit`` field."""
    unit = unit_by_id(pk)
    if unit is None:
        raise ValidationFailed(_("Không có đơn vị với mã %(id)s.") % {"id": pk}, field="unit")
    return unit


def intake_procedure(code: str) -> Procedure:
    """The procedure a request names by code; else a clear error on its ``procedure`` field."""
    try:
        return procedure_get(code=code)
    except NotFound as exc:
        raise ValidationFailed(exc.message, field="procedure") from exc


def dossier_receive(
    *,
    actor: User,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    documents: Sequence[ReceivedDocument],
    fees: Sequence[FeeTaken] = (),
    channel: str = Channel.IN_PERSON,
    return_channel: str = ReturnChannel.COUNTER,
    received_at: dt.datetime | None = None,
    bundle: Any = None,
    idempotency_key: str | None = None,
) -> Dossier:
    """Receive a complete dossier at the counter: code, appointment, first step, receipt (R1–R5).

    The checklist is restricted to the published components of the version in
    force (R3); missing required ones are refused with their names, so the
    officer can ask the applicant to complete instead. The same
    ``idempotency_key`` never creates two dossiers (:func:`_or_first_of_key`).
    """
    return _or_first_of_key(
        idempotency_key,
        lambda: _receive(
            actor=actor,
            unit=unit,
            procedure=procedure,
            applicant=applicant,
            documents=documents,
            fees=fees,
            channel=channel,
            return_channel=return_channel,
            received_at=received_at,
            bundle=bundle,
            idempotency_key=idempotency_key,
        ),
    )


def dossier_receive_named(
    *,
    actor: User,
    unit_id: int,
    procedure_code: str,
    applicant: Applicant,
    documents: Sequence[ReceivedDocument],
    fees: Sequence[FeeTaken] = (),
    channel: str = Channel.IN_PERSON,
    return_channel: str = ReturnChannel.COUNTER,
    idempotency_key: str | None = None,
) -> Dossier:
    """:func:`dossier_receive` for a unit named by id and a procedure by code (the API).

    perf: the unit and the procedure are read in one round trip
    (``selectors.intake_subjects``); the receipt then reads neither again. A
    unit or procedure not found there is asked for again, for its error message.
    """

    def receive() -> Dossier:
        subjects = intake_subjects(unit_id=unit_id, procedure_code=procedure_code)
        return _receive(
            actor=actor,
            unit=subjects.unit or intake_unit(unit_id),
            procedure=subjects.procedure or intake_procedure(procedure_code),
            applicant=applicant,
            documents=documents,
            fees=fees,
            channel=channel,
            return_channel=return_channel,
            received_at=None,
            bundle=None,
            idempotency_key=idempotency_key,
            known=subjects.announcing,
        )

    return _or_first_of_key(idempotency_key, receive)


def _or_first_of_key(idempotency_key: str | None, receive: Callable[[], Dossier]) -> Dossier:
    """``receive()``; when it is refused and ``idempotency_key`` already made a dossier,
    that dossier instead.

    A replay is the same request, answered by what it made and not judged
    again: the rules may have changed since, or the first request may have
    committed meanwhile (the key's unique constraint then refuses this one,
    whose code number goes back with its transaction). perf: the key is looked
    up only when the receipt is refused, not before every receipt.
    """
    try:
        return receive()
    except (IntegrityError, DomainError):
        if idempotency_key:
            existing = dossier_by_idempotency_key(idempotency_key)
            if existing is not None:
                return existing
        raise


@transaction.atomic
def _receive(
    *,
    actor: User,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    documents: Sequence[ReceivedDocument],
    fees: Sequence[FeeTaken],
    channel: str,
    return_channel: str,
    received_at: dt.datetime | None,
    bundle: Any,
    idempotency_key: str | None,
    known: KnownReads | None = None,
) -> Dossier:
    officer = _officer(actor)
    ensure_can(actor, Perm.DOSSIER_RECEIVE, unit)
    received = received_at or timezone.now()
    dossier = _new_dossier(
        unit=unit,
        procedure=procedure,
        applicant=applicant,
        channel=channel,
        at=received,
        return_channel=return_channel,
        idempotency_key=idempotency_key,
    )
    dossier.bundle = bundle
    components = _check_documents(dossier.procedure_version, documents, complete=True)
    from_status = _move(dossier, Action.RECEIVE)
    _assign_code_and_appointment(dossier, officer=officer, received=received)
    dossier.event_count += 1
    _participate(dossier, units=[unit], officer=officer)  # the first step's, inserted with it
    insert_new([dossier])
    step = _open_first_step(dossier, officer=officer, received=received, new=True)
    # The dossier went in with this event already counted (one insert, no save).
    (event,) = insert_new(
        [
            event_row(
                dossier,
                action=Action.RECEIVE,
                from_status=from_status,
                actor=actor,
                at=received,
                unit=unit,
                step=step,
                data=_receipt_data(dossier),
            )
        ]
    )
    announce(dossier, event, step, known)
    # What the dossier shows is what was just written (perf: nothing read again).
    dossier_attach_details(
        dossier,
        {
            "steps": [step],
            "documents": _store_documents(dossier, documents, components, at=received),
            "fees": _store_fees(dossier, fees, at=received),
        },
    )
    return dossier


def _new_dossier(
    *,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    channel: str,
    at: dt.datetime,
    return_channel: str = ReturnChannel.COUNTER,
    idempotency_key: str | None = None,
    citizen: Any = None,
) -> Dossier:
    version = _pinned_version(procedure, at)
    dossier = Dossier(
        reference=dossier_reference_new(),
        lookup_secret=dossier_lookup_secret_new(),
        procedure_version=version,
        receiving_unit=unit,
        processing_unit=_administrative_unit(unit),
        channel=channel,
        return_channel=return_channel,
        submitted_at=at,
        idempotency_key=idempotency_key or None,
        citizen=citizen,
        rule_set=rule_set_for(timezone.localtime(at, TZ).date()),
    )
    _participate(dossier, units=[dossier.receiving_unit, dossier.processing_unit], officer=None)
    _apply_applicant(dossier, _validate_applicant(applicant))
    return dossier


def dossier_submit_online(
    *,
    unit: Unit,
    procedure: Procedure,
    applicant: Applicant,
    documents: Sequence[ReceivedDocument],
    submitted_at: dt.datetime | None = None,
    return_channel: str = ReturnChannel.ONLINE,
    idempotency_key: str | None = None,
    citizen: Any = None,
) -> Dossier:
    """An online submission: it waits in the unit's intake queue (no code until accepted, R2).

    Idempotent on ``idempotency_key``: a resubmission returns the first dossier
    (:func:`_or_first_of_key`).
    """

    @transaction.atomic
    def submit() -> Dossier:
        at = submitted_at or timezone.now()
        dossier = _new_dossier(
            unit=unit,
            procedure=procedure,
            applicant=applicant,
            channel=Channel.ONLINE,
            at=at,
            return_channel=return_channel,
            idempotency_key=idempotency_key,
            citizen=citizen,
        )
        components = _check_documents(dossier.procedure_version, documents, complete=False)
        from_status = _move(dossier, Action.SUBMIT_ONLINE)
        dossier.save()
        _store_documents(dossier, documents, components, at=at)
        _append_event(
            dossier, action=Action.SUBMIT_ONLINE, from_status=from_status, actor=None, at=at
        )
        return dossier

    return _or_first_of_key(idempotency_key, submit)


@transaction.atomic
def dossier_accept_online(*, dossier: Dossier, actor: User) -> Dossier:
    """Accept an online submission: it counts as received at the next working session after
    submission (ADR 0007), gets its code, appointment and first step."""
    officer = _officer(actor)
    dossier = _lock(dossier, Action.ACCEPT_ONLINE)
    ensure_can(actor, Perm.DOSSIER_RECEIVE, dossier.receiving_unit)
    from_status = _move(dossier, Action.ACCEPT_ONLINE)
    _check_documents(
        dossier.procedure_version,
        [
            ReceivedDocument(
                required_document_id=document.required_document_id or 0,
                originals=document.originals,
                copies=document.copies,
                reused_from_data=document.reused_from_data,
                file=document.file or None,
            )
            for document in dossier.documents.all()
        ],
        complete=True,
    )
    calendar = calendar_for_unit(unit=dossier.receiving_unit)
    received = calendar.received_online(dossier.submitted_at or timezone.now())
    _assign_code_and_appointment(dossier, officer=officer, received=received)
    dossier.save()
    step = _open_first_step(dossier, officer=officer, received=received)
    _append_event(
        dossier,
        action=Action.ACCEPT_ONLINE,
        from_status=from_status,
        actor=actor,
        at=timezone.now(),
        unit=dossier.receiving_unit,
        step=step,
        data={**_receipt_data(dossier), "received_at": received.isoformat()},
    )
    return dossier


def _supplement_items(
    version: ProcedureVersion, items: Sequence[SupplementItem]
) -> list[dict[str, Any]]:
    """R3, R4: only published components, never one the system can take from digital data."""
    if not items:
        raise ValidationFailed(_("Vui lòng chọn thành phần hồ sơ cần bổ sung."), field="items")
    components = _version_components(version)
    rows = []
    for item in items:
        component = components.get(item.required_document_id)
        if component is None:
            raise ValidationFailed(
                _(
                    "Chỉ được yêu cầu bổ sung thành phần hồ sơ đã công bố của thủ tục "
                    "(không yêu cầu giấy tờ ngoài quy định)."
                ),
                field="items",
            )
        if component.reusable_from_data:
            raise ValidationFailed(
                _(
                    "«%(name)s» khai thác được từ dữ liệu số, không được yêu cầu người dân "
                    "nộp lại bản giấy."
                )
                % {"name": component.name[:120]},
                field="items",
            )
        rows.append(
            {
                "required_document_id": component.pk,
                "name": component.name,
                "originals": item.originals or component.originals,
                "copies": item.copies or component.copies,
                "reason": nfc(item.reason),
            }
        )
    return rows


@transaction.atomic
def dossier_ask_to_complete(
    *,
    actor: User,
    items: Sequence[SupplementItem],
    reason: str,
    dossier: Dossier | None = None,
    unit: Unit | None = None,
    procedure: Procedure | None = None,
    applicant: Applicant | None = None,
) -> Dossier:
    """Form 02 before receipt: the dossier is not received and gets no code (R2, R3).

    Either for an online submission (``dossier``) or for an applicant at the
    counter (``unit``, ``procedure``, ``applicant``).
    """
    officer = _officer(actor)
    now = timezone.now()
    if dossier is not None:
        dossier = _lock(dossier, Action.ASK_TO_COMPLETE)
    else:
        if unit is None or procedure is None or applicant is None:
            raise ValidationFailed(_("Thiếu thông tin thủ tục hoặc người nộp."))
        dossier = _new_dossier(
            unit=unit, procedure=procedure, applicant=applicant, channel=Channel.IN_PERSON, at=now
        )
    ensure_can(actor, Perm.DOSSIER_RECEIVE, dossier.receiving_unit)
    if not nfc(reason):
        raise ValidationFailed(_("Vui lòng ghi lý do cần hoàn thiện hồ sơ."), field="reason")
    rows = _supplement_items(dossier.procedure_version, items)
    from_status = _move(dossier, Action.ASK_TO_COMPLETE)
    dossier.save()
    SupplementRequest.objects.create(
        dossier=dossier,
        during_processing=False,
        requested_at=now,
        requested_by=officer,
        reason=nfc(reason),
        items=rows,
    )
    _append_event(
        dossier,
        action=Action.ASK_TO_COMPLETE,
        from_status=from_status,
        actor=actor,
        at=now,
        reason=nfc(reason),
        unit=dossier.receiving_unit,
        data={"items": rows},
    )
    return dossier


@transaction.atomic
def dossier_resubmit(
    *,
    dossier: Dossier,
    documents: Sequence[ReceivedDocument],
    submitted_at: dt.datetime | None = None,
) -> Dossier:
    """The applicant sends the completed online dossier again; it waits for intake again."""
    dossier = _lock(dossier, Action.RESUBMIT)
    at = submitted_at or timezone.now()
    components = _check_documents(dossier.procedure_version, documents, complete=False)
    from_status = _move(dossier, Action.RESUBMIT)
    dossier.submitted_at = at
    _store_documents(dossier, documents, components, at=at, from_supplement=True)
    _append_event(dossier, action=Action.RESUBMIT, from_status=from_status, actor=None, at=at)
    return dossier


@transaction.atomic
def dossier_refuse_intake(
    *,
    actor: User,
    reason: str,
    dossier: Dossier | None = None,
    unit: Unit | None = None,
    procedure: Procedure | None = None,
    applicant: Applicant | None = None,
) -> Dossier:
    """Form 03: refuse to accept (wrong authority, not eligible), with a non-empty reason (R2)."""
    _officer(actor)
    now = timezone.now()
    if not nfc(reason):
        raise ValidationFailed(_("Vui lòng ghi rõ lý do từ chối tiếp nhận."), field="reason")
    if dossier is not None:
        dossier = _lock(dossier, Action.REFUSE_INTAKE)
    else:
        if unit is None or procedure is None or applicant is None:
            raise ValidationFailed(_("Thiếu thông tin thủ tục hoặc người nộp."))
        dossier = _new_dossier(
            unit=unit, procedure=procedure, applicant=applicant, channel=Channel.IN_PERSON, at=now
        )
    ensure_can(actor, Perm.DOSSIER_RECEIVE, dossier.receiving_unit)
    from_status = _move(dossier, Action.REFUSE_INTAKE)
    dossier.ended_at = now
    _append_event(
        dossier,
        action=Action.REFUSE_INTAKE,
        from_status=from_status,
        actor=actor,
        at=now,
        reason=nfc(reason),
        unit=dossier.receiving_unit,
    )
    return dossier


# --- processing ---------------------------------------------------------------


def _ensure_step_actor(actor: User, step: DossierStep) -> Officer:
    """The step's assignee acts on it; a head or leader over its unit may act instead."""
    officer = _officer(actor)
    if step.assignee_id == officer.pk:
        return officer
    target = step.unit or step.dossier.processing_unit
    if can(actor, Perm.DOSSIER_ASSIGN, target) or can(actor, Perm.DOSSIER_SIGN_RESULT, target):
        return officer
    raise PermissionDenied(
        _("Bước «%(step)s» đang giao cho %(name)s; bạn không xử lý được bước này.")
        % {"step": step.name, "name": step.assignee.full_name if step.assignee else "—"}
    )


def _require_open_step(dossier: Dossier) -> DossierStep:
    step = _open_step(dossier)
    if step is None:
        raise Conflict(_("Hồ sơ không có bước nào đang xử lý."))
    return step


def _ensure_assignee_fits(
    assignee: Officer, process_step: ProcessStep | None, dossier: Dossier
) -> None:
    """The next officer must belong to the competent agency and hold the step's role."""
    if not assignee.user.is_active:
        raise ValidationFailed(_("Tài khoản người nhận đã bị khóa."), field="assignee")
    agency = dossier.processing_unit
    if not (assignee.unit_id == agency.pk or assignee.unit.is_within(agency)):
        raise ValidationFailed(
            _("%(name)s không thuộc %(agency)s.")
            % {"name": assignee.full_name, "agency": agency.name},
            field="assignee",
        )
    role = process_step.responsible_role if process_step else ""
    if role and not assignee.has_role(role):
        raise ValidationFailed(
            _("%(name)s không có vai trò «%(role)s» cần cho bước «%(step)s».")
            % {
                "name": assignee.full_name,
                "role": Role(role).label,
                "step": process_step.name if process_step else "",
            },
            field="assignee",
        )


@transaction.atomic
def dossier_handover(
    *, dossier: Dossier, actor: User, to_assignee: Officer, note: str = ""
) -> Dossier:
    """Close the open step (early / on time / late); open the next for a named officer (R9)."""
    dossier = _lock(dossier, Action.HANDOVER)
    step = _require_open_step(dossier)
    officer = _ensure_step_actor(actor, step)
    next_step = _next_process_step(dossier, step)
    if next_step is None:
        raise Conflict(
            _("«%(step)s» là bước cuối của quy trình; hãy ghi nhận kết quả giải quyết.")
            % {"step": step.name}
        )
    if next_step.runs_in_other_agency:
        raise Conflict(
            _("Bước tiếp theo «%(step)s» thực hiện tại %(agency)s: hãy chuyển liên thông.")
            % {"step": next_step.name, "agency": next_step.agency_name}
        )
    _ensure_assignee_fits(to_assignee, next_step, dossier)
    now = timezone.now()
    from_status = _move(dossier, Action.HANDOVER)
    _close_step(step, at=now, by=officer, note=nfc(note))
    new_step = _open_new_step(
        dossier,
        process_step=next_step,
        name=next_step.name,
        at=now,
        assignee=to_assignee,
        handed_over_by=officer,
    )
    _append_event(
        dossier,
        action=Action.HANDOVER,
        from_status=from_status,
        actor=actor,
        at=now,
        step=new_step,
        reason=nfc(note),
        unit=step.unit,
        data={
            "from_step": step.sequence,
            "outcome": step.outcome,
            "to": to_assignee.pk,
            "to_name": to_assignee.full_name,
        },
    )
    return dossier


@transaction.atomic
def dossier_assign(
    *, dossier: Dossier, actor: User, to_assignee: Officer, note: str = ""
) -> Dossier:
    """A head (re)assigns the open step within their unit; the step's deadline stays."""
    dossier = _lock(dossier, Action.ASSIGN)
    step = _require_open_step(dossier)
    officer = _officer(actor)
    target = step.unit or dossier.processing_unit
    ensure_can(actor, Perm.DOSSIER_ASSIGN, target)
    if not (to_assignee.unit_id == target.pk or to_assignee.unit.is_within(target)):
        raise ValidationFailed(
            _("Chỉ phân công cho cán bộ thuộc %(unit)s.") % {"unit": target.name},
            field="assignee",
        )
    _ensure_assignee_fits(to_assignee, step.process_step, dossier)
    if to_assignee.pk == step.assignee_id:
        raise ValidationFailed(_("Bước này đã giao cho cán bộ đó."), field="assignee")
    now = timezone.now()
    from_status = _move(dossier, Action.ASSIGN)
    previous = step.assignee
    _close_step(step, at=now, by=officer, note=_("Phân công lại"), outcome=False)
    new_step = _open_new_step(
        dossier,
        process_step=step.process_step,
        name=step.name,
        at=now,
        assignee=to_assignee,
        handed_over_by=officer,
        due_at=step.due_at,
    )
    _append_event(
        dossier,
        action=Action.ASSIGN,
        from_status=from_status,
        actor=actor,
        at=now,
        step=new_step,
        reason=nfc(note),
        internal=True,
        data={"from": previous.pk if previous else None, "to": to_assignee.pk},
    )
    return dossier


@transaction.atomic
def dossier_send_back(*, dossier: Dossier, actor: User, reason: str) -> Dossier:
    """Return the dossier to the previous step's officer, with a reason."""
    if not nfc(reason):
        raise ValidationFailed(_("Vui lòng ghi lý do trả lại."), field="reason")
    dossier = _lock(dossier, Action.SEND_BACK)
    step = _require_open_step(dossier)
    officer = _ensure_step_actor(actor, step)
    previous = (
        DossierStep.objects.filter(dossier=dossier, sequence__lt=step.sequence)
        .exclude(process_step=step.process_step)
        .exclude(assignee__isnull=True)
        .order_by("-sequence")
        .select_related("process_step", "assignee")
        .first()
    )
    if previous is None:
        raise Conflict(_("Không có bước trước để trả lại."))
    now = timezone.now()
    from_status = _move(dossier, Action.SEND_BACK)
    _close_step(step, at=now, by=officer, note=nfc(reason))
    new_step = _open_new_step(
        dossier,
        process_step=previous.process_step,
        name=previous.name,
        at=now,
        assignee=previous.assignee,
        handed_over_by=officer,
        unit=previous.unit,
    )
    _append_event(
        dossier,
        action=Action.SEND_BACK,
        from_status=from_status,
        actor=actor,
        at=now,
        step=new_step,
        reason=nfc(reason),
        data={"from_step": step.sequence, "outcome": step.outcome},
    )
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *,
    dossier: Dossier,
    actor: User,
    items: Sequence[SupplementItem],
    reason: str,
    sector_rule: str = "",
) -> Dossier:
    """Form 02 during processing: once only (R16), within 3 working days of receipt unless a
    sector rule says otherwise (R15); the clock stops until the applicant supplements."""
    dossier = _lock(dossier, Action.REQUEST_SUPPLEMENT)
    step = _require_open_step(dossier)
    officer = _ensure_step_actor(actor, step)
    if not nfc(reason):
        raise ValidationFailed(_("Vui lòng ghi lý do yêu cầu bổ sung."), field="reason")
    if dossier.supplement_requests >= 1:
        raise Conflict(
            _(
                "Hồ sơ đã được yêu cầu bổ sung một lần; quy định chỉ cho phép yêu cầu bổ sung "
                "một lần trong quá trình giải quyết."
            ),
            code="supplement_already_requested",
        )
    now = timezone.now()
    calendar = _calendar(dossier)
    assert dossier.received_at is not None
    used = calendar.working_days_between(
        timezone.localtime(dossier.received_at, TZ).date(), timezone.localtime(now, TZ).date()
    )
    if used > SUPPLEMENT_WINDOW_WORKING_DAYS and not nfc(sector_rule):
        raise ValidationFailed(
            _(
                "Đã quá %(days)s ngày làm việc kể từ ngày tiếp nhận (%(used)s ngày); chỉ yêu cầu "
                "bổ sung khi luật chuyên ngành quy định khác — ghi rõ căn cứ đó."
            )
            % {"days": SUPPLEMENT_WINDOW_WORKING_DAYS, "used": used},
            field="sector_rule",
        )
    rows = _supplement_items(dossier.procedure_version, items)
    from_status = _move(dossier, Action.REQUEST_SUPPLEMENT)
    dossier.supplement_requests += 1
    dossier.paused_at = now
    # A stopped clock makes nothing due soon or late (issue 5).
    refresh_dossier_alarms(dossier)
    step.due_soon_at = step.late_from = None
    step.save(update_fields=["due_soon_at", "late_from"])
    SupplementRequest.objects.create(
        dossier=dossier,
        during_processing=True,
        requested_at=now,
        requested_by=officer,
        reason=nfc(reason),
        items=rows,
    )
    _append_event(
        dossier,
        action=Action.REQUEST_SUPPLEMENT,
        from_status=from_status,
        actor=actor,
        at=now,
        step=step,
        reason=nfc(reason),
        data={"items": rows, "sector_rule": nfc(sector_rule)},
    )
    return dossier


@transaction.atomic
def dossier_receive_supplement(
    *, dossier: Dossier, actor: User, documents: Sequence[ReceivedDocument]
) -> Dossier:
    """The applicant brings what was asked: the clock resumes with the time already used (R15)."""
    dossier = _lock(dossier, Action.RECEIVE_SUPPLEMENT)
    _officer(actor)
    step = _require_open_step(dossier)
    if not (
        can(actor, Perm.DOSSIER_RECEIVE, dossier.receiving_unit)
        or step.get_assignee_user_id() == actor.pk
    ):
        raise PermissionDenied(_("Bạn không tiếp nhận được hồ sơ bổ sung của hồ sơ này."))
    request = (
        dossier.supplement_request_rows.filter(received_at__isnull=True)
        .order_by("-requested_at")
        .first()
    )
    asked_items = list(request.items) if request is not None else []
    components = _check_documents(dossier.procedure_version, documents, complete=False)
    given = {document.required_document_id for document in documents}
    missing = [
        item["name"][:120] for item in asked_items if item["required_document_id"] not in given
    ]
    if missing:
        raise ValidationFailed(
            _("Chưa đủ giấy tờ đã yêu cầu bổ sung: %(names)s.") % {"names": "; ".join(missing)},
            field="documents",
        )
    now = timezone.now()
    calendar = _calendar(dossier)
    from_status = _move(dossier, Action.RECEIVE_SUPPLEMENT)
    paused_at = dossier.paused_at or now
    if dossier.appointment is not None:
        dossier.appointment = calendar.resume(
            dossier.appointment, paused_at=paused_at, resumed_at=now
        )
    dossier.paused_seconds += max(0, calendar.working_seconds_between(paused_at, now))
    dossier.paused_at = None
    refresh_dossier_alarms(dossier)
    if step.due_at is not None:
        step.due_at = calendar.resume(step.due_at, paused_at=paused_at, resumed_at=now)
        # A moved deadline is a new one: record its due-soon and late moments anew.
        step.due_soon_notified_at = step.late_notified_at = None
        for name, value in step_alarms(dossier, step.due_at).items():
            setattr(step, name, value)
        step.save(
            update_fields=[
                "due_at",
                "due_soon_at",
                "late_from",
                "due_soon_notified_at",
                "late_notified_at",
            ]
        )
    if request is not None:
        request.received_at = now
        request.save(update_fields=["received_at", "updated_at"])
    _store_documents(dossier, documents, components, at=now, from_supplement=True)
    _append_event(
        dossier,
        action=Action.RECEIVE_SUPPLEMENT,
        from_status=from_status,
        actor=actor,
        at=now,
        step=step,
        data={
            "appointment": dossier.appointment.isoformat() if dossier.appointment else None,
            "paused_seconds": dossier.paused_seconds,
        },
    )
    return dossier


@transaction.atomic
def dossier_transfer(
    *,
    dossier: Dossier,
    actor: User,
    agency_name: str = "",
    share_days: Decimal | None = None,
    note: str = "",
) -> Dossier:
    """Liên thông: send the dossier to another agency for its step, with its share of the time."""
    dossier = _lock(dossier, Action.TRANSFER)
    step = _require_open_step(dossier)
    officer = _ensure_step_actor(actor, step)
    next_step = _next_process_step(dossier, step)
    external = next_step if next_step is not None and next_step.runs_in_other_agency else None
    name = nfc(agency_name) or (external.agency_name if external else "")
    if not name:
        raise ValidationFailed(_("Vui lòng ghi tên cơ quan phối hợp."), field="agency_name")
    now = timezone.now()
    due = None
    if external is None:
        if share_days is None or share_days <= 0:
            raise ValidationFailed(
                _("Vui lòng ghi thời gian giải quyết tại cơ quan phối hợp."), field="share_days"
            )
        calendar = _calendar(dossier)
        due = calendar.due_in_working_seconds(now, int(Decimal(share_days) * calendar.day_length))
    from_status = _move(dossier, Action.TRANSFER)
    _close_step(step, at=now, by=officer, note=nfc(note))
    new_step = _open_new_step(
        dossier,
        process_step=external,
        name=external.name if external else _("Giải quyết tại %(agency)s") % {"agency": name},
        at=now,
        assignee=None,
        handed_over_by=officer,
        unit=None,
        agency_name=name,
        due_at=due,
    )
    _append_event(
        dossier,
        action=Action.TRANSFER,
        from_status=from_status,
        actor=actor,
        at=now,
        step=new_step,
        reason=nfc(note),
        data={"agency": name, "from_step": step.sequence, "outcome": step.outcome},
    )
    return dossier


@transaction.atomic
def dossier_receive_back(
    *, dossier: Dossier, actor: User, to_assignee: Officer, note: str = ""
) -> Dossier:
    """The other agency's part comes back; the next step opens for a named officer."""
    dossier = _lock(dossier, Action.RECEIVE_BACK)
    step = _require_open_step(dossier)
    officer = _officer(actor)
    if not (
        can(actor, Perm.DOSSIER_RECEIVE, dossier.receiving_unit)
        or can(actor, Perm.DOSSIER_ASSIGN, dossier.processing_unit)
        or (step.handed_over_by_id == officer.pk)
    ):
        raise PermissionDenied(_("Bạn không nhận lại được hồ sơ liên thông này."))
    next_step = _next_process_step(dossier, step) if step.process_step_id else None
    if next_step is None and step.process_step_id is None:
        # An ad-hoc transfer: continue with the step that handed it over.
        giver = (
            DossierStep.objects.filter(dossier=dossier, sequence__lt=step.sequence)
            .order_by("-sequence")
            .select_related("process_step")
            .first()
        )
        next_step = giver.process_step if giver else None
    _ensure_assignee_fits(to_assignee, next_step, dossier)
    now = timezone.now()
    from_status = _move(dossier, Action.RECEIVE_BACK)
    _close_step(step, at=now, by=officer, note=nfc(note))
    new_step = _open_new_step(
        dossier,
        process_step=next_step,
        name=next_step.name if next_step else _("Tiếp tục giải quyết"),
        at=now,
        assignee=to_assignee,
        handed_over_by=officer,
    )
    _append_event(
        dossier,
        action=Action.RECEIVE_BACK,
        from_status=from_status,
        actor=actor,
        at=now,
        step=new_step,
        reason=nfc(note),
        data={"agency": step.agency_name, "outcome": step.outcome},
    )
    return dossier


def _end_processing(dossier: Dossier, at: dt.datetime) -> None:
    """R19: the first end-of-processing instant counts; compare with the appointment (R14)."""
    if dossier.ended_at is None:
        dossier.ended_at = at
        dossier.outcome = _outcome(at, kpi_deadline(dossier))
    # Processed or ended: no longer due soon or late (issue 5).
    dossier.due_soon_from = dossier.late_from = None


def _signature_officer(actor: User, dossier: Dossier, step: DossierStep) -> Officer:
    officer = _officer(actor)
    signing_step = step.process_step is not None and step.process_step.is_signing
    if (signing_step and step.assignee_id == officer.pk) or can(
        actor, Perm.DOSSIER_SIGN_RESULT, dossier.processing_unit
    ):
        return officer
    raise PermissionDenied(
        _("Chỉ lãnh đạo có thẩm quyền (hoặc người được giao bước ký duyệt) mới ký kết quả.")
    )


@transaction.atomic
def dossier_refuse(
    *, dossier: Dossier, actor: User, reason: str, legal_basis: str = ""
) -> Dossier:
    """Refuse to resolve after appraisal, with a written reason and a signer (R17)."""
    if not nfc(reason):
        raise ValidationFailed(_("Vui lòng ghi rõ lý do từ chối giải quyết."), field="reason")
    dossier = _lock(dossier, Action.REFUSE)
    step = _require_open_step(dossier)
    officer = _signature_officer(actor, dossier, step)
    now = timezone.now()
    from_status = _move(dossier, Action.REFUSE)
    _close_step(step, at=now, by=officer, note=nfc(reason))
    _end_processing(dossier, now)
    DossierResult.objects.create(
        dossier=dossier,
        procedure=dossier.procedure_version.procedure,
        name=_("Văn bản từ chối giải quyết"),
        signer=officer,
        signed_at=now,
        is_refusal=True,
    )
    _append_event(
        dossier,
        action=Action.REFUSE,
        from_status=from_status,
        actor=actor,
        at=now,
        step=step,
        reason=nfc(reason),
        legal_basis=nfc(legal_basis),
    )
    return dossier


@transaction.atomic
def dossier_stop(
    *,
    dossier: Dossier,
    actor: User,
    cause: str,
    decision: str,
    requested_at: dt.datetime | None = None,
    fee_handling: str = "",
) -> Dossier:
    """Stop processing at the applicant's request or for a legal cause (R20, Form 05 of 2025)."""
    if cause not in StopCause.values:
        raise ValidationFailed(_("Căn cứ dừng giải quyết không hợp lệ."), field="cause")
    if not nfc(decision):
        raise ValidationFailed(_("Vui lòng ghi nội dung quyết định dừng."), field="decision")
    dossier = _lock(dossier, Action.STOP)
    officer = _officer(actor)
    if not (
        can(actor, Perm.DOSSIER_SIGN_RESULT, dossier.processing_unit)
        or can(actor, Perm.DOSSIER_ASSIGN, dossier.processing_unit)
        or can(actor, Perm.DOSSIER_RECEIVE, dossier.receiving_unit)
    ):
        raise PermissionDenied(_("Bạn không có quyền dừng giải quyết hồ sơ này."))
    now = timezone.now()
    step = _open_step(dossier)
    from_status = _move(dossier, Action.STOP)
    if step is not None:
        _close_step(step, at=now, by=officer, note=nfc(decision), outcome=False)
    _end_processing(dossier, now)
    dossier.paused_at = None
    StopNotice.objects.create(
        dossier=dossier,
        cause=cause,
        requested_at=requested_at,
        stage=step.name if step else str(Status(from_status).label),
        decision=nfc(decision),
        fee_handling=nfc(fee_handling),
        decided_by=officer,
    )
    _append_event(
        dossier,
        action=Action.STOP,
        from_status=from_status,
        actor=actor,
        at=now,
        step=step,
        reason=nfc(decision),
        data={"cause": cause, "fee_handling": nfc(fee_handling)},
    )
    return dossier


def _bundle_procedures(dossier: Dossier) -> list[Procedure]:
    if dossier.bundle_id:
        return [item.procedure for item in dossier.bundle.items.select_related("procedure")]  # type: ignore[union-attr]
    return [dossier.procedure_version.procedure]


@transaction.atomic
def dossier_result_ready(
    *,
    dossier: Dossier,
    actor: User,
    results: Sequence[ResultDocument],
    return_to: Officer | None = None,
    location: str = "",
) -> Dossier:
    """The result is signed: "chờ trả". An early result is said at once (R18); each procedure of a
    bundle needs its result, with a document number when a document is required (R22)."""
    dossier = _lock(dossier, Action.RESULT_READY)
    step = _require_open_step(dossier)
    officer = _signature_officer(actor, dossier, step)
    procedures = {procedure.pk: procedure for procedure in _bundle_procedures(dossier)}
    given = {result.procedure_id for result in results}
    if set(procedures) - given or given - set(procedures):
        raise ValidationFailed(
            _("Cần đúng một kết quả cho mỗi thủ tục của hồ sơ: %(names)s.")
            % {"names": "; ".join(procedure.name[:80] for procedure in procedures.values())},
            field="results",
        )
    document_required = dossier.procedure_version.result_document_required
    for result in results:
        if not nfc(result.name):
            raise ValidationFailed(_("Vui lòng ghi tên kết quả."), field="results")
        if document_required and not nfc(result.document_number):
            raise ValidationFailed(
                _("Kết quả «%(name)s» cần số, ký hiệu văn bản.") % {"name": result.name},
                field="results",
            )
    now = timezone.now()
    from_status = _move(dossier, Action.RESULT_READY)
    _close_step(step, at=now, by=officer)
    for result in results:
        row = DossierResult(
            dossier=dossier,
            procedure=procedures[result.procedure_id],
            name=nfc(result.name),
            document_number=nfc(result.document_number),
            result_code=nfc(result.result_code),
            signer=officer,
            signed_at=now,
        )
        if result.file:
            row.file.save(result.file.name or "ket-qua", result.file, save=False)
        row.save()
    dossier.processed_at = now
    _end_processing(dossier, now)
    dossier.result_location = nfc(location)
    return_step = _next_process_step(dossier, step)
    new_step = None
    if return_step is not None:
        new_step = _open_new_step(
            dossier,
            process_step=return_step,
            name=return_step.name,
            at=now,
            assignee=return_to or dossier.received_by,
            handed_over_by=officer,
            unit=dossier.receiving_unit,
        )
    _append_event(
        dossier,
        action=Action.RESULT_READY,
        from_status=from_status,
        actor=actor,
        at=now,
        step=new_step or step,
        data={"early": dossier.outcome == Outcome.EARLY, "outcome": dossier.outcome},
    )
    return dossier


@transaction.atomic
def dossier_return_result(
    *,
    dossier: Dossier,
    actor: User,
    channel: str,
    recipient_name: str = "",
    recipient_id_number: str = "",
    postal_tracking_number: str = "",
    acknowledgement: str = "",
) -> Dossier:
    """Hand the result over with a delivery record: signature, postal receipt or e-acknowledgement
    (R21) — never "returned" without one."""
    if channel not in ReturnChannel.values:
        raise ValidationFailed(_("Hình thức trả kết quả không hợp lệ."), field="channel")
    if channel == ReturnChannel.COUNTER and not (nfc(recipient_name) and nfc(acknowledgement)):
        raise ValidationFailed(
            _("Trả tại quầy cần họ tên người nhận và xác nhận ký nhận."), field="recipient_name"
        )
    if channel == ReturnChannel.POSTAL and not nfc(postal_tracking_number):
        raise ValidationFailed(
            _("Trả qua bưu chính cần số vận đơn."), field="postal_tracking_number"
        )
    if channel == ReturnChannel.ONLINE and not nfc(acknowledgement):
        raise ValidationFailed(
            _("Trả trực tuyến cần xác nhận đã gửi vào kho dữ liệu của người dân."),
            field="acknowledgement",
        )
    dossier = _lock(dossier, Action.RETURN_RESULT)
    officer = _officer(actor)
    step = _open_step(dossier)
    if not (
        can(actor, Perm.DOSSIER_RETURN_RESULT, dossier.receiving_unit)
        or (step is not None and step.assignee_id == officer.pk)
    ):
        raise PermissionDenied(_("Bạn không trả kết quả được cho hồ sơ này."))
    now = timezone.now()
    from_status = _move(dossier, Action.RETURN_RESULT)
    if step is not None:
        _close_step(step, at=now, by=officer)
    dossier.returned_at = now
    _end_processing(dossier, now)
    Delivery.objects.create(
        dossier=dossier,
        channel=channel,
        delivered_at=now,
        delivered_by=officer,
        recipient_name=nfc(recipient_name),
        recipient_id_number=_DIGITS.sub("", recipient_id_number or ""),
        postal_tracking_number=nfc(postal_tracking_number),
        acknowledgement=nfc(acknowledgement),
    )
    _append_event(
        dossier,
        action=Action.RETURN_RESULT,
        from_status=from_status,
        actor=actor,
        at=now,
        step=step,
        data={"channel": channel},
    )
    return dossier


@transaction.atomic
def dossier_remind(*, dossier: Dossier, actor: User | None = None, note: str = "") -> Dossier:
    """Record a reminder to collect a waiting result (R21's reminder policy)."""
    dossier = _lock(dossier, Action.REMIND)
    now = timezone.now()
    from_status = _move(dossier, Action.REMIND)
    dossier.reminders_sent += 1
    dossier.last_reminded_at = now
    _append_event(
        dossier,
        action=Action.REMIND,
        from_status=from_status,
        actor=actor,
        at=now,
        reason=nfc(note),
        data={"count": dossier.reminders_sent},
    )
    return dossier


@transaction.atomic
def dossier_note(*, dossier: Dossier, actor: User, text: str, internal: bool = True) -> Dossier:
    """An officer's note on an open dossier (internal by default: never shown to the citizen)."""
    if not nfc(text):
        raise ValidationFailed(_("Vui lòng nhập nội dung ghi chú."), field="text")
    dossier = _lock(dossier, Action.NOTE)
    _officer(actor)
    if not dossiers_for_officer(user=actor).filter(pk=dossier.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền ghi chú vào hồ sơ này."))
    now = timezone.now()
    from_status = _move(dossier, Action.NOTE)
    _append_event(
        dossier,
        action=Action.NOTE,
        from_status=from_status,
        actor=actor,
        at=now,
        reason=nfc(text),
        internal=internal,
    )
    return dossier
