"""``python -m motcua scheduler``: enqueue the registered periodic jobs at their cron times."""

from __future__ import annotations

import signal
from argparse import ArgumentParser
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from motcua.core import scheduling


def _exit_on_sigterm(signum: int, frame: FrameType | None) -> None:
    # Unwinds the main loop so that the ``finally`` below shuts down cleanly.
    raise SystemExit(0)


class Command(BaseCommand):
    help = (
        "Run the periodic scheduler (Vietnam time). Each firing records a ScheduledRun "
        "and enqueues the task; workers run it. Safe to run on several machines at once."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--list",
            action="store_true",
            dest="list_jobs",
            help="Print the registered jobs and their next run times, then exit.",
        )
        mode.add_argument(
            "--once",
            action="store_true",
            help="Fire every job due in the current minute, then exit.",
        )

    def handle(self, *args: Any, list_jobs: bool, once: bool, **options: Any) -> None:
        scheduling.autodiscover()
        jobs = scheduling.registered_jobs()
        if list_jobs:
            self._list(jobs)
        elif once:
            self._once()
        else:
            self._run(jobs)

    def _list(self, jobs: list[scheduling.PeriodicJob]) -> None:
        now = timezone.now()
        for job in jobs:
            next_time = job.next_run_time(now=now)
            when = f"{next_time:%Y-%m-%d %H:%M %z}" if next_time else "never"
            self.stdout.write(f"{job.name}  [{job.cron}]  {job.task.module_path}  next: {when}")
        if not jobs:
            self.stdout.write("No periodic jobs registered.")

    def _once(self) -> None:
        now = timezone.now()
        minute_start = now.replace(second=0, microsecond=0)
        fired = scheduling.fire_due(now=now, window=now - minute_start)
        for job, slot, run in fired:
            outcome = "enqueued" if run is not None else "already enqueued elsewhere"
            self.stdout.write(f"{job.name} @ {slot:%Y-%m-%d %H:%M %z}: {outcome}")
        if not fired:
            self.stdout.write("No periodic job due this minute.")

    def _run(self, jobs: list[scheduling.PeriodicJob]) -> None:
        scheduler = scheduling.build_scheduler(jobs)
        try:
            # Inside the try: a SIGTERM at any point from here on still ends in the finally.
            signal.signal(signal.SIGTERM, _exit_on_sigterm)
            self.stdout.write(
                f"Scheduler started with {len(jobs)} periodic job(s), "
                f"timezone {scheduling.SCHEDULER_TIMEZONE.key}",
            )
            self.stdout.flush()
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=True)
            self.stdout.write("Scheduler stopped.")
