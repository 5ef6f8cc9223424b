"""The head's view: the open steps of the office, filters, and (re)assignment."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from motcua.accounts.tests.factories import OfficerFactory
from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier

from .dossiers_support import (
    Ward,
    at,
    at_specialist,
    page,
    signed_in,
    url,
    ward_fixture,  # noqa: F401 - the ward fixture
)

pytestmark = pytest.mark.django_db

WORK = "/can-bo/ho-so/phan-cong/"
NOW = "2026-11-10T10:00"


def handed_over(ward: Ward, when: str) -> Dossier:
    with time_machine.travel(at(when), tick=False):
        return at_specialist(ward)


@pytest.fixture
def head(client: Client, ward: Ward) -> Client:
    return signed_in(client, ward.head)


def test_the_head_sees_the_open_steps_of_the_office_by_deadline(head: Client, ward: Ward) -> None:
    late = handed_over(ward, "2026-11-02T09:00")
    on_time = handed_over(ward, "2026-11-09T09:00")

    with time_machine.travel(at(NOW), tick=False):
        html = page(head.get(WORK))

    assert html.index(late.code) < html.index(on_time.code)
    assert "Quá hạn" in html and "Còn hạn" in html
    assert ward.specialist.full_name in html
    # Reassignment goes to the office's other specialist only (the step's role).
    choices = re.findall(r'<select name="to_assignee".*?</select>', html, flags=re.S)[0]
    assert f'<option value="{ward.specialist2.pk}">' in choices
    assert f'<option value="{ward.head.pk}">' not in choices
    assert f'<option value="{ward.specialist.pk}">' not in choices


def test_the_filters_narrow_by_officer_and_by_state(head: Client, ward: Ward) -> None:
    late = handed_over(ward, "2026-11-02T09:00")
    on_time = handed_over(ward, "2026-11-09T09:00")
    with time_machine.travel(at("2026-11-09T10:00"), tick=False):
        from motcua.dossiers.services import dossier_assign

        dossier_assign(dossier=on_time, actor=ward.head.user, to_assignee=ward.specialist2)

    with time_machine.travel(at(NOW), tick=False):
        by_officer = page(head.get(WORK, {"officer": ward.specialist2.pk}))
        late_only = page(head.get(WORK, {"state": "late"}))
        on_time_only = page(head.get(WORK, {"state": "on_time"}))
        nonsense = head.get(WORK, {"officer": "abc", "state": "soon"})

    assert on_time.code in by_officer and late.code not in by_officer
    assert late.code in late_only and on_time.code not in late_only
    assert on_time.code in on_time_only and late.code not in on_time_only
    assert nonsense.status_code == 200


def test_the_head_reassigns_and_comes_back_to_the_list(head: Client, ward: Ward) -> None:
    dossier = handed_over(ward, "2026-11-09T09:00")

    response = head.post(
        url(dossier, "phan-cong"),
        {"to_assignee": ward.specialist2.pk, "next": f"{WORK}?state=on_time"},
    )

    assert response.status_code == 302
    assert response["Location"] == f"{WORK}?state=on_time"
    step = dossier.steps.get(finished_at__isnull=True)
    assert step.assignee == ward.specialist2
    event = dossier.events.order_by("-sequence").first()
    assert event is not None and event.action == Action.ASSIGN and event.internal


def test_reassigning_to_someone_without_the_step_role_is_refused(head: Client, ward: Ward) -> None:
    dossier = handed_over(ward, "2026-11-09T09:00")
    clerk = OfficerFactory(unit=ward.office, roles=[])

    response = head.post(url(dossier, "phan-cong"), {"to_assignee": clerk.pk})

    assert response.status_code == 200
    assert "Cán bộ đã chọn không nằm trong danh sách được phép." in page(response)
    assert dossier.steps.get(finished_at__isnull=True).assignee == ward.specialist


def test_a_next_outside_the_staff_area_is_ignored(head: Client, ward: Ward) -> None:
    dossier = handed_over(ward, "2026-11-09T09:00")

    response = head.post(
        url(dossier, "phan-cong"),
        {"to_assignee": ward.specialist2.pk, "next": "https://example.com/"},
    )

    assert response["Location"] == url(dossier)


@pytest.mark.parametrize("who", ["counter", "specialist", "leader"])
def test_only_heads_open_the_view(client: Client, ward: Ward, who: str) -> None:
    signed_in(client, getattr(ward, who))

    assert client.get(WORK).status_code == 403
