"""Django's PostgreSQL backend, reading ``timestamptz`` values with the C parser of ``datetime``.

perf: Django registers its own loader for ``timestamptz`` (to give values the
connection's time zone), a subclass of psycopg's pure-Python one, so the C
loaders of ``psycopg[binary]`` are never used for timestamps: ~10 µs each, and
a dossier with its steps, events and officers carries dozens. That was 16 % of
a dossier lookup's time in bench/dossiers_http.py. PostgreSQL writes them in
ISO 8601 (``DateStyle`` ISO, Django's default), which ``datetime.fromisoformat``
reads in C. Anything else (BC dates, ``infinity``, another ``DateStyle``)
goes to psycopg's loader as before, which reads or refuses it as it always did.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.db.backends.postgresql import base
from django.db.backends.postgresql.psycopg_any import BaseTzLoader


class IsoTzLoader(BaseTzLoader):
    """Django's ``BaseTzLoader``: the value with the connection's time zone, read in C."""

    def load(self, data: Any) -> dt.datetime:
        try:
            value = dt.datetime.fromisoformat(bytes(data).decode())
        except ValueError:
            return super().load(data)  # type: ignore[no-any-return]
        # As Django's: PostgreSQL writes in the connection's time zone.
        return value.replace(tzinfo=self.timezone)


@cache
def _loader_for(timezone: dt.tzinfo | None) -> type[IsoTzLoader]:
    return type("SpecificIsoTzLoader", (IsoTzLoader,), {"timezone": timezone})


class DatabaseWrapper(base.DatabaseWrapper):
    def get_new_connection(self, conn_params: dict[str, Any]) -> Any:
        connection = super().get_new_connection(conn_params)
        # Django's create_cursor() keeps a loader whose ``timezone`` is the
        # connection's; this one has it, so it stays for every cursor.
        connection.adapters.register_loader("timestamptz", _loader_for(self.timezone))
        return connection
