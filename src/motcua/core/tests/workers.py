"""Run the real task workers in-process for tests, leaving the process as it was."""

from __future__ import annotations

import io
import logging
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management import call_command
from django.db import connections
from django_tasks_db.management.commands.db_worker import Worker

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)
_LOGGERS = ("django_tasks", "django_tasks_db", "rq.worker")


@contextmanager
def restored_process_state() -> Iterator[None]:
    """Undo what workers do to a process: their signal handlers and log levels."""
    saved_signals = {sig: signal.getsignal(sig) for sig in _SIGNALS}
    saved_loggers = [
        (logger, logger.level, list(logger.handlers))
        for logger in map(logging.getLogger, _LOGGERS)
    ]
    try:
        yield
    finally:
        for sig, handler in saved_signals.items():
            signal.signal(sig, handler)
        for logger, level, handlers in saved_loggers:
            logger.setLevel(level)
            logger.handlers[:] = handlers


def run_db_worker() -> None:
    """Run ``db_worker --batch``: every ready task, then exit."""
    with restored_process_state():
        call_command(
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--interval",
            "0",
            stdout=io.StringIO(),
            verbosity=0,
        )


def run_db_worker_in_thread(worker_id: str = "other-connection") -> None:
    """Run a batch worker on its own thread, hence its own database connection."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            Worker(
                queue_names=["default"],
                interval=0,
                batch=True,
                backend_name="default",
                startup_delay=False,
                max_tasks=None,
                worker_id=worker_id,
                excluded_queue_names=[],
            ).run()
        except BaseException as exc:  # re-raised in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=target)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive(), "worker thread did not finish"
    if errors:
        raise errors[0]
