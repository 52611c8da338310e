"""The other side's answers to our messages (ACK / ERROR, applied by the inbox) and the purge of
relayed rows after the retention period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from dealerhub.core.outbox.models import OutboxMessage
from dealerhub.shared import clock

_t = OutboxMessage.__table__


def record_answer(
    s: Session, message_id: str, *, ok: bool, code: str | None = None, reason: str | None = None
) -> bool:
    """Note an ACK (ok) or an ERROR (code, reason) for one of our messages; the latest answer wins
    (an ERROR, then a retry that was applied, ends as "ack"). False if the outbox has no such row
    (not ours, or purged already)."""
    values = {
        "answer": "ack" if ok else "error",
        "answered_at": clock.now(),
        "error_code": None if ok else code,
        "error_reason": None if ok else reason,
    }
    result = s.connection().execute(update(_t).where(_t.c.message_id == message_id).values(**values))
    return result.rowcount == 1


def purge_relayed(s: Session, older_than: datetime, *, limit: int = 10_000) -> int:
    """Delete up to `limit` rows relayed before `older_than` (the exchange keeps its own record of
    them); returns how many. Call again while it returns `limit`. Unrelayed rows are never touched."""
    ids = list(
        s.scalars(
            select(_t.c.id)
            .where(_t.c.relayed_at.is_not(None), _t.c.relayed_at < older_than)
            .order_by(_t.c.relayed_at, _t.c.id)
            .limit(limit)
        )
    )
    if not ids:
        return 0
    s.connection().execute(delete(_t).where(_t.c.id.in_(ids)))
    return len(ids)
