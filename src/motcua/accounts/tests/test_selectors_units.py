"""Effective-dated look-ups, the tree, successions and inherited working settings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from motcua.accounts.models import Unit
from motcua.accounts.selectors import (
    UnitWorkingSettings,
    unit_ancestors,
    unit_from_rows,
    unit_get_by_code,
    unit_predecessors,
    unit_read,
    unit_resolve_settings,
    unit_subtree,
    unit_successors,
)
from motcua.accounts.services import units_import
from motcua.accounts.tests.factories import UnitFactory
from motcua.core.exceptions import NotFound

SLICES = Path(__file__).parent / "data"
BEFORE = dt.date(2025, 6, 30)
AFTER = dt.date(2025, 7, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported() -> None:
    units_import(data_dir=SLICES)


def test_get_by_code_picks_the_era_from_the_date(imported: None) -> None:
    assert unit_get_by_code(code="00145", on=BEFORE).name == "Phường Long Biên"
    assert unit_get_by_code(code="00145", on=BEFORE).valid_to == BEFORE
    assert unit_get_by_code(code="00145", on=AFTER).valid_from == AFTER
    assert unit_get_by_code(code="10015", on=BEFORE).name == "Thị trấn Chúc Sơn"
    assert unit_get_by_code(code="10015", on=AFTER).name == "Phường Chương Mỹ"
    # Today (after the reform) is the new era; the continuing row is always in force.
    assert unit_get_by_code(code="10015").name == "Phường Chương Mỹ"
    assert unit_get_by_code(code="01", on=dt.date(2000, 1, 1)).name == "Thành phố Hà Nội"


def test_get_by_code_raises_not_found_outside_the_period(imported: None) -> None:
    with pytest.raises(NotFound, match="004"):
        unit_get_by_code(code="004", on=AFTER)  # Quận Long Biên ended on 30/6/2025
    with pytest.raises(NotFound):
        unit_get_by_code(code="99999")


def test_ancestors_come_root_first_in_one_query(
    imported: None, django_assert_num_queries: object
) -> None:
    commune = unit_get_by_code(code="00130", on=BEFORE)

    with django_assert_num_queries(1):  # type: ignore[operator]
        ancestors = unit_ancestors(unit=commune)

    assert [unit.name for unit in ancestors] == ["Thành phố Hà Nội", "Quận Long Biên"]
    assert unit_ancestors(unit=commune, include_self=True)[-1] == commune


def test_subtree_includes_both_eras_below_a_continuing_province(imported: None) -> None:
    hanoi = unit_get_by_code(code="01")
    district = unit_get_by_code(code="004", on=BEFORE)

    names = set(unit_subtree(unit=hanoi).values_list("name", flat=True))

    assert {"Thành phố Hà Nội", "Quận Long Biên", "Phường Gia Thụy", "Phường Ba Đình"} <= names
    assert "Phường Hải Dương" not in names
    assert set(unit_subtree(unit=district, include_self=False).values_list("code", flat=True)) == {
        "00130",
        "00139",
        "00145",
        "00148",
        "00151",
        "00154",
    }
    assert unit_subtree(unit=hanoi).in_force(AFTER).count() == 6  # Hà Nội and its 5 wards


def test_successors_and_predecessors_follow_the_links(imported: None) -> None:
    old_long_bien = unit_get_by_code(code="00145", on=BEFORE)
    new_long_bien = unit_get_by_code(code="00145", on=AFTER)

    assert list(unit_successors(unit=old_long_bien)) == [new_long_bien]
    predecessors = set(unit_predecessors(unit=new_long_bien).values_list("name", flat=True))
    assert predecessors == {
        "Phường Gia Thụy",
        "Phường Bồ Đề",
        "Phường Long Biên",
        "Phường Thạch Bàn",
        "Phường Phúc Đồng",
        "Phường Cự Khối",
        "Xã Bát Tràng",
    }
    assert list(unit_successors(unit=new_long_bien)) == []


def test_settings_default_when_nobody_set_them() -> None:
    unit = UnitFactory()

    settings = unit_resolve_settings(unit=unit)

    assert settings == UnitWorkingSettings(
        working_weekdays=(0, 1, 2, 3, 4),
        working_sessions=((dt.time(8), dt.time(12)), (dt.time(13), dt.time(17))),
        saturday_reception=False,
        saturday_sessions=((dt.time(8), dt.time(12)),),
        same_day_cutoff=dt.time(15),
    )


def test_settings_are_inherited_from_the_nearest_ancestor_that_sets_them(
    django_assert_num_queries: object,
) -> None:
    province = UnitFactory(
        province=True, working_sessions=[["07:30", "11:30"], ["13:30", "17:00"]]
    )
    commune = UnitFactory(parent=province, saturday_reception=True, same_day_cutoff=dt.time(16))
    centre = UnitFactory(
        service_centre=True, parent=commune, working_sessions=[["08:00", "17:00"]]
    )
    office = UnitFactory(department=True, parent=commune)

    with django_assert_num_queries(1):  # type: ignore[operator]
        centre_settings = unit_resolve_settings(unit=centre)
    office_settings = unit_resolve_settings(unit=office)

    assert centre_settings.working_sessions == ((dt.time(8), dt.time(17)),)
    assert centre_settings.saturday_reception is True
    assert centre_settings.same_day_cutoff == dt.time(16)
    assert office_settings.working_sessions == (
        (dt.time(7, 30), dt.time(11, 30)),
        (dt.time(13, 30), dt.time(17)),
    )
    assert office_settings.working_weekdays == (0, 1, 2, 3, 4)


def test_settings_skip_a_stored_value_that_no_longer_parses() -> None:
    province = UnitFactory(province=True, working_weekdays=[0, 1, 2, 3, 4, 5])
    commune = UnitFactory(parent=province)
    Unit.objects.filter(pk=commune.pk).update(working_weekdays=["thứ hai"])
    commune.refresh_from_db()

    assert unit_resolve_settings(unit=commune).working_weekdays == (0, 1, 2, 3, 4, 5)


def test_resolved_settings_are_frozen() -> None:
    settings = unit_resolve_settings(unit=UnitFactory())

    with pytest.raises(AttributeError):
        settings.saturday_reception = True  # type: ignore[misc]


@pytest.mark.postgres
def test_a_units_chain_is_read_by_its_keys_not_by_scanning_every_unit(imported: None) -> None:
    """The intake's chain read (unit_read on PostgreSQL): an index look-up per unit
    of the path, whatever the number of units (the plan of "IN (subquery)" was a
    scan of all of them)."""
    from django.db import connection

    unit = Unit.objects.filter(depth__gte=2).order_by("pk").first()
    assert unit is not None
    query, arguments = unit_read(unit.pk, vendor=connection.vendor)
    rows = unit_from_rows(unit.pk, query.run(*arguments))
    assert rows == unit and unit_ancestors(unit=rows) == unit_ancestors(unit=unit)

    bound = query._bind(arguments, 0, None, "default")
    assert bound is not None
    sql, params = bound[0].sql, bound[1]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Cond: (id = ANY" in plan, plan
