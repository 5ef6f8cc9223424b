"""The dossier detail read by code in one round trip: the rows are the dossier's own."""

from __future__ import annotations

import pytest

from motcua.api.tests.dossiers_support import Ward, build_ward, client_for, ok, receive, url
from motcua.dossiers.models import Dossier, DossierDocument

pytestmark = pytest.mark.django_db


@pytest.fixture
def ward(db: None) -> Ward:
    return build_ward()


def test_a_code_equal_to_another_dossiers_reference_shows_only_its_own_rows(ward: Ward) -> None:
    shown, other = receive(ward), receive(ward)
    # References are "HS…" and codes carry the agency code, so the two never meet
    # in practice; the detail must not rely on it.
    Dossier.objects.filter(pk=other.pk).update(reference=shown.code)
    DossierDocument.objects.filter(dossier=other).update(name="Giấy tờ của hồ sơ khác")

    body = ok(client_for(ward.leader.user).get(url(shown)))

    assert body["code"] == shown.code
    names = {document["name"] for document in body["documents"]}
    assert "Giấy tờ của hồ sơ khác" not in names
    assert len(body["documents"]) == shown.documents.count()
    assert len(body["steps"]) == shown.steps.count()


def test_an_out_of_range_unit_id_is_a_clear_400_not_a_crash(ward: Ward) -> None:
    from motcua.api.tests.dossiers_support import intake_body

    response = client_for(ward.counter.user).post(
        "/api/dossiers/", intake_body(ward, unit=2**70), format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["message"]
