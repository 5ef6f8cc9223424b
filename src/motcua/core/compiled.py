"""Hot querysets compiled to SQL once per process, then run with new parameters.

perf: on the officer API's busiest reads Django spent more time turning the
same querysets into SQL (``select_related`` over wide tables: 1–4 ms each on
the two-core machine, half of a request's CPU in ``bench/dossiers_http.py
--profile``) than PostgreSQL spent running them. A :class:`CompiledQuery`
builds its queryset once with stand-in parameters, keeps the SQL and the row
reader Django made for it, and later runs only substitute the real
parameters. The rows become model instances exactly as Django's own iterator
makes them (``from_db``, ``select_related`` objects, converters), so callers
keep working with models.

Only whole-valued parameters are supported: integers and texts passed to the
builder, each standing for one value in the SQL (``=``, not ``contains`` or
``startswith``, whose lookups rewrite the value). The first compile builds
the queryset twice with different stand-ins and refuses a builder whose SQL
changes with anything else (a clock read inside the builder would otherwise
be frozen into the cached statement).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache
from typing import Any, TypeVar

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Func, IntegerField, Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql import InsertQuery

Argument = int | str

# Stand-ins, only ever compiled, never run. Integers within the range of every
# integer column (Django turns an out-of-range value into "no rows" without
# SQL); a constant equal to one is caught by the second compile. Texts with a
# control character no form accepts.
_INT_MARK = 31_000
_TEXT_MARK = "\x1fmotcua-param-%d-%d\x1f"
# What a 64-bit integer column holds. Beyond it SQLite's driver raises OverflowError
# (a 500); Django's ORM answers "no rows" instead, so such a run is left to it.
_BIGINT = (-(2**63), 2**63 - 1)
# Pages of one query compiled per thread (offsets differ by page).
_MAX_VARIANTS = 64


def _stand_in(kind: type, index: int, round_: int) -> Argument:
    if kind is int:
        return _INT_MARK + 100 * round_ + index
    if kind is str:
        return _TEXT_MARK % (round_, index)
    raise TypeError(f"CompiledQuery parameters are int or str, not {kind.__name__}")


@dataclass
class _Statement:
    sql: str
    params: list[Any]
    slots: list[tuple[int, int]]  # (position in params, argument index)
    compiler: Any
    converters: dict[int, Any]
    # Model rows only: how ModelIterable reads them (None: values_list tuples).
    model: type[Model] | None = None
    init_list: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    populators: list[Any] = field(default_factory=list)
    annotation_col_map: dict[str, int] = field(default_factory=dict)


@contextmanager
def _generic_plans(connection: Any, wanted: bool) -> Iterator[None]:
    """Have PostgreSQL run prepared statements with their one generic plan meanwhile.

    perf: a prepared statement is planned again for its parameters on each
    run unless PostgreSQL guesses its generic plan is as cheap. For the inbox
    page's six-table join it guessed wrong (the LIMIT's costing) and spent
    2.7 ms planning a 0.5 ms query on every request. The statements marked
    ``generic_plan`` look rows up by key, where one plan suits every value.
    ``SET``/``RESET`` go on the driver's connection directly: two short round
    trips, not counted as the request's queries.
    """
    raw = connection.connection
    if (
        not wanted
        or connection.vendor != "postgresql"
        or raw is None
        or connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is None
    ):
        yield
        return
    raw.execute("SET plan_cache_mode = force_generic_plan")
    try:
        yield
    finally:
        # After an error inside a transaction the RESET fails too; the
        # rollback that follows undoes the SET made within it.
        with suppress(Exception):
            raw.execute("RESET plan_cache_mode")


class CompiledQuery:
    """``build(*arguments)`` → a queryset, compiled once; ``run(*arguments)`` → its rows.

    ``kinds`` gives the type of each argument (``int`` or ``str``). Model
    querysets give model instances; ``values_list`` querysets give tuples.
    ``offset``/``limit`` slice the queryset (each slice is its own statement).
    """

    def __init__(
        self, build: Callable[..., QuerySet[Any]], *kinds: type, generic_plan: bool = False
    ) -> None:
        self.build = build
        self.kinds = kinds
        self.generic_plan = generic_plan
        self._local = threading.local()

    def _statements(self) -> dict[tuple[str, int, int | None], _Statement | None]:
        cache: dict[tuple[str, int, int | None], _Statement | None] | None = getattr(
            self._local, "statements", None
        )
        if cache is None or len(cache) > _MAX_VARIANTS:
            cache = {}
            self._local.statements = cache
        return cache

    def _queryset(self, arguments: Sequence[Argument], offset: int, limit: int | None) -> Any:
        queryset = self.build(*arguments)
        if offset or limit is not None:
            queryset = queryset[offset : None if limit is None else offset + limit]
        return queryset

    def _compile(self, alias: str, offset: int, limit: int | None) -> _Statement | None:
        compiled = []
        for round_ in (0, 1):
            marks = [_stand_in(kind, index, round_) for index, kind in enumerate(self.kinds)]
            queryset = self._queryset(marks, offset, limit)
            compiler = queryset.query.get_compiler(using=alias)
            try:
                sql, params = compiler.as_sql()
            except EmptyResultSet:
                return None
            slots = []
            for position, value in enumerate(params):
                if value in marks:
                    slots.append((position, marks.index(value)))
            compiled.append((queryset, compiler, sql, list(params), slots))
        (queryset, compiler, sql, params, slots), (_, _, sql2, params2, slots2) = compiled
        taken = {position for position, _index in slots}
        fixed = [value for position, value in enumerate(params) if position not in taken]
        fixed2 = [value for position, value in enumerate(params2) if position not in taken]
        if sql != sql2 or slots != slots2 or fixed != fixed2:
            raise ValueError(
                "CompiledQuery: the SQL changes with more than its parameters (a value read "
                "inside the builder, or a lookup that rewrites its value: contains, startswith…)"
            )
        if {index for _position, index in slots} != set(range(len(self.kinds))):
            raise ValueError("CompiledQuery: an argument does not reach the SQL")
        fields = [column[0] for column in compiler.select[0 : compiler.col_count]]
        converters = compiler.get_converters(fields)
        statement = _Statement(sql, params, slots, compiler, converters)
        if queryset._iterable_class is ModelIterable:
            klass_info = compiler.klass_info
            select_fields = klass_info["select_fields"]
            statement.model = klass_info["model"]
            statement.start, statement.end = select_fields[0], select_fields[-1] + 1
            statement.init_list = [
                column[0].target.attname
                for column in compiler.select[statement.start : statement.end]
            ]
            # The stubs follow a newer Django; 5.2 takes (klass_info, select, db).
            statement.populators = get_related_populators(  # type: ignore[call-arg]
                klass_info, compiler.select, alias
            )
            statement.annotation_col_map = compiler.annotation_col_map or {}
        return statement

    def run(
        self,
        *arguments: Argument,
        offset: int = 0,
        limit: int | None = None,
        using: str = "default",
    ) -> list[Any]:
        if limit == 0:  # Django would not ask the database either
            return []
        bound = self._bind(arguments, offset, limit, using)
        if bound is None:  # nothing can match (an empty IN, an out-of-range id): ask Django
            return list(self._queryset(arguments, offset, limit))
        statement, params = bound
        connection = connections[using]
        with connection.cursor() as cursor, _generic_plans(connection, self.generic_plan):
            cursor.execute(statement.sql, params)
            rows: Any = cursor.fetchall()
        return self._read(statement, rows, using)

    def first(self, *arguments: Argument, using: str = "default") -> Any | None:
        """The first row, or None."""
        found = self.run(*arguments, limit=1, using=using)
        return found[0] if found else None

    def _bind(
        self, arguments: Sequence[Argument], offset: int, limit: int | None, using: str
    ) -> tuple[_Statement, list[Any]] | None:
        """The statement and its parameters; None where Django must answer (see run)."""
        if any(
            isinstance(value, int) and not _BIGINT[0] <= value <= _BIGINT[1] for value in arguments
        ):
            return None  # Django answers "no rows" for a number no column holds
        key = (using, offset, limit)
        statements = self._statements()
        if key not in statements:
            statements[key] = self._compile(using, offset, limit)
        statement = statements[key]
        if statement is None:
            return None
        params = list(statement.params)
        for position, index in statement.slots:
            params[position] = arguments[index]
        return statement, params

    @staticmethod
    def _read(statement: _Statement, rows: Any, using: str) -> list[Any]:
        if statement.compiler.has_extra_select:
            rows = [row[0 : statement.compiler.col_count] for row in rows]
        if statement.converters:
            rows = statement.compiler.apply_converters(rows, statement.converters)
        if statement.model is None:
            return [tuple(row) for row in rows]
        found = []
        model, init_list = statement.model, statement.init_list
        start, end = statement.start, statement.end
        for row in rows:
            instance = _instance(model, using, init_list, row[start:end])
            for populator in statement.populators:
                _populate(populator, row, instance)
            for name, position in statement.annotation_col_map.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


@cache
def _pipeline_supported() -> bool:
    """psycopg's pipeline mode needs libpq 14 or later (the binary wheel bundles one)."""
    import psycopg

    return bool(psycopg.Pipeline.is_supported())


def run_together(
    calls: Sequence[tuple[CompiledQuery, tuple[Argument, ...]]], using: str = "default"
) -> list[list[Any]]:
    """Several compiled queries' rows, in one round trip to PostgreSQL.

    perf: the dossier detail reads seven kinds of rows by the dossier's id;
    sent one by one they were seven round trips, each a wait for the
    database and a switch of processes on a busy two-core machine. In
    psycopg's pipeline mode they go out together and come back together.
    Elsewhere (SQLite) they run one after the other. Each still counts as a
    query for Django (tests' query counts, the debug toolbar).
    """
    connection = connections[using]
    bound = []
    if connection.vendor == "postgresql" and _pipeline_supported():
        bound = [(query, query._bind(arguments, 0, None, using)) for query, arguments in calls]
    if not bound or any(found is None for _query, found in bound):
        return [query.run(*arguments, using=using) for query, arguments in calls]
    connection.ensure_connection()
    raw = connection.connection
    prepared = connection.settings_dict.get("OPTIONS", {}).get("prepare_threshold") is not None
    cursors = []
    try:
        # Errors surface when the pipeline syncs, outside Django's cursor: wrapped
        # here so that callers see Django's exceptions (DataError…) as usual.
        with connection.wrap_database_errors, raw.pipeline():
            for query, found in bound:
                assert found is not None
                statement, params = found
                generic = query.generic_plan and prepared
                if generic:
                    raw.execute("SET plan_cache_mode = force_generic_plan")
                cursor = connection.cursor()
                cursor.execute(statement.sql, params)
                if generic:
                    raw.execute("RESET plan_cache_mode")
                cursors.append((cursor, statement))
        return [
            CompiledQuery._read(statement, cursor.fetchall(), using)
            for cursor, statement in cursors
        ]
    except Exception:
        # An error aborts what follows it in the pipeline, RESET included.
        with suppress(Exception):
            raw.execute("RESET plan_cache_mode")
        raise
    finally:
        for cursor, _statement in cursors:
            cursor.close()


# Models that ``_instance`` may build without ``__init__``, by class.
_PLAIN: dict[type[Model], bool] = {}


def _instance(model: type[Model], alias: str, names: list[str], values: Sequence[Any]) -> Model:
    """``model.from_db(alias, names, values)``, without ``Model.__init__`` where that is the same.

    perf: ``__init__`` walks every field of the model to set each value or skip
    a deferred one (~20 µs for a dossier); a row read from the database only
    needs its values in the instance's ``__dict__`` (a deferred field is one
    that is absent there, as Django tells them apart) and a fresh state. Done
    only for models without their own ``__init__``/``from_db`` and with no
    ``pre_init``/``post_init`` receiver (image and generic relation fields).
    """
    plain = _PLAIN.get(model)
    if plain is None:
        plain = (
            model.__init__ is Model.__init__  # type: ignore[misc]
            and model.from_db.__func__ is Model.from_db.__func__  # type: ignore[attr-defined]
            and not signals.pre_init.has_listeners(model)
            and not signals.post_init.has_listeners(model)
        )
        _PLAIN[model] = plain
    if not plain:
        return model.from_db(alias, names, values)
    instance = model.__new__(model)
    instance.__dict__.update(zip(names, values, strict=True))
    state = ModelState()
    state.adding = False
    state.db = alias
    instance._state = state
    return instance


class KeptRows:
    """Rows of one model kept across requests as their values; :meth:`instances` builds
    fresh instances of them for each use.

    For rows that do not change once written (a published procedure version's
    components, methods and steps): a process reads them once, and what one
    request does to its instances (a cached relation, an attribute set) never
    reaches another request. List and dict values are copied for each use.
    """

    __slots__ = ("model", "names", "values")

    def __init__(self, model: type[Model], rows: Sequence[Model]) -> None:
        self.model = model
        present = rows[0].__dict__ if rows else {}
        # Deferred fields are absent from __dict__ and stay deferred.
        self.names = [
            field.attname for field in model._meta.concrete_fields if field.attname in present
        ]
        self.values = [tuple(row.__dict__[name] for name in self.names) for row in rows]

    def instances(self, using: str = "default") -> list[Model]:
        return [
            _instance(
                self.model,
                using,
                self.names,
                [deepcopy(value) if isinstance(value, list | dict) else value for value in row],
            )
            for row in self.values
        ]


def _populate(populator: Any, row: Sequence[Any], parent: Model) -> None:
    """Django's ``RelatedPopulator.populate`` (5.2), building with :func:`_instance`."""
    if populator.reorder_for_init:
        values = populator.reorder_for_init(row)
    else:
        values = row[populator.cols_start : populator.cols_end]
    related = None
    if values[populator.pk_idx] is not None:
        related = _instance(populator.model_cls, populator.db, populator.init_list, values)
        for inner in populator.related_populators:
            _populate(inner, row, related)
    populator.local_setter(parent, related)
    if related is not None:
        populator.remote_setter(related, parent)


class _CountAll(Func):
    """``COUNT(*)`` as a plain column, so that no GROUP BY is added for it."""

    template = "COUNT(*)"
    output_field = IntegerField()
    contains_aggregate = False


def counted(queryset: QuerySet[Any]) -> QuerySet[Any]:
    """The number of a queryset's rows as a one-row ``values_list`` a CompiledQuery can keep."""
    return queryset.order_by().annotate(row_count=_CountAll()).values_list("row_count")


class CompiledList:
    """The rows of a compiled query and their count, as Django's Paginator reads a list.

    ``count()`` runs the compiled count; a slice runs the compiled rows for
    that page only, then ``each`` on every row (to attach what the caller
    already holds instead of joining it).
    """

    def __init__(
        self,
        rows: CompiledQuery,
        count: CompiledQuery,
        *arguments: Argument,
        each: Callable[[Any], None] | None = None,
    ) -> None:
        self.rows, self._count, self.arguments, self.each = rows, count, arguments, each

    def count(self) -> int:
        found = self._count.run(*self.arguments)
        return int(found[0][0]) if found else 0

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[Any]:
        if not isinstance(item, slice) or item.step is not None:
            raise TypeError("CompiledList: slices without a step only")
        start = item.start or 0
        limit = None if item.stop is None else max(0, item.stop - start)
        found = self.rows.run(*self.arguments, offset=start, limit=limit)
        if self.each is not None:
            for row in found:
                self.each(row)
        return found


def keep_related(instance: Model, name: str, rows: list[Any]) -> None:
    """Keep ``rows`` as ``instance``'s prefetched ``name`` (a reverse foreign key), as
    ``prefetch_related`` would: ``getattr(instance, name).all()`` then reads nothing."""
    manager = getattr(instance, name)
    for row in rows:
        manager.field.set_cached_value(row, instance)
    cached = manager.all()
    cached._result_cache = rows
    cached._prefetch_done = True
    prefetched = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    prefetched[manager.field.remote_field.cache_name] = cached


def related_rows(instance: Model, name: str, query: CompiledQuery) -> list[Any]:
    """``list(getattr(instance, name).all())``: the prefetched rows if there are, else
    ``query`` run with the instance's key (compiled: see the module)."""
    prefetched = instance.__dict__.get("_prefetched_objects_cache", {})
    manager = getattr(instance, name)
    if manager.field.remote_field.cache_name in prefetched:
        return list(manager.all())
    return query.run(instance.pk)


# --- inserts -------------------------------------------------------------------


@dataclass
class _Insert:
    sql: str
    by_column: bool  # PostgreSQL's UNNEST form: one array per column, not one row each
    fields: list[Any]
    returning: list[Any]
    compiler: Any
    converters: dict[int, Any]


_inserts = threading.local()
_New = TypeVar("_New", bound=Model)


def _insert_plan(model: type[Model], using: str, count: int) -> _Insert | None:
    """The INSERT of ``count`` new rows of ``model`` as Django writes it; None where
    Django must insert them itself (inherited or non-automatic keys)."""
    plans: dict[tuple[type[Model], str, int], _Insert | None] = _inserts.__dict__.setdefault(
        "plans", {}
    )
    key = (model, using, count)
    if key in plans:
        return plans[key]
    meta = model._meta
    connection = connections[using]
    fields = [field for field in meta.local_concrete_fields if field is not meta.auto_field]
    plan = None
    if (
        meta.pk is meta.auto_field
        and not meta.parents
        and fields
        and not any(hasattr(field, "get_placeholder") for field in fields)
        and connection.features.can_return_rows_from_bulk_insert
    ):
        query = InsertQuery(model)
        query.insert_values(fields, [])
        compiler = query.get_compiler(using=using)
        # Stand-in values: only the shape of the placeholders matters here.
        placeholders, _params = compiler.assemble_as_sql(fields, [[None] * len(fields)] * count)
        returning = list(meta.db_returning_fields)
        # Not in the stubs; every backend that can return rows defines it.
        returning_sql, returning_params = connection.ops.return_insert_columns(  # type: ignore[attr-defined]
            returning
        )
        if not returning_params:
            by_column = count > 1 and type(placeholders).__name__ == "InsertUnnest"
            quote = connection.ops.quote_name
            columns_sql = ", ".join(quote(str(field.column)) for field in fields)
            sql = " ".join(
                [
                    connection.ops.insert_statement(on_conflict=None),
                    quote(meta.db_table),
                    f"({columns_sql})",
                    connection.ops.bulk_insert_sql(fields, placeholders),
                    returning_sql,
                ]
            )
            columns = [field.get_col(meta.db_table) for field in returning]
            plan = _Insert(
                sql, by_column, fields, returning, compiler, compiler.get_converters(columns)
            )
    plans[key] = plan
    return plan


def _values(plan: _Insert, rows: Sequence[Model], connection: Any) -> list[list[Any]] | None:
    """Each row's values as ``save()`` prepares them; None if one is an expression (SQL)."""
    values = []
    for row in rows:
        row._prepare_related_fields_for_save(operation_name="save")  # type: ignore[attr-defined]
        prepared = []
        for column in plan.fields:
            value = column.pre_save(row, add=True)
            if hasattr(value, "resolve_expression"):
                return None
            prepared.append(column.get_db_prep_save(value, connection=connection))
        values.append(prepared)
    return values


def insert_new(rows: Sequence[_New], using: str = "default") -> list[_New]:
    """Insert new ``rows`` of one model in one statement, as ``save()`` or ``bulk_create``
    would (``pre_save`` of each field, keys and database defaults read back); the rows.

    perf: Django writes the same INSERT afresh for every row it saves (a
    placeholder per value, the columns quoted, the model's save machinery):
    a third of the intake's time in the service (four inserts). The SQL of
    ``n`` rows of a model depends on nothing else, so it is written once per
    thread; each call only prepares the values. Rows of models with save
    signals, or values that are expressions, go through Django as before.
    """
    if not rows:
        return []
    model = type(rows[0])
    if any(type(row) is not model or not row._state.adding or row.pk is not None for row in rows):
        raise ValueError("insert_new: new rows of one model only")
    connection = connections[using]
    plan = values = None
    # Asked each time: receivers come and go (tests connect their own).
    if not signals.pre_save.has_listeners(model) and not signals.post_save.has_listeners(model):
        plan = _insert_plan(model, using, len(rows))
    if plan is not None:
        values = _values(plan, rows, connection)
    if plan is None or values is None:
        if len(rows) == 1:
            rows[0].save(force_insert=True, using=using)
            return list(rows)
        return model._default_manager.using(using).bulk_create(rows)
    params: list[Any]
    if plan.by_column:
        params = [list(column) for column in zip(*values, strict=True)]
    else:
        params = [value for row_values in values for value in row_values]
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(plan.sql, params)
        returned = cursor.fetchall()
    if plan.converters:
        returned = list(plan.compiler.apply_converters(returned, plan.converters))
    for row, row_returned in zip(rows, returned, strict=True):
        for column, value in zip(plan.returning, row_returned, strict=True):
            setattr(row, column.attname, value)
        row._state.adding = False
        row._state.db = using
    return list(rows)
