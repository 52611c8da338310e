"""Writing the audit trail. Called inside the use case's transaction, so the record and the change
it describes commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import CTE, BindParameter, ColumnElement, Insert, bindparam, select
from sqlalchemy.orm import Session

from dealerhub.core.audit.models import AuditRecord
from dealerhub.shared import clock
from dealerhub.shared.statements import Batch, Prepared, insert_of

_TABLE = AuditRecord.__table__
# Runs on every state change: compiled once, run on the driver's cursor (shared/statements.py).
_INSERT = Prepared(
    insert_of(
        _TABLE, "occurred_at", "user_id", "entity_type", "entity_id", "action", "from_status", "to_status", "details"
    )
)


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


def record_changes(
    session: Session,
    *,
    user_id: int | None,
    changes: Iterable[Change],
    at: datetime | None = None,
    via: Batch | None = None,
) -> None:
    """Several audit rows of one use case by the same user, in one statement; `at`: when (now);
    `via`: send it in this batch of statements (shared/statements.py) instead of running it now."""
    now = at or clock.now()
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
    if via is not None:
        if len(rows) == 1:
            via.send(_INSERT, rows[0])
        elif rows:
            via.send_many(_INSERT, rows)
    elif len(rows) == 1:
        _INSERT.rowcount(session.connection(), rows[0])
    elif rows:
        _INSERT.many(session.connection(), rows)


_AUDITED_COLUMNS = ("occurred_at", "user_id", "entity_type", "entity_id", "action", "from_status", "to_status", "details")


def audited_insert(changed: CTE, entity_id: ColumnElement[Any], at: BindParameter[Any]) -> Insert:
    """`INSERT INTO audit_records ... SELECT ... FROM changed`: the audit row of a change made by a
    data-modifying CTE (`UPDATE ... RETURNING id`), in the same statement, written only if the change
    happened (its row count says so). Parameters: the change's `at` and a_user_id, a_entity_type,
    a_action, a_from_status, a_to_status, a_details (see audit_params())."""
    t = _TABLE
    values = select(
        at,
        bindparam("a_user_id", type_=t.c.user_id.type),
        bindparam("a_entity_type", type_=t.c.entity_type.type),
        entity_id,
        bindparam("a_action", type_=t.c.action.type),
        bindparam("a_from_status", type_=t.c.from_status.type),
        bindparam("a_to_status", type_=t.c.to_status.type),
        bindparam("a_details", type_=t.c.details.type),
    ).select_from(changed)
    return t.insert().from_select(list(_AUDITED_COLUMNS), values).add_cte(changed)


def audit_params(*, user_id: int | None, change: Change) -> dict[str, Any]:
    """The audit parameters of audited_insert()."""
    return {
        "a_user_id": user_id,
        "a_entity_type": change.entity_type,
        "a_action": change.action,
        "a_from_status": change.from_status,
        "a_to_status": change.to_status,
        "a_details": _jsonable(change.details),
    }


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
