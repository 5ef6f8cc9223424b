"""Who may read and act through the dossier API: the same rules as the screens.

An officer sees the dossiers of their units and of the steps given to them,
and acts only where the services allow; what they may not see is a 404
exactly like a dossier that does not exist; citizens get 403 and the
anonymous 403 ``not_authenticated`` (session authentication sends no
challenge, so never 401), all in the one error shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from motcua.accounts.constants import Role
from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory
from motcua.api.tests.dossiers_support import (
    RETURN_AT_COUNTER,
    Ward,
    build_ward,
    citizen_user,
    client_for,
    error,
    extra_officer,
    intake_body,
    receive,
    result_body,
    run_to_leader,
    run_to_result,
    url,
)
from motcua.dossiers.models import Dossier

pytestmark = pytest.mark.django_db

OK, DENIED, HIDDEN, CITIZEN, ANONYMOUS = "ok", "denied", "hidden", "citizen", "anonymous"
ANSWERS = {
    DENIED: (403, "permission_denied"),
    HIDDEN: (404, "not_found"),
    CITIZEN: (403, "permission_denied"),
    ANONYMOUS: (403, "not_authenticated"),
}


@dataclass(frozen=True)
class Expected:
    """What each endpoint answers one role: read a received dossier, see it in the list,
    receive at the counter, hand over the counter's step, sign the result, return it."""

    read: str
    listed: bool
    intake: str
    handover: str
    result: str
    returned: str


# The received dossier is at the centre's counter step; the signing one at the
# leader's step (the office has worked on it); the signed one waits at the counter.
MATRIX: dict[str, Expected] = {
    "counter": Expected(OK, True, OK, OK, DENIED, OK),
    "specialist": Expected(HIDDEN, False, DENIED, HIDDEN, DENIED, DENIED),
    "head": Expected(HIDDEN, False, DENIED, HIDDEN, DENIED, DENIED),
    "leader": Expected(OK, True, DENIED, OK, OK, DENIED),
    "inspector": Expected(OK, True, DENIED, DENIED, DENIED, DENIED),
    "evaluator": Expected(HIDDEN, False, DENIED, HIDDEN, HIDDEN, HIDDEN),
    "administrator": Expected(HIDDEN, False, DENIED, HIDDEN, HIDDEN, HIDDEN),
    "other_counter": Expected(HIDDEN, False, DENIED, HIDDEN, HIDDEN, HIDDEN),
    "citizen": Expected(CITIZEN, False, CITIZEN, CITIZEN, CITIZEN, CITIZEN),
    "anonymous": Expected(ANONYMOUS, False, ANONYMOUS, ANONYMOUS, ANONYMOUS, ANONYMOUS),
}


def user_of(ward: Ward, who: str) -> User | None:
    if who in ("counter", "specialist", "head", "leader", "other_counter"):
        return getattr(ward, who).user
    if who in ("inspector", "evaluator", "administrator"):
        return extra_officer(ward, Role(who)).user
    return citizen_user() if who == "citizen" else None


def check(response: Any, expected: str, success: int = 200) -> None:
    if expected == OK:
        assert response.status_code == success, response.content
    else:
        error(response, *ANSWERS[expected])


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_permission_matrix(who: str) -> None:
    ward = build_ward()
    received, signing, signed = receive(ward), run_to_leader(ward), run_to_result(ward)
    expected = MATRIX[who]
    client = client_for(user_of(ward, who))

    check(client.get(url(received)), expected.read)
    for suffix in ("events/", "control-slip/"):
        check(client.get(url(received) + suffix), expected.read)
    listing = client.get("/api/dossiers/")
    if who in ("citizen", "anonymous"):
        check(listing, expected.read)
    else:
        codes = {item["code"] for item in listing.json()["results"]}
        assert (received.code in codes) is expected.listed
    check(client.post("/api/dossiers/", intake_body(ward), format="json"), expected.intake, 201)
    check(
        client.post(url(received, "handover"), {"assignee": ward.specialist.pk}, format="json"),
        expected.handover,
    )
    check(
        client.post(url(signing, "result-ready"), result_body(ward), format="json"),
        expected.result,
    )
    check(
        client.post(url(signed, "return-result"), RETURN_AT_COUNTER, format="json"),
        expected.returned,
    )

    changed = Dossier.objects.exclude(pk__in=[received.pk, signing.pk, signed.pk])
    assert changed.exists() is (expected.intake == OK)


@pytest.mark.parametrize("path", ["/api/me/inbox/", "/api/me/unit-work/", "/api/dossiers/"])
def test_work_lists_are_for_officers(path: str) -> None:
    build_ward()
    error(client_for(None).get(path), 403, "not_authenticated")
    failure = error(client_for(citizen_user()).get(path), 403, "permission_denied")
    assert failure["message"] == "Chức năng này chỉ dành cho cán bộ, công chức."


def test_an_inactive_officer_is_signed_out(db: None) -> None:
    ward = build_ward()
    client = client_for(ward.counter.user)
    ward.counter.user.is_active = False
    ward.counter.user.save()
    error(client.get("/api/dossiers/"), 403, "not_authenticated")


def test_a_superuser_sees_every_dossier(db: None) -> None:
    ward = build_ward()
    dossier = receive(ward)
    client = client_for(UserFactory(superuser=True))
    assert client.get(url(dossier)).status_code == 200
    assert client.get("/api/dossiers/").json()["count"] == 1
