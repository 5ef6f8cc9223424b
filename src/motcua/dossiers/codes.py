"""Dossier codes ``AGENCYCODE-YYMMDD-XXXX`` (Circular 01/2018 art. 19; R1).

The sequence restarts at 0001 per agency and local day and is never reused:
one atomic upsert per code, on the counter row of that agency and day, so two
counters receiving at the same instant get two numbers.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import connection
from django.utils import timezone

from motcua.workcalendar.engine import TZ

_UPSERT = (
    "INSERT INTO dossiers_dossiercodecounter (agency_code, day, last_number) "
    "VALUES (%s, %s, 1) "
    "ON CONFLICT (agency_code, day) DO UPDATE "
    "SET last_number = dossiers_dossiercodecounter.last_number + 1 "
    "RETURNING last_number"
)
# No 0/O, 1/I/L: a reference is read out over the phone.
_REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def dossier_code_next(*, agency_code: str, received_at: dt.datetime) -> str:
    """The next code for ``agency_code`` on the local day of ``received_at``.

    Call inside the receiving transaction: the counter row stays locked until
    it commits, and a rollback gives the number back unused (nothing printed).
    """
    day = timezone.localtime(received_at, TZ).date()
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [agency_code, day.isoformat()])
        (number,) = cursor.fetchone()
    return f"{agency_code}-{day:%y%m%d}-{number:04d}"


def dossier_reference_new() -> str:
    """A random reference for a dossier before it has a code (online, or not yet received)."""
    return "HS" + "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(10))


def dossier_lookup_secret_new() -> str:
    """Six characters printed on the receipt: the second factor of the public lookup."""
    return "".join(secrets.choice(_REFERENCE_ALPHABET) for _ in range(6))
