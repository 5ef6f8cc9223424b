"""Who may open which dossier screen and post which action: every role, the other unit's counter
officer, a citizen and the anonymous visitor.

An officer of another unit gets the same 404 for a dossier that exists as for
one that does not; citizens are sent to the portal, the anonymous to the login.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from motcua.accounts.models import User
from motcua.accounts.tests.factories import OfficerFactory, UserFactory
from motcua.dossiers.models import Dossier

from .dossiers_support import (
    RESIDENCE,
    TUESDAY,
    Ward,
    at,
    at_specialist,
    url,
    ward_fixture,  # noqa: F401 - the ward fixture
)

pytestmark = pytest.mark.django_db

OK, REDIRECT, FORBIDDEN, MISSING = 200, 302, 403, 404

# screen: (inbox, search, head's view, intake, online queue, intake form, dossier page)
SCREENS = ("inbox", "search", "unit_work", "intake", "queue", "intake_form", "detail")
# what each person gets, screen by screen, then for a note and a hand-over (POST)
MATRIX: dict[str, tuple[int, ...]] = {
    "counter": (OK, OK, FORBIDDEN, OK, OK, OK, OK, REDIRECT, FORBIDDEN),
    "specialist": (OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, REDIRECT, OK),
    "head": (OK, OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, REDIRECT, OK),
    "leader": (OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, REDIRECT, OK),
    "inspector": (OK, OK, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, FORBIDDEN, FORBIDDEN),
    "evaluator": (FORBIDDEN,) * 9,
    "administrator": (FORBIDDEN,) * 9,
    "other_counter": (OK, OK, FORBIDDEN, OK, OK, OK, MISSING, MISSING, MISSING),
    "citizen": (REDIRECT,) * 9,
    "anonymous": (REDIRECT,) * 9,
}


def person(ward: Ward, who: str) -> User | None:
    if who == "anonymous":
        return None
    if who == "citizen":
        return UserFactory(citizen=True)
    if who == "inspector":
        return OfficerFactory(unit=ward.city, inspector=True).user
    if who == "evaluator":
        return OfficerFactory(unit=ward.ward, evaluator=True).user
    if who == "administrator":
        return OfficerFactory(unit=ward.ward, administrator=True).user
    return getattr(ward, who).user


def screen_urls(dossier: Dossier) -> dict[str, str]:
    return {
        "inbox": "/can-bo/ho-so/",
        "search": "/can-bo/ho-so/tim-kiem/?q=binh",
        "unit_work": "/can-bo/ho-so/phan-cong/",
        "intake": "/can-bo/tiep-nhan/",
        "queue": "/can-bo/tiep-nhan/truc-tuyen/",
        "intake_form": f"/can-bo/tiep-nhan/thu-tuc/{RESIDENCE}/",
        "detail": url(dossier),
    }


@pytest.mark.parametrize("who", list(MATRIX))
def test_the_permission_matrix(client: Client, ward: Ward, who: str) -> None:
    with time_machine.travel(at(TUESDAY), tick=False):
        dossier = at_specialist(ward)
        user = person(ward, who)
        if user is not None:
            client.force_login(user)
        got: list[Any] = [
            client.get(address).status_code for address in screen_urls(dossier).values()
        ]
        note = client.post(url(dossier, "ghi-chu"), {"text": "Kiểm tra quyền."})
        handover = client.post(url(dossier, "chuyen-buoc"), {"to_assignee": ""})
        got += [note.status_code, handover.status_code]
        where = client.get("/can-bo/ho-so/").get("Location", "")

    assert dict(zip((*SCREENS, "note", "handover"), got, strict=True)) == dict(
        zip((*SCREENS, "note", "handover"), MATRIX[who], strict=True)
    )
    if who == "anonymous":
        assert where.startswith("/can-bo/dang-nhap/")
    if who == "citizen":
        assert where == "/"


def test_another_units_dossier_and_a_missing_one_look_the_same(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    client.force_login(ward.other_counter.user)

    theirs = client.get(url(dossier))
    missing = client.get("/can-bo/ho-so/000.01.45.H26-261117-9999/")

    assert theirs.status_code == missing.status_code == 404
    assert "Không tìm thấy trang" in theirs.content.decode()
    assert dossier.applicant_name not in theirs.content.decode()


def test_search_finds_nothing_of_another_unit(client: Client, ward: Ward) -> None:
    dossier = at_specialist(ward)
    client.force_login(ward.other_counter.user)

    response = client.get("/can-bo/ho-so/tim-kiem/", {"q": dossier.code})

    assert response.status_code == 200
    assert "Không tìm thấy hồ sơ nào" in response.content.decode()
