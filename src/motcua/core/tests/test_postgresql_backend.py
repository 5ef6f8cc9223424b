"""The PostgreSQL backend reads timestamps in C and gives exactly what Django's loader gives."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DataError, connection
from django.db.backends.postgresql.psycopg_any import BaseTzLoader
from hypothesis import given, settings
from hypothesis import strategies as st
from psycopg.pq import Format

from motcua.core.postgresql.base import IsoTzLoader

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _read(value: object, loader: type[BaseTzLoader] | None = None) -> object:
    with connection.cursor() as cursor:
        if loader is not None:
            cursor.cursor.adapters.register_loader("timestamptz", loader)
        cursor.execute("SELECT %s::timestamptz", [value])
        return cursor.fetchone()[0]


def _django_loader() -> type[BaseTzLoader]:
    return type("DjangoTzLoader", (BaseTzLoader,), {"timezone": connection.timezone})


def test_every_cursor_reads_timestamps_with_the_c_parser() -> None:
    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(
            cursor.cursor.adapters.types["timestamptz"].oid, Format.TEXT
        )
        assert issubclass(loader, IsoTzLoader)
        assert loader.timezone == connection.timezone
        cursor.execute("SELECT '2026-12-07 09:30:00.123456+07'::timestamptz")
        value = cursor.fetchone()[0]
    assert value == dt.datetime(2026, 12, 7, 2, 30, 0, 123456, tzinfo=dt.UTC)
    assert value.tzinfo is connection.timezone


@settings(max_examples=200, deadline=None)
@given(
    st.datetimes(
        min_value=dt.datetime(1, 1, 2),
        max_value=dt.datetime(9999, 12, 30),
        timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=7))]),
    )
)
def test_the_same_values_as_djangos_loader(value: dt.datetime) -> None:
    ours = _read(value)
    assert ours == _read(value, _django_loader()) == value
    assert ours.tzinfo is connection.timezone  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["infinity", "-infinity", "2000-01-01 00:00:00+00 BC"])
def test_what_python_cannot_hold_is_refused_as_before(text: str) -> None:
    with pytest.raises(DataError):
        _read(text)
    with pytest.raises(DataError):
        _read(text, _django_loader())
