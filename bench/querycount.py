"""A middleware for the benchmarks only: SQL queries and their time per request.

Adds ``X-Query-Count``, ``X-Query-Ms`` (time spent waiting for the database)
and ``X-App-Ms`` (time spent in Django below this middleware) to every
response. Enabled by ``bench/settings_bench.py`` when ``BENCH_QUERY_COUNT`` is
true; never part of the real settings. Not a benchmark: ``make bench`` runs
this file and it only says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

if __name__ == "__main__":
    print("bench/querycount.py: a middleware for bench/dossiers_http.py, nothing to run.")
    raise SystemExit(0)

from django.db import connection
from django.http import HttpRequest, HttpResponse


class QueryCountMiddleware:
    """Count the queries of each request with ``connection.execute_wrapper``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0
        waited = 0.0

        def counted(
            execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
        ) -> Any:
            nonlocal count, waited
            count += 1
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                waited += time.perf_counter() - started

        started = time.perf_counter()
        with connection.execute_wrapper(counted):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        response["X-Query-Ms"] = f"{waited * 1000:.2f}"
        response["X-App-Ms"] = f"{(time.perf_counter() - started) * 1000:.2f}"
        return response
