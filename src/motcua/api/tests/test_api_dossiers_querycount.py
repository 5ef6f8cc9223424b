"""How many SQL queries the hot dossier endpoints take, whatever the dossier's size.

The benchmark (``bench/dossiers_http.py``) measures time; these tests keep
the query counts from creeping back up (an N+1 costs more than any code
path here). The numbers are what the endpoints take today with a warm
session: raise one only with a reason in the commit.
"""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from motcua.api.tests.dossiers_support import (
    Ward,
    build_ward,
    client_for,
    intake_body,
    ok,
    receive,
    run_to_leader,
    url,
)
from motcua.workcalendar import selectors as calendar_selectors

pytestmark = pytest.mark.django_db

LOOKUP_QUERIES = 11
INBOX_QUERIES = 4
# Session with its user 1; the unit (with its chain on PostgreSQL), the procedure's
# versions, the webhook subscriptions and the care letters of the receipt 4, sent
# together (a published version's components, methods and steps are kept per process);
# the transaction 2 (savepoints in tests), code, dossier, step, event, documents, fees 6;
# the applicant's notifications 5 (outbox rows, the delivery task). Nothing is read again
# for the answer, and a new idempotency key is not looked up. SQLite reads the officer's
# roles and the unit's chain apart.
INTAKE_QUERIES = {"postgresql": 18, "sqlite": 20}


@pytest.fixture
def ward(db: None, monkeypatch: pytest.MonkeyPatch) -> Ward:
    # The calendar revision is re-read every few seconds; not inside a count.
    monkeypatch.setattr(calendar_selectors, "REVISION_TTL", 3600.0)
    return build_ward()


def counted(client: APIClient, method: str, path: str, **kwargs: Any) -> tuple[Any, list[str]]:
    """The response and the SQL it ran, after one warm-up request for the session."""
    client.get("/api/me/inbox/")
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, **kwargs)
    return response, [query["sql"] for query in queries.captured_queries]


def explain(sqls: list[str]) -> str:
    return "\n".join(f"{number:3} {sql[:300]}" for number, sql in enumerate(sqls, 1))


def test_the_detail_of_a_dossier_takes_a_fixed_number_of_queries(ward: Ward) -> None:
    small = run_to_leader(ward)
    client = client_for(ward.leader.user)
    _, few = counted(client, "get", url(small))
    for _ in range(3):  # more steps, documents and events must not add queries
        receive(ward)
    response, sqls = counted(client, "get", url(small))
    ok(response)
    assert len(sqls) == len(few), explain(sqls)
    assert len(sqls) <= LOOKUP_QUERIES, explain(sqls)


def test_the_inbox_takes_a_fixed_number_of_queries(ward: Ward) -> None:
    client = client_for(ward.specialist.user)
    run_to_leader(ward)
    for _ in range(4):
        dossier = receive(ward)
        from motcua.dossiers.services import dossier_handover

        dossier_handover(dossier=dossier, actor=ward.counter.user, to_assignee=ward.specialist)
    response, sqls = counted(client, "get", "/api/me/inbox/")
    assert len(ok(response)["results"]) == 4
    assert len(sqls) <= INBOX_QUERIES, explain(sqls)


def test_an_intake_takes_a_bounded_number_of_queries(ward: Ward) -> None:
    client = client_for(ward.counter.user)
    ok(client.post("/api/dossiers/", intake_body(ward), format="json"), 201)
    response, sqls = counted(
        client,
        "post",
        "/api/dossiers/",
        data=intake_body(ward),
        format="json",
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    ok(response, 201)
    assert len(sqls) <= INTAKE_QUERIES[connection.vendor], explain(sqls)
    # The answer shows the rows the intake wrote; it reads none of them back, and a
    # new idempotency key is not looked up (the key's unique constraint guards it).
    read_back = [sql for sql in sqls if sql.startswith("SELECT") and '"dossiers_dossier' in sql]
    assert not read_back, explain(read_back)
