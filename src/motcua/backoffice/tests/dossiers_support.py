"""Shared helpers of the dossier screen tests: the test ward, dossiers at each stage, sign-in.

The ward is the dossiers app's test ward (``build_ward``): Phường Long Biên with
its centre (counter officers), office (specialists, head), a leader, and the
other ward's counter officer; the procedure is 1.004222 (7 working days).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.accounts.models import Officer, User
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    ResultDocument,
    dossier_handover,
    dossier_receive,
    dossier_result_ready,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import (
    AGENCY_CODE,
    APPLICANT,
    RESIDENCE,
    Ward,
    at,
    build_ward,
    complete_documents,
)

__all__ = ["AGENCY_CODE", "APPLICANT", "RESIDENCE", "Ward", "at", "complete_documents"]

# Tuesday 17 November 2026, 09:10 in Hà Nội: a working morning.
TUESDAY = "2026-11-17T09:10"


@pytest.fixture(name="ward")
def ward_fixture(db: None) -> Ward:
    """The test ward (import ``ward_fixture`` to use the ``ward`` fixture)."""
    return build_ward()


def signed_in(client: Client, who: Officer | User) -> Client:
    client.force_login(who.user if isinstance(who, Officer) else who)
    return client


def receive(ward: Ward, **kwargs: Any) -> Dossier:
    """A dossier received at the centre by the counter officer (step 1, assigned to them)."""
    return dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version),
        **kwargs,
    )


def at_specialist(ward: Ward) -> Dossier:
    """Received and handed over to the specialist (step 2, appraisal)."""
    dossier = receive(ward)
    return dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)


def at_leader(ward: Ward) -> Dossier:
    """Handed on to the leader (step 3, signing)."""
    dossier = at_specialist(ward)
    return dossier_handover(dossier=dossier, actor=ward.specialist.user, to_assignee=ward.leader)


def result_ready(ward: Ward) -> Dossier:
    """Signed: waiting at the counter for the applicant (step 4, the counter officer)."""
    dossier = at_leader(ward)
    return dossier_result_ready(
        dossier=dossier,
        actor=ward.leader.user,
        results=[
            ResultDocument(
                procedure_id=ward.procedure.pk,
                name="Thông báo kết quả giải quyết thủ tục về cư trú",
                document_number="125/TB-UBND",
            )
        ],
    )


def submitted_online(ward: Ward, *, complete: bool = True) -> Dossier:
    """An online submission waiting in the centre's intake queue."""
    return dossier_submit_online(
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version) if complete else [],
    )


def url(dossier: Dossier, slug: str = "") -> str:
    base = f"/can-bo/ho-so/{dossier.label}/"
    return f"{base}thao-tac/{slug}/" if slug else base


def page(response: Any) -> str:
    return response.content.decode()
