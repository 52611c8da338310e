"""List parameters of the hot-path statements (shared/statements.py): a list of ids or of pairs as
ONE parameter instead of an expanding IN (constant SQL, prepared once), and on PostgreSQL many rows
as one array parameter per column (unnest_rows), arrays being sent in their text form."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import BigInteger, Boolean, Integer, String, func
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql import ColumnElement
from sqlalchemy.sql.elements import BindParameter
from sqlalchemy.types import TypeDecorator, TypeEngine

# --- one list parameter instead of an expanding IN ---------------------------------------------


class IdList(TypeDecorator):
    """A list of integer ids as ONE parameter: a BIGINT[] on PostgreSQL, JSON text on SQLite."""

    impl = BigInteger
    cache_ok = True

    def load_dialect_impl(self, dialect: Any) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.ARRAY(BigInteger()))
        return dialect.type_descriptor(String())

    def process_bind_param(self, value: Any, dialect: Any) -> Any:
        ids = [int(v) for v in value]
        return ids if dialect.name == "postgresql" else json.dumps(ids)


class in_list(ColumnElement[bool]):
    """`column IN (the ids in one IdList parameter)`: the SQL text doesn't change with the number
    of ids, so the statement is compiled (and prepared by the server) once."""

    inherit_cache = False  # Prepared compiles it once; SQLAlchemy's statement cache isn't used
    type = Boolean()
    # A comparison, not a boolean value: without this SQLite's WHERE gets `(...) = 1`, which no
    # index can serve (a full scan of the table instead of a lookup per id).
    _is_implicitly_boolean = True

    def __init__(self, column: ColumnElement[Any], name: str) -> None:
        self.column = column
        self.param = BindParameter(name, type_=IdList(), required=True)


@compiles(in_list, "postgresql")
def _in_list_pg(element: in_list, compiler: Any, **kw: Any) -> str:
    return f"{compiler.process(element.column, **kw)} = ANY({compiler.process(element.param, **kw)})"


@compiles(in_list)
def _in_list_sqlite(element: in_list, compiler: Any, **kw: Any) -> str:
    return (
        f"{compiler.process(element.column, **kw)} IN "
        f"(SELECT value FROM json_each({compiler.process(element.param, **kw)}))"
    )


class PairList(TypeDecorator):
    """A list of (int, int) pairs as ONE parameter: JSON text on every database."""

    impl = String
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str:
        return json.dumps([[int(a), int(b)] for a, b in value])


class pairs_in(ColumnElement[bool]):
    """`(a, b) IN (the pairs in one PairList parameter)`, with constant SQL like in_list()."""

    inherit_cache = False
    type = Boolean()
    _is_implicitly_boolean = True  # as in_list: no `= 1` that keeps SQLite from using an index

    def __init__(self, a: ColumnElement[Any], b: ColumnElement[Any], name: str) -> None:
        self.a, self.b = a, b
        self.param = BindParameter(name, type_=PairList(), required=True)


@compiles(pairs_in, "postgresql")
def _pairs_in_pg(element: pairs_in, compiler: Any, **kw: Any) -> str:
    a, b = compiler.process(element.a, **kw), compiler.process(element.b, **kw)
    param = compiler.process(element.param, **kw)
    return (
        f"({a}, {b}) IN (SELECT (p.value->>0)::BIGINT, (p.value->>1)::BIGINT "
        f"FROM json_array_elements(CAST({param} AS JSON)) AS p)"
    )


@compiles(pairs_in)
def _pairs_in_sqlite(element: pairs_in, compiler: Any, **kw: Any) -> str:
    a, b = compiler.process(element.a, **kw), compiler.process(element.b, **kw)
    param = compiler.process(element.param, **kw)
    return f"({a}, {b}) IN (SELECT p.value->>0, p.value->>1 FROM json_each({param}) AS p)"


# --- many rows as one parameter per column (PostgreSQL) ----------------------------------------


def unnest_rows(columns: Mapping[str, Any], name: str = "given") -> Any:
    """PostgreSQL: `unnest(:<column>__list, ...) AS given(<columns>)`, the rows of one array
    parameter per column (`columns`: name -> SQL type; every element goes through the type's bind
    processor), to select from in `INSERT ... SELECT` or `UPDATE ... FROM`. The SQL doesn't change
    with the number of rows, so psycopg caches its conversion and the server its plan; fill it with
    row_lists(). Build it after the models are loaded (a foreign key column takes its type from its
    target)."""
    arrays = [BindParameter(f"{c}__list", type_=postgresql.ARRAY(t), required=True) for c, t in columns.items()]
    return func.unnest(*arrays).table_valued(*columns).render_derived(name=name)


def column_types(table: Any, *columns: str) -> dict[str, Any]:
    """The SQL types of these columns of a table, for unnest_rows()."""
    return {c: table.c[c].type for c in columns}


def row_lists(rows: Sequence[Mapping[str, Any]], *columns: str) -> dict[str, list[Any]]:
    """The parameters of unnest_rows(): one list per column, in the rows' order."""
    return {f"{c}__list": [row[c] for row in rows] for c in columns}


# --- arrays in their text form (PostgreSQL) ------------------------------------------------------


def array_text_processor(type_: Any, dialect: Any) -> Any:
    """PostgreSQL arrays (unnest_rows(), in_list()) sent as their text form, `{1,2,NULL}`, which
    the statement's cast (`::BIGINT[]`) reads: the elements still go through their type's bind
    processor, and psycopg is spared its per-element dumping of a Python list (some 10 us an
    array, a dozen arrays an order)."""
    if dialect.name != "postgresql":
        return None
    if isinstance(type_, IdList):
        return lambda ids: "{" + ",".join([str(int(i)) for i in ids]) + "}"
    if not isinstance(type_, postgresql.ARRAY) or type_.dimensions not in (None, 1):
        return None
    item = type_.item_type.dialect_impl(dialect).bind_processor(dialect)
    # Integers (ids, scaled decimals) need no quoting: the common case, formatted at once.
    element = _integer_element if type_.item_type._type_affinity is Integer else _array_element

    def process(values: Any) -> str | None:
        if values is None:
            return None
        if item is not None:
            values = [item(v) for v in values]
        return "{" + ",".join([element(v) for v in values]) + "}"

    return process


def _integer_element(value: int | None) -> str:
    return "NULL" if value is None else str(int(value))


def _array_element(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return f'"{value.isoformat()}"'
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    raise TypeError(f"no array text form for {type(value).__name__}")
