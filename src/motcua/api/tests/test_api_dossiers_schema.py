"""The committed OpenAPI schema holds for the officers' dossier reads: schemathesis, signed in.

As for the public catalog reads (``test_api_schema.py``): for each ``GET`` of
the dossier read tag in ``docs/openapi.yaml``, schemathesis generates valid
and invalid requests (codes, query strings, pages) and sends them to the WSGI
application with a signed-in head of office's session, and checks that none
is a 5xx and that every response is one the schema declares. A second test
sends the real codes, so that the full dossier, its history and its control
slip are checked against the schema too. Bounded and derandomized.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import ignored_auth

from motcua.accounts.models import User
from motcua.api.tests.dossiers_support import build_ward, receive, run_to_leader, run_to_result
from motcua.api.views_dossiers import READ_TAG
from motcua.dossiers.models import Dossier

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"
# perf: 25 examples per operation and phase keep the run near ten seconds.
MAX_EXAMPLES = 25

application = get_wsgi_application()
schema = schemathesis.openapi.from_path(SCHEMA_FILE).include(tag=READ_TAG)
# Through the WSGI application, also for the probes that check the reads
# refuse a request without (or with a wrong) session.
schema.app = application
# The session of the officer the running test signed in (see ``officer``).
SESSION: dict[str, str] = {}


@schema.auth()
class OfficerSession:
    """Sign every generated request in with the officer's session.

    Schemathesis then knows the cookie is real, and checks that each read
    refuses the same request without it or with a made-up one. Cases built
    while collecting (before any test has signed in) get a placeholder that
    the test swaps for the real session.
    """

    def get(self, case: schemathesis.Case, ctx: Any) -> str:
        return SESSION.get("sessionid", "")

    def set(self, case: schemathesis.Case, data: str, ctx: Any) -> None:
        case.cookies = {**(case.cookies or {}), "sessionid": data}


def session_of(user: User) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {"sessionid": client.cookies["sessionid"].value}


@pytest.fixture
def officer(db: None) -> Iterator[tuple[dict[str, str], list[Dossier]]]:
    """The ward's leader, who sees every dossier of the ward, with dossiers at each stage.

    Like Django's test client, the requests keep the test's database
    connection: the WSGI handler would otherwise close it after each request.
    """
    ward = build_ward()
    dossiers = [receive(ward), run_to_leader(ward), run_to_result(ward)]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    SESSION.update(session_of(ward.leader.user))
    yield SESSION, dossiers
    SESSION.clear()
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_covers_every_dossier_read() -> None:
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}"
        for result in schema.get_all_operations()
    }

    assert operations == {
        "GET /api/dossiers/",
        "GET /api/dossiers/{code}/",
        "GET /api/dossiers/{code}/events/",
        "GET /api/dossiers/{code}/accountability/",
        "GET /api/dossiers/{code}/control-slip/",
        "GET /api/me/inbox/",
        "GET /api/me/unit-work/",
    }


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
        HealthCheck.data_too_large,
    ],
)
def test_dossier_reads_conform_to_the_schema(
    case: schemathesis.Case, officer: tuple[dict[str, str], list[Dossier]]
) -> None:
    session, _dossiers = officer
    if case.cookies and "sessionid" in case.cookies:
        case.cookies["sessionid"] = session["sessionid"]
    case.call_and_validate()


@pytest.mark.parametrize(
    "path",
    [
        "/api/dossiers/{code}/",
        "/api/dossiers/{code}/events/",
        "/api/dossiers/{code}/control-slip/",
    ],
)
def test_real_dossiers_conform_to_the_schema(
    officer: tuple[dict[str, str], list[Dossier]], path: str
) -> None:
    session, dossiers = officer
    operation = schema.find_operation_by_path("GET", path)
    for dossier in dossiers:
        case = operation.Case(path_parameters={"code": dossier.code}, cookies=session)
        # The fuzzing test checks the session is required; here only the answer counts.
        response = case.call_and_validate(excluded_checks=[ignored_auth])
        assert response.status_code == 200, response.text
