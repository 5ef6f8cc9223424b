"""Accountability for delay (issue 5): deadline states, their alarm columns, and the gate.

Rules: domain.md section 1.3, R9–R14 and product decision 4 (blocking by
default). This module reads and computes; it never writes on its own. The
services call :func:`step_alarms` / :func:`dossier_alarms` whenever a
deadline is set or moved, and :func:`ensure_may_proceed` from ``_lock`` so
that every transition passes through the same gate:

* a step that would be closed after its deadline needs its officer's
  explanation (``StepExplanation``) first — ``explanation_required``;
* a dossier not yet processed that is due soon or late needs its apology slip
  (``ApologySlip``, Form 04) first — ``apology_required``.

A unit may relax "block" to "warn" (``UnitAccountabilitySetting``); then the
same findings are shown as warnings and nothing is refused.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.constants import ADMINISTRATIVE_KINDS, Role
from motcua.accounts.models import Officer, Unit
from motcua.accounts.permissions import Action as Perm
from motcua.accounts.permissions import can
from motcua.accounts.selectors import unit_ancestors
from motcua.core.exceptions import Conflict
from motcua.dossiers.constants import Action, DeadlineState, GateMode, Outcome, Status
from motcua.dossiers.models import (
    ApologySlip,
    Dossier,
    DossierStep,
    StepExplanation,
    UnitAccountabilitySetting,
)
from motcua.workcalendar.engine import TZ, WorkingCalendar
from motcua.workcalendar.selectors import calendar_for_unit

# Actions that move a dossier on (R11: "no further processing step"). Notes,
# reminders, reassignment within a unit and receiving the applicant's
# supplement (the clock is stopped then) stay possible.
GATED_ACTIONS: frozenset[str] = frozenset(
    {
        Action.HANDOVER,
        Action.SEND_BACK,
        Action.REQUEST_SUPPLEMENT,
        Action.TRANSFER,
        Action.RECEIVE_BACK,
        Action.REFUSE,
        Action.STOP,
        Action.RESULT_READY,
        Action.RETURN_RESULT,
    }
)
# Actions that close the open step with an outcome: a late one needs its
# explanation first.
STEP_CLOSING_ACTIONS: frozenset[str] = frozenset(
    {Action.HANDOVER, Action.SEND_BACK, Action.TRANSFER, Action.REFUSE, Action.RESULT_READY}
)
# States in which the dossier's clock runs (paused while awaiting a supplement).
RUNNING: frozenset[str] = frozenset({Status.IN_PROGRESS, Status.AT_OTHER_AGENCY})


class ExplanationRequired(Conflict):
    """A step finished after its deadline must be explained before it is handed over."""

    code = "explanation_required"


class ApologyRequired(Conflict):
    """A due-soon or late dossier must have its apology slip before it moves on (R11)."""

    code = "apology_required"


class ReappointmentRefused(Conflict):
    """R13: the appointment may be re-set only once; the leader has been told."""

    code = "reappointment_refused"


# --- policy ---------------------------------------------------------------------


@dataclass(frozen=True)
class Policy:
    """The accountability settings in force for a unit, after inheritance."""

    gate_mode: str
    due_soon_working_days: int

    @property
    def blocks(self) -> bool:
        return self.gate_mode != GateMode.WARN


# perf: intake and every handover read the policy; settings change rarely, so
# it is kept a minute per process (saves two queries per write).
_POLICY_TTL = 60.0
_policies: dict[tuple[int, str, int], tuple[float, Policy]] = {}


def forget_cached_policies() -> None:
    """Drop the per-process policy cache (after a setting changes; in tests)."""
    _policies.clear()


def policy_for_unit(*, unit: Unit) -> Policy:
    """The unit's own settings, else the nearest unit above's, else the global ones."""
    key = (
        unit.pk,
        str(settings.MOTCUA_ACCOUNTABILITY_GATE),
        int(settings.MOTCUA_DUE_SOON_WORKING_DAYS),
    )
    cached = _policies.get(key)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    policy = _resolve_policy(unit)
    _policies[key] = (time.monotonic() + _POLICY_TTL, policy)
    return policy


def _resolve_policy(unit: Unit) -> Policy:
    chain = unit_ancestors(unit=unit, include_self=True)
    rows = {
        row.unit_id: row
        for row in UnitAccountabilitySetting.objects.filter(unit__in=[u.pk for u in chain])
    }
    gate_mode = ""
    days: int | None = None
    for link in reversed(chain):
        row = rows.get(link.pk)
        if row is None:
            continue
        gate_mode = gate_mode or row.gate_mode
        if days is None:
            days = row.due_soon_working_days
    return Policy(
        gate_mode=gate_mode or str(settings.MOTCUA_ACCOUNTABILITY_GATE),
        due_soon_working_days=(
            days if days is not None else int(settings.MOTCUA_DUE_SOON_WORKING_DAYS)
        ),
    )


def _policy(dossier: Dossier) -> Policy:
    return policy_for_unit(unit=dossier.processing_unit)


def _calendar(dossier: Dossier) -> WorkingCalendar:
    return calendar_for_unit(unit=dossier.receiving_unit)


# --- alarm columns ----------------------------------------------------------------


def _due_soon(calendar: WorkingCalendar, deadline: dt.datetime, days: int) -> dt.datetime:
    return calendar.opening_working_days_before(deadline, days)


def step_alarms(dossier: Dossier, due_at: dt.datetime | None) -> dict[str, dt.datetime | None]:
    """The ``due_soon_at``/``late_from`` of an open step due at ``due_at``.

    Empty while the dossier's clock is stopped (supplement requested): a
    paused step becomes neither due soon nor late.
    """
    if due_at is None or dossier.paused_at is not None:
        return {"due_soon_at": None, "late_from": None}
    days = _policy(dossier).due_soon_working_days
    return {"due_soon_at": _due_soon(_calendar(dossier), due_at, days), "late_from": due_at}


def refresh_step_alarms(dossier: Dossier, step: DossierStep) -> None:
    """Set the open step's alarm columns from its deadline (the caller saves)."""
    alarms = step_alarms(dossier, step.due_at if step.finished_at is None else None)
    step.due_soon_at = alarms["due_soon_at"]
    step.late_from = alarms["late_from"]


def refresh_dossier_alarms(dossier: Dossier) -> None:
    """Set the dossier's alarm columns from its appointment and state (the caller saves).

    Running and not yet processed: due soon from the opening of the Nth
    working day before the appointment, late from the appointment. Paused,
    processed or ended: empty.
    """
    if (
        dossier.appointment is None
        or dossier.processed_at is not None
        or dossier.paused_at is not None
        or dossier.status not in RUNNING
    ):
        dossier.due_soon_from = None
        dossier.late_from = None
        return
    days = _policy(dossier).due_soon_working_days
    dossier.due_soon_from = _due_soon(_calendar(dossier), dossier.appointment, days)
    dossier.late_from = dossier.appointment


def state_at(
    due_soon_from: dt.datetime | None, late_from: dt.datetime | None, now: dt.datetime
) -> str:
    """On time, due soon or late at ``now`` from the two alarm columns."""
    if late_from is not None and now > late_from:
        return DeadlineState.LATE
    if due_soon_from is not None and now >= due_soon_from:
        return DeadlineState.DUE_SOON
    return DeadlineState.ON_TIME


def kpi_deadline(dossier: Dossier) -> dt.datetime | None:
    """The appointment the on-time figures measure against (R14).

    A re-appointment moves ``dossier.appointment`` for the applicant, never
    for the statistics: after an apology the appointment before it counts.
    """
    apology = ApologySlip.objects.filter(dossier=dossier).only("original_appointment").first()
    return apology.original_appointment if apology else dossier.appointment


# --- who is responsible -------------------------------------------------------------


def responsible_step(dossier: Dossier, *, now: dt.datetime | None = None) -> DossierStep | None:
    """R12: the control-slip line at fault — the open step once late, else the last late
    step, else the step now holding the dossier (R11)."""
    now = now or timezone.now()
    open_step = (
        DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True)
        .select_related("unit", "assignee__user")
        .first()
    )
    if open_step is not None and open_step.due_at is not None and now > open_step.due_at:
        return open_step
    last_late = (
        DossierStep.objects.filter(dossier=dossier, outcome=Outcome.LATE)
        .select_related("unit", "assignee__user")
        .order_by("-sequence")
        .first()
    )
    return last_late or open_step


def responsible_unit(dossier: Dossier, *, now: dt.datetime | None = None) -> Unit:
    """The unit that caused the delay (R12); the competent agency when nothing says more."""
    step = responsible_step(dossier, now=now)
    if step is not None and step.unit is not None:
        return step.unit
    return dossier.processing_unit


def unit_heads(*, unit: Unit) -> list[Officer]:
    """Who signs for ``unit``: its heads; for a commune or ward, its leaders (Form 04)."""
    role = Role.LEADER if unit.kind in ADMINISTRATIVE_KINDS else Role.HEAD
    heads = list(
        Officer.objects.filter(unit=unit, roles__role=role, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .distinct()
    )
    if heads or role == Role.LEADER:
        return heads
    return list(
        Officer.objects.filter(unit=unit, roles__role=Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .distinct()
    )


def leaders_over(*, unit: Unit) -> list[Officer]:
    """The supervising leaders (lãnh đạo UBND) of ``unit``: R13 escalations go to them."""
    chain = [link.pk for link in unit_ancestors(unit=unit, include_self=True)]
    return list(
        Officer.objects.filter(unit__in=chain, roles__role=Role.LEADER, user__is_active=True)
        .select_related("user")
        .order_by("pk")
        .distinct()
    )


def _names(officers: list[Officer]) -> str:
    return ", ".join(officer.full_name for officer in officers) or _("(chưa có người ký)")


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value, TZ).strftime("%H:%M ngày %d/%m/%Y")


# --- the gate -------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    """Why a dossier may not move on, and who must act (for errors, banners and the API)."""

    code: str
    message: str
    unit_id: int | None = None
    step_id: int | None = None
    officer_ids: tuple[int, ...] = ()

    def error(self) -> Conflict:
        cls = ExplanationRequired if self.code == ExplanationRequired.code else ApologyRequired
        return cls(
            self.message,
            unit_id=self.unit_id,
            step_id=self.step_id,
            officer_ids=list(self.officer_ids),
        )


def _explanation_finding(step: DossierStep, now: dt.datetime) -> Finding | None:
    if step.due_at is None or now <= step.due_at:
        return None
    if StepExplanation.objects.filter(step=step).exists():
        return None
    name = step.assignee.full_name if step.assignee else _("người xử lý")
    return Finding(
        code=ExplanationRequired.code,
        message=_(
            "Bước «%(step)s» đã quá hạn (hạn %(due)s): %(name)s cần ghi giải trình "
            "trước khi chuyển tiếp hồ sơ."
        )
        % {"step": step.name, "due": _local(step.due_at), "name": name},
        unit_id=step.unit_id,
        step_id=step.pk,
        officer_ids=(step.assignee_id,) if step.assignee_id else (),
    )


def needs_apology(dossier: Dossier, *, now: dt.datetime | None = None) -> bool:
    """R11: not processed, the clock running, now at or past the due-soon moment, no slip."""
    now = now or timezone.now()
    if dossier.processed_at is not None or dossier.status not in RUNNING:
        return False
    if dossier.due_soon_from is None or now < dossier.due_soon_from:
        return False
    return not ApologySlip.objects.filter(dossier=dossier).exists()


def _apology_finding(dossier: Dossier, now: dt.datetime) -> Finding | None:
    if not needs_apology(dossier, now=now):
        return None
    step = responsible_step(dossier, now=now)
    unit = step.unit if step is not None and step.unit is not None else dossier.processing_unit
    heads = unit_heads(unit=unit)
    late = dossier.late_from is not None and now > dossier.late_from
    appointment = _local(dossier.appointment) if dossier.appointment else "—"
    if late:
        message = _(
            "Hồ sơ %(code)s quá hạn (hẹn trả %(appointment)s): cần Phiếu xin lỗi và hẹn lại "
            "ngày trả kết quả do %(heads)s (%(unit)s) ký trước khi chuyển tiếp."
        )
    else:
        message = _(
            "Hồ sơ %(code)s sắp đến hạn trả (hẹn trả %(appointment)s) mà chưa có kết quả: cần "
            "Phiếu xin lỗi và hẹn lại ngày trả kết quả do %(heads)s (%(unit)s) ký trước khi "
            "chuyển tiếp."
        )
    return Finding(
        code=ApologyRequired.code,
        message=message
        % {
            "code": dossier.label,
            "appointment": appointment,
            "heads": _names(heads),
            "unit": unit.name,
        },
        unit_id=unit.pk,
        step_id=step.pk if step is not None else None,
        officer_ids=tuple(head.pk for head in heads),
    )


def accountability_findings(
    dossier: Dossier, *, action: str | None = None, now: dt.datetime | None = None
) -> list[Finding]:
    """What stands in the way of ``action`` (any step-closing action when None).

    The late step's explanation comes first: it is the officer's own act,
    and the apology names the unit at fault.
    """
    now = now or timezone.now()
    if dossier.status not in RUNNING and action is None:
        return []
    findings: list[Finding] = []
    if action is None or action in STEP_CLOSING_ACTIONS:
        step = (
            DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True)
            .select_related("assignee__user")
            .first()
        )
        if step is not None:
            finding = _explanation_finding(step, now)
            if finding is not None:
                findings.append(finding)
    if action is None or action in GATED_ACTIONS:
        finding = _apology_finding(dossier, now)
        if finding is not None:
            findings.append(finding)
    return findings


def ensure_may_proceed(dossier: Dossier, action: str, *, now: dt.datetime | None = None) -> None:
    """THE gate (R11–R13, decision 4): raise the first finding unless the unit only warns.

    Called by ``services._lock`` on the locked row for every action.
    """
    if action not in GATED_ACTIONS:
        return
    findings = accountability_findings(dossier, action=action, now=now)
    if findings and _policy(dossier).blocks:
        raise findings[0].error()


# --- what screens and the API show -------------------------------------------------


@dataclass(frozen=True)
class AccountabilityView:
    """A dossier's deadline state, what stands in its way, and what ``user`` may do about it."""

    state: str
    blocks: bool
    findings: list[Finding]
    apology: ApologySlip | None
    may_explain: bool
    may_apologise: bool

    @property
    def state_label(self) -> str:
        return str(DeadlineState(self.state).label)


def dossier_accountability(
    *, user: Any, dossier: Dossier, now: dt.datetime | None = None
) -> AccountabilityView:
    """The accountability panel of a dossier the caller already may see (checked upstream)."""
    now = now or timezone.now()
    findings = accountability_findings(dossier, now=now)
    apology = (
        ApologySlip.objects.filter(dossier=dossier).select_related("unit", "signed_by__user")
    ).first()
    officer = getattr(user, "officer", None)
    may_explain = may_apologise = False
    for finding in findings:
        if finding.code == ExplanationRequired.code and officer is not None:
            may_explain = may_explain or officer.pk in finding.officer_ids
        if finding.code == ApologyRequired.code and officer is not None and finding.unit_id:
            unit = Unit.objects.filter(pk=finding.unit_id).first()
            may_apologise = may_apologise or (
                unit is not None
                and can(user, Perm.APOLOGY_SIGN, unit)
                and (officer.pk in finding.officer_ids or officer.has_role(Role.LEADER))
            )
    return AccountabilityView(
        state=state_at(dossier.due_soon_from, dossier.late_from, now),
        blocks=_policy(dossier).blocks,
        findings=findings,
        apology=apology,
        may_explain=may_explain,
        may_apologise=may_apologise,
    )
