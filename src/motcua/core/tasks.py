"""Background-task helpers shared by every app, and the platform's own housekeeping jobs.

Apps define tasks with ``django_tasks.task`` in their own ``tasks.py`` and
enqueue them from services with :func:`enqueue_after_commit`. A task that must
run on a timetable also carries ``@periodic(cron=...)`` from
:mod:`motcua.core.scheduling`. See ``docs/adr/0002-background-jobs.md``.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from functools import partial
from typing import Any, TypeVar

from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, router, transaction
from django.utils import timezone
from django_tasks import TaskResult, task
from django_tasks.base import Task
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from typing_extensions import ParamSpec

from motcua.core.models import ScheduledRun
from motcua.core.scheduling import periodic

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

# How long finished task results and scheduler ledger rows are kept.
HISTORY_RETENTION_DAYS = 30


def enqueues_in_transaction(task_obj: Task[Any, Any]) -> bool:
    """True when ``task_obj`` is queued as a row in the default database.

    Only then can the queue entry share the caller's transaction.
    """
    backend = task_obj.get_backend()
    return (
        isinstance(backend, DatabaseBackend)
        and router.db_for_write(DBTaskResult) == DEFAULT_DB_ALIAS
    )


def enqueue_after_commit(
    task_obj: Task[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> TaskResult[T] | None:
    """Enqueue ``task_obj`` so that it runs if, and only if, the current transaction commits.

    With the database backend on the default database the task row is written
    *inside* the current transaction: it becomes visible to workers at the
    same instant as the data it refers to, and disappears with it on
    rollback. Nothing can be lost between "data committed" and "task queued",
    even if the process dies right after the commit. The result is returned.

    Any other backend (Redis/RQ, immediate) lives outside the database, so
    the enqueue is deferred with ``transaction.on_commit``: a rollback
    discards it, but a crash between the commit and the callback loses the
    task (accepted for those backends; a periodic sweep should catch up).
    ``None`` is returned because no result exists yet. A failure to reach the
    queue after the commit is logged rather than raised (``robust=True``):
    the caller's write has already succeeded and must not be reported as
    failed.

    Outside any transaction (autocommit) both paths enqueue at once.
    """
    if enqueues_in_transaction(task_obj):
        return task_obj.enqueue(*args, **kwargs)
    transaction.on_commit(partial(task_obj.enqueue, *args, **kwargs), robust=True)
    return None


@periodic(cron="17 3 * * *", name="core.prune_task_history")
@task()
def prune_task_history(days: int = HISTORY_RETENTION_DAYS) -> dict[str, int]:
    """Delete finished task results and scheduler ledger rows older than ``days`` days.

    Unfinished (ready or running) task results are never touched. The result
    rows are pruned by django-tasks-db's own ``prune_db_task_results``, and
    only when the database backend is in use.
    """
    cutoff = timezone.now() - timedelta(days=days)
    pruned_results = 0
    task_backend = prune_task_history.get_backend()
    if isinstance(task_backend, DatabaseBackend):
        # Counted first because the command only logs its figure.
        pruned_results = (
            DBTaskResult.objects.finished()
            .filter(backend_name=task_backend.alias, finished_at__lte=cutoff)
            .count()
        )
        call_command(
            "prune_db_task_results",
            "--backend",
            task_backend.alias,
            "--queue-name",
            "*",
            "--min-age-days",
            str(days),
            verbosity=0,
        )
    pruned_runs, _ = ScheduledRun.objects.filter(slot__lt=cutoff).delete()
    logger.info(
        "Pruned %d task results and %d scheduled runs older than %d days",
        pruned_results,
        pruned_runs,
        days,
    )
    return {"task_results": pruned_results, "scheduled_runs": pruned_runs}
