"""Who the dossier lifecycle tells, and what: one outbox entry set per event.

:func:`announce` is called by ``services._append_event`` for every event, in
the action's own transaction, so a notification exists exactly when its
event does (the outbox of ``motcua.notifications`` delivers after commit,
and never twice for one event, recipient and channel: the event's id is the
source). The applicant hears of the receipt, a supplement request, a refusal
and the result (R18: an early result at once); an officer hears of a step
handed to them by someone else. Citizen-care letters (``motcua.letters``)
attached to the procedure for the moment go out through the same channels.
Lateness (due soon, late, apology) is announced by the accountability sweep.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.letters.models import LetterTemplate
from motcua.letters.selectors import letters_for
from motcua.letters.services import render_letter
from motcua.notifications.services import Recipient, notify
from motcua.workcalendar.engine import TZ

# The lifecycle moments of citizen-care letters, by the action that reaches them.
_LETTER_MOMENTS: dict[str, str] = {
    Action.RECEIVE: "received",
    Action.ACCEPT_ONLINE: "received",
    Action.RESULT_READY: "result_ready",
    Action.RETURN_RESULT: "returned",
}
_ASSIGNING: set[str] = {Action.HANDOVER, Action.ASSIGN, Action.SEND_BACK, Action.RECEIVE_BACK}


def _when(value: dt.datetime | None) -> str:
    return timezone.localtime(value, TZ).strftime("%H:%M %d/%m/%Y") if value else ""


def _applicant(dossier: Dossier) -> Recipient:
    citizen = dossier.citizen
    return Recipient(
        user=citizen.user if citizen is not None else None,
        email=dossier.applicant_email,
        phone=dossier.applicant_phone,
    )


def _base(dossier: Dossier) -> dict[str, Any]:
    return {
        "code": dossier.label,
        "procedure_name": dossier.procedure_version.name,
        "applicant_name": dossier.applicant_name,
    }


def announce(dossier: Dossier, event: DossierEvent, step: DossierStep | None) -> None:
    """The notifications of ``event``, written in the caller's transaction."""
    action = event.action
    source = f"dossier-event:{event.pk}"
    context = _base(dossier)
    if action in (Action.RECEIVE, Action.ACCEPT_ONLINE):
        notify(
            "dossier.received",
            source=source,
            context={**context, "appointment": _when(dossier.appointment)},
            recipients=[_applicant(dossier)],
        )
    elif action in (Action.REQUEST_SUPPLEMENT, Action.ASK_TO_COMPLETE):
        notify(
            "dossier.supplement_requested",
            source=source,
            context={**context, "reason": event.reason},
            recipients=[_applicant(dossier)],
        )
    elif action in (Action.REFUSE, Action.REFUSE_INTAKE):
        notify(
            "dossier.refused",
            source=source,
            context={**context, "reason": event.reason},
            recipients=[_applicant(dossier)],
        )
    elif action == Action.RESULT_READY:
        notify(
            "dossier.result_ready",
            source=source,
            context={**context, "unit_name": dossier.receiving_unit.name},
            recipients=[_applicant(dossier)],
        )
    if action in _ASSIGNING and step is not None and step.finished_at is None:
        assignee = step.assignee
        if assignee is not None and assignee.user_id != event.actor_id:
            notify(
                "step.assigned",
                source=source,
                context={**context, "step_name": step.name, "deadline": _when(step.due_at)},
                recipients=[Recipient(user=assignee.user)],
            )
    moment = _LETTER_MOMENTS.get(action)
    if moment is not None:
        _send_letters(dossier, event, moment)


def care_letter_values(dossier: Dossier, on: dt.date) -> dict[str, Any]:
    """What a care letter's placeholders are filled with, for ``dossier`` on ``on``."""
    return {
        "applicant_name": dossier.applicant_name,
        "procedure_name": dossier.procedure_version.name,
        "date": on,
        "unit_name": dossier.processing_unit.name,
        "dossier_code": dossier.label,
        "signer_name": "",
    }


def care_letters(dossier: Dossier) -> list[LetterTemplate]:
    """The care letters attached to the dossier's procedure, whatever their moment."""
    return list(
        LetterTemplate.objects.filter(
            procedures__code=dossier.procedure_version.procedure.code, is_active=True
        )
        .distinct()
        .order_by("kind", "name")
    )


def _send_letters(dossier: Dossier, event: DossierEvent, moment: str) -> None:
    """Care letters for ``moment`` (thanks, congratulations, condolences), if any."""
    templates = letters_for(dossier.procedure_version.procedure.code, moment)
    if not templates:
        return
    values = care_letter_values(dossier, timezone.localtime(event.at, TZ).date())
    for template in templates:
        notify(
            "dossier.care_letter",
            source=f"dossier-event:{event.pk}:letter:{template.pk}",
            context={
                **_base(dossier),
                "letter_title": template.title,
                "letter_text": render_letter(template, values),
            },
            recipients=[_applicant(dossier)],
        )
