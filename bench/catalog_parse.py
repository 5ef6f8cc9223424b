"""Parse the national procedure catalog sources and print how much came out structured.

Reads the shared data files (shared/data/procedures), times the parse on one
core and prints, per source: the share of procedures whose every method has a
computable time limit, whose every fee is a confident amount with no review
reason, with at least one document, with a legal basis that is fully paired
with codes, with results; the most common review reasons (numbers and quoted
text folded so that like counts with like); and a few texts the parser could
not read. Usage: ``python bench/catalog_parse.py [--data DIR] [--examples 5]``.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from motcua.catalog.parsing import ParsedProcedure, ParseFailure

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "procedures"
SOURCES = (
    "dvcqg_chatbot-tthc_2642_procedures.jsonl",
    "demo_seed_cap_xa_citizen_fields_full.jsonl",
    "bqp_nhdandz_207_procedures_structured.json",
)
FEE_REASONS = (
    "Lệ phí",
    "Mức thu",
    "Số tiền",
    "Phí, lệ phí",
    "Không có thông tin về phí",
    "Không đọc được phí",
    "Không đọc được số tiền",
    "Không tách được thời hạn và số tiền",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--examples", type=int, default=5)
    args = parser.parse_args()

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "motcua.conf.base")
    import django

    django.setup()  # the review reasons go through gettext
    from motcua.catalog.parsing import ParseFailure, iter_source

    for name in SOURCES:
        path = args.data / name
        started, cpu = time.perf_counter(), time.process_time()
        results = list(iter_source(path))
        wall, cpu = time.perf_counter() - started, time.process_time() - cpu
        procedures = [r for _row, r in results if not isinstance(r, ParseFailure)]
        failures = [r for _row, r in results if isinstance(r, ParseFailure)]
        report(name, procedures, failures, wall, cpu, args.examples)

    xlsx = sorted((args.data / "ministry_lists").glob("*.xlsx"))
    started = time.perf_counter()
    rows = [r for path in xlsx for _row, r in iter_source(path)]
    failures = [r for r in rows if isinstance(r, ParseFailure)]
    print(f"\n== ministry_lists/*.xlsx ({len(xlsx)} files)")
    print(
        f"rows {len(rows)}, failures {len(failures)}, parse {time.perf_counter() - started:.2f} s"
    )


def report(
    name: str,
    procedures: list[ParsedProcedure],
    failures: list[ParseFailure],
    wall: float,
    cpu: float,
    examples: int,
) -> None:
    """Print the shares, the common review reasons and a few unread texts of one source."""
    from motcua.catalog.parsing.values import time_needs_review

    total = len(procedures)

    def share(label: str, test: Callable[[ParsedProcedure], object]) -> None:
        count = sum(1 for p in procedures if test(p))
        print(f"  {label:<52} {count:>5}/{total} = {100 * count / max(total, 1):5.1f}%")

    def fees_ok(p: ParsedProcedure) -> bool:
        return bool(p.methods) and all(
            m.fees
            and all(f.amount is not None for f in m.fees)
            and not any(r.startswith(FEE_REASONS) for r in m.review_reasons)
            for m in p.methods
        )

    print(f"\n== {name}")
    print(
        f"records {total + len(failures)}, failures {len(failures)}, "
        f"parse {wall:.2f} s wall / {cpu:.2f} s CPU ({1000 * cpu / max(total, 1):.2f} ms/record)"
    )
    share(
        "(a) every method's time structured",
        lambda p: p.methods and not any(time_needs_review(m.time) for m in p.methods),
    )
    share("(b) every fee structured, no review reason", fees_ok)
    share("(c) ≥ 1 document parsed", lambda p: bool(p.documents))
    share(
        "(d) legal basis parsed (every entry has a code)",
        lambda p: bool(p.legal_basis) and all(e.code for e in p.legal_basis),
    )
    share("(e) results parsed", lambda p: bool(p.results))
    share("    no review reason at all", lambda p: not p.review_reasons)

    reasons = Counter(
        re.sub(
            r"\([^)]*\d[^)]*\)",
            "(…)",
            re.sub(r"«[^»]*»", "«…»", re.sub(r"\d[\d.,]*", "N", reason)),
        )
        for p in procedures
        for reason in p.review_reasons
    )
    print("  most common review reasons (procedures):")
    for reason, count in reasons.most_common(10):
        print(f"  {count:>6}  {reason}")

    unread = [
        (p.code, reason)
        for p in procedures
        for reason in p.review_reasons
        if reason.startswith(("Không đọc được", "Không tách được"))
    ]
    seen = set()
    print("  examples the parser could not read:")
    for code, reason in unread:
        key = re.sub(r"«[^»]*»", "", reason)
        if key in seen:
            continue
        seen.add(key)
        print(f"    {code}: {reason[:160]}")
        if len(seen) >= examples:
            break


if __name__ == "__main__":
    main()
