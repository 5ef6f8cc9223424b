"""Clients, people and the sample catalog for the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.cache import cache
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
