"""The periodic scheduler: registry, slots, one enqueue per slot, and the ``scheduler`` command."""

from __future__ import annotations

import io
import os
import select
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import connections
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.core import scheduling
from motcua.core import tasks as core_tasks
from motcua.core.models import ScheduledRun
from motcua.core.scheduling import PeriodicJob, periodic
from motcua.core.tests import sample_tasks
from motcua.core.tests.workers import run_db_worker

VN = scheduling.SCHEDULER_TIMEZONE


def vn(*args: int) -> datetime:
    """An aware datetime in Vietnam time."""
    return datetime(*args, tzinfo=VN)  # type: ignore[misc]


@pytest.fixture
def registry(monkeypatch: pytest.MonkeyPatch) -> dict[str, PeriodicJob]:
    """An empty registry for one test; the real one comes back afterwards."""
    # Import every tasks module first, so that none registers into the test's registry.
    scheduling.autodiscover()
    empty: dict[str, PeriodicJob] = {}
    monkeypatch.setattr(scheduling, "_registry", empty)
    return empty


@pytest.fixture(autouse=True)
def calls() -> Iterator[list[str]]:
    sample_tasks.CALLS.clear()
    yield sample_tasks.CALLS
    sample_tasks.CALLS.clear()


# --- registry ---------------------------------------------------------------------


def test_periodic_registers_the_task_under_its_import_path(
    registry: dict[str, PeriodicJob],
) -> None:
    """Without a name, the job is known by the task's import path."""
    returned = periodic(cron="*/5 * * * *")(sample_tasks.tick)

    assert returned is sample_tasks.tick
    assert [job.name for job in scheduling.registered_jobs()] == [
        "motcua.core.tests.sample_tasks.tick"
    ]
    assert scheduling.get_job("motcua.core.tests.sample_tasks.tick").cron == "*/5 * * * *"


def test_periodic_uses_the_given_name(registry: dict[str, PeriodicJob]) -> None:
    """An explicit name is the job's key."""
    periodic(cron="0 7 * * mon-fri", name="core.tick")(sample_tasks.tick)

    assert list(registry) == ["core.tick"]


def test_registering_the_same_task_twice_is_harmless(registry: dict[str, PeriodicJob]) -> None:
    """Re-importing a module re-registers the same task: no error, one job."""
    periodic(cron="*/5 * * * *", name="core.tick")(sample_tasks.tick)
    periodic(cron="*/5 * * * *", name="core.tick")(sample_tasks.tick)

    assert len(registry) == 1


def test_one_name_for_two_tasks_is_refused(registry: dict[str, PeriodicJob]) -> None:
    """Two different tasks cannot share a job name: their ledgers would mix."""
    periodic(cron="*/5 * * * *", name="core.job")(sample_tasks.tick)

    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        periodic(cron="*/5 * * * *", name="core.job")(core_tasks.prune_task_history)


def test_periodic_must_be_placed_above_task(registry: dict[str, PeriodicJob]) -> None:
    """On a plain function (decorators in the wrong order) it refuses at import time."""

    def plain() -> None:
        pass

    with pytest.raises(TypeError, match="above @task"):
        periodic(cron="*/5 * * * *")(plain)  # type: ignore[type-var]


def test_periodic_refuses_a_task_that_needs_arguments(registry: dict[str, PeriodicJob]) -> None:
    """Periodic tasks are enqueued without arguments."""
    with pytest.raises(TypeError, match="requires marker"):
        periodic(cron="*/5 * * * *")(sample_tasks.record)


@pytest.mark.parametrize(
    ("cron", "message"),
    [
        ("0 8 * * 1", "weekdays as names"),
        ("0 8 * * 1-5", "weekdays as names"),
        ("*/5 * * *", "expected 5 fields"),
        ("61 * * * *", "higher than the maximum"),
    ],
)
def test_periodic_refuses_ambiguous_or_invalid_cron(cron: str, message: str) -> None:
    """Numeric weekdays (Monday = 0 in APScheduler 3, Sunday = 0 in cron) and bad fields fail."""
    with pytest.raises(ValueError, match=message):
        periodic(cron=cron)


def test_autodiscover_registers_the_daily_history_prune() -> None:
    """The core app's own job is found in ``motcua.core.tasks``."""
    scheduling.autodiscover()

    job = scheduling.get_job("core.prune_task_history")
    assert job.task is core_tasks.prune_task_history
    assert job.next_run_time(now=vn(2026, 11, 23, 12, 0)) == vn(2026, 11, 24, 3, 17)


# --- slots ------------------------------------------------------------------------

EVERY_FIVE = PeriodicJob(name="t", cron="*/5 * * * *", task=sample_tasks.tick)


@pytest.mark.parametrize(
    ("now", "window", "expected"),
    [
        (vn(2026, 11, 23, 10, 5, 0), timedelta(minutes=5), vn(2026, 11, 23, 10, 5)),
        (vn(2026, 11, 23, 10, 7, 30), timedelta(minutes=5), vn(2026, 11, 23, 10, 5)),
        (vn(2026, 11, 23, 10, 14, 59), timedelta(minutes=10), vn(2026, 11, 23, 10, 10)),
        (vn(2026, 11, 23, 10, 7, 30), timedelta(minutes=1), None),
        (vn(2026, 11, 23, 10, 5, 40), timedelta(seconds=40), vn(2026, 11, 23, 10, 5)),
    ],
)
def test_due_slot_is_the_latest_cron_time_in_the_window(
    now: datetime, window: timedelta, expected: datetime | None
) -> None:
    """A late firing still names the slot it was meant for; nothing due gives None."""
    assert scheduling.due_slot(EVERY_FIVE, now=now, window=window) == expected


def test_due_slot_reads_cron_in_vietnam_time() -> None:
    """03:17 in the expression is 03:17 in Hà Nội (20:17 UTC the day before)."""
    job = PeriodicJob(name="t", cron="17 3 * * *", task=sample_tasks.tick)
    now_utc = datetime(2026, 11, 22, 20, 17, 5, tzinfo=UTC)

    assert scheduling.due_slot(job, now=now_utc, window=timedelta(minutes=1)) == vn(
        2026, 11, 23, 3, 17
    )


# --- firing: one enqueue per slot -----------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_firing_a_slot_twice_enqueues_once(calls: list[str]) -> None:
    """The second firing of a slot finds it claimed and enqueues nothing."""
    job = PeriodicJob(name="core.tick", cron="*/5 * * * *", task=sample_tasks.tick)
    slot = vn(2026, 11, 23, 10, 5)

    first = scheduling.fire(job, slot=slot)
    second = scheduling.fire(job, slot=slot)

    assert first is not None
    assert second is None
    run = ScheduledRun.objects.get()
    assert (run.job, run.slot) == ("core.tick", slot)
    assert run.task_result_id == str(DBTaskResult.objects.get().id)
    run_db_worker()
    assert calls == ["tick"]


@pytest.mark.django_db(transaction=True)
def test_next_slot_is_enqueued_again() -> None:
    """Each slot gets its own run."""
    job = PeriodicJob(name="core.tick", cron="*/5 * * * *", task=sample_tasks.tick)

    scheduling.fire(job, slot=vn(2026, 11, 23, 10, 5))
    scheduling.fire(job, slot=vn(2026, 11, 23, 10, 10))

    assert ScheduledRun.objects.count() == 2
    assert DBTaskResult.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_firings_of_one_slot_enqueue_once(
    monkeypatch: pytest.MonkeyPatch, calls: list[str]
) -> None:
    """Two schedulers firing the same slot at once: the second waits, then stands down."""
    job = PeriodicJob(name="core.tick", cron="*/5 * * * *", task=sample_tasks.tick)
    slot = vn(2026, 11, 23, 10, 5)
    first_claimed = threading.Event()
    real_enqueue = core_tasks.enqueue_after_commit

    def slow_enqueue(task_obj: Any, *args: Any, **kwargs: Any) -> Any:
        # Holds the first transaction open while the second scheduler tries.
        result = real_enqueue(task_obj, *args, **kwargs)
        first_claimed.set()
        time.sleep(0.5)
        return result

    monkeypatch.setattr(core_tasks, "enqueue_after_commit", slow_enqueue)
    outcomes: dict[str, Any] = {}

    def scheduler_replica(name: str, wait_for: threading.Event | None) -> None:
        try:
            if wait_for is not None:
                assert wait_for.wait(10)
            started = time.monotonic()
            outcomes[name] = scheduling.fire(job, slot=slot)
            outcomes[name + "_seconds"] = time.monotonic() - started
        except BaseException as exc:
            outcomes[name] = exc
        finally:
            connections.close_all()

    replicas = [
        threading.Thread(target=scheduler_replica, args=("a", None)),
        threading.Thread(target=scheduler_replica, args=("b", first_claimed)),
    ]
    for thread in replicas:
        thread.start()
    for thread in replicas:
        thread.join(timeout=30)

    assert isinstance(outcomes["a"], ScheduledRun)
    assert outcomes["b"] is None
    # "b" really overlapped "a": it blocked on the unique slot until "a" committed.
    assert outcomes["b_seconds"] > 0.2
    assert ScheduledRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    run_db_worker()
    assert calls == ["tick"]


# --- the command -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_scheduler_once_fires_due_jobs_once(
    registry: dict[str, PeriodicJob], calls: list[str]
) -> None:
    """``scheduler --once`` enqueues what is due this minute; a second run enqueues nothing."""
    periodic(cron="*/5 * * * *", name="core.tick")(sample_tasks.tick)
    periodic(cron="17 3 * * *", name="core.prune")(core_tasks.prune_task_history)
    out = io.StringIO()

    with time_machine.travel(vn(2026, 11, 23, 10, 5, 42), tick=False):
        call_command("scheduler", "--once", stdout=out)
        call_command("scheduler", "--once", stdout=out)

    assert out.getvalue().splitlines() == [
        "core.tick @ 2026-11-23 10:05 +0700: enqueued",
        "core.tick @ 2026-11-23 10:05 +0700: already enqueued elsewhere",
    ]
    assert list(ScheduledRun.objects.values_list("job", "slot")) == [
        ("core.tick", vn(2026, 11, 23, 10, 5))
    ]
    run_db_worker()
    assert calls == ["tick"]


@pytest.mark.django_db
def test_scheduler_once_with_nothing_due(registry: dict[str, PeriodicJob]) -> None:
    """Outside every job's minute, ``--once`` says so and writes nothing."""
    periodic(cron="*/5 * * * *", name="core.tick")(sample_tasks.tick)
    out = io.StringIO()

    with time_machine.travel(vn(2026, 11, 23, 10, 6, 0), tick=False):
        call_command("scheduler", "--once", stdout=out)

    assert out.getvalue() == "No periodic job due this minute.\n"
    assert not ScheduledRun.objects.exists()


def test_scheduler_list_shows_jobs_and_next_runs(registry: dict[str, PeriodicJob]) -> None:
    """``--list`` prints name, expression, task and the next run in Vietnam time."""
    periodic(cron="*/5 * * * *", name="core.tick")(sample_tasks.tick)
    out = io.StringIO()

    with time_machine.travel(vn(2026, 11, 23, 10, 6, 0), tick=False):
        call_command("scheduler", "--list", stdout=out)

    assert out.getvalue() == (
        "core.tick  [*/5 * * * *]  motcua.core.tests.sample_tasks.tick"
        "  next: 2026-11-23 10:10 +0700\n"
    )


@pytest.mark.slow
def test_scheduler_process_starts_and_stops_on_sigterm(tmp_path: Path) -> None:
    """The long-running scheduler starts, then exits cleanly on SIGTERM (as honcho sends)."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.conf.base",
        "MOTCUA_ENV_FILE": os.devnull,
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "MOTCUA_VAR_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "motcua", "scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert process.stdout is not None
        # Raw reads: a buffered readline could hide a line that select() then never reports.
        seen = b""
        deadline = time.monotonic() + 30
        while b"Scheduler started with" not in seen:
            assert time.monotonic() < deadline, seen
            ready, _, _ = select.select([process.stdout], [], [], 1)
            if ready:
                chunk = os.read(process.stdout.fileno(), 4096)
                assert chunk, seen  # the process ended before starting
                seen += chunk
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0
    assert b"Scheduler stopped." in seen + output


# --- the housekeeping job -----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_prune_task_history_deletes_only_old_finished_results_and_runs() -> None:
    """Finished results and ledger rows past 30 days go; recent and unfinished ones stay."""
    now = timezone.now()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    ids = {}
    for label in ("old_done", "old_failed", "recent_done", "old_ready"):
        ids[label] = sample_tasks.tick.enqueue().id
    done = TaskResultStatus.SUCCESSFUL
    DBTaskResult.objects.filter(id=ids["old_done"]).update(status=done, finished_at=old)
    DBTaskResult.objects.filter(id=ids["old_failed"]).update(
        status=TaskResultStatus.FAILED, finished_at=old
    )
    DBTaskResult.objects.filter(id=ids["recent_done"]).update(status=done, finished_at=recent)
    DBTaskResult.objects.filter(id=ids["old_ready"]).update(enqueued_at=old)
    ScheduledRun.objects.create(job="core.tick", slot=old)
    ScheduledRun.objects.create(job="core.tick", slot=recent)

    outcome = core_tasks.prune_task_history.call()

    assert outcome == {"task_results": 2, "scheduled_runs": 1}
    assert {str(pk) for pk in DBTaskResult.objects.values_list("id", flat=True)} == {
        ids["recent_done"],
        ids["old_ready"],
    }
    assert list(ScheduledRun.objects.values_list("slot", flat=True)) == [recent]
