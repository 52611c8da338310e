"""Hot-path statements: a Core statement compiled once per dialect and run straight on the DBAPI
cursor of the session's connection.

SQLAlchemy's `Connection.execute` costs some 40 microseconds of Python per statement (cache key,
execution context, result metadata, events) on top of the driver; the order path runs about twenty
statements, so that layer was a third of an order's time. A `Prepared` statement keeps what matters:
the SQL is SQLAlchemy's own compilation for the dialect, every parameter still goes through its
column type's bind processor (exact scaled integers, UTC datetimes) and every result column through
its result processor, and DBAPI errors are raised as SQLAlchemy's (IntegrityError...). What it
drops: execution events and echo logging (these statements don't appear in `echo=True` output),
`expanding` IN parameters (use `in_list()` instead: one array/JSON parameter, constant SQL) and
implicit RETURNING of executemany. It runs inside the transaction the Connection already began.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, DateTime, exc
from sqlalchemy.sql.elements import BindParameter

from dealerhub.shared.list_parameters import (
    IdList,
    array_text_processor,
    column_types,
    in_list,
    pairs_in,
    row_lists,
    unnest_rows,
)


class Prepared:
    """A statement compiled once per dialect; run with `one`, `rows`, `rowcount` or `many`."""

    __slots__ = ("_by_dialect", "statement")

    def __init__(self, statement: Any) -> None:
        self.statement = statement
        self._by_dialect: dict[str, _Compiled] = {}

    def _for(self, conn: Connection) -> _Compiled:
        dialect = conn.dialect
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = self._by_dialect[dialect.name] = _Compiled(self.statement, dialect)
        return compiled

    def rows(self, conn: Connection, params: Mapping[str, Any] | None = None) -> list[Any]:
        """All result rows (named tuples with processed values)."""
        c = self._for(conn)
        cursor = c.execute(conn, params or {})
        try:
            return c.process_rows(cursor.fetchall())
        finally:
            cursor.close()

    def one(self, conn: Connection, params: Mapping[str, Any] | None = None) -> Any:
        """The first result row, or None."""
        c = self._for(conn)
        cursor = c.execute(conn, params or {})
        try:
            row = cursor.fetchone()
        finally:
            cursor.close()
        return None if row is None else c.process_rows([row])[0]

    def rowcount(self, conn: Connection, params: Mapping[str, Any] | None = None) -> int:
        """Run a statement without results; returns the number of rows it matched."""
        c = self._for(conn)
        cursor = c.execute(conn, params or {})
        count = cursor.rowcount
        cursor.close()
        return count

    def many(self, conn: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        """executemany (psycopg pipelines it: one round trip); returns the total row count."""
        if not rows:
            return 0
        c = self._for(conn)
        cursor = c.execute(conn, rows, many=True)
        count = cursor.rowcount
        cursor.close()
        return count


class Pending:
    """The result of a statement sent in a `batch()`: read it after the batch."""

    __slots__ = ("_compiled", "_count", "_cursor", "_many", "_rows", "params")

    def __init__(self, compiled: _Compiled, cursor: Any, many: bool, params: Any) -> None:
        self._compiled, self._cursor, self._many, self.params = compiled, cursor, many, params
        self._rows: list[Any] | None = None
        self._count = -1

    def _collect(self) -> None:
        cursor = self._cursor
        if cursor is None:
            return
        self._cursor = None
        try:
            self._count = cursor.rowcount
            if self._compiled.row_type is not None and not self._many:
                self._rows = self._compiled.process_rows(cursor.fetchall())
        finally:
            cursor.close()

    @property
    def rows(self) -> list[Any]:
        self._collect()
        if self._rows is None:
            raise TypeError("this statement returns no rows")
        return self._rows

    @property
    def rowcount(self) -> int:
        self._collect()
        return self._count


class Batch:
    """Statements sent together: on PostgreSQL in psycopg's pipeline mode (one round trip for
    the lot, results read when the batch ends); elsewhere each runs at once. Only for statements
    that don't need each other's results."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.pending: list[Pending] = []

    def send(self, prepared: Prepared, params: Mapping[str, Any] | None = None) -> Pending:
        c = prepared._for(self.conn)
        return self._add(Pending(c, c.execute(self.conn, params or {}), False, params))

    def send_many(self, prepared: Prepared, rows: Sequence[Mapping[str, Any]]) -> Pending:
        c = prepared._for(self.conn)
        return self._add(Pending(c, c.execute(self.conn, rows, many=True), True, rows))

    def _add(self, pending: Pending) -> Pending:
        self.pending.append(pending)
        return pending


@contextmanager
def batch(conn: Connection) -> Iterator[Batch]:
    """`with batch(conn) as b: x = b.send(stmt, params)`; then `x.rows` / `x.rowcount`."""
    b = Batch(conn)
    if conn.dialect.name != "postgresql":
        yield b
        for pending in b.pending:
            pending._collect()
        return
    dbapi_connection = conn.connection.dbapi_connection
    try:
        with dbapi_connection.pipeline():
            yield b
    except conn.dialect.loaded_dbapi.Error as error:
        for pending in b.pending:
            if pending._cursor is not None:
                pending._cursor.close()
        raise exc.DBAPIError.instance(
            "(pipeline)", None, error, conn.dialect.loaded_dbapi.Error, dialect=conn.dialect
        ) from error
    for pending in b.pending:
        pending._collect()


class _Compiled:
    """The SQL of a statement for one dialect and how to turn parameters and rows into values."""

    def __init__(self, statement: Any, dialect: Any) -> None:
        compiled = statement.compile(dialect=dialect)
        if compiled.literal_execute_params or compiled.post_compile_params:
            raise ValueError("Prepared statements take no expanding parameters; use in_list()")
        self.sql = compiled.string
        self.dialect = dialect
        self.positional = compiled.positional
        binds = compiled.binds
        # Bound values fixed in the statement (e.g. `.values(last_value=1)`, literals).
        self.fixed = {name: bp.value for name, bp in binds.items() if not bp.required and bp.callable is None}
        names = compiled.positiontup if self.positional else list(binds)
        self.names = tuple(names or ())
        processors, times = {}, {}
        for name, bp in binds.items():
            processor = array_text_processor(bp.type, dialect) or bp.type.dialect_impl(dialect).bind_processor(dialect)
            if processor is not None and bp.type._type_affinity is DateTime:  # one per type: `created_at_0`, `_1`...
                processor = times.get(bp.type) or times.setdefault(bp.type, _last_kept(processor))
            if processor is not None:
                processors[name] = processor
        self.processors = processors
        self.steps = tuple((name, processors.get(name)) for name in self.names)  # in parameter order
        # A positional statement may use a parameter several times (SQLite's `?`): each value
        # goes through its type's processor once.
        self.unique_steps = tuple({name: processors.get(name) for name in self.names}.items())
        self.repeats = len(self.unique_steps) != len(self.names)
        columns = list(statement.exported_columns) if _returns_rows(statement) else []
        if columns:
            self.row_type = namedtuple("Row", [_key(c, n) for n, c in enumerate(columns)], rename=True)
            self.result_processors = [c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns]
            if not any(self.result_processors):
                self.result_processors = None
        else:
            self.row_type = None
            self.result_processors = None

    def parameters(self, params: Mapping[str, Any]) -> Any:
        values = {**self.fixed, **params} if self.fixed else params
        if self.positional:
            if self.repeats:
                once = {n: values[n] if p is None else p(values[n]) for n, p in self.unique_steps}
                return tuple([once[n] for n in self.names])
            return tuple([values[n] if p is None else p(values[n]) for n, p in self.steps])
        return {n: values[n] if p is None else p(values[n]) for n, p in self.steps}

    def execute(self, conn: Connection, params: Any, *, many: bool = False) -> Any:
        dbapi_connection = conn.connection.dbapi_connection
        cursor = dbapi_connection.cursor()
        try:
            if many:
                cursor.executemany(self.sql, [self.parameters(p) for p in params])
            else:
                cursor.execute(self.sql, self.parameters(params))
        except self.dialect.loaded_dbapi.Error as error:
            cursor.close()
            raise exc.DBAPIError.instance(
                self.sql, params, error, self.dialect.loaded_dbapi.Error, dialect=self.dialect
            ) from error
        except Exception:
            cursor.close()
            raise
        return cursor

    def process_rows(self, raw: list[Any]) -> list[Any]:
        make, processors = self.row_type._make, self.result_processors
        if processors is None:
            return [make(r) for r in raw]
        return [
            make([p(v) if p is not None else v for p, v in zip(processors, r, strict=True)]) for r in raw
        ]


def _last_kept(processor: Any) -> Any:
    """A time's processor that keeps its last result: a use case stamps its rows with one `now`
    (ten reservations, an audit row), converted once (UTC, SQLite's text) instead of for each."""
    last: tuple[Any, Any] = (None, None)

    def process(value: Any) -> Any:
        nonlocal last
        seen, result = last  # one tuple, read and replaced whole: safe across threads
        if value is seen and value is not None:
            return result
        result = processor(value)
        last = (value, result)
        return result

    return process


def _returns_rows(statement: Any) -> bool:
    return bool(getattr(statement, "is_select", False) or getattr(statement, "_returning", ()))


def insert_of(table: Any, *columns: str) -> Any:
    """`INSERT INTO table (columns) VALUES (:column, ...)` with one bound parameter per column,
    named as the column (a bare `table.insert()` would compile every column, defaults included)."""
    return table.insert().values({c: BindParameter(c, type_=table.c[c].type, required=True) for c in columns})


def _key(column: Any, n: int) -> str:
    key = getattr(column, "key", None) or getattr(column, "name", None)
    return key if isinstance(key, str) else f"c{n}"


# The list parameters live in list_parameters.py; the hot path's modules import them from here too.
__all__ = [
    "Batch",
    "IdList",
    "Pending",
    "Prepared",
    "batch",
    "column_types",
    "in_list",
    "insert_of",
    "pairs_in",
    "row_lists",
    "unnest_rows",
]
