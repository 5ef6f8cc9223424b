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
from collections.abc import Sequence
from functools import partial
from typing import Any, NamedTuple

from django.utils import timezone

from motcua.core.compiled import Argument, CompiledQuery
from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier, DossierEvent, DossierStep
from motcua.letters.models import LetterTemplate
from motcua.letters.selectors import letters_for, letters_for_read
from motcua.letters.services import render_letter
from motcua.notifications.models import WebhookSubscription
from motcua.notifications.selectors import webhook_subscriptions_read
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


class KnownReads(NamedTuple):
    """What :func:`announce` reads for ``action``, read in advance with other statements.

    perf: an intake sends them with its first reads, before its transaction
    (the same committed rows a read inside it sees), instead of two round trips
    inside it (``dossiers.selectors.intake_subjects``).
    """

    action: str
    subscriptions: list[WebhookSubscription]
    letters: list[LetterTemplate]


def announce_reads(
    procedure_code: str, action: str
) -> list[tuple[CompiledQuery, tuple[Argument, ...]]]:
    """The statements of :class:`KnownReads` for ``action`` on a procedure (run_together)."""
    reads: list[tuple[CompiledQuery, tuple[Argument, ...]]] = [webhook_subscriptions_read()]
    moment = _LETTER_MOMENTS.get(action)
    if moment is not None:
        reads.append(letters_for_read(procedure_code, moment))
    return reads


def known_reads(action: str, found: Sequence[list[Any]]) -> KnownReads:
    """The rows of :func:`announce_reads`, for :func:`announce`."""
    subscriptions, *letters = found
    return KnownReads(action, list(subscriptions), list(letters[0]) if letters else [])


def announce(
    dossier: Dossier,
    event: DossierEvent,
    step: DossierStep | None,
    known: KnownReads | None = None,
) -> None:
    """The notifications of ``event``, written in the caller's transaction.

    ``known``: the subscriptions and letters already read for this action.
    """
    action = event.action
    if known is not None and known.action != action:
        known = None
    subscriptions = known.subscriptions if known is not None else None
    # Each notice of this event: its source and the webhooks that hear of it.
    tell = partial(notify, source=f"dossier-event:{event.pk}", subscriptions=subscriptions)
    context = _base(dossier)
    if action in (Action.RECEIVE, Action.ACCEPT_ONLINE):
        tell(
            "dossier.received",
            context={**context, "appointment": _when(dossier.appointment)},
            recipients=[_applicant(dossier)],
        )
    elif action in (Action.REQUEST_SUPPLEMENT, Action.ASK_TO_COMPLETE):
        tell(
            "dossier.supplement_requested",
            context={**context, "reason": event.reason},
            recipients=[_applicant(dossier)],
        )
    elif action in (Action.REFUSE, Action.REFUSE_INTAKE):
        tell(
            "dossier.refused",
            context={**context, "reason": event.reason},
            recipients=[_applicant(dossier)],
        )
    elif action == Action.RESULT_READY:
        tell(
            "dossier.result_ready",
            context={**context, "unit_name": dossier.receiving_unit.name},
            recipients=[_applicant(dossier)],
        )
    if action in _ASSIGNING and step is not None and step.finished_at is None:
        assignee = step.assignee
        if assignee is not None and assignee.user_id != event.actor_id:
            tell(
                "step.assigned",
                context={**context, "step_name": step.name, "deadline": _when(step.due_at)},
                recipients=[Recipient(user=assignee.user)],
            )
    moment = _LETTER_MOMENTS.get(action)
    if moment is not None:
        _send_letters(
            dossier, event, moment, known.letters if known is not None else None, subscriptions
        )


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


def _send_letters(
    dossier: Dossier,
    event: DossierEvent,
    moment: str,
    templates: list[LetterTemplate] | None = None,
    subscriptions: list[WebhookSubscription] | None = None,
) -> None:
    """Care letters for ``moment`` (thanks, congratulations, condolences), if any."""
    if templates is None:
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
            subscriptions=subscriptions,
        )
