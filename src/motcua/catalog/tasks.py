"""Background work of the catalog."""

from __future__ import annotations

from django_tasks import task

from motcua.catalog.services import catalog_refresh_listings
from motcua.core.scheduling import periodic


@periodic(cron="5 0 * * *", name="catalog.refresh_listings")
@task()
def refresh_listings() -> int:
    """Just after midnight: versions published with today's date come into force."""
    return catalog_refresh_listings()
