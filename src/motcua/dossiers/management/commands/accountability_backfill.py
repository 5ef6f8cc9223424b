"""``python -m motcua accountability_backfill``: fill the deadline alarms of work in progress."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from motcua.dossiers.services_accountability import accountability_backfill


class Command(BaseCommand):
    help = (
        "Fill the due-soon and late columns of open steps and running dossiers received "
        "before migration 0004 (issue 5); the next sweep records what is already past."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        filled = accountability_backfill()
        self.stdout.write(f"{filled} rows filled")
