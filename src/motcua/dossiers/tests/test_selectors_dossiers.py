"""Reads: who sees which dossier, the inbox, search, deadlines in words, the control slip."""

from __future__ import annotations

import pytest
import time_machine

from motcua.accounts.tests.factories import CitizenFactory, UserFactory
from motcua.core.exceptions import NotFound
from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import (
    TimeState,
    deadline_state,
    dossier_control_slip,
    dossier_get_for_officer,
    dossier_inbox,
    dossier_search,
    dossier_timeline,
    dossier_unit_work,
    dossiers_for_officer,
)
from motcua.dossiers.services import dossier_handover, dossier_note, dossier_receive
from motcua.dossiers.tests.conftest import APPLICANT, Ward, at, complete_documents
from motcua.workcalendar.selectors import calendar_for_unit

pytestmark = pytest.mark.django_db


def receive(ward: Ward) -> Dossier:
    return dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version),
    )


def test_missing_and_not_yours_give_the_same_answer(ward: Ward) -> None:
    dossier = receive(ward)
    assert dossier_get_for_officer(user=ward.counter.user, code=dossier.code) == dossier
    with pytest.raises(NotFound) as not_yours:
        dossier_get_for_officer(user=ward.other_counter.user, code=dossier.code)
    with pytest.raises(NotFound) as missing:
        dossier_get_for_officer(user=ward.counter.user, code=dossier.code + "9")
    assert not_yours.value.code == missing.value.code == "not_found"
    assert type(not_yours.value.message) is type(missing.value.message)


def test_who_sees_the_dossier(ward: Ward) -> None:
    dossier = receive(ward)
    visible = {
        name: dossiers_for_officer(user=getattr(ward, name).user).filter(pk=dossier.pk).exists()
        for name in ("counter", "counter2", "specialist", "head", "leader", "other_counter")
    }
    # The centre's counters and the ward's leader; the office only once a step reaches it.
    assert visible == {
        "counter": True,
        "counter2": True,
        "specialist": False,
        "head": False,
        "leader": True,
        "other_counter": False,
    }
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    assert dossiers_for_officer(user=ward.specialist.user).filter(pk=dossier.pk).exists()
    assert dossiers_for_officer(user=ward.head.user).filter(pk=dossier.pk).exists()
    assert not dossiers_for_officer(user=CitizenFactory().user).exists()
    assert dossiers_for_officer(user=UserFactory(superuser=True)).exists()


def test_the_inbox_is_ordered_by_deadline_and_the_head_sees_the_office(ward: Ward) -> None:
    with time_machine.travel(at("2026-11-17T09:00"), tick=False):
        first = receive(ward)
    with time_machine.travel(at("2026-11-17T08:00"), tick=False):
        second = receive(ward)
    inbox = list(dossier_inbox(user=ward.counter.user))
    assert [step.dossier for step in inbox] == [second, first]
    dossier_handover(dossier=first, actor=ward.counter.user, to_assignee=ward.specialist)
    assert [step.dossier for step in dossier_unit_work(user=ward.head.user)] == [first]
    assert dossier_inbox(user=ward.specialist.user).first().dossier == first


@pytest.mark.parametrize(
    "query",
    ["NGUYEN VAN BINH", "nguyễn văn bình", "van binh", "001090012345", "0912345678", "5678"],
)
def test_search_by_name_without_diacritics_id_or_phone(ward: Ward, query: str) -> None:
    dossier = receive(ward)
    assert list(dossier_search(user=ward.counter.user, query=query)) == [dossier]
    assert not dossier_search(user=ward.other_counter.user, query=query).exists()


def test_search_by_code(ward: Ward) -> None:
    dossier = receive(ward)
    assert list(dossier_search(user=ward.counter.user, query=dossier.code)) == [dossier]
    assert list(dossier_search(user=ward.counter.user, query=dossier.code[-11:])) == [dossier]


def test_deadlines_in_words() -> None:
    calendar = calendar_for_unit()
    due = at("2026-11-19T17:00")
    on_time = deadline_state(due=due, calendar=calendar, now=at("2026-11-18T13:00"))
    assert (on_time.state, on_time.label) == (TimeState.ON_TIME, "còn 1 ngày 4 giờ")
    soon = deadline_state(due=due, calendar=calendar, now=at("2026-11-19T09:00"))
    assert (soon.state, soon.label) == (TimeState.DUE_SOON, "còn 7 giờ")
    late = deadline_state(due=due, calendar=calendar, now=at("2026-11-20T10:15"))
    assert (late.state, late.label) == (TimeState.LATE, "quá 2 giờ 15 phút")
    assert deadline_state(due=None, calendar=calendar).state == TimeState.NONE


def test_the_control_slip_and_the_citizens_timeline(ward: Ward) -> None:
    dossier = receive(ward)
    dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    dossier_note(dossier=dossier, actor=ward.specialist.user, text="Đã gọi điện cho công dân")
    rows = dossier_control_slip(dossier=dossier)
    assert [(row.unit_name, row.received_by) for row in rows] == [
        ("Trung tâm Phục vụ hành chính công phường Long Biên", "Nguyễn Thị Lan"),
        ("Văn phòng HĐND và UBND phường Long Biên", "Lê Minh Tuấn"),
    ]
    assert rows[1].handed_by == "Nguyễn Thị Lan" and rows[0].outcome
    assert dossier_timeline(dossier=dossier, include_internal=True).count() == 3
    assert dossier_timeline(dossier=dossier, include_internal=False).count() == 2
