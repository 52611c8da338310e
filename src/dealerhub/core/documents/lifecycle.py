"""Status changes of documents: one conditional UPDATE (`... WHERE status IN (...)`), checked by
its row count, plus an audit record, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Table, Update, bindparam
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dealerhub.core.audit import record_change
from dealerhub.core.documents.errors import DocumentNotDraft, DocumentNotInStatus
from dealerhub.core.documents.numbering import next_number
from dealerhub.shared import clock


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
    at = clock.now()
    if not update_status(session, cls.__table__, doc.id, allowed, to_status, at=at):
        session.refresh(doc, ["status"])
        raise DocumentNotInStatus(
            f"{cls.doc_type} {doc.number} is {doc.status}; {action} needs {' or '.join(allowed)}",
            number=doc.number,
            status=doc.status,
        )
    from_status = doc.status
    set_committed_value(doc, "status", to_status)
    set_committed_value(doc, "updated_at", at)
    record_change(
        session,
        user_id=user_id,
        entity_type=cls.doc_type,
        entity_id=doc.id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        **details,
    )
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
    params = {"doc_id": doc_id, "to_status": to_status, "at": at or clock.now()}
    params.update({f"from_{n}": status for n, status in enumerate(allowed_from)})
    params.update({f"v_{name}": value for name, value in values.items()})
    stmt = _status_update(table, len(allowed_from), tuple(sorted(values)))
    return session.connection().execute(stmt, params).rowcount == 1


_STATUS_UPDATES: dict[tuple[Table, int, tuple[str, ...]], Update] = {}


def _status_update(table: Table, allowed_count: int, columns: tuple[str, ...]) -> Update:
    """The status UPDATE of a table from one of `allowed_count` statuses, setting these extra
    columns; built once (plain bound parameters, no expanding IN, so its SQL is cached whole)."""
    key = (table, allowed_count, columns)
    stmt = _STATUS_UPDATES.get(key)
    if stmt is None:
        allowed = [bindparam(f"from_{n}", type_=table.c.status.type) for n in range(allowed_count)]
        stmt = (
            table.update()
            .where(table.c.id == bindparam("doc_id"), table.c.status.in_(allowed))
            .values(
                status=bindparam("to_status"),
                updated_at=bindparam("at", type_=table.c.updated_at.type),
                **{name: bindparam(f"v_{name}", type_=table.c[name].type) for name in columns},
            )
        )
        _STATUS_UPDATES[key] = stmt
    return stmt


def assert_draft(doc: Any, draft_statuses: Iterable[str] = ("draft",)) -> None:
    if doc.status not in tuple(draft_statuses):
        raise DocumentNotDraft(
            f"{type(doc).doc_type} {doc.number} is {doc.status}: a posted document is not edited in place",
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
