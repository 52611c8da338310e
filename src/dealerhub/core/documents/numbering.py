"""Document numbers: PREFIX-YEAR-NNNNNN, without gaps from concurrent writers (the counter row is
incremented with an atomic upsert and locked until the transaction ends)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from dealerhub.core.documents.models import DocumentCounter
from dealerhub.shared import clock


def next_number(session: Session, doc_type: str, prefix: str, year: int | None = None) -> str:
    year = year or clock.today().year
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(DocumentCounter).values(doc_type=doc_type, year=year, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=["doc_type", "year"],
        set_={"last_value": DocumentCounter.last_value + 1},
    ).returning(DocumentCounter.last_value)
    value = session.execute(stmt).scalar_one()
    return f"{prefix}-{year}-{value:06d}"
