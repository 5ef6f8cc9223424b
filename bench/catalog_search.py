"""Time the public procedure search on PostgreSQL with the whole national catalog.

Creates the database when missing (``DATABASE_URL``, default
postgresql://postgres@127.0.0.1:5432/motcua_bench), migrates it, imports the
2,642 procedures of ``shared/data/procedures`` once, then runs a fixed mix of
searches the way the list page does (first page of 20 + the count) and prints
p50/p95/p99 in milliseconds. Target: p99 < 50 ms.

Usage: ``python bench/catalog_search.py [--rounds 3] [--explain] [--seed 42]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/motcua_bench"
CATALOG_FILE = "dvcqg_chatbot-tthc_2642_procedures.jsonl"
PAGE = 20
# Words people type rather than official names (folded or not, as typed).
EVERYDAY = [
    "khai sinh", "ket hon", "khai tu", "thuong tru", "tam tru", "can cuoc", "ho chieu",
    "chung thuc", "ban sao", "dat dai", "so do", "quyen su dung dat", "xay dung",
    "giay phep xay dung", "ho kinh doanh", "doanh nghiep", "bao hiem", "bảo hiểm xã hội",
    "tro cap", "người có công", "liet si", "giam ngheo", "nuoi con nuoi", "giám hộ",
    "lai xe", "xe may", "dang kiem", "thue", "moi truong", "phong chay", "hợp tác xã",
    "thuy loi", "chan nuoi", "thu y", "trồng trọt", "hoa giai", "khieu nai", "to cao",
    "cu tru", "hộ tịch", "trích lục", "xac nhan tinh trang hon nhan", "cap lai", "cap doi",
    "gia han", "dieu chinh", "thay doi", "dang ky", "giấy phép", "chứng nhận",
]  # fmt: skip


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_URL


def ensure_database(url: str) -> None:
    """Create the database named in ``url`` if it does not exist (needs CREATEDB)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def setup_django(url: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.base")
    os.environ.setdefault("DEBUG", "false")  # no query log in memory
    import django

    django.setup()


def load_catalog() -> None:
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from motcua.catalog.models import Procedure
    from motcua.catalog.parsing import ParseFailure, iter_source
    from motcua.catalog.services import catalog_import_one
    from motcua.core.exceptions import ValidationFailed

    call_command("migrate", verbosity=0, interactive=False)
    path = Path(settings.SHARED_DATA_DIR) / "procedures" / CATALOG_FILE
    have = Procedure.objects.count()
    if have >= 2600:
        print(f"catalog: {have} procedures already imported")
        return
    started = time.perf_counter()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    rejected: list[str] = []
    for row, result in iter_source(path):
        if isinstance(result, ParseFailure):
            rejected.append(f"row {row}: {result.reason}")
            continue
        # Row by row, so that a row the database refuses (e.g. a name longer
        # than the column) is reported and the rest still imports.
        try:
            counts[catalog_import_one(parsed=result)] += 1
        except (DatabaseError, ValueError, ValidationFailed) as exc:
            rejected.append(f"row {row} ({result.code}): {str(exc).splitlines()[0]}")
    elapsed = time.perf_counter() - started
    print(f"catalog import ({path.name}): {counts}, rejected={len(rejected)} in {elapsed:.1f} s")
    for line in rejected:
        print("  rejected", line)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would, before the first searches
        cursor.execute("ANALYZE catalog_procedure")


def query_mix(seed: int) -> list[dict[str, Any]]:
    """At least 300 searches: names with and without diacritics, partial words, codes,
    field filters and everyday words; the same list for the same seed."""
    from motcua.catalog.models import Procedure
    from motcua.core.text import fold

    rng = random.Random(seed)
    rows = list(Procedure.objects.filter(is_listed=True).values_list("code", "name", "field"))
    rows.sort()
    fields = sorted({field for _, _, field in rows if field})
    picked = rng.sample(rows, 80)
    mix: list[dict[str, Any]] = []
    for _code, name, _field in picked[:60]:
        words = name.split()
        start = rng.randrange(0, max(1, len(words) - 2))
        phrase = " ".join(words[start : start + rng.randint(2, 4)])
        mix.append({"query": phrase})  # with diacritics, as printed
        mix.append({"query": fold(phrase)})  # typed without diacritics
        folded = fold(phrase).split()
        cut = folded[-1][: max(2, len(folded[-1]) // 2)]
        mix.append({"query": " ".join([*folded[:-1], cut])})  # still typing
    for code, _, _ in picked[60:]:
        mix.append({"query": code})
        mix.append({"query": code[: rng.randint(3, len(code))]})  # code prefix
    for field in rng.sample(fields, min(40, len(fields))):
        mix.append({"field": field})
        mix.append({"field": field, "query": rng.choice(EVERYDAY)})
    for word in EVERYDAY:
        mix.append({"query": word})
    mix.append({})  # the plain list, first page
    rng.shuffle(mix)
    return mix


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def run(
    mix: list[dict[str, Any]], rounds: int, *, public: bool = False
) -> list[tuple[float, dict[str, Any]]]:
    from motcua.catalog.selectors import procedure_find, procedure_search

    search: Any = procedure_find if public else procedure_search

    def once(arguments: dict[str, Any]) -> float:
        started = time.perf_counter()
        results = search(**arguments)
        page = list(results[:PAGE])
        total = results.count()
        elapsed = (time.perf_counter() - started) * 1000
        assert total >= len(page)
        return elapsed

    for arguments in mix:  # warm-up: caches, connection, plans
        once(arguments)
    timings = []
    for _ in range(rounds):
        for arguments in mix:
            timings.append((once(arguments), arguments))
    return timings


def run_pages(mix: list[dict[str, Any]]) -> list[float]:
    """The whole list page (/thu-tuc/?…): search, versions in force, fees, HTML."""
    from django.test import Client
    from django.test.utils import override_settings

    staticfiles = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    client = Client()
    timings = []
    with override_settings(
        STORAGES={
            "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
            "staticfiles": staticfiles,
        }
    ):
        for arguments in mix:  # warm-up
            client.get("/thu-tuc/", _params(arguments))
        for arguments in mix:
            started = time.perf_counter()
            response = client.get("/thu-tuc/", _params(arguments))
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
    return timings


def _params(arguments: dict[str, Any]) -> dict[str, str]:
    return {"q": arguments.get("query", ""), "field": arguments.get("field", "")}


def explain(arguments: dict[str, Any]) -> None:
    from django.db import connection

    from motcua.catalog.selectors import procedure_search

    results = procedure_search(**arguments)
    for label, queryset in (("page", results[:PAGE]), ("count", results)):
        sql, params = queryset.query.sql_with_params()
        if label == "count":
            sql, params = results.query.get_compiler("default").as_sql()
            sql = f"SELECT count(*) FROM ({sql}) AS counted"  # noqa: S608 - our own SQL
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
            print(f"--- EXPLAIN ANALYZE ({label}) for {arguments}")
            for (line,) in cursor.fetchall():
                print("   ", line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE the slowest")
    parser.add_argument("--pages", action="store_true", help="also time the whole list page")
    parser.add_argument(
        "--public",
        action="store_true",
        help="time procedure_find (the portal's search, with everyday-language suggestions "
        "when the optional model is installed) instead of the plain procedure_search",
    )
    args = parser.parse_args()

    url = database_url()
    ensure_database(url)
    setup_django(url)
    load_catalog()
    from django.db import connection

    mix = query_mix(args.seed)
    timings = run(mix, args.rounds, public=args.public)
    values = [elapsed for elapsed, _ in timings]
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    print(
        f"{'procedure_find' if args.public else 'procedure_search'} "
        f"(first page of {PAGE} + count), {len(mix)} searches x "
        f"{args.rounds} rounds = {len(values)} timings; PostgreSQL {server}, "
        f"Python {platform.python_version()}, {os.cpu_count()} CPUs"
    )
    print(
        f"p50 {percentile(values, 0.50):.2f} ms   p95 {percentile(values, 0.95):.2f} ms   "
        f"p99 {percentile(values, 0.99):.2f} ms   max {max(values):.2f} ms   "
        f"mean {statistics.fmean(values):.2f} ms"
    )
    slowest = sorted(timings, key=lambda item: item[0], reverse=True)[:5]
    print("slowest:")
    for elapsed, arguments in slowest:
        print(f"  {elapsed:7.2f} ms  {arguments}")
    verdict = "met" if percentile(values, 0.99) < 50 else "NOT met"
    print(f"target p99 < 50 ms: {verdict}")
    if args.pages:
        pages = run_pages(mix)
        print(
            f"list page /thu-tuc/ (search + versions in force + fees + HTML), "
            f"{len(pages)} requests: p50 {percentile(pages, 0.50):.2f} ms   "
            f"p95 {percentile(pages, 0.95):.2f} ms   p99 {percentile(pages, 0.99):.2f} ms"
        )
    if args.explain:
        explain(slowest[0][1])


if __name__ == "__main__":
    main()
