"""New rows inserted with SQL written once (core.compiled.insert_new): what save() would store."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import Value
from django.db.models.functions import Upper
from django.db.models.signals import post_save
from django.db.models.sql.compiler import SQLInsertCompiler
from django.test.utils import CaptureQueriesContext

from motcua.accounts.models import Unit
from motcua.accounts.tests.factories import UnitFactory
from motcua.core.compiled import insert_new
from motcua.core.models import ScheduledRun

pytestmark = pytest.mark.django_db


def _unit(parent: Unit, n: int, **values: Any) -> Unit:
    return Unit(
        code=f"INS{n:03d}",
        name=f"Xã Thử {n}",
        kind="commune",
        parent=parent,
        valid_from=dt.date(2025, 7, 1),
        latitude=Decimal("21.123456"),
        working_weekdays=[0, 1, 2, 3, 4],
        working_sessions=[["07:30", "11:30"], ["13:30", "17:00"]],
        saturday_reception=True,
        **values,
    )


def _stored(unit: Unit) -> dict[str, Any]:
    row = Unit.objects.values().get(pk=unit.pk)
    for name in ("id", "code", "name", "created_at", "updated_at"):
        row.pop(name)
    return row


def test_new_rows_are_stored_as_save_stores_them() -> None:
    parent = UnitFactory(province=True)
    saved = _unit(parent, 0)
    saved.save()

    before = dt.datetime.now(dt.UTC)
    inserted = insert_new([_unit(parent, 1), _unit(parent, 2)])

    assert [unit.code for unit in inserted] == ["INS001", "INS002"]
    for unit in inserted:
        assert unit.pk is not None
        assert not unit._state.adding
        assert unit._state.db == "default"
        assert unit.created_at >= before  # auto_now_add and auto_now applied
        assert unit.updated_at >= before
        assert _stored(unit) == _stored(saved)
        assert Unit.objects.get(pk=unit.pk).code == unit.code  # each key is its own row's


def test_many_rows_take_one_statement_written_once() -> None:
    parent = UnitFactory(province=True)
    with CaptureQueriesContext(connection) as first:
        insert_new([_unit(parent, 1), _unit(parent, 2), _unit(parent, 3)])
    with CaptureQueriesContext(connection) as second:
        insert_new([_unit(parent, 4), _unit(parent, 5), _unit(parent, 6)])

    assert len(first) == len(second) == 1
    if connection.vendor == "postgresql":  # the values are parameters, the SQL the same
        assert (
            first[0]["sql"].split(" RETURNING")[0].split("UNNEST")[0]
            == (second[0]["sql"].split(" RETURNING")[0].split("UNNEST")[0])
        )
    assert Unit.objects.filter(parent=parent).count() == 6
    assert insert_new([]) == []


def test_once_written_the_insert_is_not_asked_of_django_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    parent = UnitFactory(province=True)
    insert_new([_unit(parent, 1), _unit(parent, 2)])  # written here (or by an earlier test)

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("Django was asked to write or save the rows")

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", refuse)
    monkeypatch.setattr(Unit, "save", refuse)
    rows = insert_new([_unit(parent, 3), _unit(parent, 4)])

    assert all(row.pk for row in rows)
    assert Unit.objects.filter(parent=parent).count() == 4


def test_only_new_rows_of_one_model() -> None:
    parent = UnitFactory(province=True)
    with pytest.raises(ValueError, match="new rows"):
        insert_new([parent])
    with pytest.raises(ValueError, match="new rows"):
        insert_new([_unit(parent, 1), parent])


def test_expressions_and_save_signals_are_left_to_django() -> None:
    parent = UnitFactory(province=True)
    (shouted,) = insert_new([_unit(parent, 1, short_name=Upper(Value("xa thu")))])
    assert Unit.objects.get(pk=shouted.pk).short_name == "XA THU"

    heard: list[Unit] = []

    def receiver(sender: type[Unit], instance: Unit, created: bool, **kwargs: Any) -> None:
        heard.append(instance)

    post_save.connect(receiver, sender=Unit)
    try:
        rows = insert_new([_unit(parent, 2), _unit(parent, 3)])
        single = insert_new([_unit(parent, 4)])
    finally:
        post_save.disconnect(receiver, sender=Unit)
    assert heard == [single[0]]  # bulk_create sends no signal; save() does, as before
    assert all(row.pk for row in rows)


def test_a_failed_insert_spoils_the_transaction_as_save_does() -> None:
    slot = dt.datetime(2026, 12, 7, 1, tzinfo=dt.UTC)
    insert_new([ScheduledRun(job="sweep", slot=slot)])
    with transaction.atomic():
        with pytest.raises(IntegrityError):
            insert_new([ScheduledRun(job="sweep", slot=slot)])
        assert connection.needs_rollback  # the block is rolled back, not committed
    assert ScheduledRun.objects.filter(job="sweep").count() == 1
