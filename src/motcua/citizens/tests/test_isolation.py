"""A citizen sees their own dossiers and drafts only — guessed URLs and references included."""

from __future__ import annotations

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.models import Citizen
from motcua.accounts.tests.factories import CitizenFactory
from motcua.catalog.models import Procedure
from motcua.citizens.models import SubmissionDraft
from motcua.citizens.selectors import citizen_dossier_get, citizen_dossiers
from motcua.core.exceptions import NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.services import (
    Applicant,
    dossier_accept_online,
    dossier_submit_online,
)
from motcua.dossiers.tests.conftest import Ward, at, build_ward, complete_documents


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


def submitted_by(ward: Ward, citizen: Citizen, name: str) -> Dossier:
    return dossier_submit_online(
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=Applicant(name=name, id_number="001090012345", phone="0912345678"),
        documents=complete_documents(ward.version),
        citizen=citizen,
    )


def test_each_citizen_sees_only_their_own_dossiers(ward: Ward) -> None:
    alice, bob = CitizenFactory(), CitizenFactory()
    with time_machine.travel(at("2026-11-20T09:00"), tick=False):
        mine = submitted_by(ward, alice, "Nguyễn Thị An")
        theirs = submitted_by(ward, bob, "Trần Văn Bảo")
        dossier_accept_online(dossier=theirs, actor=ward.counter.user)
    theirs.refresh_from_db()
    assert theirs.code

    client = Client()
    client.force_login(alice.user)
    listing = client.get(reverse("portal:account"))
    html = listing.content.decode()
    assert mine.reference in html
    assert theirs.reference not in html and theirs.code not in html
    assert list(citizen_dossiers(citizen=alice)) == [mine]

    # Their dossier by reference, by official code, in any case: the same 404 as nonsense.
    for key in (theirs.reference, theirs.code, theirs.reference.lower(), "HS0000000000"):
        response = client.get(reverse("portal:account_dossier", args=[key]))
        assert response.status_code == 404, key
        assert "Trần" not in response.content.decode()
        with pytest.raises(NotFound):
            citizen_dossier_get(citizen=alice, key=key)
    # Nor the confirmation page with its secret.
    done = client.get(reverse("portal:submit_done", args=[theirs.reference]))
    assert done.status_code == 404

    own = client.get(reverse("portal:account_dossier", args=[mine.reference]))
    assert own.status_code == 200
    assert "Nguyễn T** A*" in own.content.decode()


def test_another_citizens_draft_can_be_neither_seen_nor_deleted(ward: Ward) -> None:
    alice, bob = CitizenFactory(), CitizenFactory()
    procedure = Procedure.objects.get(code=ward.procedure.code)
    draft = SubmissionDraft.objects.create(
        citizen=bob, procedure=procedure, data={"applicant_name": "Trần Văn Bảo"}, token="t"
    )
    client = Client()
    client.force_login(alice.user)

    assert "Trần Văn Bảo" not in client.get(reverse("portal:account_drafts")).content.decode()
    response = client.post(reverse("portal:account_draft_delete", args=[draft.pk]))
    assert response.status_code == 404
    assert SubmissionDraft.objects.filter(pk=draft.pk).exists()
    # Bob's draft is not restored into Alice's form.
    page = client.get(f"/thu-tuc/{procedure.code}/nop-truc-tuyen/").content.decode()
    assert "Trần Văn Bảo" not in page


def test_account_pages_need_a_signed_in_citizen(client: Client, ward: Ward) -> None:
    for name in ("portal:account", "portal:account_drafts", "portal:account_channels"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("portal:account_login"))
    response = client.get(reverse("portal:account_dossier", args=["HS23456789AB"]))
    assert response.status_code == 302
