"""Querysets compiled once (core.compiled): the same rows as Django's, new parameters each run."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import DataError, connection, transaction
from django.db.models import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.accounts.models import Officer, Unit, User
from motcua.accounts.tests.factories import OfficerFactory, UnitFactory
from motcua.core.compiled import CompiledList, CompiledQuery, _instance, counted, run_together

pytestmark = pytest.mark.django_db


@pytest.fixture
def prepared_statements() -> Iterator[None]:
    """As in production: psycopg prepares repeated statements (generic plans need it)."""
    options = connection.settings_dict.setdefault("OPTIONS", {})
    had = options.get("prepare_threshold")
    options["prepare_threshold"] = 5
    yield
    if had is None:
        options.pop("prepare_threshold", None)
    else:
        options["prepare_threshold"] = had


def _plan_cache_mode() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        return str(cursor.fetchone()[0])


def _officers_of(unit_id: int) -> QuerySet[Officer]:
    return Officer.objects.filter(unit_id=unit_id).select_related("user", "unit").order_by("id")


class Counting:
    """A builder that counts how often it is asked for a queryset."""

    def __init__(self, build: Any) -> None:
        self.build, self.calls = build, 0

    def __call__(self, *arguments: Any) -> Any:
        self.calls += 1
        return self.build(*arguments)


def test_rows_are_the_models_django_would_make_with_their_related_objects() -> None:
    unit = UnitFactory()
    expected = [OfficerFactory(unit=unit) for _ in range(3)]
    OfficerFactory()  # another unit's
    query = CompiledQuery(_officers_of, int)

    found = query.run(unit.pk)

    assert found == expected
    django = list(_officers_of(unit.pk))
    for mine, theirs in zip(found, django, strict=True):
        assert {k: v for k, v in vars(mine).items() if k != "_state"} == {
            k: v for k, v in vars(theirs).items() if k != "_state"
        }
        assert mine._state.adding is False and mine._state.db == "default"
    with CaptureQueriesContext(connection) as queries:
        names = [(officer.user.full_name, officer.unit.name) for officer in found]
    assert len(queries) == 0  # select_related objects are attached
    assert names[0] == (expected[0].user.full_name, unit.name)


def test_each_run_takes_its_parameters_and_compiles_nothing_new() -> None:
    first, second = UnitFactory(), UnitFactory()
    in_first = OfficerFactory(unit=first)
    in_second = [OfficerFactory(unit=second) for _ in range(2)]
    builder = Counting(_officers_of)
    query = CompiledQuery(builder, int)

    assert query.run(first.pk) == [in_first]
    assert query.run(second.pk) == in_second
    assert query.run(-5) == []

    assert builder.calls == 2  # the first run's two compiles, then none
    with CaptureQueriesContext(connection) as queries:
        query.run(second.pk)
    assert len(queries) == 1


def test_deferred_fields_stay_deferred_and_load_on_demand() -> None:
    officer = OfficerFactory(position="Phó Chủ tịch")
    query = CompiledQuery(lambda pk: Officer.objects.filter(pk=pk).only("id", "unit"), int)

    (found,) = query.run(officer.pk)

    assert "position" in found.get_deferred_fields()
    assert found.position == "Phó Chủ tịch"  # one query, as Django does


def test_text_parameters_values_lists_and_slices() -> None:
    unit = UnitFactory(name="Phường Đông Ngàn")
    UnitFactory(name="Phường Đình Bảng")
    by_name = CompiledQuery(lambda name: Unit.objects.filter(name=name).values_list("pk"), str)
    every = CompiledQuery(lambda kind: Unit.objects.filter(kind=kind).order_by("id"), str)

    assert by_name.run("Phường Đông Ngàn") == [(unit.pk,)]
    assert by_name.run("Xã Không Có") == []
    assert every.run(unit.kind, offset=1, limit=1) == list(
        Unit.objects.filter(kind=unit.kind).order_by("id")[1:2]
    )
    assert every.run(unit.kind, limit=0) == []


def test_a_lookup_that_rewrites_its_value_is_refused() -> None:
    prefix = CompiledQuery(lambda text: Unit.objects.filter(name__startswith=text), str)
    with pytest.raises(ValueError, match="rewrites its value"):
        prefix.run("Phường")


def test_a_builder_that_reads_the_clock_is_refused() -> None:
    # The instant would be frozen into the kept SQL: the first compile says so.
    query = CompiledQuery(
        lambda pk: User.objects.filter(pk=pk, last_login__lt=timezone.now()), int
    )
    with pytest.raises(ValueError, match="more than its parameters"):
        query.run(1)


def test_an_argument_the_sql_does_not_use_is_refused() -> None:
    query = CompiledQuery(lambda pk, unused: User.objects.filter(pk=pk), int, int)
    with pytest.raises(ValueError, match="does not reach the SQL"):
        query.run(1, 2)


def test_only_whole_values_are_parameters() -> None:
    query = CompiledQuery(lambda when: User.objects.filter(last_login__lt=when), float)
    with pytest.raises(TypeError):
        query.run(1.5)


def test_a_compiled_list_pages_like_a_queryset() -> None:
    unit = UnitFactory()
    officers = [OfficerFactory(unit=unit) for _ in range(5)]
    rows = CompiledQuery(_officers_of, int)
    count = CompiledQuery(lambda unit_id: counted(_officers_of(unit_id)), int)
    seen: list[Officer] = []
    pages = Paginator(CompiledList(rows, count, unit.pk, each=seen.append), 2)

    assert pages.count == 5
    assert list(pages.page(3)) == officers[4:]
    assert list(pages.page(1)) == officers[:2]
    assert seen == [officers[4], *officers[:2]]
    empty = Paginator(CompiledList(rows, count, -1), 2)
    assert empty.count == 0 and list(empty.page(1)) == []


def test_a_model_with_an_init_receiver_is_built_by_django() -> None:
    from django.db.models.signals import post_init

    unit = UnitFactory()
    seen: list[Unit] = []

    def receiver(sender: type[Unit], instance: Unit, **kwargs: Any) -> None:
        seen.append(instance)

    post_init.connect(receiver, sender=Unit)
    try:
        from motcua.core import compiled

        compiled._PLAIN.pop(Unit, None)
        built = _instance(Unit, "default", ["id", "name"], [unit.pk, unit.name])
    finally:
        post_init.disconnect(receiver, sender=Unit)
        compiled._PLAIN.pop(Unit, None)
    assert seen == [built]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL plan cache")
def test_generic_plans_are_asked_for_the_statement_only(prepared_statements: None) -> None:
    unit = UnitFactory()
    officer = OfficerFactory(unit=unit)
    query = CompiledQuery(_officers_of, int, generic_plan=True)

    assert query.run(unit.pk) == [officer]
    assert _plan_cache_mode() == "auto"
    # A failing statement inside a transaction leaves nothing set either.
    broken = CompiledQuery(
        lambda pk: Officer.objects.filter(pk=pk).order_by().extra(where=["1/(id-id) = 1"]),
        int,
        generic_plan=True,
    )
    with pytest.raises(DataError), transaction.atomic():
        broken.run(officer.pk)
    assert _plan_cache_mode() == "auto"


def test_queries_run_together_give_what_each_gives_alone() -> None:
    first, second = UnitFactory(), UnitFactory()
    officers = [OfficerFactory(unit=first), OfficerFactory(unit=second)]
    query = CompiledQuery(_officers_of, int)
    names = CompiledQuery(lambda pk: Unit.objects.filter(pk=pk).values_list("name"), int)

    with CaptureQueriesContext(connection) as queries:
        together = run_together([(query, (first.pk,)), (names, (second.pk,)), (query, (-1,))])

    assert together == [[officers[0]], [(second.name,)], []]
    assert len(queries) == 3  # each still counts as a query
    assert together[0][0].user.full_name == officers[0].user.full_name


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pipeline")
def test_an_error_in_a_pipeline_is_raised_and_leaves_no_plan_setting(
    prepared_statements: None,
) -> None:
    officer = OfficerFactory()
    fine = CompiledQuery(_officers_of, int, generic_plan=True)
    broken = CompiledQuery(
        lambda pk: Officer.objects.filter(pk=pk).order_by().extra(where=["1/(id-id) = 1"]), int
    )

    with pytest.raises(DataError), transaction.atomic():
        run_together([(fine, (officer.unit_id,)), (broken, (officer.pk,))])

    assert _plan_cache_mode() == "auto"


def test_a_small_positive_integer_column_takes_parameters_too() -> None:
    # Unit.depth is a PositiveSmallIntegerField: an out-of-range stand-in would
    # have compiled to "no rows" and left the query uncompiled.
    top = UnitFactory()
    builder = Counting(lambda depth: Unit.objects.filter(depth=depth, pk=top.pk))
    query = CompiledQuery(builder, int)

    assert query.run(top.depth) == [top]
    assert query.run(top.depth + 1) == []
    assert builder.calls == 2


def test_a_number_no_column_holds_finds_nothing_as_with_django() -> None:
    UnitFactory()
    query = CompiledQuery(lambda pk: Unit.objects.filter(pk=pk), int)

    assert query.run(2**70) == [] == list(Unit.objects.filter(pk=2**70))
    assert query.first(-(2**64)) is None
