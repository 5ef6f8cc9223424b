"""Accountability through the API: the blocked action says why and who, then explain, apologise.

The rules themselves are tested with real dates in
``dossiers/tests/test_accountability.py``; this checks the wiring and the
one error shape.
"""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from motcua.api.tests.dossiers_support import Ward, build_ward, client_for, error, ok, url
from motcua.dossiers.accountability import forget_cached_policies
from motcua.dossiers.services import dossier_handover
from motcua.dossiers.tests.conftest import at
from motcua.dossiers.tests.test_services_lifecycle import receive

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _blocking(settings: Any) -> None:
    settings.MOTCUA_ACCOUNTABILITY_GATE = "block"
    forget_cached_policies()


def test_a_late_dossier_is_explained_and_apologised_for_through_the_api() -> None:
    ward: Ward = build_ward()
    with time_machine.travel(at("2026-02-10T09:00"), tick=False):
        dossier = receive(ward)  # type: ignore[arg-type]
    with time_machine.travel(at("2026-02-10T10:00"), tick=False):
        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    specialist, head = client_for(ward.specialist.user), client_for(ward.head.user)
    with time_machine.travel(at("2026-02-27T08:30"), tick=False):
        state = ok(specialist.get(url(dossier, "accountability")))
        assert state["state"] == "late" and state["blocks"] is True
        assert [finding["code"] for finding in state["findings"]] == [
            "explanation_required",
            "apology_required",
        ]
        assert state["may_explain"] is True and state["may_apologise"] is False
        body = {"assignee": ward.leader.pk, "note": ""}
        refused = error(
            specialist.post(url(dossier, "handover"), body, format="json"),
            409,
            "explanation_required",
        )
        assert "Lê Minh Tuấn" in refused["message"]
        error(specialist.post(url(dossier, "explanation"), {}, format="json"), 400, "invalid")
        ok(specialist.post(url(dossier, "explanation"), {"reason": "Chờ xác minh"}, format="json"))
        refused = error(
            specialist.post(url(dossier, "handover"), body, format="json"), 409, "apology_required"
        )
        assert "Đỗ Văn Nam" in refused["message"]
        error(
            specialist.post(
                url(dossier, "apology"), {"reason": "x", "extension_days": 2}, format="json"
            ),
            403,
            "permission_denied",
        )
        apology = {"reason": "Chờ xác minh của Công an", "extension_days": 2}
        detail = ok(head.post(url(dossier, "apology"), apology, format="json"))
        assert detail["code"] == dossier.code
        state = ok(head.get(url(dossier, "accountability")))
        assert state["apology"]["new_appointment"].startswith("2026-03-03T17:00")
        error(
            head.post(url(dossier, "apology"), apology, format="json"),
            409,
            "reappointment_refused",
        )
        ok(specialist.post(url(dossier, "handover"), body, format="json"))
