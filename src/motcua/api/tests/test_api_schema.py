"""The committed OpenAPI schema holds for the public reads: schemathesis against our own app.

Property-based: for each public operation of ``docs/openapi.yaml`` (the file
``make check`` keeps up to date), schemathesis generates valid and invalid
requests, sends them to the WSGI application and checks that none is a 5xx
and that every response (status, content type, body) is one the schema
declares. Bounded and derandomized, so the run is fast and the same on every
machine and database.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings

from motcua.api.views import PUBLIC_TAG, PublicReadThrottle
from motcua.catalog.services import catalog_import

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "docs" / "openapi.yaml"
DATA = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "data"
# perf: 40 examples per operation and phase keep the run near ten seconds.
MAX_EXAMPLES = 40

schema = schemathesis.openapi.from_path(SCHEMA_FILE).include(tag=PUBLIC_TAG)
application = get_wsgi_application()


@pytest.fixture(autouse=True)
def sample_catalog(db: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Real procedures to find, and no throttling while hundreds of requests go by.

    Like Django's test client, the requests keep the test's database
    connection: the WSGI handler would otherwise close it after each request
    (on PostgreSQL, taking the test's transaction with it).
    """
    monkeypatch.setattr(PublicReadThrottle, "rate", "100000/min")
    for name in ("dvcqg_sample.jsonl", "semantic_sample.jsonl"):
        catalog_import(path=DATA / name)
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_schema_covers_every_public_read() -> None:
    operations = {
        f"{result.ok().method.upper()} {result.ok().path}"
        for result in schema.get_all_operations()
    }

    assert operations == {
        "GET /api/fields/",
        "GET /api/procedures/",
        "GET /api/procedures/{code}/",
        "GET /api/procedures/{code}/versions/",
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
def test_public_reads_conform_to_the_schema(case: schemathesis.Case) -> None:
    case.call_and_validate(app=application)
