"""Background work of the notifications app (thin wrappers around delivery)."""

from __future__ import annotations

from django_tasks import task

from motcua.core.scheduling import periodic
from motcua.notifications.delivery import notifications_deliver_due

# The sweep runs every minute; stop claiming new batches before the next one.
SWEEP_BUDGET_SECONDS = 45.0


@task()
def deliver_notifications(ids: list[int]) -> dict[str, int]:
    """Send the rows one notify() call wrote, right after its transaction commits."""
    return notifications_deliver_due(ids=ids).as_dict()


@periodic(cron="* * * * *", name="notifications.deliver_due")
@task()
def deliver_due_notifications() -> dict[str, int]:
    """Every minute: retries whose time has come and rows a dead worker left behind."""
    return notifications_deliver_due(time_budget=SWEEP_BUDGET_SECONDS).as_dict()
