"""The dossier API's hot answers, built as plain dicts: what the serializers would say.

perf: DRF spends ~1 ms per inbox line and ~5 ms per dossier detail walking
its fields on the CI machine (``bench/dossiers_http.py``), as much as the
queries. The inbox, the unit's work, the dossier list and the dossier detail
are built here instead; the serializers in ``serializers_dossiers`` stay the
documented shape (the OpenAPI schema is generated from them) and
``tests/test_api_representations.py`` checks, state by state, that both say
exactly the same thing. Change a field in both places or that test fails.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils import timezone

from motcua.accounts.models import Officer, Unit
from motcua.api.serializers_dossiers import ACTION_ENDPOINTS, Clock, _deadline_data
from motcua.catalog.models import ProcedureVersion
from motcua.core.formatting import choice_label
from motcua.dossiers.constants import Action
from motcua.dossiers.models import (
    Delivery,
    Dossier,
    DossierDocument,
    DossierFee,
    DossierResult,
    DossierStep,
    StopNotice,
    SupplementRequest,
)
from motcua.dossiers.workflow import allowed_actions

Data = dict[str, Any]


def _instant(value: dt.datetime | None) -> str | None:
    """As DRF's DateTimeField: local time, ISO 8601, ``Z`` for UTC.

    perf: in the zone of the settings, which motcua never changes per request
    (Asia/Ho_Chi_Minh): Django's ``localtime`` asks the request-local current
    zone on each call, ~100 times on an inbox page.
    """
    if value is None:
        return None
    text = value.astimezone(timezone.get_default_timezone()).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _unit(unit: Unit | None) -> Data | None:
    return None if unit is None else {"id": unit.pk, "name": unit.name}


def _officer(officer: Officer | None) -> Data | None:
    return None if officer is None else {"id": officer.pk, "name": officer.user.full_name}


def _procedure(version: ProcedureVersion) -> Data:
    return {"code": version.procedure.code, "name": version.name, "version": version.number}


def dossier_summary(dossier: Dossier, clock: Clock) -> Data:
    """:class:`~motcua.api.serializers_dossiers.DossierSummarySerializer`."""
    return {
        "code": dossier.code,
        "reference": dossier.reference,
        "label": dossier.label,
        "status": dossier.status,
        "status_label": choice_label(dossier, "status"),
        "channel": dossier.channel,
        "procedure": _procedure(dossier.procedure_version),
        "applicant_name": dossier.applicant_name,
        "receiving_unit": _unit(dossier.receiving_unit),
        "submitted_at": _instant(dossier.submitted_at),
        "received_at": _instant(dossier.received_at),
        "appointment": _instant(dossier.appointment),
        "appointment_state": _deadline_data(clock.deadline(dossier, dossier.appointment)),
        "outcome": dossier.outcome,
        "outcome_label": choice_label(dossier, "outcome"),
    }


def work_item(step: DossierStep, clock: Clock) -> Data:
    """:class:`~motcua.api.serializers_dossiers.WorkItemSerializer`: an inbox line."""
    return {
        "sequence": step.sequence,
        "name": step.name,
        "unit": _unit(step.unit),
        "assignee": _officer(step.assignee),
        "started_at": _instant(step.started_at),
        "due_at": _instant(step.due_at),
        "deadline": _deadline_data(clock.deadline(step.dossier, step.due_at)),
        "paused": step.dossier.paused_at is not None,
        "dossier": dossier_summary(step.dossier, clock),
    }


def _step(step: DossierStep) -> Data:
    return {
        "sequence": step.sequence,
        "name": step.name,
        "unit": _unit(step.unit),
        "agency_name": step.agency_name,
        "assignee": _officer(step.assignee),
        "handed_over_by": _officer(step.handed_over_by),
        "started_at": _instant(step.started_at),
        "due_at": _instant(step.due_at),
        "finished_at": _instant(step.finished_at),
        "outcome": step.outcome,
        "outcome_label": choice_label(step, "outcome"),
        "note": step.note,
    }


def _document(document: DossierDocument) -> Data:
    return {
        "id": document.pk,
        "required_document": document.required_document_id,
        "name": document.name,
        "originals": document.originals,
        "copies": document.copies,
        "digitised": document.digitised,
        "reused_from_data": document.reused_from_data,
        "from_supplement": document.from_supplement,
        "received_at": _instant(document.received_at),
    }


def _fee(fee: DossierFee) -> Data:
    return {
        "name": fee.name,
        "amount": int(fee.amount),
        "exempt": fee.exempt,
        "exemption_basis": fee.exemption_basis,
        "payment_channel": fee.payment_channel,
        "payment_channel_label": choice_label(fee, "payment_channel"),
        "receipt_number": fee.receipt_number,
        "paid_at": _instant(fee.paid_at),
    }


def _result(result: DossierResult) -> Data:
    return {
        "procedure": result.procedure.code,
        "name": result.name,
        "document_number": result.document_number,
        "result_code": result.result_code,
        "signer": _officer(result.signer),
        "signed_at": _instant(result.signed_at),
        "is_refusal": result.is_refusal,
    }


def _supplement(request: SupplementRequest) -> Data:
    return {
        "during_processing": request.during_processing,
        "number": request.number,
        "requested_at": _instant(request.requested_at),
        "requested_by": _officer(request.requested_by),
        "reason": request.reason,
        "items": [
            {
                "required_document_id": int(item["required_document_id"]),
                "name": str(item["name"]),
                "originals": int(item["originals"]),
                "copies": int(item["copies"]),
                "reason": str(item["reason"]),
            }
            for item in request.items
        ],
        "received_at": _instant(request.received_at),
    }


def _delivery(delivery: Delivery | None) -> Data | None:
    if delivery is None:
        return None
    return {
        "channel": delivery.channel,
        "channel_label": choice_label(delivery, "channel"),
        "delivered_at": _instant(delivery.delivered_at),
        "delivered_by": _officer(delivery.delivered_by),
        "recipient_name": delivery.recipient_name,
        "recipient_id_number": delivery.recipient_id_number,
        "postal_tracking_number": delivery.postal_tracking_number,
        "acknowledgement": delivery.acknowledgement,
    }


def _stop_notice(notice: StopNotice | None) -> Data | None:
    if notice is None:
        return None
    return {
        "cause": notice.cause,
        "cause_label": choice_label(notice, "cause"),
        "requested_at": _instant(notice.requested_at),
        "stage": notice.stage,
        "decision": notice.decision,
        "fee_handling": notice.fee_handling,
        "decided_by": _officer(notice.decided_by),
    }


# A code no dossier has, reversed once per action and script prefix, then
# replaced by the dossier's (perf: ``reverse`` walks the URL patterns, ~0.1 ms
# per action, up to nine per answer).
_CODE_SLOT = "0CODE0"
_ENDPOINTS: dict[tuple[str, str], str] = {}
# A label the address takes as it is (nothing to quote).
_PLAIN_LABEL = re.compile(r"[A-Za-z0-9._-]*")


def _endpoint(action: str, label: str) -> str:
    key = (action, get_script_prefix())
    template = _ENDPOINTS.get(key)
    if template is None:
        template = reverse(f"api:dossier_{action}", kwargs={"code": _CODE_SLOT})
        _ENDPOINTS[key] = template
    if not _PLAIN_LABEL.fullmatch(label):
        return reverse(f"api:dossier_{action}", kwargs={"code": label})  # quoted by Django
    return template.replace(_CODE_SLOT, label, 1)


def dossier_allowed_actions(dossier: Dossier) -> list[dict[str, str]]:
    """What the state allows, with the address of each action's endpoint."""
    return [
        {
            "action": action,
            "label": str(Action(action).label),
            "endpoint": _endpoint(action, dossier.label),
        }
        for action in allowed_actions(dossier.status)
        if action in ACTION_ENDPOINTS
    ]


def dossier_detail(dossier: Dossier, clock: Clock) -> Data:
    """:class:`~motcua.api.serializers_dossiers.DossierDetailSerializer` (relations prefetched)."""
    steps = list(dossier.steps.all())
    open_step = next((step for step in steps if step.finished_at is None), None)
    open_data = None
    if open_step is not None:
        open_data = _step(open_step)
        open_data["deadline"] = _deadline_data(clock.deadline(open_step.dossier, open_step.due_at))
    return {
        **dossier_summary(dossier, clock),
        "channel_label": choice_label(dossier, "channel"),
        "return_channel": dossier.return_channel,
        "return_channel_label": choice_label(dossier, "return_channel"),
        "rule_set": dossier.rule_set,
        "rule_set_label": choice_label(dossier, "rule_set"),
        "processing_unit": _unit(dossier.processing_unit),
        "applicant_kind": dossier.applicant_kind,
        "applicant_id_number": dossier.applicant_id_number,
        "applicant_phone": dossier.applicant_phone,
        "applicant_email": dossier.applicant_email,
        "applicant_address": dossier.applicant_address,
        "received_outside_hours": dossier.received_outside_hours,
        "received_by": _officer(dossier.received_by),
        "appointment_original": _instant(dossier.appointment_original),
        "paused_at": _instant(dossier.paused_at),
        "paused_seconds": dossier.paused_seconds,
        "processed_at": _instant(dossier.processed_at),
        "returned_at": _instant(dossier.returned_at),
        "ended_at": _instant(dossier.ended_at),
        "result_location": dossier.result_location,
        "reminders_sent": dossier.reminders_sent,
        "supplement_requests": [_supplement(row) for row in dossier.supplement_request_rows.all()],
        "open_step": open_data,
        "steps": [_step(step) for step in steps],
        "documents": [_document(document) for document in dossier.documents.all()],
        "fees": [_fee(fee) for fee in dossier.fees.all()],
        "results": [_result(result) for result in dossier.results.all()],
        "delivery": _delivery(getattr(dossier, "delivery", None)),
        "stop_notice": _stop_notice(getattr(dossier, "stop_notice", None)),
        "allowed_actions": dossier_allowed_actions(dossier),
    }
