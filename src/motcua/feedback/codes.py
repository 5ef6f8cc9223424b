"""PAKN codes ``PAKN-<unit code>-YYMMDD-XXXX``: unique, never reused.

The sequence restarts at 0001 per addressed unit and local day, through one
atomic upsert on the counter row (as ``dossiers.codes``), so two citizens
sending at the same instant get two numbers.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from motcua.workcalendar.engine import TZ

PREFIX = "PAKN"
_UPSERT = (
    "INSERT INTO feedback_feedbackcodecounter (scope, day, last_number) "
    "VALUES (%s, %s, 1) "
    "ON CONFLICT (scope, day) DO UPDATE "
    "SET last_number = feedback_feedbackcodecounter.last_number + 1 "
    "RETURNING last_number"
)


def feedback_code_next(*, unit_code: str, at: dt.datetime) -> str:
    """The next PAKN code of the unit ``unit_code`` on the local day of ``at``.

    Call inside the submitting transaction: a rollback gives the number back.
    """
    day = timezone.localtime(at, TZ).date()
    scope = unit_code.strip()[:40]
    with connection.cursor() as cursor:
        cursor.execute(_UPSERT, [scope, day.isoformat()])
        (number,) = cursor.fetchone()
    return f"{PREFIX}-{scope}-{day:%y%m%d}-{number:04d}"
