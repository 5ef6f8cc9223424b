"""Malformed requests to the dossier screens get a clear answer, never a server error (500).

The test client re-raises any exception a view lets through, so a crash
fails these tests before any status is looked at.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.backoffice.views_dossiers import SPECS
from motcua.dossiers.models import Dossier

from .dossiers_support import (
    RESIDENCE,
    TUESDAY,
    Ward,
    at,
    at_leader,
    at_specialist,
    result_ready,
    signed_in,
    submitted_online,
    url,
    ward_fixture,  # noqa: F401 - the ward fixture
)

pytestmark = pytest.mark.django_db

GARBAGE: dict[str, Any] = {
    "to_assignee": "1 OR 1=1",
    "items": ["abc", "99999999999999999999999", "-1"],
    "reason": "x" * 5000,
    "sector_rule": "\x00",
    "agency_name": "y" * 400,
    "share_days": "nan",
    "note": "\x00",
    "legal_basis": "z" * 300,
    "cause": "",
    "requested_at": "31/02/2026 25:61",
    "decision": "",
    "fee_handling": "a" * 5000,
    "channel": "pigeon",
    "recipient_name": "b" * 300,
    "recipient_id_number": "c" * 30,
    "postal_tracking_number": "d" * 70,
    "acknowledgement": "e" * 300,
    "text": "",
    "internal": "maybe",
    "location": "f" * 300,
    "next": "javascript:alert(1)",
}


@pytest.fixture(autouse=True)
def tuesday() -> Any:
    with time_machine.travel(at(TUESDAY), tick=False):
        yield


def dossiers(ward: Ward) -> list[Dossier]:
    return [at_specialist(ward), at_leader(ward), result_ready(ward), submitted_online(ward)]


@pytest.mark.parametrize("who", ["counter", "specialist", "head", "leader"])
def test_garbage_posted_to_every_action_never_crashes(
    client: Client, ward: Ward, who: str
) -> None:
    signed_in(client, getattr(ward, who))
    for dossier in dossiers(ward):
        for spec in SPECS:
            data = dict(GARBAGE)
            for procedure_id in (ward.procedure.pk, 999999):
                data[f"name_{procedure_id}"] = "g" * 600
                data[f"file_{procedure_id}"] = SimpleUploadedFile("x.png", b"GIF89a")
            for item in ("1", "abc"):
                data[f"got_{item}"] = "on"
                data[f"originals_{item}"] = "-5"
            response = client.post(url(dossier, spec.slug), data)
            assert response.status_code in (200, 302, 403, 404), (spec.slug, response.status_code)
            # A refusal is shown on the page; a "next" outside the staff area is never used.
            if response.status_code == 302:
                assert response["Location"].startswith("/can-bo/")


def test_wrong_methods_names_and_pages(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    signed_in(client, ward.specialist)

    assert client.get(url(dossier, "chuyen-buoc")).status_code == 405
    assert client.post(url(dossier, "khong-co-thao-tac-nay")).status_code == 404
    assert client.post("/can-bo/ho-so/phan-cong/").status_code == 405
    assert client.get("/can-bo/ho-so/", {"page": "abc"}).status_code == 200
    assert client.get("/can-bo/ho-so/", {"page": "99999"}).status_code == 200
    assert client.get("/can-bo/ho-so/tim-kiem/", {"q": "x" * 500}).status_code == 200
    assert client.get("/can-bo/ho-so/tim-kiem/", {"q": "\x00"}).status_code == 200
    assert client.get(url(dossier), {"thao-tac": "<script>"}).status_code == 200
    assert client.get("/can-bo/ho-so/%00/").status_code == 404


@pytest.mark.parametrize(
    "step",
    [
        "",
        "all",
        "preview",
        "edit",
        "receive",
        "complete",
        "complete_confirm",
        "refuse",
        "refuse_confirm",
        "?",
    ],
)
def test_garbage_posted_to_the_intake_form_never_crashes(
    client: Client, ward: Ward, step: str
) -> None:
    signed_in(client, ward.counter)
    data: dict[str, Any] = {
        "step": step,
        "channel": "online",
        "return_channel": "drone",
        "applicant_kind": "robot",
        "applicant_name": "\x00",
        "applicant_id_number": "1" * 50,
        "applicant_phone": "+84 (0) 912-345-678-999",
        "applicant_email": "not-an-email",
        "fee_0_amount": "-20.000",
        "fee_0_name": "",
        "fee_0_exempt": "on",
        "fee_0_payment_channel": "bitcoin",
        "f02-items": ["x"],
        "f03-reason": "",
        "doc_999999_received": "on",
    }
    for document in ward.version.documents.all():
        data[f"doc_{document.pk}_received"] = "on"
        data[f"doc_{document.pk}_originals"] = "abc"
        data[f"doc_{document.pk}_copies"] = "100"

    response = client.post(f"/can-bo/tiep-nhan/thu-tuc/{RESIDENCE}/", data)

    assert response.status_code == 200
    assert not Dossier.objects.exists()


def test_an_intake_post_without_the_idempotency_key_is_an_error_not_a_dossier(
    client: Client, ward: Ward
) -> None:
    signed_in(client, ward.counter)

    response = client.post(
        f"/can-bo/tiep-nhan/thu-tuc/{RESIDENCE}/",
        {"step": "receive", "applicant_name": "Nguyễn Văn Bình", "applicant_kind": "person"},
    )

    assert response.status_code == 200
    assert not Dossier.objects.exists()
