"""Writing the audit trail. Called inside the use case's transaction, so the record and the change
it describes commit together or not at all."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared import clock

_TABLE = AuditRecord.__table__


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
    # A Core insert on the table: this runs on every state change, the ORM layer adds nothing here.
    session.connection().execute(
        _TABLE.insert(),
        {
            "occurred_at": clock.now(),
            "user_id": user_id,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "action": action,
            "from_status": from_status,
            "to_status": to_status,
            "details": _jsonable(details),
        },
    )


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
