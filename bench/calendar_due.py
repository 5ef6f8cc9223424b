"""Due-date computations per second on one core (issue: ≥ 100,000/s).

Builds the national working calendar from the project's database (SQLite by
default, PostgreSQL with DATABASE_URL), then computes appointments for a
realistic mix of receipts and statutory periods. Prints one line per kind and
one for the mix. Usage: ``python bench/calendar_due.py [--n 300000]``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import sys
import time
from decimal import Decimal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=300_000, help="computations per kind")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from motcua.workcalendar.engine import TZ, Period, PeriodUnit
    from motcua.workcalendar.selectors import calendar_for_unit

    started = time.perf_counter()
    calendar = calendar_for_unit()
    build_ms = (time.perf_counter() - started) * 1000

    rng = random.Random(args.seed)
    first = dt.datetime(2024, 1, 1, tzinfo=TZ).timestamp()
    last = dt.datetime(2027, 12, 31, tzinfo=TZ).timestamp()
    received = [
        dt.datetime.fromtimestamp(rng.uniform(first, last), tz=TZ).replace(microsecond=0)
        for _ in range(args.n)
    ]
    kinds = {
        "working days (1–30)": [
            Period(Decimal(rng.randint(1, 30)), PeriodUnit.WORKING_DAYS) for _ in range(args.n)
        ],
        "working hours (1–40)": [
            Period(Decimal(rng.randint(1, 40)), PeriodUnit.WORKING_HOURS) for _ in range(args.n)
        ],
        "same day (15:00 rule)": [Period(Decimal(0), PeriodUnit.SAME_DAY)] * args.n,
        "half days (0.5–10)": [
            Period(Decimal(rng.randint(1, 20)) / 2, PeriodUnit.WORKING_DAYS) for _ in range(args.n)
        ],
    }
    online = [rng.random() < 0.3 for _ in range(args.n)]
    print(
        f"# calendar_due — {dt.date.today()} — {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, one core, index built in {build_ms:.0f} ms"
    )
    due = calendar.due
    results = {}
    for name, periods in kinds.items():
        t0 = time.perf_counter()
        for instant, period, is_online in zip(received, periods, online, strict=True):
            due(instant, period, online=is_online)
        elapsed = time.perf_counter() - t0
        results[name] = args.n / elapsed
        print(f"{name:<24} {results[name]:>12,.0f} computations/s")
    mix = [
        *kinds["working days (1–30)"][: args.n * 7 // 10],
        *kinds["working hours (1–40)"][: args.n * 15 // 100],
        *kinds["same day (15:00 rule)"][: args.n * 15 // 100],
    ]
    rng.shuffle(mix)
    t0 = time.perf_counter()
    for instant, period, is_online in zip(received, mix, online, strict=False):
        due(instant, period, online=is_online)
    rate = len(mix) / (time.perf_counter() - t0)
    print(f"{'mix 70/15/15':<24} {rate:>12,.0f} computations/s")
    ok = rate >= 100_000
    print(f"target ≥ 100,000/s: {'met' if ok else 'NOT MET'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
