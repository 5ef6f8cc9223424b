"""Pages of lists that can be very long, counted only as far as is cheap.

perf: at 10,000,000 dossiers a commune chairman sees ~385,000 of them, and
counting them for "page 1 of N" took 17.6 s on PostgreSQL (a name search
that matches many: 3–9 s), while the page itself took 10–30 ms
(``bench/dossiers_http.py``, docs/performance.md). Nobody pages through
tens of thousands of dossiers; they narrow the search. So a
:class:`BoundedCountPaginator` counts at most ``count_limit`` + 1 rows and,
on PostgreSQL, gives up after ``count_budget_ms`` (a per-statement timeout):
beyond either, the list says "more than 1,000" or "many" and offers the
first ``count_limit`` rows in pages. A page that is not full needs no count
at all: its rows tell how many there are.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.core.paginator import EmptyPage, Page, PageNotAnInteger, Paginator
from django.db import OperationalError, connections, transaction
from django.db.models import QuerySet


def count_within(queryset: QuerySet[Any], *, limit: int, budget_ms: int) -> int | None:
    """The rows of ``queryset``, counted up to ``limit + 1``; None if that took too long.

    On PostgreSQL the count runs under ``SET LOCAL statement_timeout`` in its
    own savepoint, so a cancelled count leaves an outer transaction usable,
    and the timeout is put back for what follows in it. Other databases (the
    embedded SQLite of a commune) count without a budget.
    """
    # An order costs a sort and changes nothing counted; a sliced query keeps its own.
    rows = (queryset if queryset.query.is_sliced else queryset.order_by())[: limit + 1]
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        return rows.count()
    try:
        with transaction.atomic(using=queryset.db):
            with connection.cursor() as cursor:
                # SET takes no bound parameters; budget_ms is an int.
                cursor.execute(f"SET LOCAL statement_timeout = {int(budget_ms)}")
            counted = rows.count()
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout TO DEFAULT")
            return counted
    except OperationalError as exc:
        # The savepoint's rollback also undid its SET LOCAL.
        if getattr(exc.__cause__, "sqlstate", None) == "57014":  # query_canceled
            return None
        raise


class BoundedCountPaginator(Paginator):
    """A paginator that counts at most ``count_limit`` + 1 rows, within ``count_budget_ms``.

    ``counted`` is what the count found (``None``: not counted in time);
    ``count_exact`` tells whether ``count`` is the true number of rows. When it
    is not, ``count`` is ``count_limit``: only that many rows are offered.
    """

    count_limit = 1000
    count_budget_ms = 300

    @cached_property
    def counted(self) -> int | None:
        if not isinstance(self.object_list, QuerySet):
            return len(self.object_list)
        return count_within(
            self.object_list, limit=self.count_limit, budget_ms=self.count_budget_ms
        )

    @property
    def count_exact(self) -> bool:
        return self.counted is not None and self.counted <= self.count_limit

    @property
    def count_more(self) -> bool:
        """More rows than ``count_limit`` (as opposed to not counted in time)."""
        return self.counted is not None and self.counted > self.count_limit

    @cached_property
    def count(self) -> int:
        return self.count_limit if self.counted is None else min(self.counted, self.count_limit)

    def page(self, number: Any) -> Page:
        """The page; when it is the last one, its rows give the count (perf: no count query).

        A rare name's page is the slowest to find and is seldom full: its
        rows (and one more, to know) tell how many there are, so only a full
        page is counted.
        """
        rows = self._rows_telling_the_count(number)
        number = self.validate_number(number)
        if rows is None:
            return super().page(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        return Page(rows[: max(0, top - bottom)], number, self)

    def get_page(self, number: Any) -> Page:
        """As Django's (a bad number: the first page; too far: the last), page first."""
        try:
            return self.page(number)
        except PageNotAnInteger:
            return self.page(1)
        except EmptyPage:
            return self.page(self.num_pages)

    def _rows_telling_the_count(self, number: Any) -> list[Any] | None:
        if "counted" in self.__dict__ or not isinstance(self.object_list, QuerySet):
            return None
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            return None
        bottom = (wanted - 1) * self.per_page
        if wanted < 1 or bottom >= self.count_limit:
            return None
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        if len(rows) <= self.per_page and (rows or wanted == 1):
            self.__dict__["counted"] = bottom + len(rows)
        return rows
