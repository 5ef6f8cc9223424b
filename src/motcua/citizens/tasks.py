"""Background work of citizens' accounts (thin wrappers around services)."""

from __future__ import annotations

from django_tasks import task

from motcua.citizens.services import verification_codes_purge
from motcua.core.scheduling import periodic


@periodic(cron="40 2 * * *", name="citizens.purge_codes")
@task()
def purge_verification_codes() -> int:
    """Every night: verification codes expired more than a day ago."""
    return verification_codes_purge()
