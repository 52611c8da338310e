"""Writing the audit trail. Called inside the use case's transaction, so the record and the change
it describes commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared import clock

_TABLE = AuditRecord.__table__
# Built once: a Core insert on the table runs on every state change, the ORM layer adds nothing here.
_INSERT = _TABLE.insert()


@dataclass(frozen=True)
class Change:
    """One audit row for record_changes()."""

    entity_type: str
    entity_id: int
    action: str
    from_status: str | None = None
    to_status: str | None = None
    details: dict[str, Any] = field(default_factory=dict)


def record_change(
    session: Session,
    *,
    user_id: int | None,
    entity_type: str,
    entity_id: int,
    action: str,
    from_status: str | None = None,
    to_status: str | None = None,
    **details: Any,
) -> None:
    record_changes(
        session,
        user_id=user_id,
        changes=[Change(entity_type, entity_id, action, from_status, to_status, details)],
    )


def record_changes(session: Session, *, user_id: int | None, changes: Iterable[Change]) -> None:
    """Several audit rows of one use case by the same user, in one statement."""
    now = clock.now()
    rows = [
        {
            "occurred_at": now,
            "user_id": user_id,
            "entity_type": c.entity_type,
            "entity_id": c.entity_id,
            "action": c.action,
            "from_status": c.from_status,
            "to_status": c.to_status,
            "details": _jsonable(c.details),
        }
        for c in changes
    ]
    if rows:
        session.connection().execute(_INSERT, rows[0] if len(rows) == 1 else rows)


def list_for(session: Session, entity_type: str, entity_id: int) -> list[AuditRecord]:
    return list(
        session.scalars(
            select(AuditRecord)
            .where(AuditRecord.entity_type == entity_type, AuditRecord.entity_id == entity_id)
            .order_by(AuditRecord.id)
        )
    )


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | str):
        return value
    return str(value)
