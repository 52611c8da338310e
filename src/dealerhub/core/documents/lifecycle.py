"""Status changes of documents: one conditional UPDATE (`... WHERE status IN (...)`), checked by
its row count, plus an audit record, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, Update, bindparam
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dealerhub.core.audit import Change, audit_params, audited_insert, record_change, record_changes
from dealerhub.core.documents.errors import DocumentNotDraft, DocumentNotInStatus
from dealerhub.core.documents.names import document_name, not_in_status_text, status_name
from dealerhub.core.documents.numbering import next_number
from dealerhub.shared import clock
from dealerhub.shared.statements import Batch, Pending, Prepared
from dealerhub.shared.texts import T


def change_status(
    session: Session,
    doc: Any,
    allowed_from: Iterable[str],
    to_status: str,
    *,
    user_id: int | None,
    action: str,
    **details: Any,
) -> str:
    """Move `doc` to `to_status` if it is in one of `allowed_from`; returns the status it left."""
    allowed = tuple(allowed_from)
    cls = type(doc)
    session.flush()
    from_status = doc.status
    at = move_status(
        session,
        cls.__table__,
        cls.doc_type,
        doc.id,
        allowed,
        to_status,
        from_status=from_status,
        user_id=user_id,
        action=action,
        details=details,
    )
    if at is None:
        session.refresh(doc, ["status"])
        raise DocumentNotInStatus(
            not_in_status_text(cls.doc_type, doc.number, doc.status, allowed), number=doc.number, status=doc.status
        )
    set_committed_value(doc, "status", to_status)
    set_committed_value(doc, "updated_at", at)
    return from_status


def update_status(
    session: Session,
    table: Table,
    doc_id: int,
    allowed_from: tuple[str, ...],
    to_status: str,
    *,
    at: datetime | None = None,
    **values: Any,
) -> bool:
    """The conditional UPDATE (`... WHERE id = :id AND status IN (:allowed)`) that moves a document's
    row, also setting `values` (plain column values); True if it moved it. No audit row: callers
    that use it directly write their own. Doesn't flush the session."""
    params = _status_params(doc_id, allowed_from, to_status, at or clock.now(), values)
    stmt = _status_update(table, len(allowed_from), tuple(sorted(values)))
    return stmt.rowcount(session.connection(), params) == 1


def move_status(
    session: Session,
    table: Table,
    doc_type: str,
    doc_id: int,
    allowed_from: tuple[str, ...],
    to_status: str,
    *,
    from_status: str | None,
    user_id: int | None,
    action: str,
    values: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> datetime | None:
    """update_status() and its audit row (from `from_status`, what the caller knows the document
    was in); returns the time of the change, or None (and writes nothing) if the document wasn't in
    one of `allowed_from`. On PostgreSQL one statement: `WITH moved AS (UPDATE ... RETURNING id)
    INSERT INTO audit_records ... SELECT ... FROM moved`. Doesn't flush the session."""
    values = values or {}
    at = clock.now()
    change = Change(doc_type, doc_id, action, from_status, to_status, details or {})
    conn = session.connection()
    if conn.dialect.name != "postgresql":
        if not update_status(session, table, doc_id, allowed_from, to_status, at=at, **values):
            return None
        record_changes(session, user_id=user_id, changes=[change], at=at)
        return at
    params = _status_params(doc_id, allowed_from, to_status, at, values)
    params.update(audit_params(user_id=user_id, change=change))
    stmt = _audited_status_update(table, len(allowed_from), tuple(sorted(values)))
    return at if stmt.rowcount(conn, params) == 1 else None


def send_move_status(
    b: Batch,
    session: Session,
    table: Table,
    doc_type: str,
    doc_id: int,
    allowed_from: tuple[str, ...],
    to_status: str,
    *,
    from_status: str,
    user_id: int | None,
    action: str,
    values: dict[str, Any] | None = None,
    details: dict[str, Any] | None = None,
) -> tuple[datetime, Pending]:
    """move_status() sent in a batch of statements, for a caller that has read the document's
    status under its lock and sends the change with its other writes; after the batch, the
    result's rowcount is 1 if the document moved (and its audit row was written), else 0."""
    values = values or {}
    at = clock.now()
    change = Change(doc_type, doc_id, action, from_status, to_status, details or {})
    params = _status_params(doc_id, allowed_from, to_status, at, values)
    if b.conn.dialect.name == "postgresql":
        params.update(audit_params(user_id=user_id, change=change))
        return at, b.send(_audited_status_update(table, len(allowed_from), tuple(sorted(values))), params)
    moved = b.send(_status_update(table, len(allowed_from), tuple(sorted(values))), params)
    if moved.rowcount == 1:  # SQLite: the batch ran it already
        record_changes(session, user_id=user_id, changes=[change], at=at, via=b)
    return at, moved


def _status_params(
    doc_id: int, allowed_from: tuple[str, ...], to_status: str, at: datetime, values: dict[str, Any]
) -> dict[str, Any]:
    params = {"doc_id": doc_id, "to_status": to_status, "at": at}
    params.update({f"from_{n}": status for n, status in enumerate(allowed_from)})
    params.update({f"v_{name}": value for name, value in values.items()})
    return params


_STATUS_UPDATES: dict[tuple[Table, int, tuple[str, ...]], Prepared] = {}
_AUDITED_UPDATES: dict[tuple[Table, int, tuple[str, ...]], Prepared] = {}


def _audited_status_update(table: Table, allowed_count: int, columns: tuple[str, ...]) -> Prepared:
    key = (table, allowed_count, columns)
    stmt = _AUDITED_UPDATES.get(key)
    if stmt is None:
        moved = _status_update_statement(table, allowed_count, columns).returning(table.c.id).cte("moved")
        at = bindparam("at", type_=table.c.updated_at.type)
        stmt = _AUDITED_UPDATES[key] = Prepared(audited_insert(moved, moved.c.id, at))
    return stmt


def _status_update(table: Table, allowed_count: int, columns: tuple[str, ...]) -> Prepared:
    """The status UPDATE of a table from one of `allowed_count` statuses, setting these extra
    columns; built and compiled once (plain bound parameters, no expanding IN)."""
    key = (table, allowed_count, columns)
    stmt = _STATUS_UPDATES.get(key)
    if stmt is None:
        stmt = _STATUS_UPDATES[key] = Prepared(_status_update_statement(table, allowed_count, columns))
    return stmt


def _status_update_statement(table: Table, allowed_count: int, columns: tuple[str, ...]) -> Update:
    allowed = [bindparam(f"from_{n}", type_=table.c.status.type) for n in range(allowed_count)]
    return (
        table.update()
        .where(table.c.id == bindparam("doc_id"), table.c.status.in_(allowed))
        .values(
            status=bindparam("to_status"),
            updated_at=bindparam("at", type_=table.c.updated_at.type),
            **{name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns},
        )
    )


def assert_draft(doc: Any, draft_statuses: Iterable[str] = ("draft",)) -> None:
    if doc.status not in tuple(draft_statuses):
        raise DocumentNotDraft(
            T(
                "%(document)s %(number)s is «%(status)s»: a posted document is not edited in place",
                document=document_name(type(doc).doc_type), number=doc.number, status=status_name(doc.status),
            ),
            number=doc.number,
            status=doc.status,
        )


def new_document(
    session: Session, cls: type, *, user_id: int | None, status: str = "draft", **fields: Any
) -> Any:
    """Create a document with its number, author and an audit record of its creation."""
    doc = cls(
        number=next_number(session, cls.doc_type, cls.number_prefix),
        status=status,
        author_id=user_id,
        **fields,
    )
    session.add(doc)
    session.flush()
    record_change(
        session,
        user_id=user_id,
        entity_type=cls.doc_type,
        entity_id=doc.id,
        action="create",
        to_status=status,
    )
    return doc
