"""The public status lookup over HTTP: gunicorn, production settings, 1,000,000 dossiers.

Goal (issue 6): ≥ 800 lookups/s with p99 ≤ 20 ms at 4 concurrent clients, on
the two-core machine that also runs PostgreSQL and the clients.

Needs the database of ``bench/dossiers_load.py`` (``DATABASE_URL``, default
postgresql://postgres@127.0.0.1:5432/motcua_bench_dossiers), used read-only:
a lookup writes nothing. Reuses the server and client helpers of
``bench/dossiers_http.py``: gunicorn on 127.0.0.1 with
``bench/settings_bench.py`` (production settings, persistent connections,
``X-Query-Count`` on every response), ``--clients`` processes each with one
keep-alive connection in a closed loop for ``--seconds`` after a warm-up.
The lookup's rate limits are switched off for the run
(``MOTCUA_LOOKUP_RATE_PER_IP=`` and ``MOTCUA_LOOKUP_RATE_PER_CODE=``): with
them, four clients from one address would get 429 after 60 requests.

Scenarios (``--scenarios``):

* ``api``  — ``GET /api/public/dossiers/lookup/?code=&factor=`` (JSON);
* ``page`` — ``GET /tra-cuu/?ma=&k=`` (the HTML page the receipt's QR opens).

Requests use random existing codes with the right factor (the last four
digits of the phone, or the lookup secret, half and half); ``--wrong`` sends
that share with a wrong factor instead (404, the same work).

Usage: ``python bench/public_lookup.py [--servers sync:2,sync:4] [--clients 4]
[--seconds 15] [--scenarios api,page] [--wrong 0.1] [--port 8766] [--counted] [--profile]``.
``--profile`` profiles ``--repeat`` lookups in-process (cProfile, test client,
same settings) instead and prints the top functions.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import quote

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

import dossiers_http  # noqa: E402
from catalog_search import setup_django  # noqa: E402
from dossiers_http import (  # noqa: E402
    Job,
    Server,
    Session,
    collect_static,
    print_summary,
    run_scenario,
    server_environment,
    start_server,
    stop_server,
    summarise,
)
from dossiers_load import database_url, loaded_state  # noqa: E402

GOAL_RATE, GOAL_P99 = 800.0, 20.0
dossiers_http.GOALS.update({"api": (GOAL_RATE, GOAL_P99), "page": (GOAL_RATE, GOAL_P99)})


def lookup_environment(url: str, static_root: Path, counted: bool = False) -> dict[str, str]:
    """The HTTP bench's environment with the lookup's rate limits off.

    ``counted``: the limits stay on, counted as in production, but raised so
    that four clients from one address are never refused.
    """
    environment = server_environment(url, static_root)
    if counted:
        limits = {
            "MOTCUA_LOOKUP_RATE_PER_IP": "100000000/min",
            "MOTCUA_LOOKUP_RATE_PER_CODE": "100000/hour",
        }
    else:
        limits = {"MOTCUA_LOOKUP_RATE_PER_IP": "", "MOTCUA_LOOKUP_RATE_PER_CODE": ""}
    environment.update(limits)
    return environment


def sample(count: int, seed: int, wrong: float) -> list[tuple[str, str]]:
    """``count`` (code, factor) pairs of random received dossiers; ``wrong`` share miss."""
    from django.db import connection

    rng = random.Random(seed)
    with connection.cursor() as cursor:
        # TABLESAMPLE: a random spread over the whole table without sorting a million rows.
        cursor.execute(
            "SELECT code, applicant_phone, lookup_secret FROM dossiers_dossier "
            "TABLESAMPLE SYSTEM (1) WHERE code IS NOT NULL LIMIT %s",
            [count],
        )
        rows = cursor.fetchall()
    connection.close()
    pairs = []
    for code, phone, secret in rows:
        digits = "".join(ch for ch in phone or "" if ch.isdigit())
        factor = digits[-4:] if (rng.random() < 0.5 or not secret) and len(digits) >= 4 else secret
        if rng.random() < wrong:
            factor = "0000" if factor != "0000" else "1111"
        pairs.append((code, factor))
    rng.shuffle(pairs)
    return pairs


def paths_for(scenario: str, pairs: list[tuple[str, str]]) -> list[str]:
    if scenario == "api":
        return [
            f"/api/public/dossiers/lookup/?code={quote(code)}&factor={quote(factor)}"
            for code, factor in pairs
        ]
    return [f"/tra-cuu/?ma={quote(code)}&k={quote(factor)}" for code, factor in pairs]


def profile(scenarios: list[str], repeat: int, wrong: float) -> None:
    """``repeat`` lookups per scenario through Django's test client, under cProfile."""
    import cProfile
    import pstats

    from django.test import Client

    pairs = sample(max(repeat, 50), 7, wrong)
    for scenario in scenarios:
        paths = paths_for(scenario, pairs)
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        for path in paths[:20]:  # warm-up
            client.get(path)
        first = client.get(paths[0])
        queries = first.get("X-Query-Count", "?")  # querycount.QueryCountMiddleware
        # CPU time of this process per request (not wall time): what one
        # request costs Django whatever else the machine is doing; the
        # database's share is in the EXPLAIN below.
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        for index in range(repeat):
            client.get(paths[index % len(paths)])
        cpu = (time.process_time() - cpu_started) * 1000 / repeat
        wall = (time.perf_counter() - wall_started) * 1000 / repeat
        print(
            f"=== {scenario}: {cpu:.2f} ms CPU in Django a request ({wall:.2f} ms wall), "
            f"so at most {2000 / cpu:.0f} requests/s on two cores for Django alone"
        )
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        statuses = [client.get(paths[index % len(paths)]).status_code for index in range(repeat)]
        profiler.disable()
        elapsed = (time.perf_counter() - started) * 1000 / repeat
        print(
            f"    under cProfile {elapsed:.2f} ms a request, {queries} queries, "
            f"statuses {sorted(set(statuses))}"
        )
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(20)
        stats.sort_stats("cumulative").print_stats(r"motcua|rest_framework|django/template", 25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", default="sync:2,sync:4")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--warmup", type=float, default=2)
    parser.add_argument("--scenarios", default="api,page")
    parser.add_argument("--wrong", type=float, default=0.0, help="share of wrong factors")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument(
        "--counted",
        action="store_true",
        help="keep the rate limits (raised) so that their counting is measured; set REDIS_URL "
        "to count in Redis as in production",
    )
    parser.add_argument("--profile", action="store_true", help="profile in-process instead")
    parser.add_argument("--repeat", type=int, default=500, help="lookups profiled (--profile)")
    args = parser.parse_args()

    url = database_url()
    state = loaded_state(url)
    if state is None:
        raise SystemExit("no dossiers loaded: run python bench/dossiers_load.py first")
    scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = set(scenarios) - {"api", "page"}
    if unknown:
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(unknown))}")
    static_root = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/motcua-bench-static"))  # noqa: S108
    environment = lookup_environment(url, static_root, args.counted)
    if args.profile:
        os.environ.update(environment)
        setup_django(url)
        profile(scenarios, args.repeat, args.wrong)
        return
    setup_django(url)
    collect_static(environment)
    counter = "Redis" if environment.get("REDIS_URL") else "each process's memory"
    limits = f"counted in {counter}" if args.counted else "off"
    print(
        f"database: {state['dossiers']:,} dossiers loaded {state['loaded_at']:%Y-%m-%d %H:%M}; "
        f"{args.clients} clients, {args.seconds:.0f} s per scenario after {args.warmup:.0f} s "
        f"warm-up; {os.cpu_count()} CPUs; wrong factors {args.wrong:.0%}; rate limits {limits}"
    )
    pairs = sample(3000 * args.clients, 42, args.wrong)
    for spec in args.servers.split(","):
        server = Server(spec.strip())
        process = start_server(server, args.port, environment)
        try:
            print(
                f"--- gunicorn {server.kind}, {server.workers} workers x {server.threads} threads"
            )
            for scenario in scenarios:
                paths = paths_for(scenario, pairs)
                share = len(paths) // args.clients
                jobs = [
                    Job(
                        scenario,
                        args.port,
                        Session("anonymous"),
                        paths=paths[number * share : (number + 1) * share],
                        seed=number,
                    )
                    for number in range(args.clients)
                ]
                result = run_scenario(jobs, args.seconds, args.warmup)
                print_summary(summarise(scenario, server, args.clients, result))
        finally:
            stop_server(process)


if __name__ == "__main__":
    main()
