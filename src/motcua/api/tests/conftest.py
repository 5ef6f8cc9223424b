"""Clients, people and the sample catalog for the API tests."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIClient

from motcua.accounts.models import User
from motcua.accounts.tests.factories import OfficerFactory, UserFactory
from motcua.catalog import semantic
from motcua.catalog.services import catalog_import

DATA = Path(__file__).resolve().parents[2] / "catalog" / "tests" / "data"
SAMPLE = DATA / "dvcqg_sample.jsonl"


@pytest.fixture(autouse=True)
def _fresh_counters_and_index() -> Iterator[None]:
    """Throttle counters live in the cache and the search matrix in memory: per test."""
    cache.clear()
    semantic.invalidate_index()
    yield
    cache.clear()
    semantic.invalidate_index()


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def catalog(db: None) -> None:
    """The 8 real procedures of the parsers' slice, published and listed."""
    report = catalog_import(path=SAMPLE)
    assert report.rejected == 0


@pytest.fixture
def administrator(db: None) -> User:
    return OfficerFactory(administrator=True).user


@pytest.fixture
def specialist(db: None) -> User:
    return OfficerFactory(specialist=True).user


@pytest.fixture
def citizen(db: None) -> User:
    return UserFactory(citizen=True)


@pytest.fixture
def admin_api(administrator: User) -> APIClient:
    client = APIClient()
    client.force_login(administrator)
    return client


def _same_as_serializer(build: Any, serializer_class: Any) -> Any:
    """``build`` (api.representations), checked against the serializer it stands for."""

    def checked(instance: Any, clock: Any) -> Any:
        fast = build(instance, clock)
        documented = serializer_class(instance, context={"clock": clock}).data
        assert json.loads(JSONRenderer().render(fast)) == json.loads(
            JSONRenderer().render(documented)
        ), type(instance).__name__
        return fast

    return staticmethod(checked)


@pytest.fixture(autouse=True)
def _representations_match_the_schema(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every dossier the API tests see is built both ways and must read the same.

    The hand-built answers (perf) and the serializers (the OpenAPI schema) would
    otherwise drift apart silently. Not where queries are counted.
    """
    if "querycount" in request.node.module.__name__:
        return
    from motcua.api import representations, views_dossiers
    from motcua.api import serializers_dossiers as s

    monkeypatch.setattr(
        representations,
        "dossier_detail",
        _same_as_serializer(representations.dossier_detail, s.DossierDetailSerializer).__func__,
    )
    for view in (views_dossiers.InboxView, views_dossiers.UnitWorkView):
        monkeypatch.setattr(
            view, "represent", _same_as_serializer(representations.work_item, s.WorkItemSerializer)
        )
    monkeypatch.setattr(
        views_dossiers.DossierListView,
        "represent",
        _same_as_serializer(representations.dossier_summary, s.DossierSummarySerializer),
    )
