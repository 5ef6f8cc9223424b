"""Drive the real dossier API over HTTP: gunicorn, production settings, the loaded database.

Needs the database of ``bench/dossiers_load.py`` (``DATABASE_URL``, default
postgresql://postgres@127.0.0.1:5432/motcua_bench_dossiers). Starts gunicorn on
127.0.0.1 with ``bench/settings_bench.py`` (the production settings, DEBUG off,
persistent database connections, plus a middleware that reports the SQL
queries of every response), once per server configuration (``--servers``,
default ``sync:2,sync:4``: one sync worker per core, as recommended where
PostgreSQL shares the machine, then four; ``gthread:2x4`` for threads).
Then ``--clients`` processes (default 4), each with one keep-alive connection
and its own officer's session (logged in through the staff login form; CSRF
token for writes), run each scenario in a closed loop for ``--seconds`` after
a short warm-up:

* ``lookup``  — ``GET /api/dossiers/{code}/``, random existing codes of the
  commune whose chairman is logged in (goal p99 ≤ 20 ms);
* ``inbox``   — ``GET /api/me/inbox/``, the four officers with the most open
  steps (goal p99 ≤ 30 ms);
* ``search``  — ``GET /api/dossiers/?q=`` with part of an applicant's name,
  without diacritics, as the chairman (no goal; for the record);
* ``intake``  — ``POST /api/dossiers/``, a complete dossier with a fresh
  ``Idempotency-Key``, by a counter officer of four different communes
  (goal ≥ 300 dossiers/s, p99 ≤ 50 ms). Runs last: it adds dossiers;
* ``bare`` and ``orm`` — the references the goals were set against (bare
  Django ~1,600 req/s, an ORM lookup ~880 req/s on the day they were set):
  an anonymous ``ok`` through the middleware stack, and one dossier by code
  through the ORM (``bench/urls_bench.py``). Machines of the same kind differ
  by a factor of two from session to session; with ``bare`` in the run the
  intake's goal is also printed scaled to this machine.

Prints, per scenario: requests, errors by status, throughput, p50/p95/p99/max
and the queries per request (from ``X-Query-Count``), with the time the
queries took (``X-Query-Ms``) and the time spent in Django (``X-App-Ms``).

Usage: ``python bench/dossiers_http.py [--servers sync:2,sync:4] [--clients 4]
[--seconds 30] [--scenarios bare,orm,lookup,inbox,search,intake] [--port 8765] [--profile]``.
``--profile`` instead profiles one request of each scenario in-process (cProfile,
test client, same settings) and prints the top functions.
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import re
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from catalog_search import setup_django  # noqa: E402
from dossiers_load import (  # noqa: E402
    BENCH_PASSWORD,
    database_url,
    forget_added_dossiers,
    loaded_state,
)

GOALS = {  # scenario: (minimum requests/s, p99 ms)
    "bare": (None, None),
    "orm": (None, None),
    "lookup": (None, 20.0),
    "inbox": (None, 30.0),
    "search": (None, None),
    "intake": (300.0, 50.0),
}
# The day the goals were set: bare Django answered ~1,600 requests/s on this kind of machine.
BARE_ON_THE_DAY = 1600.0
LOGIN_PATH = "/can-bo/dang-nhap/"
_CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


# --- the server ---------------------------------------------------------------


@dataclass
class Server:
    """A gunicorn configuration: ``sync:4`` or ``gthread:2x4`` (workers x threads)."""

    spec: str
    kind: str = ""
    workers: int = 0
    threads: int = 1

    def __post_init__(self) -> None:
        kind, _, size = self.spec.partition(":")
        workers, _, threads = size.partition("x")
        self.kind, self.workers, self.threads = kind, int(workers), int(threads or 1)


def server_environment(url: str, static_root: Path) -> dict[str, str]:
    environment = dict(os.environ)
    environment.update(
        {
            "DJANGO_SETTINGS_MODULE": "settings_bench",
            "PYTHONPATH": os.pathsep.join([str(BENCH_DIR), str(ROOT / "src")]),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "DB_CONN_MAX_AGE": "600",
            "DEBUG": "false",
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": str(static_root),
            "BENCH_QUERY_COUNT": "true",
            "TASKS_BACKEND": "database",
        }
    )
    return environment


def collect_static(environment: dict[str, str]) -> None:
    """The production storage needs the manifest of collected static files."""
    if (Path(environment["STATIC_ROOT"]) / "staticfiles.json").is_file():
        return
    subprocess.run(
        [sys.executable, "-m", "motcua", "collectstatic", "--noinput", "-v", "0"],
        env=environment,
        check=True,
        cwd=ROOT,
    )


def start_server(
    server: Server, port: int, environment: dict[str, str]
) -> subprocess.Popen[bytes]:
    command = [
        str(Path(sys.executable).with_name("gunicorn")),
        "motcua.conf.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(server.workers),
        "--worker-class",
        server.kind,
        "--threads",
        str(server.threads),
        "--keep-alive",
        "30",
        "--backlog",
        "256",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, env=environment, cwd=ROOT)  # noqa: S603 - our own gunicorn
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", LOGIN_PATH, headers=_secure({}, port))
            response = connection.getresponse()
            response.read()
            connection.close()
            if response.status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"gunicorn exited with {process.returncode}")
        time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# --- sessions -----------------------------------------------------------------


def _secure(headers: dict[str, str], port: int) -> dict[str, str]:
    """As behind the TLS proxy of a production set-up (SECURE_PROXY_SSL_HEADER)."""
    return {
        **headers,
        "Host": f"127.0.0.1:{port}",
        "X-Forwarded-Proto": "https",
        "Referer": f"https://127.0.0.1:{port}/",
    }


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, content = pair.partition("=")
            found[key.strip()] = content.strip()
    return found


@dataclass
class Session:
    """An officer signed in through the login form: cookies and CSRF token."""

    username: str
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{key}={value}" for key, value in self.cookies.items())


def login(port: int, username: str) -> Session:
    """Sign in like a browser: the form's CSRF token, then username and password."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", LOGIN_PATH, headers=_secure({}, port))
    response = connection.getresponse()
    page = response.read().decode()
    session = Session(username, _cookies(response))
    match = _CSRF_INPUT.search(page)
    if match is None:
        raise SystemExit("no CSRF token on the login page")
    body = (
        f"csrfmiddlewaretoken={match.group(1)}&username={username}&password={BENCH_PASSWORD}"
    ).encode()
    connection.request(
        "POST",
        LOGIN_PATH,
        body=body,
        headers=_secure(
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": session.cookie_header,
            },
            port,
        ),
    )
    response = connection.getresponse()
    response.read()
    session.cookies.update(_cookies(response))
    connection.close()
    if response.status != 302 or "sessionid" not in session.cookies:
        raise SystemExit(f"login of {username} failed: HTTP {response.status}")
    return session


# --- scenarios ----------------------------------------------------------------


@dataclass
class Job:
    """What one client process does: its session and the requests it may send."""

    scenario: str
    port: int
    session: Session
    paths: list[str] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    seed: int = 0


def prepare(scenario: str, clients: int, port: int) -> list[Job]:
    """The officers and requests of a scenario, from the loaded database."""
    from django.db import connection

    from motcua.accounts.models import Officer
    from motcua.dossiers.models import Dossier, DossierStep

    jobs = []
    if scenario == "bare":
        return [
            Job(scenario, port, Session("anonymous"), paths=["/bench/bare/"], seed=number)
            for number in range(clients)
        ]
    if scenario in ("lookup", "search", "orm"):
        for number, chairman in enumerate(_big_communes(clients)):
            officer = Officer.objects.select_related("unit").get(user__username=chairman)
            centre = officer.unit.children.get(code__endswith=".TTPVHCC")
            rows = list(
                Dossier.objects.filter(receiving_unit=centre, code__isnull=False)
                .order_by("?")
                .values_list("code", "applicant_search")[:3000]
            )
            if scenario == "lookup":
                paths = [f"/api/dossiers/{code}/" for code, _ in rows]
            elif scenario == "orm":
                paths = [f"/bench/orm/{code}/" for code, _ in rows]
            else:
                paths = []
                for _, folded in rows[:500]:
                    words = folded.split()
                    # Given name and the middle one, or the family name and half the next.
                    if len(words) >= 3 and number % 2 == 0:
                        query = " ".join(words[-2:])
                    else:
                        query = f"{words[0]} {words[1][: max(2, len(words[1]) // 2)]}"
                    paths.append("/api/dossiers/?q=" + query.replace(" ", "+"))
            session = Session("anonymous") if scenario == "orm" else login(port, chairman)
            jobs.append(Job(scenario, port, session, paths=paths, seed=number))
    elif scenario == "inbox":
        top = (
            DossierStep.objects.filter(finished_at__isnull=True)
            .values("assignee__user__username")
            .annotate(open=__import__("django.db.models", fromlist=["Count"]).Count("id"))
            .order_by("-open")[:clients]
        )
        for number, row in enumerate(top):
            username = row["assignee__user__username"]
            print(f"  inbox of {username}: {row['open']} open steps")
            jobs.append(
                Job(scenario, port, login(port, username), paths=["/api/me/inbox/"], seed=number)
            )
    elif scenario == "intake":
        for number, chairman in enumerate(_big_communes(clients)):
            code = chairman.split(".")[1]
            username = f"bn.{code}.tiepnhan1"
            officer = Officer.objects.select_related("unit").get(user__username=username)
            jobs.append(
                Job(
                    scenario,
                    port,
                    login(port, username),
                    bodies=_intake_bodies(officer.unit_id, number),
                    seed=number,
                )
            )
    connection.close()
    return jobs


def _big_communes(count: int) -> list[str]:
    """The chairmen's usernames of the communes with the most dossiers."""
    from django.db.models import Count

    from motcua.dossiers.models import Dossier

    rows = (
        Dossier.objects.values("processing_unit__code")
        .annotate(n=Count("id"))
        .order_by("-n")[:count]
    )
    return [f"bn.{row['processing_unit__code']}.chutich" for row in rows]


def _intake_bodies(unit_id: int, seed: int) -> list[dict[str, Any]]:
    """Complete dossiers for the popular procedures: every required component, the fee."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.dossiers.models import Dossier

    rng = random.Random(seed)
    popular = list(
        Dossier.objects.values_list("procedure_version_id", flat=True).order_by("-id")[:20000]
    )
    versions = {
        version.pk: version
        for version in ProcedureVersion.objects.filter(pk__in=set(popular))
        .select_related("procedure")
        .prefetch_related("documents", "methods__fees")
    }
    names = list(Dossier.objects.values_list("applicant_name", flat=True).order_by("-id")[:5000])
    bodies = []
    for _ in range(2000):
        version = versions[rng.choice(popular)]
        documents = [
            {"required_document": document.pk, "originals": 1}
            for document in version.documents.all()
            if document.required
        ]
        fees = []
        for method in version.methods.all():
            if method.channel == "in_person":
                for fee in method.fees.all():
                    if not fee.free:
                        fees.append({"name": "Lệ phí", "amount": fee.amount or 20000})
                        break
        bodies.append(
            {
                "unit": unit_id,
                "procedure": version.procedure.code,
                "applicant_name": rng.choice(names),
                "applicant_id_number": f"027{rng.randrange(10**9):09d}",
                "applicant_phone": f"09{rng.randrange(10**8):08d}",
                "applicant_address": "Số 12, Tổ dân phố 3, tỉnh Bắc Ninh",
                "documents": documents,
                "fees": fees,
            }
        )
    return bodies


# --- the clients --------------------------------------------------------------


def run_client(job: Job, seconds: float, warmup: float) -> dict[str, Any]:
    """One closed-loop client: send, wait for the answer, record, again until the deadline."""
    rng = random.Random(job.seed)
    connection = http.client.HTTPConnection("127.0.0.1", job.port, timeout=60)
    base = _secure({"Cookie": job.session.cookie_header}, job.port)
    post_headers = {
        **base,
        "Content-Type": "application/json",
        "X-CSRFToken": job.session.cookies.get("csrftoken", ""),
    }
    timings: list[float] = []
    queries: list[int] = []
    query_ms: list[float] = []
    app_ms: list[float] = []
    statuses: dict[int, int] = {}
    errors: list[str] = []
    start = time.perf_counter()
    measure_from = start + warmup
    deadline = measure_from + seconds
    measured_start = None
    while True:
        now = time.perf_counter()
        if now >= deadline:
            break
        if job.scenario == "intake":
            body = json.dumps(rng.choice(job.bodies)).encode()
            headers = {**post_headers, "Idempotency-Key": str(uuid.uuid4())}
            method, path = "POST", "/api/dossiers/"
        else:
            body, headers, method, path = None, base, "GET", rng.choice(job.paths)
        sent = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            errors.append(type(exc).__name__)
            continue
        elapsed = (time.perf_counter() - sent) * 1000
        if sent < measure_from:
            continue
        if measured_start is None:
            measured_start = sent
        timings.append(elapsed)
        statuses[response.status] = statuses.get(response.status, 0) + 1
        if response.status >= 400 and len(errors) < 5:
            errors.append(f"{response.status} {path}: {content[:300]!r}")
        queries.append(int(response.getheader("X-Query-Count", "-1")))
        query_ms.append(float(response.getheader("X-Query-Ms", "0")))
        app_ms.append(float(response.getheader("X-App-Ms", "0")))
    connection.close()
    return {
        "timings": timings,
        "queries": queries,
        "query_ms": query_ms,
        "app_ms": app_ms,
        "statuses": statuses,
        "errors": errors,
        "seconds": time.perf_counter() - (measured_start or measure_from),
    }


def _client_entry(arguments: tuple[Job, float, float]) -> dict[str, Any]:
    return run_client(*arguments)


def run_scenario(jobs: list[Job], seconds: float, warmup: float) -> dict[str, Any]:
    context = multiprocessing.get_context("fork")
    with context.Pool(len(jobs)) as pool:
        parts = pool.map(_client_entry, [(job, seconds, warmup) for job in jobs])
    merged: dict[str, Any] = {
        "timings": [],
        "queries": [],
        "query_ms": [],
        "app_ms": [],
        "statuses": {},
        "errors": [],
    }
    for part in parts:
        for key in ("timings", "queries", "query_ms", "app_ms", "errors"):
            merged[key].extend(part[key])
        for status, count in part["statuses"].items():
            merged["statuses"][status] = merged["statuses"].get(status, 0) + count
    merged["seconds"] = max(part["seconds"] for part in parts)
    return merged


def summarise(
    scenario: str, server: Server, clients: int, result: dict[str, Any]
) -> dict[str, Any]:
    timings = result["timings"]
    ok = sum(count for status, count in result["statuses"].items() if status < 400)
    rate = len(timings) / result["seconds"] if result["seconds"] else 0.0
    summary = {
        "scenario": scenario,
        "server": server.spec,
        "clients": clients,
        "requests": len(timings),
        "ok": ok,
        "statuses": result["statuses"],
        "rate": rate,
        "p50": percentile(timings, 0.50) if timings else 0.0,
        "p95": percentile(timings, 0.95) if timings else 0.0,
        "p99": percentile(timings, 0.99) if timings else 0.0,
        "max": max(timings) if timings else 0.0,
        "queries_median": statistics.median(result["queries"]) if result["queries"] else 0,
        "queries_max": max(result["queries"]) if result["queries"] else 0,
        "query_ms_median": statistics.median(result["query_ms"]) if result["query_ms"] else 0,
        "app_ms_median": statistics.median(result["app_ms"]) if result["app_ms"] else 0,
        "errors": result["errors"][:5],
        "load": os.getloadavg()[0],
    }
    minimum, p99_goal = GOALS[scenario]
    verdicts = []
    if minimum is not None:
        verdicts.append(f"≥ {minimum:.0f}/s {'met' if rate >= minimum else 'NOT met'}")
    if p99_goal is not None:
        verdicts.append(
            f"p99 ≤ {p99_goal:.0f} ms {'met' if summary['p99'] <= p99_goal else 'NOT met'}"
        )
    summary["verdict"] = "; ".join(verdicts) or "no goal"
    return summary


def print_summary(summary: dict[str, Any]) -> None:
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(summary["statuses"].items()))
    print(
        f"{summary['scenario']:7} {summary['server']:12} {summary['requests']:>6} req "
        f"{summary['rate']:>7.1f}/s  p50 {summary['p50']:6.1f}  p95 {summary['p95']:6.1f}  "
        f"p99 {summary['p99']:6.1f}  max {summary['max']:7.1f} ms  queries "
        f"{summary['queries_median']:.0f} (max {summary['queries_max']}), in db "
        f"{summary['query_ms_median']:.1f} ms, in Django {summary['app_ms_median']:.1f} ms  "
        f"[{statuses}]  load {summary['load']:.1f}  — {summary['verdict']}",
        flush=True,
    )
    for error in summary["errors"]:
        print("    error:", error)


def print_scaled(summaries: list[dict[str, Any]]) -> None:
    """The scenarios against bare Django in the same run, and the goals at this machine's speed."""
    rates = {summary["scenario"]: summary["rate"] for summary in summaries}
    bare = rates.get("bare")
    if not bare:
        return
    shares = ", ".join(
        f"{scenario} {bare / rate:.1f}×"
        for scenario, rate in rates.items()
        if rate and scenario != "bare"
    )
    print(
        f"bare Django {bare:,.0f}/s here "
        f"({bare / BARE_ON_THE_DAY:.2f} × the day the goals were set)"
    )
    if shares:
        print(f"  bare Django's rate over each scenario's: {shares}")
    minimum = GOALS["intake"][0]
    if "intake" in rates and minimum:
        scaled = minimum * bare / BARE_ON_THE_DAY
        verdict = "met" if rates["intake"] >= scaled else "NOT met"
        print(
            f"  intake ≥ {minimum:.0f}/s scaled to this machine: ≥ {scaled:.0f}/s — {verdict} "
            f"({rates['intake']:.0f}/s; bare Django over the goal: "
            f"{BARE_ON_THE_DAY / minimum:.1f}× on the day)"
        )


# --- profiling ----------------------------------------------------------------


def profile(scenarios: list[str], url: str, repeat: int) -> None:
    """One request per scenario through Django's test client, under cProfile."""
    import cProfile
    import pstats

    from django.test import Client
    from django.test.utils import override_settings

    from motcua.accounts.models import User

    jobs = {scenario: prepare_offline(scenario) for scenario in scenarios}
    for scenario, (username, requests) in jobs.items():
        client = Client(HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="127.0.0.1")
        client.force_login(User.objects.get(username=username))

        def once(index: int, client: Client = client, requests: list[Any] = requests) -> int:
            method, path, body = requests[index % len(requests)]
            if method == "POST":
                response = client.post(
                    path,
                    data=json.dumps(body),
                    content_type="application/json",
                    HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
                )
            else:
                response = client.get(path)
            return response.status_code

        with override_settings(DEBUG=False):
            for index in range(5):  # warm-up
                once(index)
            profiler = cProfile.Profile()
            started = time.perf_counter()
            profiler.enable()
            codes = [once(index) for index in range(repeat)]
            profiler.disable()
            elapsed = (time.perf_counter() - started) * 1000 / repeat
        print(f"=== {scenario} as {username}: {elapsed:.1f} ms a request in-process, {codes[:3]}")
        stats = pstats.Stats(profiler)
        stats.sort_stats("tottime").print_stats(25)
        stats.sort_stats("cumulative").print_stats(
            r"motcua|rest_framework/(serializers|fields)", 30
        )


def prepare_offline(scenario: str) -> tuple[str, list[tuple[str, str, Any]]]:
    """The user and requests of a scenario without a server (for ``--profile``)."""
    from django.db.models import Count

    from motcua.accounts.models import Officer
    from motcua.dossiers.models import Dossier, DossierStep

    chairman = _big_communes(1)[0]
    officer = Officer.objects.select_related("unit").get(user__username=chairman)
    centre = officer.unit.children.get(code__endswith=".TTPVHCC")
    if scenario == "lookup":
        codes = list(
            Dossier.objects.filter(receiving_unit=centre, code__isnull=False)
            .order_by("?")
            .values_list("code", flat=True)[:200]
        )
        return chairman, [("GET", f"/api/dossiers/{code}/", None) for code in codes]
    if scenario == "search":
        names = list(
            Dossier.objects.filter(receiving_unit=centre)
            .order_by("?")
            .values_list("applicant_search", flat=True)[:50]
        )
        return chairman, [
            ("GET", "/api/dossiers/?q=" + " ".join(name.split()[-2:]), None) for name in names
        ]
    if scenario == "inbox":
        top = (
            DossierStep.objects.filter(finished_at__isnull=True)
            .values("assignee__user__username")
            .annotate(open=Count("id"))
            .order_by("-open")
            .first()
        )
        assert top is not None
        return top["assignee__user__username"], [("GET", "/api/me/inbox/", None)]
    code = chairman.split(".")[1]
    counter = Officer.objects.get(user__username=f"bn.{code}.tiepnhan1")
    return counter.user.username, [
        ("POST", "/api/dossiers/", body) for body in _intake_bodies(counter.unit_id, 0)
    ]


# --- main ---------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--servers", default="sync:2,sync:4")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--warmup", type=float, default=3)
    parser.add_argument("--scenarios", default="bare,orm,lookup,inbox,search,intake")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--profile", action="store_true", help="profile in-process instead")
    parser.add_argument("--repeat", type=int, default=200, help="requests profiled (--profile)")
    args = parser.parse_args()

    url = database_url()
    state = loaded_state(url)
    if state is None:
        raise SystemExit("no dossiers loaded: run python bench/dossiers_load.py first")
    scenarios = [name.strip() for name in args.scenarios.split(",") if name.strip()]
    unknown = set(scenarios) - set(GOALS)
    if unknown:
        raise SystemExit(f"unknown scenarios: {', '.join(sorted(unknown))}")
    static_root = Path(os.environ.get("BENCH_STATIC_ROOT", "/tmp/motcua-bench-static"))  # noqa: S108
    environment = server_environment(url, static_root)
    if args.profile:
        os.environ.update(environment)
        os.environ["DJANGO_SETTINGS_MODULE"] = "settings_bench"
        setup_django(url)
        profile(scenarios, url, args.repeat)
        return
    setup_django(url)
    from django.db import connection

    collect_static(environment)
    removed = forget_added_dossiers(url, state["dossiers"])
    if removed:
        print(f"removed {removed:,} dossiers added since the load (earlier intakes)")
    print(
        f"database: {state['dossiers']:,} dossiers loaded {state['loaded_at']:%Y-%m-%d %H:%M}; "
        f"{args.clients} clients, {args.seconds:.0f} s per scenario after {args.warmup:.0f} s "
        f"warm-up; {os.cpu_count()} CPUs"
    )
    summaries = []
    for spec in args.servers.split(","):
        server = Server(spec.strip())
        process = start_server(server, args.port, environment)
        try:
            print(
                f"--- gunicorn {server.kind}, {server.workers} workers x {server.threads} threads"
            )
            for scenario in scenarios:
                jobs = prepare(scenario, args.clients, args.port)
                connection.close()
                result = run_scenario(jobs, args.seconds, args.warmup)
                summary = summarise(scenario, server, args.clients, result)
                print_summary(summary)
                summaries.append(summary)
                if scenario == "intake":
                    forget_added_dossiers(url, state["dossiers"])
            print_scaled(summaries[-len(scenarios) :])
        finally:
            stop_server(process)
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2, default=str), encoding="utf-8")


if __name__ == "__main__":
    main()
