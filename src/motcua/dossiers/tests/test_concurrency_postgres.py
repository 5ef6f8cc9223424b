"""Concurrency on PostgreSQL: nothing lost, nothing duplicated, no code skipped or repeated.

Each worker thread has its own database connection (Django opens one per
thread), as web processes do. SQLite serialises writers anyway; these tests
need PostgreSQL's row locks to mean something.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from motcua.dossiers.constants import Action
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import dossier_handover, dossier_note, dossier_receive
from motcua.dossiers.tests.conftest import APPLICANT, Ward, build_ward, complete_documents

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

WORKERS = 50


def run_concurrently(count: int, work: Callable[[int], Any]) -> list[Any]:
    """Start ``count`` calls at once (a barrier), each in its own thread and connection."""
    barrier = threading.Barrier(count)

    def call(index: int) -> Any:
        try:
            barrier.wait()
            return work(index)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(call, range(count)))


@pytest.fixture
def ward() -> Ward:
    return build_ward()


def test_fifty_concurrent_intakes_get_fifty_consecutive_codes(ward: Ward) -> None:
    documents = complete_documents(ward.version)

    def intake(index: int) -> str:
        return dossier_receive(
            actor=ward.counter.user,
            unit=ward.centre,
            procedure=ward.procedure,
            applicant=APPLICANT,
            documents=documents,
        ).code

    codes = run_concurrently(WORKERS, intake)

    numbers = sorted(int(re.search(r"-(\d{4})$", code).group(1)) for code in codes)
    assert numbers == list(range(1, WORKERS + 1))
    assert Dossier.objects.count() == WORKERS
    assert DossierEvent.objects.filter(action=Action.RECEIVE).count() == WORKERS


def test_fifty_concurrent_actions_on_one_dossier_lose_no_event(ward: Ward) -> None:
    dossier = dossier_receive(
        actor=ward.counter.user,
        unit=ward.centre,
        procedure=ward.procedure,
        applicant=APPLICANT,
        documents=complete_documents(ward.version),
    )
    officers = [ward.counter, ward.counter2, ward.leader]

    def act(index: int) -> str:
        if index == 0:
            # One real transition among the notes: the step moves exactly once.
            dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
            return Action.HANDOVER
        dossier_note(dossier=dossier, actor=officers[index % len(officers)].user, text=f"#{index}")
        return Action.NOTE

    actions = run_concurrently(WORKERS, act)

    dossier.refresh_from_db()
    events = list(dossier.events.order_by("sequence").values_list("sequence", "action"))
    assert [sequence for sequence, _ in events] == list(range(1, WORKERS + 2))
    assert dossier.event_count == WORKERS + 1
    assert sorted(action for _, action in events[1:]) == sorted(actions)
    assert dossier.steps.filter(finished_at__isnull=True).count() == 1
    assert dossier.steps.get(finished_at__isnull=True).assignee == ward.specialist
