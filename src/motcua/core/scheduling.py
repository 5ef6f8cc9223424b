"""Periodic jobs: the ``@periodic`` registry and how one firing is turned into a queued task.

An app makes a task periodic in its own ``tasks.py``::

    from django_tasks import task

    from motcua.core.scheduling import periodic


    @periodic(cron="*/5 * * * *")
    @task()
    def dossiers_mark_overdue() -> None: ...

``python -m motcua scheduler`` imports every installed app's ``tasks``
module, then runs APScheduler and, at each cron time, calls :func:`fire`.
:func:`fire` claims the slot with a ``ScheduledRun`` row (unique per job and
slot) and enqueues the task in the same transaction, so any number of
scheduler replicas enqueue each slot exactly once. The scheduler itself never
runs task code: the workers do.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, close_old_connections, connections, transaction
from django.utils import timezone
from django.utils.module_loading import autodiscover_modules
from django_tasks.base import Task

from motcua.core.models import ScheduledRun

logger = logging.getLogger(__name__)

# Cron expressions are read in local (Vietnam) time, whatever TIME_ZONE says.
SCHEDULER_TIMEZONE = ZoneInfo("Asia/Ho_Chi_Minh")
# A firing later than this (scheduler paused, machine asleep) is skipped;
# the next slot comes soon enough for housekeeping jobs.
MISFIRE_GRACE = timedelta(minutes=5)

TaskT = TypeVar("TaskT", bound=Task[Any, Any])


@dataclass(frozen=True)
class PeriodicJob:
    """A task enqueued at the times a five-field crontab expression gives."""

    name: str
    cron: str
    task: Task[Any, Any]

    def trigger(self) -> CronTrigger:
        """The APScheduler trigger for :attr:`cron`, in Vietnam time."""
        return CronTrigger.from_crontab(self.cron, timezone=SCHEDULER_TIMEZONE)

    def next_run_time(self, *, now: datetime | None = None) -> datetime | None:
        """The first slot at or after ``now`` (default: the current instant)."""
        moment = (now or timezone.now()).astimezone(SCHEDULER_TIMEZONE)
        next_time: datetime | None = self.trigger().get_next_fire_time(None, moment)
        return next_time


_registry: dict[str, PeriodicJob] = {}


def _validate_cron(cron: str) -> None:
    """Refuse expressions that APScheduler would read differently from cron(8).

    APScheduler 3 numbers weekdays from Monday = 0 while cron uses Sunday = 0,
    so "1" would silently mean Tuesday. Weekday names (``mon-fri``) mean the
    same to both, hence they are required.
    """
    fields = cron.split()
    if len(fields) != 5:
        raise ValueError(f"cron {cron!r}: expected 5 fields (minute hour day month weekday)")
    if any(ch.isdigit() for ch in fields[4]):
        raise ValueError(
            f"cron {cron!r}: write weekdays as names (mon-fri, sat, sun), not numbers; "
            "APScheduler 3 counts them from Monday = 0, cron from Sunday = 0"
        )
    CronTrigger.from_crontab(cron, timezone=SCHEDULER_TIMEZONE)  # raises ValueError


def periodic(*, cron: str, name: str | None = None) -> Callable[[TaskT], TaskT]:
    """Register the task below it to be enqueued at every ``cron`` time (Vietnam time).

    Place it above ``@task()``. ``name`` (default: the task's import path) is
    the key of the job's ``ScheduledRun`` rows; keep it stable. The task is
    enqueued without arguments, so every parameter needs a default.
    """
    _validate_cron(cron)

    def decorator(task_obj: TaskT) -> TaskT:
        if not isinstance(task_obj, Task):
            raise TypeError("@periodic must be placed above @task(), on a django_tasks Task")
        required = [
            param.name
            for param in inspect.signature(task_obj.func).parameters.values()
            if param.default is inspect.Parameter.empty
            and param.kind not in (param.VAR_POSITIONAL, param.VAR_KEYWORD)
        ]
        if required:
            raise TypeError(
                f"periodic task {task_obj.module_path} is enqueued without arguments, "
                f"but requires {', '.join(required)}"
            )
        job_name = name or task_obj.module_path
        if len(job_name) > ScheduledRun._meta.get_field("job").max_length:  # type: ignore[operator]
            raise ValueError(f"periodic job name too long: {job_name!r}")
        existing = _registry.get(job_name)
        # The same module imported twice registers the same task again: fine.
        if existing is not None and existing.task.module_path != task_obj.module_path:
            raise ImproperlyConfigured(
                f"periodic job {job_name!r} is registered twice: "
                f"{existing.task.module_path} and {task_obj.module_path}"
            )
        _registry[job_name] = PeriodicJob(name=job_name, cron=cron, task=task_obj)
        return task_obj

    return decorator


def autodiscover() -> None:
    """Import the ``tasks`` module of every installed app, registering its periodic jobs."""
    autodiscover_modules("tasks")


def registered_jobs() -> list[PeriodicJob]:
    """Every registered job, by name."""
    return [_registry[job_name] for job_name in sorted(_registry)]


def get_job(job_name: str) -> PeriodicJob:
    """The registered job called ``job_name``; ``KeyError`` if there is none."""
    return _registry[job_name]


def due_slot(job: PeriodicJob, *, now: datetime, window: timedelta) -> datetime | None:
    """The latest slot of ``job`` in ``[now - window, now]``, or ``None``.

    The slot is derived from the cron expression, not from the clock at the
    moment of firing, so replicas (and a late firing within ``window``) agree
    on it to the second.
    """
    trigger = job.trigger()
    moment = now.astimezone(SCHEDULER_TIMEZONE)
    fire_time: datetime | None = trigger.get_next_fire_time(None, moment - window)
    latest = None
    while fire_time is not None and fire_time <= moment:
        latest = fire_time
        fire_time = trigger.get_next_fire_time(fire_time, fire_time + timedelta(seconds=1))
    return latest


def fire(job: PeriodicJob, *, slot: datetime) -> ScheduledRun | None:
    """Claim ``slot`` for ``job`` and enqueue its task; ``None`` if the slot was already claimed.

    The ``ScheduledRun`` insert and the enqueue share one transaction. A
    second scheduler firing the same slot blocks on the unique constraint
    until the first commits, then gets an ``IntegrityError`` and stands down.
    ``task_result_id`` is recorded when the queue is in the database; with
    Redis the job is only enqueued at commit, so it stays empty.
    """
    # Imported here: motcua.core.tasks registers its own jobs with this module.
    from motcua.core.tasks import enqueue_after_commit

    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(job=job.name, slot=slot)
        except IntegrityError:
            logger.info("Periodic job %s @ %s already enqueued elsewhere", job.name, slot)
            return None
        result = enqueue_after_commit(job.task)
        if result is not None:
            run.task_result_id = str(result.id)
            run.save(update_fields=["task_result_id"])
    logger.info("Periodic job %s @ %s enqueued", job.name, slot)
    return run


def fire_due(
    *, now: datetime | None = None, window: timedelta
) -> list[tuple[PeriodicJob, datetime, ScheduledRun | None]]:
    """Fire every registered job with a slot in ``[now - window, now]``."""
    moment = now or timezone.now()
    fired = []
    for job in registered_jobs():
        slot = due_slot(job, now=moment, window=window)
        if slot is not None:
            fired.append((job, slot, fire(job, slot=slot)))
    return fired


def run_job(job_name: str) -> None:
    """APScheduler's callable for one firing of ``job_name`` (runs in its thread pool)."""
    close_old_connections()
    try:
        job = get_job(job_name)
        slot = due_slot(job, now=timezone.now(), window=MISFIRE_GRACE)
        if slot is None:
            logger.warning("Periodic job %s woke up with no slot due; skipped", job_name)
            return
        fire(job, slot=slot)
    finally:
        # Pool threads are long-lived: do not keep idle connections open.
        connections.close_all()


def build_scheduler(jobs: list[PeriodicJob]) -> BlockingScheduler:
    """A blocking APScheduler with one cron job per periodic job."""
    scheduler = BlockingScheduler(
        timezone=SCHEDULER_TIMEZONE,
        job_defaults={
            # After a pause, fire once for the latest missed slot, not once per slot.
            "coalesce": True,
            "misfire_grace_time": int(MISFIRE_GRACE.total_seconds()),
            "max_instances": 1,
        },
    )
    for job in jobs:
        scheduler.add_job(
            run_job, trigger=job.trigger(), args=[job.name], id=job.name, name=job.name
        )
    return scheduler
