"""``enqueue_after_commit``: a task runs once after commit, never after a rollback."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.db import transaction
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from motcua.core.models import ScheduledRun
from motcua.core.tasks import enqueue_after_commit, enqueues_in_transaction
from motcua.core.tests import sample_tasks
from motcua.core.tests.workers import (
    restored_process_state,
    run_db_worker,
    run_db_worker_in_thread,
)

# Real commits and rollbacks: the test transaction wrapper would hide them.
pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


class Boom(Exception):
    """Makes a transaction roll back."""


@pytest.fixture(autouse=True)
def calls() -> Iterator[list[str]]:
    sample_tasks.CALLS.clear()
    yield sample_tasks.CALLS
    sample_tasks.CALLS.clear()


# --- database backend: the task row shares the transaction ---------------------------


def test_database_task_enqueued_in_a_committed_transaction_runs_once(calls: list[str]) -> None:
    """Given a commit, the worker runs the task exactly once, however often it polls."""
    assert enqueues_in_transaction(sample_tasks.record)
    with transaction.atomic():
        ScheduledRun.objects.create(job="data written with the task", slot="2026-01-01T00:00Z")
        result = enqueue_after_commit(sample_tasks.record, "committed")
        assert result is not None

    run_db_worker()
    run_db_worker()

    assert calls == ["committed"]
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "committed"
    assert DBTaskResult.objects.count() == 1


def test_database_task_enqueued_in_a_rolled_back_transaction_never_runs(
    calls: list[str],
) -> None:
    """Given a rollback, the task row disappears with the data and nothing ever runs."""
    with pytest.raises(Boom), transaction.atomic():
        ScheduledRun.objects.create(job="data written with the task", slot="2026-01-01T00:00Z")
        enqueue_after_commit(sample_tasks.record, "rolled back")
        raise Boom

    run_db_worker()

    assert calls == []
    assert not DBTaskResult.objects.exists()
    assert not ScheduledRun.objects.exists()


def test_database_task_rolled_back_with_a_savepoint_never_runs(calls: list[str]) -> None:
    """A task enqueued in an inner block that rolls back is dropped; the outer one runs."""
    with transaction.atomic():
        enqueue_after_commit(sample_tasks.record, "outer")
        with pytest.raises(Boom), transaction.atomic():
            enqueue_after_commit(sample_tasks.record, "inner")
            raise Boom

    run_db_worker()

    assert calls == ["outer"]


@pytest.mark.postgres
def test_database_task_is_invisible_to_other_workers_until_commit(calls: list[str]) -> None:
    """A worker on another connection cannot pick the task up while the transaction is open."""
    with transaction.atomic():
        enqueue_after_commit(sample_tasks.record, "after commit only")
        run_db_worker_in_thread()
        assert calls == []

    run_db_worker_in_thread()

    assert calls == ["after commit only"]


# --- other backends: enqueued by transaction.on_commit ------------------------------


@pytest.fixture
def immediate_backend(settings: pytest.FixtureRequest) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.mark.usefixtures("immediate_backend")
def test_on_commit_path_runs_the_task_only_after_commit(calls: list[str]) -> None:
    """With a backend outside the database, nothing is enqueued before the commit."""
    assert not enqueues_in_transaction(sample_tasks.record)
    with transaction.atomic():
        assert enqueue_after_commit(sample_tasks.record, "committed") is None
        assert calls == []

    assert calls == ["committed"]


@pytest.mark.usefixtures("immediate_backend")
def test_on_commit_path_drops_the_task_on_rollback(calls: list[str]) -> None:
    """With a backend outside the database, a rollback discards the pending enqueue."""
    with pytest.raises(Boom), transaction.atomic():
        enqueue_after_commit(sample_tasks.record, "rolled back")
        raise Boom

    assert calls == []


@pytest.fixture
def redis_connection() -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis not reachable at {REDIS_URL}: the RQ on_commit path is not tested")
    yield connection
    connection.close()


@pytest.fixture
def rq_queue(settings: pytest.FixtureRequest, redis_connection: redis.Redis) -> Iterator[str]:
    """A private RQ queue (parallel test workers share one Redis) behind the RQ backend."""
    import django_rq

    queue_name = f"test-{uuid.uuid4().hex}"
    settings.RQ_QUEUES = {queue_name: {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue_name]}}
    yield queue_name
    queue = django_rq.get_queue(queue_name)
    queue.empty()
    queue.delete(delete_jobs=True)
    # The registries (finished, failed, ...) of the queue have no expiry.
    for key in redis_connection.scan_iter(match=f"rq:*:{queue_name}"):
        redis_connection.delete(key)


def run_rq_worker(queue_name: str) -> None:
    """Run an RQ worker in burst mode, in this process (no fork), with django-tasks' Job."""
    import django_rq
    from rq import SimpleWorker

    with restored_process_state():
        worker = django_rq.get_worker(
            queue_name, job_class="django_tasks_rq.Job", worker_class=SimpleWorker
        )
        worker.work(burst=True, logging_level="WARNING")


def test_rq_task_enqueued_in_a_committed_transaction_runs_once(
    rq_queue: str, calls: list[str]
) -> None:
    """With Redis, the job reaches the queue only at commit, and runs once."""
    import django_rq

    queue = django_rq.get_queue(rq_queue)
    task_obj = sample_tasks.record.using(queue_name=rq_queue)
    with transaction.atomic():
        enqueue_after_commit(task_obj, "committed")
        assert queue.count == 0
    assert queue.count == 1

    run_rq_worker(rq_queue)
    run_rq_worker(rq_queue)

    assert calls == ["committed"]
    assert queue.count == 0


def test_rq_task_enqueued_in_a_rolled_back_transaction_never_runs(
    rq_queue: str, calls: list[str]
) -> None:
    """With Redis, a rollback means the job never reaches the queue."""
    import django_rq

    queue = django_rq.get_queue(rq_queue)
    task_obj = sample_tasks.record.using(queue_name=rq_queue)
    with pytest.raises(Boom), transaction.atomic():
        enqueue_after_commit(task_obj, "rolled back")
        raise Boom

    run_rq_worker(rq_queue)

    assert queue.count == 0
    assert calls == []


@pytest.mark.slow
def test_rqworker_command_runs_tasks_with_the_redis_settings(
    settings: pytest.FixtureRequest, redis_connection: redis.Redis, tmp_path: Path
) -> None:
    """``TASKS_BACKEND=redis`` + ``python -m motcua rqworker --burst`` runs a committed task."""
    import django_rq

    # The subprocess reads base settings: queue "default" on the test Redis database.
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    queue = django_rq.get_queue("default")
    queue.empty()
    out = tmp_path / "ran.txt"
    with transaction.atomic():
        enqueue_after_commit(sample_tasks.record, "via rqworker", path=str(out))

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "motcua.conf.base",
        "MOTCUA_ENV_FILE": os.devnull,
        "TASKS_BACKEND": "redis",
        "REDIS_URL": REDIS_URL,
        "SQLITE_PATH": str(tmp_path / "db.sqlite3"),
        "MOTCUA_VAR_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    completed = subprocess.run(
        [sys.executable, "-m", "motcua", "rqworker", "--burst", "default"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert completed.returncode == 0, completed.stderr
    assert out.read_text(encoding="utf-8") == "via rqworker\n"
    assert queue.count == 0
