"""Reads of the organisation: effective-dated units, the tree, successions, settings."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from typing import Any

from django.db.models import BooleanField, F
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import Unit
from motcua.accounts.working_settings import (
    SETTING_FIELDS,
    UnitWorkingSettings,
    parse_stored,
)
from motcua.core.compiled import CompiledQuery
from motcua.core.exceptions import NotFound, ValidationFailed

logger = logging.getLogger(__name__)

__all__ = [
    "UnitWorkingSettings",
    "unit_ancestors",
    "unit_get_by_code",
    "unit_predecessors",
    "unit_resolve_settings",
    "unit_subtree",
    "unit_successors",
]


def unit_get_by_code(*, code: str, on: dt.date | None = None) -> Unit:
    """The unit with official or internal ``code`` in force on ``on`` (today by default).

    Codes are reused across the 2025 reform, so the date chooses the era:
    ``unit_get_by_code(code="00004", on=date(2025, 6, 30))`` is Phường Trúc
    Bạch, the same code a day later is Phường Ba Đình. Raises
    :class:`NotFound` when no unit with that code is in force on that date.
    """
    unit = (
        Unit.objects.in_force(on)
        .filter(code=code)
        .order_by(F("valid_from").desc(nulls_last=True), "-pk")
        .first()
    )
    if unit is None:
        raise NotFound(
            _("Không có đơn vị mã %(code)s có hiệu lực vào ngày %(date)s.")
            % {"code": code, "date": (on or timezone.localdate()).strftime("%d/%m/%Y")}
        )
    return unit


# perf: a chain of units is read several times per intake; one compiled
# statement per chain length (a handful: province to service point).
_UNITS_BY_IDS: dict[int, CompiledQuery] = {}
_COMPILED_CHAIN = 8
# Where a Unit instance keeps its chain: (its ancestor ids, {id: unit}).
_ANCESTOR_ROWS = "_ancestor_rows"


def _units_by_ids(ids: list[int]) -> list[Unit]:
    if len(ids) > _COMPILED_CHAIN:
        return list(Unit.objects.filter(pk__in=ids))
    query = _UNITS_BY_IDS.get(len(ids))
    if query is None:
        query = CompiledQuery(lambda *pks: Unit.objects.filter(pk__in=pks), *([int] * len(ids)))
        _UNITS_BY_IDS[len(ids)] = query
    return query.run(*ids)


_UNIT_BY_ID = CompiledQuery(lambda pk: Unit.objects.filter(pk=pk), int)
# The unit's chain (itself and every unit above it) by the unit's id, from its
# path: the ids of "/1/5/23/" by PostgreSQL's arrays, in the same round trip as
# the unit (SQLite reads the chain when first asked, see unit_ancestors). As an
# array of keys, not "IN (subquery)": the prepared statement's plan for that
# was a scan of every unit (0.3 ms for 500 units, a country has 10,000).
_CHAIN_BY_ID = CompiledQuery(
    lambda pk: Unit.objects.filter(
        RawSQL(
            '"accounts_unit"."id" = ANY(ARRAY(SELECT unnest(string_to_array('
            "btrim(path, '/'), '/'))::integer FROM accounts_unit WHERE id = %s))",
            (pk,),
            output_field=BooleanField(),
        )
    ),
    int,
)


def unit_read(pk: int, *, vendor: str) -> tuple[CompiledQuery, tuple[int]]:
    """The statement of a unit by id, for ``run_together``: on PostgreSQL its whole
    chain (the unit is in it); :func:`unit_from_rows` makes the unit of its rows."""
    return (_CHAIN_BY_ID if vendor == "postgresql" else _UNIT_BY_ID, (pk,))


def unit_from_rows(pk: int, rows: Sequence[Unit]) -> Unit | None:
    """The unit ``pk`` among the rows of :func:`unit_read`, None when there is none; a
    chain read with it is kept on it, so :func:`unit_ancestors` reads nothing more."""
    by_id = {row.pk: row for row in rows}
    unit = by_id.get(pk)
    if unit is not None and set(unit.ancestor_ids) <= by_id.keys():
        unit.__dict__[_ANCESTOR_ROWS] = (tuple(unit.ancestor_ids), by_id)
    return unit


def unit_by_id(pk: int) -> Unit | None:
    """The unit with primary key ``pk``, or None."""
    unit: Unit | None = _UNIT_BY_ID.first(pk)
    return unit


def unit_ancestors(*, unit: Unit, include_self: bool = False) -> list[Unit]:
    """The units above ``unit``, from the root down, in one query (via the path)."""
    ids = unit.ancestor_ids or ([unit.pk] if unit.pk else [])
    if not include_self:
        ids = [pk for pk in ids if pk != unit.pk]
    if not ids:
        return []
    # perf: one intake asks for the chain several times (calendar, agency code,
    # competent body); it is read once per Unit instance and path.
    key = tuple(unit.ancestor_ids or ())
    memo = unit.__dict__.get(_ANCESTOR_ROWS)
    if memo is None or memo[0] != key or not set(ids) <= memo[1].keys():
        wanted = sorted(set(key) | set(ids))
        memo = (key, {row.pk: row for row in _units_by_ids(wanted)})
        unit.__dict__[_ANCESTOR_ROWS] = memo
    by_id = memo[1]
    return [by_id[pk] for pk in ids if pk in by_id]


def unit_subtree(*, unit: Unit, include_self: bool = True) -> Any:
    """``unit`` and every unit below it at any depth, as a queryset ordered by path.

    Chain ``.in_force(on)`` to keep only the units in force on a date.
    """
    queryset = Unit.objects.subtree_of(unit)
    if not include_self:
        queryset = queryset.exclude(pk=unit.pk)
    return queryset.order_by("path")


def unit_successors(*, unit: Unit) -> Any:
    """The units that took over from ``unit`` (direct links only, R33)."""
    return Unit.objects.filter(precessions__predecessor=unit).order_by("code")


def unit_predecessors(*, unit: Unit) -> Any:
    """The units ``unit`` took over from (direct links only, R33)."""
    return Unit.objects.filter(successions__successor=unit).order_by("code")


def unit_resolve_settings(*, unit: Unit) -> UnitWorkingSettings:
    """The working settings in force for ``unit``.

    Each setting is the unit's own, else the nearest ancestor's, else the default.
    One query for all ancestors. The unit's own values are read from the
    instance, so unsaved edits count. A stored value that no longer parses is
    skipped (and logged) rather than breaking every deadline computation.
    """
    ancestors = unit_ancestors(unit=unit)  # root first
    chain = [unit, *reversed(ancestors)]  # nearest first
    resolved: dict[str, Any] = {}
    for name in SETTING_FIELDS:
        for level in chain:
            value = getattr(level, name)
            if value is None:
                continue
            try:
                resolved[name] = parse_stored(name, value)
            except ValidationFailed as exc:
                logger.warning("Unit %s has an invalid %s (%s); ignored.", level.pk, name, exc)
                continue
            break
    return UnitWorkingSettings(**resolved)
