"""Status changes of documents: one conditional UPDATE (`... WHERE status IN (...)`), checked by
its row count, plus an audit record, in the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

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
    table = cls.__table__
    session.flush()
    result = session.connection().execute(
        table.update()
        .where(table.c.id == doc.id, table.c.status.in_(allowed))
        .values(status=to_status, updated_at=clock.now())
    )
    if result.rowcount != 1:
        session.refresh(doc, ["status"])
        raise DocumentNotInStatus(
            f"{cls.doc_type} {doc.number} is {doc.status}; {action} needs {' or '.join(allowed)}",
            number=doc.number,
            status=doc.status,
        )
    from_status = doc.status
    set_committed_value(doc, "status", to_status)
    set_committed_value(doc, "updated_at", clock.now())
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


def assert_draft(doc: Any, draft_statuses: Iterable[str] = ("draft",)) -> None:
    if doc.status not in tuple(draft_statuses):
        raise DocumentNotDraft(
            f"{type(doc).doc_type} {doc.number} is {doc.status}: a posted document is not edited in place",
            number=doc.number,
            status=doc.status,
        )


def new_document(session: Session, cls: type, *, user_id: int | None, status: str = "draft", **fields: Any) -> Any:
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
        session, user_id=user_id, entity_type=cls.doc_type, entity_id=doc.id, action="create", to_status=status
    )
    return doc
