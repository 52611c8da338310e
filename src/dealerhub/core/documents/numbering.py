"""Document numbers: PREFIX-YEAR-NNNNNN, without gaps from concurrent writers (the counter row is
incremented with an atomic upsert and locked until the transaction ends)."""

from __future__ import annotations

from sqlalchemy import Insert, Integer, String, Table, bindparam, cast, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.core.documents.models import DocumentCounter
from dealerhub.shared import clock
from dealerhub.shared.statements import Prepared

_t = DocumentCounter.__table__


def _next_value(insert):
    stmt = insert(_t).values(doc_type=bindparam("doc_type"), year=bindparam("year"), last_value=1)
    return stmt.on_conflict_do_update(
        index_elements=["doc_type", "year"], set_={"last_value": _t.c.last_value + 1}
    ).returning(_t.c.last_value)


# Built once per dialect: every new document runs this.
_NEXT_VALUE = {"postgresql": Prepared(_next_value(postgresql.insert)), "sqlite": Prepared(_next_value(sqlite.insert))}


def numbered_insert(table: Table, columns: tuple[str, ...]) -> Insert:
    """PostgreSQL: `WITH counter AS (the upsert) INSERT INTO table (number, columns) SELECT
    <number>, :column... FROM counter RETURNING id, number`: the document's number and its row in
    one statement (one round trip). The number is formatted as next_number() formats it; parameters:
    doc_type, year, prefix and one per column, named as the column."""
    counter = _next_value(postgresql.insert).cte("counter")
    value = cast(counter.c.last_value, String)
    number = (
        bindparam("prefix", type_=String)
        + "-"
        + cast(bindparam("year", type_=Integer), String)
        + "-"
        + func.lpad(value, func.greatest(6, func.length(value)), "0")
    )
    values = select(number, *(bindparam(c, type_=table.c[c].type, required=True) for c in columns))
    return (
        table.insert()
        .from_select(["number", *columns], values.select_from(counter))
        .returning(table.c.id, table.c.number)
        .add_cte(counter)
    )


def next_number(session: Session, doc_type: str, prefix: str, year: int | None = None) -> str:
    year = year or clock.today().year
    conn = session.connection()
    stmt = _NEXT_VALUE.get(conn.dialect.name, _NEXT_VALUE["sqlite"])
    value = stmt.one(conn, {"doc_type": doc_type, "year": year}).last_value
    return f"{prefix}-{year}-{value:06d}"
