"""Document numbers: PREFIX-YEAR-NNNNNN, without gaps from concurrent writers (the counter row is
incremented with an atomic upsert and locked until the transaction ends)."""

from __future__ import annotations

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.core.documents.models import DocumentCounter
from dealerhub.shared import clock

_t = DocumentCounter.__table__


def _next_value(insert):
    stmt = insert(_t).values(doc_type=bindparam("doc_type"), year=bindparam("year"), last_value=1)
    return stmt.on_conflict_do_update(
        index_elements=["doc_type", "year"], set_={"last_value": _t.c.last_value + 1}
    ).returning(_t.c.last_value)


# Built once per dialect: every new document runs this.
_NEXT_VALUE = {"postgresql": _next_value(postgresql.insert), "sqlite": _next_value(sqlite.insert)}


def next_number(session: Session, doc_type: str, prefix: str, year: int | None = None) -> str:
    year = year or clock.today().year
    conn = session.connection()
    stmt = _NEXT_VALUE.get(conn.dialect.name, _NEXT_VALUE["sqlite"])
    value = conn.execute(stmt, {"doc_type": doc_type, "year": year}).scalar_one()
    return f"{prefix}-{year}-{value:06d}"
