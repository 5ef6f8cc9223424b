"""Fixtures of the citizens tests: a fresh cache, the notifications tests' SMTP server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache

from motcua.notifications.tests.conftest import smtp

__all__ = ["smtp"]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()
    yield
