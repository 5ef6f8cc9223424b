"""The evaluation's timetable: open the month on the configured day, remind every morning."""

from __future__ import annotations

from django_tasks import task

from motcua.core.scheduling import periodic
from motcua.evaluation.services import cycles_open_due, evaluation_remind


@periodic(cron="30 7 * * *", name="evaluation.open_and_remind")
@task()
def open_and_remind() -> int:
    """Open the month where due (EVALUATION_OPEN_DAY), then remind whoever a sheet waits for."""
    cycles_open_due()
    return evaluation_remind()
