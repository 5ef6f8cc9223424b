"""Tasks used by the core tests; tasks must live at module level to be enqueued."""

from __future__ import annotations

from pathlib import Path

from django_tasks import task

# Every call of :func:`record` in this process, in order.
CALLS: list[str] = []


@task()
def record(marker: str, path: str = "") -> str:
    """Note that the task ran: in :data:`CALLS`, and as a line in ``path`` when given."""
    CALLS.append(marker)
    if path:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(marker + "\n")
    return marker


@task()
def tick() -> str:
    """A periodic-job stand-in that needs no arguments."""
    CALLS.append("tick")
    return "tick"
