"""Read queries compiled once per process: the ORM writes the SQL, each request only binds values.

Django builds and compiles a queryset's SQL every time it is evaluated. On the
busiest public pages that costs ten times what the database takes to answer
(the article page's queries: about 4 ms of Python against 0.3 ms in SQLite at
10,000 articles, see README "Benchmarks"). Those pages run the same few
queries with different values, so a PreparedQuery builds its queryset once per
database connection with marker values standing for the parameters, keeps the
SQL, and on each call runs that SQL with the caller's values in the markers'
places. Rows come back as the queryset would give them: model instances (with
select_related objects and annotations) or, for values(), dicts.

The queryset stays the one definition of the query; tests check that a
prepared query answers exactly what its queryset does.
"""

from __future__ import annotations

import datetime
import threading
import weakref
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet
from django.db.models.query import ModelIterable, ValuesIterable, get_related_populators

# Marker values that no real parameter takes, one per parameter name.
_MARKER_BASE_INT = -(2**62)
_MARKER_BASE_TIME = datetime.datetime(1901, 2, 3, 4, 5, 6, tzinfo=datetime.UTC)


@dataclass
class _Compiled:
    sql: str
    slots: list  # per SQL parameter: ("value", name) or ("constant", value)
    compiler: Any
    converters: dict  # column -> the database's converters, as the compiler gives them
    make_rows: Callable  # (db, converted rows) -> results


class PreparedQuery:
    """A queryset compiled once per database connection and run many times with new values.

    build(**markers) must return the same queryset shape whatever the values
    (a ModelIterable or values() queryset); params names each parameter's
    type: str, int or datetime.datetime. Each parameter must reach the SQL as
    a plain bound value (exact, comparison or IN lookups), which preparing
    checks.

    shape names parameters that change the SQL itself, such as a slice's
    bounds (Django writes LIMIT and OFFSET into the text): build gets their
    real values, and the query is compiled once for each combination, up to
    MAX_SHAPES of them (beyond, each call compiles afresh).
    """

    MAX_SHAPES = 64

    def __init__(self, build: Callable[..., QuerySet], *, shape: tuple[str, ...] = (), **params: type):
        unknown = {kind for kind in params.values() if kind not in (str, int, datetime.datetime)}
        if unknown:
            raise TypeError(f"PreparedQuery parameters must be str, int or datetime, not {unknown}")
        self.build = build
        self.params = params
        self.shape = shape
        self._compiled: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self._lock = threading.Lock()

    def __call__(self, using: str = "default", **values) -> list:
        shape = {name: values.pop(name) for name in self.shape if name in values}
        if values.keys() != self.params.keys() or len(shape) != len(self.shape):
            raise TypeError(f"expected values for {sorted([*self.params, *self.shape])}, got {sorted(values)}")
        connection = connections[using]
        shapes = self._compiled.get(connection) or {}
        key = tuple(shape.values())
        compiled = shapes.get(key)
        if compiled is None:
            compiled = self._prepare(using, shape)
            with self._lock:
                shapes = self._compiled.setdefault(connection, shapes)
                if len(shapes) < self.MAX_SHAPES:
                    shapes[key] = compiled
        adapted = {name: self._adapt(connection, self.params[name], value) for name, value in values.items()}
        bound = [adapted[item] if kind == "value" else item for kind, item in compiled.slots]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, bound)
            rows = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        return compiled.make_rows(using, list(rows))

    @staticmethod
    def _adapt(connection, kind: type, value):
        if kind is datetime.datetime:
            return connection.ops.adapt_datetimefield_value(value)
        if not isinstance(value, kind):
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    def _markers(self) -> dict[str, Any]:
        markers = {}
        for i, (name, kind) in enumerate(self.params.items()):
            if kind is str:
                markers[name] = f"\x00prepared-marker-{i}\x00"
            elif kind is int:
                markers[name] = _MARKER_BASE_INT - i
            else:
                markers[name] = _MARKER_BASE_TIME + datetime.timedelta(microseconds=i + 1)
        return markers

    def _prepare(self, using: str, shape: dict) -> _Compiled:
        connection = connections[using]
        markers = self._markers()
        queryset = self.build(**markers, **shape)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        by_value = {self._adapt(connection, self.params[name], marker): name for name, marker in markers.items()}
        slots, found = [], set()
        for param in params:
            name = by_value.get(param) if isinstance(param, Hashable) else None
            if name is not None:
                slots.append(("value", name))
                found.add(name)
            else:
                slots.append(("constant", param))
        missing = set(markers) - found
        if missing or any(str(marker) in sql for marker in markers.values()):
            raise ValueError(f"parameters {sorted(missing) or sorted(markers)} do not reach the SQL as bound values")
        # What compiler.results_iter() would work out again on every run.
        columns = [column[0] for column in compiler.select[: compiler.col_count]]
        converters = compiler.get_converters(columns)
        if compiler.has_composite_fields(columns):
            raise TypeError("PreparedQuery does not handle composite primary keys")
        return _Compiled(sql, slots, compiler, converters, self._row_maker(queryset, compiler))

    @staticmethod
    def _row_maker(queryset: QuerySet, compiler) -> Callable:
        query = queryset.query
        if queryset._iterable_class is ValuesIterable:
            names = list(query.selected) if query.selected else [*query.values_select, *query.annotation_select]

            def make_dicts(db, rows):
                return [dict(zip(names, row, strict=True)) for row in rows]

            return make_dicts
        if queryset._iterable_class is not ModelIterable or queryset._prefetch_related_lookups:
            raise TypeError("PreparedQuery runs model or values() querysets without prefetch_related")
        # What ModelIterable does with each row, worked out once.
        klass_info, select, annotations = compiler.klass_info, compiler.select, compiler.annotation_col_map
        start, end = klass_info["select_fields"][0], klass_info["select_fields"][-1] + 1
        init_list = [column[0].target.attname for column in select[start:end]]
        model = klass_info["model"]

        def make_models(db, rows):
            populators = get_related_populators(klass_info, select, db)
            objects = []
            for row in rows:
                obj = model.from_db(db, init_list, row[start:end])
                for populator in populators:
                    populator.populate(row, obj)
                for name, position in (annotations or {}).items():
                    setattr(obj, name, row[position])
                objects.append(obj)
            return objects

        return make_models
