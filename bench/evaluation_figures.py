"""A month's evaluation figures for 300 officers over the 1,000,000 dossiers of the bench database.

Needs the database of ``bench/dossiers_load.py`` (``DATABASE_URL``, default
postgresql://postgres@127.0.0.1:5432/motcua_bench_dossiers) and only reads it:
the session is switched to read-only before the first query. Takes the
officers of the first communes (by unit path) until there are ``--officers``
(default 300), and the last complete month before the load's "now"; then runs
``dossiers.selectors_figures.officer_dossier_figures`` (steps finished early /
on time / late, open overdue steps, explanations, apology slips caused,
supplement requests, refusals) and ``feedback.selectors.satisfaction_by_officer``
— the set-based queries ``evaluation.services.cycle_open`` runs to pre-fill the
sheets — ``--repeat`` times (default 3) and prints each run, the best and the
median. Goal (issue 7): under 10 s.

A bench database loaded before the accountability migration (``dossiers``
0004) has no explanation or apology tables: empty session-local TEMP tables
of the same name stand in for them (PostgreSQL looks in ``pg_temp`` first),
so the other figures are measured unchanged and nothing is written.

Usage: ``python bench/evaluation_figures.py [--officers 300] [--repeat 3] [--month 2026-10]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from catalog_search import setup_django

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/motcua_bench_dossiers"
GOAL_SECONDS = 10.0

# Only the columns the figure queries touch.
STAND_INS = {
    "dossiers_stepexplanation": (
        "CREATE TEMP TABLE dossiers_stepexplanation (id bigint PRIMARY KEY, step_id bigint, "
        "officer_id bigint, recorded_at timestamptz)"
    ),
    "dossiers_apologyslip": (
        "CREATE TEMP TABLE dossiers_apologyslip (id bigint PRIMARY KEY, dossier_id bigint, "
        "step_id bigint, issued_at timestamptz)"
    ),
}


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--officers", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--month", help="YYYY-MM (default: the last complete month)")
    return parser.parse_args()


def _prepare_session() -> list[str]:
    """Stand-ins for missing tables, then read-only for the rest of the session."""
    from django.db import connection

    missing = []
    with connection.cursor() as cursor:
        for table, ddl in STAND_INS.items():
            cursor.execute("SELECT to_regclass(%s)", [table])
            if cursor.fetchone()[0] is None:
                cursor.execute(ddl)
                missing.append(table)
        cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    return missing


def _month(argument: str | None) -> tuple[int, int]:
    from django.db import connection

    if argument:
        year, month = (int(part) for part in argument.split("-"))
        return year, month
    with connection.cursor() as cursor:
        cursor.execute("SELECT now FROM bench_dossiers_load ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
    now: dt.datetime = row[0] if row else dt.datetime.now(dt.UTC)
    first = now.date().replace(day=1) - dt.timedelta(days=1)
    return first.year, first.month


def main() -> None:
    args = _arguments()
    setup_django(os.environ.get("DATABASE_URL") or DEFAULT_URL)

    from motcua.accounts.models import Officer
    from motcua.dossiers.selectors_figures import officer_dossier_figures
    from motcua.evaluation.selectors import month_bounds
    from motcua.feedback.selectors import satisfaction_by_officer

    stand_ins = _prepare_session()
    year, month = _month(args.month)
    start, end = month_bounds(year, month)
    officers = list(
        Officer.objects.order_by("unit__path", "pk").values_list("pk", flat=True)[: args.officers]
    )
    units = Officer.objects.filter(pk__in=officers).values("unit_id").distinct().count()
    print(
        f"evaluation figures: {len(officers)} officers in {units} units, month {month:02d}/{year}"
    )
    if stand_ins:
        print(f"  (empty stand-ins for tables this database lacks: {', '.join(stand_ins)})")
    timings = []
    figures = {}
    for run in range(1, args.repeat + 1):
        began = time.perf_counter()
        figures = officer_dossier_figures(officers=officers, start=start, end=end)
        wanted = set(officers)
        satisfaction = [
            row for row in satisfaction_by_officer(start=start, end=end) if row.id in wanted
        ]
        elapsed = time.perf_counter() - began
        timings.append(elapsed)
        print(f"  run {run}: {elapsed:.2f} s")
    totals = {
        name: sum(getattr(row, name) for row in figures.values())
        for name in (
            "steps_finished",
            "steps_early",
            "steps_on_time",
            "steps_late",
            "open_overdue",
            "explanations",
            "apologies_caused",
            "supplement_requests",
            "refusals",
        )
    }
    print("  totals: " + ", ".join(f"{name}={value}" for name, value in totals.items()))
    print(f"  satisfaction answers about these officers: {sum(row.total for row in satisfaction)}")
    best, median = min(timings), statistics.median(timings)
    verdict = "OK" if median < GOAL_SECONDS else "OVER GOAL"
    print(f"best {best:.2f} s, median {median:.2f} s (goal < {GOAL_SECONDS:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
