"""The test ward of the dossier tests, reached through the API: clients, bodies, answers."""

from __future__ import annotations

from typing import Any

from rest_framework.test import APIClient

from motcua.accounts.constants import Role
from motcua.accounts.models import Officer, User
from motcua.accounts.tests.factories import CitizenFactory, OfficerFactory
from motcua.dossiers.constants import ReturnChannel
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ResultDocument,
    dossier_handover,
    dossier_receive,
    dossier_result_ready,
)
from motcua.dossiers.tests.conftest import (
    AGENCY_CODE,
    APPLICANT,
    RESIDENCE,
    Ward,
    build_ward,
    complete_documents,
)

__all__ = ["AGENCY_CODE", "RESIDENCE", "Ward", "build_ward"]


def client_for(user: User | None) -> APIClient:
    """A client signed in as ``user`` (anonymous for None)."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape, with the code expected."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"error"}, body
    assert set(body["error"]) == {"code", "message", "params"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["message"]
    return body["error"]


def extra_officer(ward: Ward, role: Role) -> Officer:
    """An officer of the ward itself with ``role`` (inspector, evaluator, administrator)."""
    return OfficerFactory(unit=ward.ward, roles=[role])


def citizen_user() -> User:
    return CitizenFactory().user


def receive(ward: Ward, **kwargs: Any) -> Dossier:
    """A complete dossier received at the centre's counter (service call, no API)."""
    return dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version),
        **kwargs,
    )


def run_to_leader(ward: Ward) -> Dossier:
    """Received, appraised by the specialist, now at the leader's signing step."""
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)
    dossier.refresh_from_db()
    return dossier


def run_to_result(ward: Ward) -> Dossier:
    """Signed: the result waits at the counter."""
    dossier = run_to_leader(ward)
    dossier_result_ready(
        dossier=dossier,
        actor=ward.leader.user,
        results=[
            ResultDocument(
                procedure_id=ward.procedure.pk,
                name="Xác nhận đăng ký thường trú",
                document_number="123/GXN",
            )
        ],
    )
    dossier.refresh_from_db()
    return dossier


def intake_body(ward: Ward, **overrides: Any) -> dict[str, Any]:
    """A complete counter intake of the residence procedure, as JSON."""
    body: dict[str, Any] = {
        "unit": ward.centre.pk,
        "procedure": RESIDENCE,
        "applicant_name": APPLICANT.name,
        "applicant_id_number": APPLICANT.id_number,
        "applicant_phone": APPLICANT.phone,
        "applicant_email": APPLICANT.email,
        "applicant_address": APPLICANT.address,
        "documents": [
            {"required_document": document.required_document_id, "originals": 1}
            for document in complete_documents(ward.version)
        ],
        "fees": [{"name": "Lệ phí đăng ký cư trú", "amount": 20000, "receipt_number": "BL-01"}],
    }
    body.update(overrides)
    return body


def result_body(ward: Ward, number: str = "123/GXN") -> dict[str, Any]:
    return {
        "results": [
            {
                "procedure": RESIDENCE,
                "name": "Xác nhận đăng ký thường trú",
                "document_number": number,
            }
        ]
    }


RETURN_AT_COUNTER = {
    "channel": ReturnChannel.COUNTER,
    "recipient_name": "Nguyễn Văn Bình",
    "acknowledgement": "Đã ký nhận vào sổ theo dõi",
}


def url(dossier: Dossier, action: str = "") -> str:
    """``/api/dossiers/<code>/`` or ``…/<action>/``."""
    base = f"/api/dossiers/{dossier.code or dossier.reference}/"
    return f"{base}{action}/" if action else base
