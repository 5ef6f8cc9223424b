"""Lists counted only as far as is cheap (``core.pagination``), on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import EmptyPage
from django.db import connection
from django.db.models import BooleanField, QuerySet
from django.db.models.expressions import RawSQL

from motcua.core.pagination import BoundedCountPaginator, count_within

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    "connection.vendor != 'postgresql'", reason="statement_timeout is PostgreSQL's"
)


def types() -> QuerySet[ContentType]:
    return ContentType.objects.order_by("pk")


def slow() -> QuerySet[ContentType]:
    """Every row costs 50 ms to PostgreSQL."""
    return (
        types()
        .annotate(slept=RawSQL("pg_sleep(0.05) IS NOT NULL", (), output_field=BooleanField()))
        .filter(slept=True)
    )


def timeout() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


def test_counts_exactly_up_to_the_limit_and_one_beyond() -> None:
    total = types().count()
    assert total > 5

    assert count_within(types(), limit=total, budget_ms=1000) == total
    assert count_within(types(), limit=5, budget_ms=1000) == 6
    assert count_within(types().none(), limit=5, budget_ms=1000) == 0


@on_postgresql
def test_a_count_out_of_time_is_none_and_leaves_the_transaction_as_it_was() -> None:
    before = timeout()

    assert count_within(slow(), limit=1000, budget_ms=20) is None

    # The test's own transaction is still usable, without the budget.
    assert timeout() == before
    assert types().count() > 5


@on_postgresql
def test_the_budget_does_not_outlive_a_count_in_time() -> None:
    before = timeout()

    assert count_within(types(), limit=3, budget_ms=5000) == 4

    assert timeout() == before


def test_more_rows_than_the_limit_are_offered_up_to_the_limit() -> None:
    paginator = BoundedCountPaginator(types(), 2)
    paginator.count_limit = 3

    assert (paginator.count, paginator.count_exact, paginator.count_more) == (3, False, True)
    assert paginator.num_pages == 2
    assert [len(paginator.page(n).object_list) for n in (1, 2)] == [2, 1]
    assert not paginator.page(2).has_next()
    with pytest.raises(EmptyPage):
        paginator.page(3)


def test_a_short_list_is_counted_exactly() -> None:
    total = types().count()
    paginator = BoundedCountPaginator(types(), 2)

    assert (paginator.count, paginator.count_exact, paginator.count_more) == (total, True, False)
    assert paginator.page(1).has_next()


@on_postgresql
def test_a_paginator_out_of_time_still_gives_its_first_page() -> None:
    paginator = BoundedCountPaginator(slow()[:3], 2)
    paginator.count_budget_ms = 1

    first = paginator.page(1)

    assert paginator.counted is None
    assert (paginator.count, paginator.count_exact) == (paginator.count_limit, False)
    assert len(first.object_list) == 2 and first.has_next()


def test_a_page_that_is_not_full_gives_the_count_without_counting(
    django_assert_num_queries: Any,
) -> None:
    total = types().count()
    paginator = BoundedCountPaginator(types(), total - 1)

    with django_assert_num_queries(1):
        second = paginator.page(2)
        assert (paginator.count, paginator.count_exact) == (total, True)
    assert len(second.object_list) == 1 and not second.has_next()


def test_get_page_also_reads_the_page_first_and_falls_back_as_djangos(
    django_assert_num_queries: Any,
) -> None:
    total = types().count()

    with django_assert_num_queries(1):
        last = BoundedCountPaginator(types(), total - 1).get_page("2")
    assert len(last.object_list) == 1
    assert BoundedCountPaginator(types(), 2).get_page("x").number == 1
    paginator = BoundedCountPaginator(types(), 2)
    assert paginator.get_page(10_000).number == paginator.num_pages


def test_a_full_first_page_is_counted_and_shows_only_its_rows() -> None:
    total = types().count()
    paginator = BoundedCountPaginator(types(), 2)

    first = paginator.page(1)

    assert paginator.count == total
    assert [row.pk for row in first.object_list] == list(types().values_list("pk", flat=True)[:2])
    assert first.has_next()


def test_an_empty_list_has_one_empty_page() -> None:
    paginator = BoundedCountPaginator(types().none(), 2)

    assert list(paginator.page(1).object_list) == []
    assert (paginator.count, paginator.num_pages) == (0, 1)
    with pytest.raises(EmptyPage):
        paginator.page(2)
